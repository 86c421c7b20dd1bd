from ifri_cli.cli import main

main()
