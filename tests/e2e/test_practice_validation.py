"""Good practices validated by civil society in chat, end to end through the emulator: the
request a submission sends, a question the coordinators answer, the outcome that validates a
practice or sends it back to draft, and a withdrawal that closes the request."""

from __future__ import annotations

from sqlalchemy import select

from core.audit.actor import Actor
from core.models import (
    AuditEvent,
    Person,
    Practice,
    PracticeState,
    Role,
    Sector,
    ValidationRequest,
)
from core.practices import practices
from core.public.practices import practice_page
from emulator.client import SimulatedUser
from tests.e2e.conftest import buttons
from tests.e2e.test_validation import join_validators
from tests.support.practices import COMPLETE

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


async def submitted(chat, coordinator: SimulatedUser) -> int:
    """The coordinator's secretariat writes a practice and submits it; its id."""
    secretariat_id = await chat.secretariat()
    async with chat.session_factory() as session, session.begin():
        person = await session.scalar(select(Person).where(Person.telegram_id == coordinator.id))
        actor = Actor.person(person.id)
        practice = await practices.create_practice(session, secretariat_id, actor, **COMPLETE)
        await practices.submit(session, secretariat_id, actor, practice.id, 1)
    return practice.id


async def state_of(chat, practice_id: int) -> PracticeState:
    async with chat.session_factory() as session:
        practice = await session.get_one(Practice, practice_id)
        return practice.state


async def test_validators_confirm_a_practice_after_the_coordinator_answers_a_question(chat):
    async with chat.running():
        coral = await chat.join("Coral", role=Role.COORDINATOR)
        validators = await join_validators(chat)
        practice_id = await submitted(chat, coral)

        prompts = {name: await user.next_message() for name, user in validators.items()}
        for prompt in prompts.values():
            assert COMPLETE["title"] in prompt["text"]
            assert "Problema que atiende: Las licitaciones" in prompt["text"]
            assert "prioridad 22 de la Política Nacional Anticorrupción" in prompt["text"]
            assert buttons(prompt)[:3] == ["Confirmo", "No confirmo", "Necesito más información"]

        # Olga confirms and lets her comment appear on the practice's page, without her name.
        olga = validators["Olga"]
        await olga.press(prompts["Olga"], "Confirmo")
        confirmed = await olga.next_message()
        await olga.send("Vi los testimonios publicados.", reply_to=confirmed)
        may_we = await olga.next_message()
        assert "en la página pública de la práctica, sin tu nombre?" in may_we["text"]
        await olga.press(may_we, "Sí")
        agreed = await olga.next_message()
        assert "aparecerá en la página pública de la práctica" in agreed["text"]

        beto = validators["Beto"]
        await beto.press(prompts["Beto"], "Necesito más información")
        acknowledged = await beto.next_message()
        await beto.send("¿Cuántas licitaciones hubo?", reply_to=acknowledged)
        passed_on = await beto.next_message()
        assert "se les hizo llegar a quienes coordinan la secretaría" in passed_on["text"]

        asked = await coral.next_message()
        assert "buena práctica" in asked["text"]
        assert "¿Cuántas licitaciones hubo?" in asked["text"]
        # A photo is no answer about a practice: refused in words, and nothing is kept.
        await coral.upload_photo(PNG, reply_to=asked)
        refused = await coral.next_message()
        assert "Responde con palabras" in refused["text"]
        await coral.send("Cuarenta y dos, todas con testigo social.", reply_to=asked)
        thanks = await coral.next_message()
        assert "leyeron tu respuesta" in thanks["text"]

        again = await beto.next_message()
        assert "La secretaría agregó información" in again["text"]
        assert "Cuarenta y dos" in again["text"]
        assert await state_of(chat, practice_id) == PracticeState.SUBMITTED
        alma = validators["Alma"]
        assert "La secretaría agregó información" in (await alma.next_message())["text"]
        for user, prompt in ((alma, prompts["Alma"]), (beto, again)):
            await user.press(prompt, "Confirmo")
            await user.next_message()
        outcome = await coral.next_message(timeout=15)
        assert "buena práctica" in outcome["text"] and "validada" in outcome["text"]

        # A validator's own data lists the vote by the practice it was about.
        await alma.send("/mis_datos")
        mine = await alma.next_message(timeout=15)
        while "voto de validación" not in mine["text"]:  # what was still on its way
            mine = await alma.next_message(timeout=15)
        assert f"«{COMPLETE['title']}» — Confirmo" in mine["text"]

    assert await state_of(chat, practice_id) == PracticeState.VALIDATED
    async with chat.session_factory() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_type == "practice", AuditEvent.entity_id == practice_id)
                .order_by(AuditEvent.seq)
            )
        )
    assert actions == ["practice.create", "practice.submitted", "practice.validated"]
    async with chat.session_factory() as session, session.begin():
        practice = await session.get_one(Practice, practice_id)
        await practices.publish(
            session, practice.secretariat_id, "t", practice_id, practice.version
        )
    async with chat.session_factory() as session:
        page = await practice_page(session, practice_id)
    assert page is not None and page.validation is not None
    assert [vote.comment for vote in page.validation.votes if vote.comment] == [
        "Vi los testimonios publicados."
    ]


async def test_a_disputed_practice_goes_back_to_draft_and_an_english_validator_reads_english(
    chat,
):
    async with chat.running():
        coral = await chat.join("Coral", role=Role.COORDINATOR)
        olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        june = await chat.join("June", "en", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        practice_id = await submitted(chat, coral)

        asked_olga, asked_june = await olga.next_message(), await june.next_message()
        assert "Did this really happen, with the results it describes?" in asked_june["text"]
        assert buttons(asked_june)[:2] == ["I confirm", "I do not confirm"]
        await olga.press(asked_olga, "No confirmo")
        await olga.next_message()
        await june.press(asked_june, "I do not confirm")
        closed = await june.next_message()
        assert "the good practice" in closed["text"] and "disputed" in closed["text"]
        told = await coral.next_message(timeout=15)
        assert "impugnada" in told["text"]

    assert await state_of(chat, practice_id) == PracticeState.DRAFT
    async with chat.session_factory() as session, session.begin():
        practice = await session.get_one(Practice, practice_id)
        assert practice.submitted_at is None
        # Back to draft, it is edited and submitted again: a new request asks anew.
        edited = await practices.update_practice(
            session, practice.secretariat_id, "t", practice_id, version=practice.version,
            results="El 95 % de las licitaciones contó con testigo social.",
        )  # fmt: skip
        await practices.submit(session, practice.secretariat_id, "t", practice_id, edited.version)
        requests = list(
            await session.scalars(
                select(ValidationRequest.state).where(ValidationRequest.practice_id == practice_id)
            )
        )
    assert sorted(requests) == ["disputed", "open"]


async def test_withdrawing_a_practice_closes_its_request_and_its_buttons(chat):
    async with chat.running():
        coral = await chat.join("Coral", role=Role.COORDINATOR)
        olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        # A second sector: with Olga alone the policy could never be met, and nobody is asked.
        await chat.join("June", "en", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        practice_id = await submitted(chat, coral)
        prompt = await olga.next_message()
        async with chat.session_factory() as session, session.begin():
            practice = await session.get_one(Practice, practice_id)
            await practices.withdraw(
                session, practice.secretariat_id, "t", practice_id, practice.version
            )
        await olga.press(prompt, "Confirmo")
        late = await olga.next_event(kinds=("callback_answer",))
        assert late["answer"]["text"] == "Esta solicitud de validación ya está cerrada."

    async with chat.session_factory() as session:
        request = await session.scalar(
            select(ValidationRequest).where(ValidationRequest.practice_id == practice_id)
        )
        assert request.state == "expired" and request.closed_at is not None
    assert await state_of(chat, practice_id) == PracticeState.WITHDRAWN
