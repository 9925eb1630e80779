"""Numbers, amounts and tax codes as people and files write them: one reader."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from app.models import numbers
from app.models.numbers import NumberError, read_amount, read_number
from app.models.tax_code import is_valid_tax_code


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
        ("48\u202f000,00", "48000.00"),
        ("0,99", "0.99"),
    ],
)
def test_amounts_people_write(text: str, value: str) -> None:
    assert read_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12.500", "ambiguous"),
        ("12,500", "ambiguous"),
        ("550.000", "ambiguous"),
        ("", "empty"),
        ("  ", "empty"),
        ("dodicimila", "unreadable"),
        ("12.50.00", "unreadable"),
        ("-100", "negative"),
        ("12500.001", "too_many_places"),
        ("1e5", "unreadable"),
        ("NaN", "unreadable"),
        ("Infinity", "unreadable"),
        # Past Decimal's 28 digits its arithmetic fails: refused before any.
        ("9" * 25, "too_long"),
        ("9" * 5000, "too_long"),
        ("9," * 2500, "too_long"),
        ("1" + "0" * 24 + ",5", "too_long"),
    ],
)
def test_amounts_refused(text: str, reason: str) -> None:
    with pytest.raises(NumberError) as caught:
        read_amount(text)
    assert caught.value.reason == reason


def test_an_ambiguous_number_says_both_readings_and_what_to_write() -> None:
    with pytest.raises(NumberError) as caught:
        read_number("550.000")
    assert caught.value.sentence == (
        "«550.000» è ambiguo: 550000 oppure 550? Scrivilo senza separatore delle migliaia "
        "(per esempio 550000)"
    )


def test_a_refusal_repeats_at_most_a_few_dozen_characters_of_the_input() -> None:
    with pytest.raises(NumberError) as caught:
        read_number("9" * 5000 + "x")
    assert len(caught.value.sentence) < 80
    assert len(str(caught.value)) < 80


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("9" * 24, "9" * 24),
        ("9" * 22 + ".99", "9" * 22 + ".99"),
        ("9" * 22 + ",99", "9" * 22 + ".99"),
        ("999.999.999.999.999.999.999.999", "9" * 24),
        ("999,999,999,999,999,999,999.99", "9" * 21 + ".99"),
    ],
)
def test_the_longest_numbers_are_read_and_rounded(text: str, value: str) -> None:
    assert read_amount(text) == Decimal(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.6", "0.6"), ("0,6", "0.6"), ("1", "1"), ("0.125", "0.125"), ("1.234,5", "1234.5")],
)
def test_numbers_in_either_language(text: str, value: str) -> None:
    assert read_number(text) == Decimal(value)


@settings(max_examples=2000)
@given(st.text(alphabet="0123456789.,-", min_size=1, max_size=12))
def test_the_fast_path_reads_as_both_readings_would(text: str) -> None:
    # Plain shapes skip Babel (an import reads thousands of amounts); they must
    # give the very value, written the same way, that the two readings agree on.
    fast = numbers._plain(text)
    if fast is None:
        return
    slow = numbers.by_both_readings(text, text)
    assert (fast, str(fast)) == (slow, str(slow))


def test_places_and_sign_are_bounded_when_asked() -> None:
    assert read_number("-3", negative=True) == Decimal(-3)
    with pytest.raises(NumberError, match="negative"):
        read_number("-3")
    with pytest.raises(NumberError, match="too_many_places"):
        read_number("0,125", places=2)


@given(st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2))
def test_amount_round_trip_in_both_styles(value: Decimal) -> None:
    plain = f"{value:.2f}"
    whole, cents = plain.split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    assert read_amount(plain) == value
    assert read_amount(".".join(groups) + "," + cents) == value


@pytest.mark.parametrize(
    "code",
    ["01234560157", "97000120150", "08765430965", "RSSMRA85T10A562S", "rssmra85t10a562s"],
)
def test_valid_tax_codes(code: str) -> None:
    assert is_valid_tax_code(code)


@pytest.mark.parametrize(
    "code",
    [
        "01234560158",  # wrong check digit
        "0123456015",  # too short
        "RSSMRA85T10A562T",  # wrong check character
        "RSSMRA85Z10A562S",  # no month Z
        "RSSMRA85B31A562F",  # 31 February: right check character, impossible date
        "01234561217",  # office code 121 is valid, but this one is made up: 122
        "ABC",
        "",
    ],
)
def test_invalid_tax_codes(code: str) -> None:
    if code == "01234561217":
        code = code[:7] + "122" + str(luhn.calc_check_digit(code[:7] + "122"))
    assert not is_valid_tax_code(code)


@given(
    st.text(alphabet="0123456789", min_size=7, max_size=7).filter(lambda s: int(s) > 0),
    st.integers(1, 100),
    st.integers(1, 9),
)
def test_any_single_digit_error_in_a_vat_number_is_caught(
    first_seven: str, office: int, delta: int
) -> None:
    first_ten = f"{first_seven}{office:03d}"
    code = first_ten + luhn.calc_check_digit(first_ten)
    assert is_valid_tax_code(code)
    wrong = code[:10] + str((int(code[10]) + delta) % 10)
    assert not is_valid_tax_code(wrong)
