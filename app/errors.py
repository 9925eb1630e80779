"""The root of every error Vaglio expects and explains to its users.

An expected error carries one sentence, already translated, that a member or a
secretary can act on. The CLI prints it after ``error:``; the GUI shows it in a
dialog. Anything else that escapes is a bug and gets a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

# How much of a refused value a message repeats: it may come from a hostile
# file or another laptop, and a refusal is one line.
ECHO_LIMIT = 40


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` as a message may repeat it: at most ``limit`` characters
    (``app.models.numbers.echo`` is the same function)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class VaglioError(Exception):
    """An expected refusal with a human sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (a key, or a row and column) and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ProblemsError(VaglioError):
    """An input refused whole, with every problem found in it."""

    def __init__(self, source: str, problems: list[Problem], summary: str) -> None:
        self.source = source
        self.problems = problems
        self.summary = summary
        details = "; ".join(str(problem) for problem in problems)
        super().__init__(f"{summary}: {details}" if problems else summary)
