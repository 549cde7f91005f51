"""/mis_datos shows what is held; /borrar_mis_datos erases it after a confirmation."""

from __future__ import annotations

import re

from sqlalchemy import select

from conversations.definition import Definition
from core.models import Person, ResponseSession, ResponseStatus
from tests.e2e.conftest import buttons
from tests.e2e.definitions import EVERY_TYPE
from tests.support import privacy_scenario

ANONYMOUS = {
    **EVERY_TYPE,
    "id": "e2e_anonymous",
    "anonymous": True,
    "respondent_attributes": ["sector"],
    "questions": [EVERY_TYPE["questions"][0]],
}


async def test_my_data_lists_what_is_held(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await ana.send("/mis_datos")
        data = (await ana.next_message())["text"]
    assert "Nombre: Ana Pérez" in data
    assert "personal de la secretaría" in data
    assert f"versión {chat.settings.privacy_notice_version}" in data
    assert "Respuestas vinculadas a ti: 0 terminadas, 0 en curso." in data
    assert "Zona horaria: hora central" in data
    # Times as the rest of the chat writes them: "5 de diciembre de 2026, 7:48 p.m.".
    registered = next(line for line in data.splitlines() if line.startswith("Registro: "))
    assert re.fullmatch(
        r"Registro: \d{1,2} de \w+ de \d{4}, \d{1,2}:\d{2}\s[ap]\.\s?m\.", registered
    )


async def test_my_data_counts_answers_in_the_singular_too(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch("e2e_short")
        invitation = await ana.next_message()
        await ana.press(invitation, "Empezar")
        await ana.press(await ana.next_message(), "1. Alfa")
        await ana.next_message()  # thanks
        await ana.send("/mis_datos")
        data = (await ana.next_message())["text"]
    assert "Respuestas vinculadas a ti: 1 terminada, 0 en curso." in data


async def test_my_data_lists_answers_reports_and_votes(chat):
    scenario = await privacy_scenario.run(chat)
    ana, olga = scenario.my_data["ana"], scenario.my_data["olga"]
    assert "Respuestas vinculadas a ti: 3 terminadas, 0 en curso." in ana
    assert "• «Opinión»: 1 terminada (la última el " in ana
    assert "• «Ausencia»: 1 terminada (la última el " in ana
    assert "• «Reporte de avance»: 1 terminada (la última el " in ana
    assert "2 reportes de avance." in ana
    assert "• 1.1.2 «Oficio al comité» — bloqueada, 0% — " in ana
    assert "0 votos de validación." in ana
    assert "1 voto de validación." in olga
    assert "• 1.1.1 «Acta de entrega» — Confirmo — " in olga


async def test_erasure_after_confirmation_keeps_anonymous_answers_unlinked(chat):
    chat.catalog.definitions["e2e_anonymous"] = Definition.model_validate(ANONYMOUS)
    async with chat.running():
        ana = await chat.join("Ana")
        await chat.launch("e2e_anonymous")
        invitation = await ana.next_message()
        await ana.press(invitation, "Empezar")
        await ana.press(await ana.next_message(), "Sí")
        await ana.next_message()  # thanks
        await chat.launch()
        invitation = await ana.next_message()
        await ana.press(invitation, "Empezar")
        await ana.press(await ana.next_message(), "No")  # a named survey, under way
        await ana.next_message()

        await ana.send("/borrar_mis_datos")
        confirm = await ana.next_message()
        await ana.press(confirm, "No, conservarlos")
        assert (await ana.next_event(kinds=("edit",)))["message"]["text"] == "No se borró nada."
        assert "Atrás" in buttons(await ana.next_message())  # the survey goes on
        assert (await chat.person(ana)) is not None

        await ana.send("/borrar_mis_datos")
        confirm = await ana.next_message()
        assert buttons(confirm) == ["Sí, borrar mis datos", "No, conservarlos"]
        await ana.press(confirm, "Sí, borrar mis datos")
        erased = await ana.next_event(kinds=("edit",))
        assert "fueron borrados" in erased["message"]["text"]
        await ana.send("/mis_datos")
        assert "personas registradas" in (await ana.next_message())["text"]

    assert await chat.person(ana) is None
    async with chat.session_factory() as session:
        person = (await session.scalars(select(Person))).one()
        assert person.erased_at is not None
        assert (person.name, person.telegram_id, person.consent_version) == (None, None, None)
        kept = (await session.scalars(select(ResponseSession))).all()
    # The anonymous answer stays, unlinked; the named survey under way is gone.
    assert [(r.definition_id, r.person_id, r.status) for r in kept] == [
        ("e2e_anonymous", None, ResponseStatus.COMPLETED)
    ]
    assert kept[0].answers == {"attended": "yes"}
