from ifri_cli._entry import main

main()
