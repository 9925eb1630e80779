"""Italian tax codes: codice fiscale (16 characters) and partita IVA (11 digits).

Associations and foundations have an 11-digit numeric codice fiscale, checked
like a partita IVA. Only the check character is verified: that is what catches
a mistyped code; whether the code exists is for the Agenzia delle Entrate.
"""

from __future__ import annotations

import re

_ODD_VALUES = {
    **dict(zip("0123456789", (1, 0, 5, 7, 9, 13, 15, 17, 19, 21), strict=True)),
    **dict(
        zip(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
            (
                1,
                0,
                5,
                7,
                9,
                13,
                15,
                17,
                19,
                21,
                2,
                4,
                18,
                20,
                11,
                3,
                6,
                8,
                12,
                14,
                16,
                10,
                22,
                25,
                24,
                23,
            ),
            strict=True,
        )
    ),
}
_EVEN_VALUES = {
    **{digit: int(digit) for digit in "0123456789"},
    **{letter: index for index, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")},
}
_PERSON = re.compile(
    r"^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}"
    r"[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$"
)


def normalise(code: str) -> str:
    """Upper case, without spaces."""
    return re.sub(r"\s", "", code).upper()


def vat_check_digit(first_ten: str) -> int:
    """The eleventh digit of a partita IVA (or numeric codice fiscale)."""
    total = 0
    for index, char in enumerate(first_ten):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


def person_check_char(first_fifteen: str) -> str:
    """The sixteenth character of a personal codice fiscale."""
    total = sum(
        _ODD_VALUES[char] if index % 2 == 0 else _EVEN_VALUES[char]
        for index, char in enumerate(first_fifteen)
    )
    return chr(ord("A") + total % 26)


def is_valid_tax_code(code: str) -> bool:
    """True if ``code`` is a well-formed codice fiscale or partita IVA."""
    code = normalise(code)
    if re.fullmatch(r"\d{11}", code):
        return vat_check_digit(code[:10]) == int(code[10])
    if _PERSON.match(code):
        return person_check_char(code[:15]) == code[15]
    return False
