"""The one family of errors the library raises; ``cli.py`` maps them to exit codes."""

from __future__ import annotations

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_AMBIGUOUS = 3
EXIT_INTERRUPTED = 130


class IfriError(Exception):
    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InputError(IfriError):
    """The input cannot be read: missing, a directory, unreadable, empty."""


class NotADocument(IfriError):
    """Neither a PDF nor text."""


class BrokenPDF(IfriError):
    """pdfminer cannot make sense of the file."""


class EncryptedPDF(IfriError):
    """Needs a password, or the password given is wrong."""


class NoTextLayer(IfriError):
    """A scan: there is no text to read without OCR."""


class LimitExceeded(IfriError):
    """The input goes past one of the limits that keep a hostile file from taking unbounded time or
    memory (pages, inflated stream size); the message names the limit and how to raise it."""


class UsageError(IfriError):
    """A bad option value or query."""


class LibraryError(IfriError):
    """The library database cannot be used: missing, made by a newer ifri, damaged, no FTS5."""


class NotFound(IfriError):
    exit_code = EXIT_NOT_FOUND


class SectionNotFound(NotFound):
    pass


class SectionNotInDocument(NotFound):
    """Listed in the contents, but its text is not in this file."""


class Ambiguous(IfriError):
    exit_code = EXIT_AMBIGUOUS

    def __init__(self, message: str, candidates: list[str], *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.candidates = candidates
