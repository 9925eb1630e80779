"""The root of every error Vaglio expects and explains to its users.

An expected error carries one sentence, already translated, that a member or a
secretary can act on. The CLI prints it after ``error:``; the GUI shows it in a
dialog. Anything else that escapes is a bug and gets a traceback.
"""

from __future__ import annotations


class VaglioError(Exception):
    """An expected refusal with a human sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
