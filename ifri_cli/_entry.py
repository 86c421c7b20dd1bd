"""The console script. It guards even the import of the CLI (typer and rich take a few tenths of a
second to load), so that Ctrl-C pressed right after starting exits 130 without a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from ifri_cli.cli import main as cli_main
    except KeyboardInterrupt:
        sys.exit(130)
    cli_main()
