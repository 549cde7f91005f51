"""Validation in chat, end to end through the emulator: votes, a question answered with a
document, the outcome, and refused buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.audit.actor import Actor
from core.models import (
    InformationRequest,
    Person,
    Role,
    Sector,
    ValidationAssignment,
    ValidationRequest,
    ValidationVote,
)
from core.people.people import create_person
from core.plans import tasks
from core.reporting import evidence, reports
from core.validation.clock import process_due
from core.validation.pool import NoValidatorAvailable
from core.validation.requests import request_validation
from emulator.client import SimulatedUser
from tests.e2e.conftest import buttons
from tests.support import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def reported(chat, ana_user, year: int = 2026) -> int:
    """Ana's task reported done; validation asked by a coordinator. The request's id."""
    secretariat_id = await chat.secretariat()
    async with chat.session_factory() as session, session.begin():
        ana = await session.scalar(select(Person).where(Person.telegram_id == ana_user.id))
        _plan, activity = await factories.plan_with_activity(session, secretariat_id, year)
        task = await tasks.add_task(
            session, secretariat_id, "t", activity.id, title="Informe", responsible_ids=[ana.id]
        )
        report = await reports.submit_report(
            session, ana, task.id, status="done", note="Entregado al comité"
        )
        coordinator = await create_person(
            session, secretariat_id, "t", roles={Role.COORDINATOR}, name="Coral"
        )
        request = await request_validation(
            session, secretariat_id, Actor.person(coordinator.id), report.id
        )
    assigned = await ana_user.next_message()  # the task was assigned to her
    assert assigned["text"].startswith("Ahora eres responsable de la tarea")
    return request.id


async def set_sector(chat, user, sector: Sector) -> None:
    async with chat.session_factory() as session, session.begin():
        person = await session.scalar(select(Person).where(Person.telegram_id == user.id))
        person.sector = sector


VALIDATORS = (("Olga", Sector.OSC), ("Alma", Sector.ACADEMIA), ("Beto", Sector.BUSINESS))


async def join_validators(chat, *more: tuple[str, Sector]) -> dict[str, SimulatedUser]:
    """Olga, Alma and Beto (and ``more``), of civil society, each of their sector, joined."""
    validators = {}
    for name, sector in (*VALIDATORS, *more):
        validators[name] = await chat.join(name, role=Role.CIVIL_SOCIETY, sector=sector)
        await set_sector(chat, validators[name], sector)
    return validators


async def test_two_confirm_one_asks_the_reporter_adds_a_document_and_it_is_validated(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        validators = await join_validators(chat)
        request_id = await reported(chat, ana)

        prompts = {name: await user.next_message() for name, user in validators.items()}
        for prompt in prompts.values():
            assert "Informe" in prompt["text"] and "Entregado al comité" in prompt["text"]
            assert buttons(prompt)[:3] == ["Confirmo", "No confirmo", "Necesito más información"]

        # Someone else's button, forged into Ana's chat, is refused and changes nothing.
        olga_data = prompts["Olga"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        chat.forge_press(ana, prompts["Olga"], olga_data)
        refused = await ana.next_event(kinds=("callback_answer",))
        assert refused["answer"]["text"] == "No puedes validar tu propio reporte."
        chat.forge_press(validators["Alma"], prompts["Alma"], olga_data)
        refused = await validators["Alma"].next_event(kinds=("callback_answer",))
        assert refused["answer"]["text"] == "No se te pidió validar este reporte."

        acknowledgements = {}
        for name in ("Olga", "Alma"):
            await validators[name].press(prompts[name], "Confirmo")
            acknowledgements[name] = await validators[name].next_message()
            assert "Confirmo" in acknowledgements[name]["text"]
        await validators["Olga"].send("Estuve en la sesión", reply_to=acknowledgements["Olga"])
        saved = await validators["Olga"].next_message()
        assert "comentario" in saved["text"]
        # A command sent in reply is the command, not a comment.
        await validators["Alma"].send("/encuestas", reply_to=acknowledgements["Alma"])
        listing = await validators["Alma"].next_message()
        assert "No tienes encuestas ni entrevistas pendientes" in listing["text"]

        beto = validators["Beto"]
        await beto.press(prompts["Beto"], "Necesito más información")
        acknowledged = await beto.next_message()
        await beto.send("¿Dónde está el acta firmada?", reply_to=acknowledged)
        await beto.next_message()

        asked = await ana.next_message()  # one message, holding the question
        assert "más información" in asked["text"]
        assert "¿Dónde está el acta firmada?" in asked["text"]
        await ana.upload_document(PDF, "acta.pdf", "application/pdf", reply_to=asked)
        thanks = await ana.next_message()
        assert "se agregó al reporte" in thanks["text"]

        again = await beto.next_message()
        assert "agregó información" in again["text"]
        await beto.press(again, "Confirmo")
        await beto.next_message()
        outcome = await ana.next_message(timeout=15)
        assert "validada" in outcome["text"]

        # Closed: a late change is refused with a message.
        await validators["Alma"].press(prompts["Alma"], "No confirmo")
        late = await validators["Alma"].next_event(kinds=("callback_answer",))
        assert late["answer"]["text"] == "Esta solicitud de validación ya está cerrada."
    async with chat.session_factory() as session:
        request = await session.get(ValidationRequest, request_id)
        assert request.state == "validated"


async def test_a_button_asking_for_a_text_takes_the_next_message_and_the_survey_goes_on(chat):
    """Many people never use Telegram's "reply": after "Necesito más información" or "Responder"
    the next message is the text asked for, even with a survey under way, which then goes on."""
    async with chat.running():
        ana = await chat.join("Ana")
        validators = {}
        for name, sector in (("Olga", Sector.OSC), ("Alma", Sector.ACADEMIA),
                             ("Beto", Sector.BUSINESS)):  # fmt: skip
            validators[name] = await chat.join(name, role=Role.CIVIL_SOCIETY, sector=sector)
            await set_sector(chat, validators[name], sector)
        beto, olga = validators["Beto"], validators["Olga"]
        await chat.launch(person_ids=frozenset({(await chat.person(beto)).id}))
        await beto.press(await beto.next_message(), "Empezar")
        assert "¿Asististe?" in (await beto.next_message())["text"]
        await reported(chat, ana)
        prompts = {name: await user.next_message() for name, user in validators.items()}

        await beto.press(prompts["Beto"], "Necesito más información")
        assert "Escribe ahora qué información necesitas" in (await beto.next_message())["text"]
        await beto.send("¿Quién firmó el acta?")  # no reply: the survey does not take it
        passed_on = "Tu pregunta se le hizo llegar a la persona que reportó."
        assert (await beto.next_message())["text"] == passed_on
        again = await beto.next_message()
        assert "¿Asististe?" in again["text"] and buttons(again) == ["Sí", "No"]

        question = await ana.next_message()
        while "¿Quién firmó el acta?" not in question["text"]:
            question = await ana.next_message()
        assert buttons(question) == ["Responder"]
        await ana.send("Lo firmó la directora")  # typed without tapping "Responder"
        hint = await ana.next_message()
        assert "Un validador espera tu respuesta a: «¿Quién firmó el acta?»" in hint["text"]
        await ana.press(hint, "Responder")
        assert "Escribe ahora tu respuesta" in (await ana.next_message())["text"]
        await ana.send("Lo firmó la directora")
        assert "se agregó al reporte" in (await ana.next_message())["text"]

        await olga.press(prompts["Olga"], "Confirmo")
        acknowledged = await olga.next_message()
        assert buttons(acknowledged)[-1] == "Sin comentario"
        await olga.press(acknowledged, "Sin comentario")
        await olga.next_event(kinds=("edit",))  # the button goes
        await olga.send("hola")  # not a comment any more
        assert "No tienes ninguna encuesta en curso" in (await olga.next_message())["text"]
    async with chat.session_factory() as session:
        vote = await session.scalar(
            select(ValidationVote)
            .join(ValidationAssignment)
            .where(ValidationAssignment.person_id == (await chat.person(olga)).id)
        )
        answered = await session.scalar(select(InformationRequest))
    assert vote.choice == "confirm" and vote.comment is None
    assert answered.question == "¿Quién firmó el acta?"
    assert answered.answer == "Lo firmó la directora"


async def test_disputes_outnumbering_confirmations_make_it_disputed(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        validators = await join_validators(chat)
        request_id = await reported(chat, ana)
        prompts = {name: await user.next_message() for name, user in validators.items()}
        await validators["Olga"].press(prompts["Olga"], "Confirmo")
        acknowledged = await validators["Olga"].next_message()
        # A change of mind, from the acknowledgement's buttons.
        await validators["Olga"].press(acknowledged, "No confirmo")
        await validators["Olga"].next_message()
        await validators["Alma"].press(prompts["Alma"], "No confirmo")
        await validators["Alma"].next_message()
        await validators["Beto"].press(prompts["Beto"], "Confirmo")
        await validators["Beto"].next_message()
        outcome = await ana.next_message(timeout=15)
        assert "impugnada" in outcome["text"]
        assert "no confirmaron: 2" in outcome["text"]
    async with chat.session_factory() as session:
        assert (await session.get(ValidationRequest, request_id)).state == "disputed"


async def test_a_silent_validator_is_replaced_reminded_and_the_request_expires(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        validators = await join_validators(chat, ("Oscar", Sector.OSC))
        request_id = await reported(chat, ana)
        async with chat.session_factory() as session:
            request = await session.get(ValidationRequest, request_id)
            asked_at, deadline = request.created_at, request.deadline
        asked = {}
        for name in ("Olga", "Alma", "Beto"):  # one per sector; Oscar waits
            asked[name] = await validators[name].next_message()
        await validators["Alma"].press(asked["Alma"], "Confirmo")
        await validators["Alma"].next_message()
        await validators["Beto"].press(asked["Beto"], "Necesito más información")
        acknowledged = await validators["Beto"].next_message()
        await validators["Beto"].send("¿Hay fotos de la sesión?", reply_to=acknowledged)
        await validators["Beto"].next_message()
        assert "¿Hay fotos de la sesión?" in (await ana.next_message())["text"]

        # Olga stays silent past the reply time: Oscar is asked in her place.
        async with chat.session_factory() as session, session.begin():
            await process_due(session, asked_at + timedelta(days=3, minutes=1))
        replacement = await validators["Oscar"].next_message()
        assert buttons(replacement)[0] == "Confirmo"
        await validators["Olga"].press(asked["Olga"], "Confirmo")
        gone = await validators["Olga"].next_event(kinds=("callback_answer",))
        assert gone["answer"]["text"] == "Ya no se te pide validar este reporte."

        # Two days before the deadline Oscar is reminded (not Beto, who awaits an answer); at the
        # deadline one confirmation is short of the quorum: expired.
        async with chat.session_factory() as session, session.begin():
            await process_due(session, deadline - timedelta(days=1))
        reminder = await validators["Oscar"].next_message()
        assert "Recordatorio" in reminder["text"]
        async with chat.session_factory() as session, session.begin():
            await process_due(session, deadline)
        outcome = await ana.next_message(timeout=15)
        assert "vencida" in outcome["text"] and "Confirmaron: 1" in outcome["text"]
    beto_saw = [message.get("text") or "" for message in await validators["Beto"].messages()]
    assert not any("Recordatorio" in text for text in beto_saw)


async def test_a_validator_pauses_and_resumes_in_chat(chat):
    async with chat.running():
        ana = await chat.join("Ana")
        olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        # A second sector, so that the default policy's quorum can be reached.
        await chat.join("Alma", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        await olga.send("/pausar_validaciones")
        paused = await olga.next_message()
        assert "/reanudar_validaciones" in paused["text"]
        with pytest.raises(NoValidatorAvailable):
            await reported(chat, ana)
        await ana.send("/pausar_validaciones")
        refused = await ana.next_message()
        assert refused["text"] == "Solo las personas de la sociedad civil validan reportes."
        await olga.send("/reanudar_validaciones")
        assert "de nuevo" in (await olga.next_message())["text"]
        await reported(chat, ana, year=2027)
        prompt = await olga.next_message()
        assert "/pausar_validaciones" in prompt["text"]


async def test_the_evidence_is_sent_from_the_stored_copy(chat, tmp_path):
    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    kept = evidence.store(chat.settings.evidence_dir, PDF, max_bytes=10**6, filename="acta.pdf")
    async with chat.running():
        ana = await chat.join("Ana")
        olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        # A second sector, so that the default policy's quorum can be reached.
        await chat.join("Alma", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        secretariat_id = await chat.secretariat()
        async with chat.session_factory() as session, session.begin():
            person = await session.scalar(select(Person).where(Person.telegram_id == ana.id))
            _plan, activity = await factories.plan_with_activity(session, secretariat_id)
            task = await tasks.add_task(
                session, secretariat_id, "t", activity.id, title="Acta", responsible_ids=[person.id]
            )
            report = await reports.submit_report(
                session, person, task.id, status="done",
                evidence=[
                    reports.EvidenceItem(
                        "document", kept.sha256, "a-file-id", kept.name, caption="Acta"
                    ),
                    reports.EvidenceItem("link", "f" * 64, url="https://ejemplo.mx/minuta"),
                ],
            )  # fmt: skip
            await request_validation(session, secretariat_id, "t", report.id)
        prompt = await olga.next_message()
        assert "https://ejemplo.mx/minuta" in prompt["text"]
        await olga.press(prompt, "Ver evidencia")
        document = await olga.next_message()
        assert await chat.client.file(document["document"]["file_id"]) == PDF
        assert document["caption"] == "Acta"
        link = await olga.next_message()
        assert link["text"] == "https://ejemplo.mx/minuta"
        # A stored copy that is gone is named, and the rest still arrives.
        evidence.path_of(chat.settings.evidence_dir, kept.name).unlink()
        await olga.press(prompt, "Ver evidencia")
        assert (await olga.next_message())["text"] == "No se pudo enviar una de las evidencias."
        assert (await olga.next_message())["text"] == "https://ejemplo.mx/minuta"
