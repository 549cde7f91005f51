"""Reading typed answers in the person's language."""

from datetime import date

import pytest

from conversations.answers import (
    Refused,
    match_choice,
    normalize,
    read_date,
    read_email,
    read_location,
    read_number,
    read_phone,
    read_url,
    read_yes_no,
    split_list,
)

TODAY = date(2026, 11, 24)
CHOICES = [
    ("osc", "Organización de la sociedad civil"),
    ("academia", "Academia"),
    ("media", "Medios"),
]


@pytest.mark.parametrize(
    "text", ["sí", "si", "SI", "Sí.", "yes", "Y", "claro", "Sí, acepto", "de acuerdo"]
)
def test_yes(text):
    assert read_yes_no(text, "es") == "yes"


@pytest.mark.parametrize("text", ["no", "NO", "No, gracias", "n", "no acepto"])
def test_no(text):
    assert read_yes_no(text, "en") == "no"


def test_neither_yes_nor_no_is_refused_in_the_language():
    with pytest.raises(Refused, match=r"Por favor responde sí o no\."):
        read_yes_no("quizá", "es")


def test_normalize_ignores_case_accents_and_punctuation():
    assert normalize("  ¡EDUCACIÓN!  ") == "educacion"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("academia", "academia"),
        ("2", "academia"),
        ("MEDIOS", "media"),
        ("organizacion", "osc"),
        ("4", None),
        ("ciencia", None),
        ("", None),
    ],
)
def test_choices_by_id_number_or_label(text, expected):
    assert match_choice(text, CHOICES) == expected


def test_lists():
    assert split_list("1, 3 y 4") == ["1", "3", "4"]
    assert split_list("2 3") == ["2", "3"]
    assert split_list("salud; educación") == ["salud", "educación"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("1.5", "es", 1.5),
        ("1,5", "es", 1.5),
        ("1,500", "es", 1500),
        ("1,500.25", "es", 1500.25),
        ("-0,25", "en", -0.25),
        ("  42 ", "en", 42),
        ("1 500", "es", 1500),
        ("1.234,5", "es", 1234.5),
        ("40 %", "es", 40),
        ("3 mil", "es", 3000),
        ("$1,500 M.N.", "es", 1500),
        ("2.5 million", "en", 2_500_000),
    ],
)
def test_decimals(text, language, expected):
    assert read_number(text, language, integer=False) == expected


@pytest.mark.parametrize("text", ["abc", "NaN", "Infinity", "1e999", "", "1,5,5"])
def test_not_numbers(text):
    with pytest.raises(Refused):
        read_number(text, "es", integer=False)


@pytest.mark.parametrize(
    ("text", "language", "message"),
    [
        ("3 o 4", "es", "Por favor responde con un solo número."),
        ("3-4", "en", "Please answer with one number."),
        ("100 dólares", "es", "Por favor escribe la cantidad en pesos."),
        ("mucho", "es", "Por favor responde con un número."),
    ],
)
def test_what_is_not_one_number_is_said(text, language, message):
    with pytest.raises(Refused) as refused:
        read_number(text, language, integer=False)
    assert str(refused.value) == message


def test_integers():
    assert read_number("1,200", "es", integer=True) == 1200
    with pytest.raises(Refused, match="entero"):
        read_number("1.5", "es", integer=True)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("15/03/2026", "es", date(2026, 3, 15)),
        ("15-03-26", "es", date(2026, 3, 15)),
        ("3/15/2026", "en", date(2026, 3, 15)),
        ("15 de marzo", "es", date(2026, 3, 15)),
        ("15 de marzo de 2026", "es", date(2026, 3, 15)),
        ("2026-03-15", "en", date(2026, 3, 15)),
        ("March 15, 2026", "en", date(2026, 3, 15)),
        ("15 MARZO 2025", "en", date(2025, 3, 15)),
        ("1 de sept 2026", "es", date(2026, 9, 1)),
        ("hoy", "es", TODAY),
        ("ayer", "es", date(2026, 11, 23)),
    ],
)
def test_dates(text, language, expected):
    assert read_date(text, language, TODAY) == expected


@pytest.mark.parametrize(
    "text", ["31/02/2026", "3/15/2026", "marzo", "el lunes", "15 de marzo de 20261"]
)
def test_not_dates(text):
    with pytest.raises(Refused):
        read_date(text, "es", TODAY)


def test_contacts():
    assert read_email(" Ana.Perez@SESEA.Gob.MX ", "es") == "Ana.Perez@sesea.gob.mx"
    assert read_url("www.sesea.gob.mx/plan", "es") == "https://www.sesea.gob.mx/plan"
    assert read_url("http://example.org", "es") == "http://example.org"
    for text in ["55 1234 5678", "(55) 1234-5678", "+52 55 1234 5678", "+52 1 55 1234 5678"]:
        assert read_phone(text, "es") == "+525512345678"
    assert read_phone("+1 202 555 0100", "en") == "+12025550100"
    assert read_location("19.43, -99.13", "es") == (19.43, -99.13)
    for reader, text in [
        (read_email, "ana@"),
        (read_url, "javascript:alert(1)"),
        (read_url, "not a url"),
        (read_url, "http://[::1"),
        (read_phone, "12345"),
        (read_location, "91, 0"),
    ]:
        with pytest.raises(Refused):
            reader(text, "es")
