"""Amounts and tax codes as people write them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.models.amounts import AmountError, parse_amount
from app.models.tax_code import is_valid_tax_code, person_check_char, vat_check_digit


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12500.00", "12500.00"),
        ("12500", "12500.00"),
        ("12.500,00", "12500.00"),
        ("1.250.000", "1250000.00"),
        ("12,500.00", "12500.00"),
        ("12500,5", "12500.50"),
        ("€ 48.000,00", "48000.00"),
        ("48 000,00 €", "48000.00"),
        ("0,99", "0.99"),
    ],
)
def test_amounts_people_write(text: str, value: str) -> None:
    assert parse_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12.500", "ambiguous"),
        ("12,500", "ambiguous"),
        ("", "empty"),
        ("dodicimila", "unreadable"),
        ("12.50.00", "unreadable"),
        ("-100", "unreadable"),
        ("12500.001", "unreadable"),
        ("1e5", "unreadable"),
    ],
)
def test_amounts_refused(text: str, reason: str) -> None:
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert caught.value.reason == reason


@given(st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_amount_round_trip_in_both_styles(value: Decimal) -> None:
    plain = f"{value:.2f}"
    whole, cents = plain.split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    assert parse_amount(plain) == value
    assert parse_amount(".".join(groups) + "," + cents) == value


@pytest.mark.parametrize(
    "code",
    ["01234560157", "97000120150", "08765430965", "RSSMRA85T10A562S", "rssmra85t10a562s"],
)
def test_valid_tax_codes(code: str) -> None:
    assert is_valid_tax_code(code)


@pytest.mark.parametrize(
    "code", ["01234560158", "0123456015", "RSSMRA85T10A562T", "RSSMRA85Z10A562S", "ABC", ""]
)
def test_invalid_tax_codes(code: str) -> None:
    assert not is_valid_tax_code(code)


@given(st.text(alphabet="0123456789", min_size=10, max_size=10), st.integers(1, 9))
def test_any_single_digit_error_in_a_vat_number_is_caught(first_ten: str, delta: int) -> None:
    code = first_ten + str(vat_check_digit(first_ten))
    assert is_valid_tax_code(code)
    wrong = code[:10] + str((int(code[10]) + delta) % 10)
    assert not is_valid_tax_code(wrong)


def test_person_check_character_known_value() -> None:
    assert person_check_char("RSSMRA85T10A562") == "S"
