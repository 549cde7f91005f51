"""A quantity typed in a chat reads as exactly one number, or is refused with a reason."""

import re
from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from hypothesis import assume, given
from hypothesis import strategies as st

from i18n.quantities import UnreadableQuantity, read_quantity

LANGUAGES = ("es", "en")

READINGS = [
    # plain numbers
    ("1234", "1234"),
    ("1234.5", "1234.5"),
    ("-3", "-3"),
    ("0", "0"),
    ("0,5", "0.5"),
    ("0.125", "0.125"),
    (".5", "0.5"),
    ("1,234.5", "1234.5"),
    ("1,500.00", "1500.00"),
    ("1.234,5", "1234.5"),
    ("1.000.000,25", "1000000.25"),
    ("1 234,5", "1234.5"),
    ("1 234", "1234"),
    ("1\u202f234,5", "1234.5"),
    ("1\u00a0234", "1234"),
    ("12 345 678", "12345678"),
    # one separator kind: three digits in groups is grouping, anything else a decimal mark
    ("1,234", "1234"),
    ("1.234", "1234"),
    ("12,345,678", "12345678"),
    ("1.234.567", "1234567"),
    ("12,5", "12.5"),
    ("3.75", "3.75"),
    ("0,500", "0.500"),
    ("1234,567", "1234.567"),
    ("1,2345", "1.2345"),
    # percent
    ("12 %", "12"),
    ("12%", "12"),
    ("12,5 %", "12.5"),
    ("12 por ciento", "12"),
    ("12 porciento", "12"),
    ("12 percent", "12"),
    ("-4 %", "-4"),
    # the peso's sign and names
    ("$1,500", "1500"),
    ("$ 1,500", "1500"),
    ("1500 pesos", "1500"),
    ("MXN 1,500", "1500"),
    ("1,500 MXN", "1500"),
    ("$1,500 M.N.", "1500"),
    ("-$1,500", "-1500"),
    ("$-1,500", "-1500"),
    # magnitudes
    ("3 mil", "3000"),
    ("mil", "1000"),
    ("mil pesos", "1000"),
    ("1.5 millones", "1500000"),
    ("1,5 millones", "1500000"),
    ("1,5 millones de pesos", "1500000"),
    ("un millón", "1000000"),
    ("Un Millon", "1000000"),
    ("2 millones 300 mil", "2300000"),
    ("2 millones mil", "2001000"),
    ("2 mil 500", "2500"),
    ("3 mil millones", "3000000000"),
    ("350 mdp", "350000000"),
    ("3 thousand", "3000"),
    ("a million", "1000000"),
    ("2.5 million", "2500000"),
    ("3 hundred", "300"),
    ("3k", "3000"),
    ("3K", "3000"),
    ("1,5k", "1500"),
    ("2M", "2000000"),
    ("$2.5M", "2500000"),
    # around the number
    ("  42 ", "42"),
    ("+5", "5"),
    ("−7", "-7"),
    ("1500.", "1500"),
    ("1\uff15", "15"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("text", "expected"), READINGS)
def test_what_people_type_reads_as_the_number_they_mean(text, expected, language):
    read = read_quantity(text, language)
    assert read == Decimal(expected)
    assert str(read) == expected  # exact, with the decimals as typed


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [("2 billones", "es", "2000000000000"), ("2 billion", "en", "2000000000")],
)
def test_a_billion_is_what_it_is_in_the_persons_language(text, language, expected):
    assert read_quantity(text, language) == Decimal(expected)


REFUSALS = [
    ("", "empty"),
    ("   ", "empty"),
    ("mucho", "no_number"),
    ("NaN", "no_number"),
    ("%", "no_number"),
    ("$", "no_number"),
    ("un", "no_number"),
    ("3 o 4", "several_numbers"),
    ("3 or 4", "several_numbers"),
    ("3-4", "several_numbers"),
    ("3 - 4", "several_numbers"),
    ("3 4", "several_numbers"),
    ("3 0", "several_numbers"),
    ("3/4", "several_numbers"),
    ("1e5", "several_numbers"),
    ("3 mil 2 millones", "several_numbers"),
    ("3 mil mil", "several_numbers"),
    ("2 mil 1500", "several_numbers"),
    ("1.5 millones 300 mil", "several_numbers"),
    ("1,23,4", "malformed_grouping"),
    ("1,5,5", "malformed_grouping"),
    ("12,34,567", "malformed_grouping"),
    ("1.234,5.6", "malformed_grouping"),
    ("1,234.5,6", "malformed_grouping"),
    ("1 234.567,5", "malformed_grouping"),
    ("1 234,5 678", "malformed_grouping"),
    ("100 dólares", "other_currency"),
    ("US$100", "other_currency"),
    ("€ 20", "other_currency"),
    ("$12 %", "mixed_units"),
    ("12 personas", "unexpected_text"),
    ("unos 12", "unexpected_text"),
    ("--3", "unexpected_text"),
    ("3 +", "unexpected_text"),
    ("2m", "unexpected_text"),
    ("1" * 31, "too_long"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("text", "reason"), REFUSALS)
def test_what_is_not_one_number_is_refused_with_its_reason(text, reason, language):
    with pytest.raises(UnreadableQuantity) as refusal:
        read_quantity(text, language)
    assert refusal.value.reason == reason
    assert refusal.value.text == text


@pytest.mark.parametrize(
    ("text", "language"), [("2 billion", "es"), ("2 billones", "en"), ("1 billón", "en")]
)
def test_a_billion_in_the_other_language_is_ambiguous(text, language):
    with pytest.raises(UnreadableQuantity) as refusal:
        read_quantity(text, language)
    assert refusal.value.reason == "ambiguous"


def test_a_refusal_is_a_value_error():
    with pytest.raises(ValueError, match="several_numbers"):
        read_quantity("3 o 4", "es")


def test_an_unknown_language_reads_as_spanish():
    assert read_quantity("2 billones", "fr") == Decimal("2000000000000")


# Any value of up to twenty-one digits, up to six of them after the decimal mark.
DECIMALS = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places),
    st.integers(-(10**21), 10**21),
    st.integers(0, 6),
)
# The one shape the reading takes for a thousands group though a locale meant decimals.
THREE_DECIMALS_AFTER_A_SHORT_WHOLE = re.compile(r"-?[1-9][0-9]{0,2}[.,][0-9]{3}")


@pytest.mark.parametrize("locale", ["es_MX", "en", "es_ES", "fr_FR"])
@pytest.mark.parametrize("language", LANGUAGES)
@given(value=DECIMALS)
def test_a_number_as_a_locale_writes_it_reads_back_to_itself(value, language, locale):
    written = format_decimal(value, locale=locale, decimal_quantization=False)
    assume(not THREE_DECIMALS_AFTER_A_SHORT_WHOLE.fullmatch(written))
    assert read_quantity(written, language) == value


@pytest.mark.parametrize("language", LANGUAGES)
def test_three_decimals_after_a_short_whole_read_as_a_thousands_group(language):
    written = format_decimal(Decimal("1.234"), locale="es_MX")
    assert written == "1.234"
    assert read_quantity(written, language) == Decimal(1234)
