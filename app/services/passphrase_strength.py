"""How strong a new passphrase looks: a simple estimate a person can follow.

The estimate counts the kinds of characters used (lower case, upper case,
digits, spaces and symbols, other letters), takes the size of the alphabet
they make, and multiplies its bits by the length, a run of repeats counted
once: ``bits = effective length × log2(alphabet)``. A passphrase shorter than
the store's minimum, or one of the few everyone tries first, is weak whatever
the sum. No dictionary is shipped, so the advice is always the same: a
sentence of a few unusual words is both long and easy to remember.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.i18n import _
from app.store.keyslots import MIN_PASSPHRASE_CHARS

ACCEPTED_BITS = 60
GOOD_BITS = 80
STRONG_BITS = 100
COMMON = frozenset(
    ("password", "passw0rd", "qwerty", "qwertyuiop", "azerty", "abcdefghij", "iloveyou",
     "letmein", "welcome", "benvenuto", "ciaociao", "vaglio", "crowdfunding", "segreteria",
     "commissione", "comunedimilano", "milano")
)  # fmt: skip


@dataclass(frozen=True)
class Strength:
    """The estimate: ``level`` 0 (weak) to 3 (strong), and its words."""

    bits: int
    level: int
    accepted: bool
    label: str
    advice: str


def _alphabet(text: str) -> int:
    size = 0
    if any(c.islower() and c.isascii() for c in text):
        size += 26
    if any(c.isupper() and c.isascii() for c in text):
        size += 26
    if any(c.isdigit() for c in text):
        size += 10
    if any(not c.isalnum() and c.isascii() for c in text):
        size += 33
    if any(not c.isascii() for c in text):
        size += 60
    return size


def _effective_length(text: str) -> int:
    """The length with each run of one repeated character counted once."""
    return sum(1 for i, c in enumerate(text) if i == 0 or c != text[i - 1])


def estimate(passphrase: str) -> Strength:
    """The strength of ``passphrase`` and what to say about it."""
    size = _alphabet(passphrase)
    bits = int(_effective_length(passphrase) * math.log2(size)) if size else 0
    folded = "".join(c for c in passphrase.casefold() if c.isalpha())
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return Strength(
            bits,
            0,
            False,
            _("too short"),
            _(
                "Use at least {minimum} characters: a sentence of four or five words is best."
            ).format(minimum=MIN_PASSPHRASE_CHARS),
        )
    if folded in COMMON or len(set(passphrase)) < 5:
        return Strength(
            min(bits, 20), 0, False, _("weak"), _("Too easy to guess: choose words of your own.")
        )
    if bits < ACCEPTED_BITS:
        return Strength(
            bits, 0, False, _("weak"), _("Make it longer: add a word or two, or some digits.")
        )
    if bits < GOOD_BITS:
        return Strength(bits, 1, True, _("fair"), _("Acceptable; one more word makes it good."))
    if bits < STRONG_BITS:
        return Strength(bits, 2, True, _("good"), _("Fine for a workspace."))
    return Strength(bits, 3, True, _("strong"), _("Hard to guess: well chosen."))
