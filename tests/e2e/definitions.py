"""A survey with every question type the bot renders, for the end-to-end tests."""


def text(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


def choices(*pairs: tuple[str, str, str]) -> list[dict]:
    return [{"id": i, "label": text(es, en)} for i, es, en in pairs]


EVERY_TYPE = {
    "id": "e2e_every_type",
    "version": 1,
    "kind": "survey",
    "title": text("Encuesta completa", "Complete survey"),
    "description": text("Gracias por participar.", "Thanks for taking part."),
    "completion": text("¡Gracias por tus respuestas!", "Thank you for your answers!"),
    "questions": [
        {"id": "attended", "type": "yes_no", "text": text("¿Asististe?", "Did you attend?")},
        {
            "id": "pick",
            "type": "single_choice",
            "text": text("Elige una", "Pick one"),
            "choices": choices(("a", "Alfa", "Alpha"), ("b", "Beta", "Beta")),
        },
        {
            "id": "topics",
            "type": "multiple_choice",
            "text": text("Elige temas", "Pick topics"),
            "choices": choices(("x", "Equis", "Ex"), ("y", "Ye", "Why"), ("z", "Zeta", "Zed")),
            "max": 2,
        },
        {
            "id": "order",
            "type": "ranking",
            "text": text("Ordena", "Rank"),
            "choices": choices(("p", "Pe", "Pea"), ("q", "Cu", "Cue"), ("r", "Erre", "Are")),
        },
        {
            "id": "score",
            "type": "rating",
            "text": text("Califica", "Rate"),
            "min_label": text("Mal", "Bad"),
            "max_label": text("Bien", "Good"),
        },
        {"id": "age", "type": "integer", "text": text("Edad", "Age"), "min": 18, "max": 120},
        {"id": "amount", "type": "decimal", "text": text("Monto", "Amount")},
        {"id": "comment", "type": "text", "text": text("Comentario", "Comment"), "required": False},
        {"id": "story", "type": "long_answer", "text": text("Cuéntanos", "Tell us")},
        {"id": "day", "type": "date", "text": text("Fecha", "Date")},
        {"id": "mail", "type": "email", "text": text("Correo", "Email")},
        {"id": "site", "type": "url", "text": text("Sitio", "Site")},
        {"id": "phone", "type": "phone", "text": text("Teléfono", "Phone")},
        {
            "id": "photos",
            "type": "file",
            "text": text("Foto", "Photo"),
            "kinds": ["photo"],
            "max": 1,
        },
        {"id": "where", "type": "location", "text": text("¿Dónde?", "Where?")},
    ],
}


# One question, for campaigns: quick to answer, with results to count.
SHORT = {
    "id": "e2e_short",
    "version": 1,
    "kind": "survey",
    "title": text("Pregunta corta", "Short question"),
    "completion": text("¡Gracias!", "Thanks!"),
    "questions": [
        {
            "id": "pick",
            "type": "single_choice",
            "text": text("¿Qué priorizas?", "What do you prioritise?"),
            "choices": choices(("a", "Alfa", "Alpha"), ("b", "Beta", "Beta")),
        }
    ],
}


# Seven options to rank, the top three of them.
RANKING = {
    "id": "e2e_ranking",
    "version": 1,
    "kind": "survey",
    "title": text("Prioridades", "Priorities"),
    "completion": text("¡Gracias!", "Thanks!"),
    "questions": [
        {
            "id": "priorities",
            "type": "ranking",
            "text": text("Ordena los tres temas más urgentes", "Rank the three most urgent"),
            "choices": choices(
                ("a", "Compras", "Procurement"),
                ("b", "Obra pública", "Public works"),
                ("c", "Nómina", "Payroll"),
                ("d", "Trámites", "Paperwork"),
                ("e", "Denuncias", "Complaints"),
                ("f", "Datos abiertos", "Open data"),
                ("g", "Auditorías", "Audits"),
            ),
            "top": 3,
        },
        {"id": "why", "type": "text", "text": text("¿Por qué?", "Why?")},
    ],
}


# Choices with "other, specify", to go back over and to write the other option.
WITH_OTHER = {
    "id": "e2e_other",
    "version": 1,
    "kind": "survey",
    "title": text("Canales", "Channels"),
    "completion": text("¡Gracias!", "Thanks!"),
    "questions": [
        {
            "id": "channel",
            "type": "single_choice",
            "text": text("¿Cómo te enteraste?", "How did you hear of it?"),
            "choices": choices(("a", "Radio", "Radio"), ("b", "Prensa", "Press")),
            "other": True,
        },
        {
            "id": "topics",
            "type": "multiple_choice",
            "text": text("Elige temas", "Pick topics"),
            "choices": choices(("x", "Equis", "Ex"), ("y", "Ye", "Why")),
            "other": True,
        },
        {"id": "comment", "type": "text", "text": text("Comentario", "Comment")},
    ],
}


# Two legs of a trip, the same choice asked in each; then stops until "no" to "Add another?".
WITH_REPEATS = {
    "id": "e2e_repeats",
    "version": 1,
    "kind": "survey",
    "title": text("Viaje", "Trip"),
    "completion": text("¡Gracias!", "Thanks!"),
    "questions": [
        {
            "id": "legs",
            "type": "repeat",
            "text": text("Tramo", "Leg"),
            "repeat_count": 2,
            "questions": [
                {
                    "id": "mode",
                    "type": "single_choice",
                    "text": text("¿Cómo viajaste?", "How did you travel?"),
                    "choices": choices(("bus", "Autobús", "Bus"), ("car", "Auto", "Car")),
                }
            ],
        },
        {
            "id": "stops",
            "type": "repeat",
            "text": text("Parada", "Stop"),
            "questions": [
                {"id": "place", "type": "text", "text": text("¿Dónde paraste?", "Where?")}
            ],
        },
        {"id": "comment", "type": "text", "text": text("Comentario", "Comment")},
    ],
}
