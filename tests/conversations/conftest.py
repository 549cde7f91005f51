"""A small definition that uses every question type, shared by the engine's tests."""

from datetime import date

import pytest

from conversations.definition import parse_definition
from conversations.engine.navigation import Engine
from tests.support.clock import noon_of


def choices(*ids):
    return [{"id": i, "label": {"es": f"Opción {i}", "en": f"Option {i}"}} for i in ids]


def text(es, en):
    return {"es": es, "en": en}


EVERY_TYPE = {
    "id": "every_type",
    "version": 1,
    "kind": "survey",
    "title": text("Todo", "Everything"),
    "description": text("Bienvenida", "Welcome"),
    "consent": {"version": "2026-01", "text": text("¿Aceptas?", "Do you agree?")},
    "anonymous": True,
    "respondent_attributes": ["sector"],
    "completion": text("¡Gracias!", "Thanks!"),
    "questions": [
        {"id": "attended", "type": "yes_no", "text": text("¿Asististe?", "Attended?")},
        {
            "id": "welcome",
            "type": "note",
            "text": text("Qué bien", "Great"),
            "relevant": "${attended} = 'yes'",
        },
        {
            "id": "age",
            "type": "integer",
            "text": text("Edad", "Age"),
            "min": 18,
            "max": 120,
            "relevant": "${attended} = 'yes'",
        },
        {
            "id": "pick",
            "type": "single_choice",
            "text": text("Uno", "One"),
            "choices": choices("a", "b"),
            "other": True,
        },
        {
            "id": "topics",
            "type": "multiple_choice",
            "text": text("Temas", "Topics"),
            "choices": choices("x", "y", "z"),
            "other": True,
            "max": 2,
        },
        {
            "id": "order",
            "type": "ranking",
            "text": text("Ordena", "Rank"),
            "choices": choices("p", "q", "r", "s"),
            "top": 2,
        },
        {
            "id": "score",
            "type": "rating",
            "text": text("Califica", "Rate"),
            "min_label": text("Mal", "Bad"),
            "max_label": text("Bien", "Good"),
        },
        {"id": "amount", "type": "decimal", "text": text("Monto", "Amount"), "min": 0},
        {"id": "double", "type": "calculate", "calculation": "${amount} * 2"},
        {"id": "name", "type": "text", "text": text("Nombre", "Name"), "max_length": 20},
        {"id": "story", "type": "long_answer", "text": text("Cuéntanos", "Tell us")},
        {"id": "day", "type": "date", "text": text("Fecha", "Date"), "min": "2026-01-01"},
        {"id": "mail", "type": "email", "text": text("Correo", "Email"), "required": False},
        {"id": "site", "type": "url", "text": text("Sitio", "Site"), "required": False},
        {"id": "phone", "type": "phone", "text": text("Teléfono", "Phone")},
        {
            "id": "photos",
            "type": "file",
            "text": text("Fotos", "Photos"),
            "kinds": ["photo"],
            "max": 2,
        },
        {"id": "where", "type": "location", "text": text("Dónde", "Where")},
        {
            "id": "even",
            "type": "integer",
            "text": text("Par", "Even"),
            "constraint": ". mod 2 = 0",
            "constraint_message": text("Debe ser par", "Must be even"),
        },
        {"id": "closing", "type": "note", "text": text("Fin", "The end")},
    ],
}


@pytest.fixture
def definition():
    return parse_definition(EVERY_TYPE, "every_type.yaml")


@pytest.fixture
def engine(definition):
    return Engine(definition, clock=noon_of(date(2026, 11, 24)))


def with_questions(*questions):
    """A definition of these questions."""
    return parse_definition(
        {"id": "hogar", "version": 1, "title": "Hogar", "questions": list(questions)}
    )


# A count from an earlier answer; and repeats until "no" to "Add another?", one in the other.
ROSTER = with_questions(
    {"id": "personas", "type": "integer", "text": "¿Cuántas personas viven aquí?"},
    {
        "id": "integrantes",
        "type": "repeat",
        "text": {"es": "Integrante", "en": "Member"},
        "repeat_count": "${personas}",
        "questions": [
            {"id": "nombre", "type": "text", "text": {"es": "Nombre", "en": "Name"}},
            {"id": "edad", "type": "integer", "text": {"es": "Edad de ${nombre}", "en": "Age"}},
            {
                "id": "escuela",
                "type": "yes_no",
                "text": "¿${nombre} va a la escuela?",
                "relevant": "${edad} < 18",
            },
        ],
    },
    {"id": "total", "type": "calculate", "calculation": "sum(${edad})"},
)

TRIPS = with_questions(
    {
        "id": "viajes",
        "type": "repeat",
        "text": "Viaje",
        "questions": [
            {"id": "destino", "type": "text", "text": "Destino"},
            {
                "id": "paradas",
                "type": "repeat",
                "text": "Parada en ${destino}",
                "questions": [{"id": "lugar", "type": "text", "text": "Lugar"}],
            },
        ],
    },
    {"id": "fin", "type": "text", "text": "Comentarios"},
)
