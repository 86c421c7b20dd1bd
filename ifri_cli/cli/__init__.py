"""The ``ifri`` command line: parse arguments, make one library call, render.

Exit codes (decided here and in ``common.boundary``, nowhere else):
  0  success
  1  nothing found (search without hits, a section that does not exist)
  2  usage error or bad input (unreadable file, not a PDF, bad option)
  3  ambiguous query (several sections match; use --first or be more precise)
  70 internal error (a bug: please report it with the output of --debug)
  130 interrupted (Ctrl-C)

Nothing in ifri imports this package: it stands on the public library (``ifri_cli``).
"""

from __future__ import annotations

import sys
from typing import Any

import typer

from ifri_cli.cli.commands import app
from ifri_cli.cli.common import EXIT_INTERNAL, internal_error, silence_stdout, stderr, write_failed
from ifri_cli.errors import EXIT_INTERRUPTED, EXIT_USAGE

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point: every way out is an exit code, at most one line on stderr."""
    # typer may vendor click: find its exception classes through a public one
    click_error = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
    code: Any = 0
    try:
        code = app(standalone_mode=False)
    except click_error as exc:
        code = exc.exit_code
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # bare `ifri`: the help, on stderr
        else:
            stderr().print(f"ifri: error: {_click_message(exc)}", markup=False, highlight=False)
    except (KeyboardInterrupt, typer.Abort):
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        code = 0
    except Exception as exc:  # noqa: BLE001 - outside a command's boundary (parsing its arguments)
        if "--debug" in sys.argv[1:]:
            raise
        internal_error(exc)
        code = EXIT_INTERNAL
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            silence_stdout()
        except OSError as exc:
            write_failed(exc)
            code = code or EXIT_USAGE
        except ValueError:  # stdout was closed
            pass
    # without standalone mode, click returns the command's return value (None) or an Exit's code
    sys.exit(code if isinstance(code, int) else 0)


def _click_message(exc: Any) -> str:
    """Click's usage error on one line, with where to look instead of its usage block."""
    message = " ".join(exc.format_message().split())
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        message += f" (see '{ctx.command_path} --help')"
    return message
