"""Validation of reports by civil society: selection, voting, the information loop, outcomes."""

import asyncio
import contextlib
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, inspect, select

from core.buttons import VoteButton
from core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from core.models import (
    AssignmentState,
    AuditEvent,
    Evidence,
    EvidenceKind,
    Notification,
    ValidationRequest,
    ValidationState,
    ValidationVote,
    utcnow,
)
from core.notify.quiet_hours import QuietHours
from core.reporting import reports
from core.validation.clock import process_due, run_clock
from core.validation.information import answer_information, open_questions
from core.validation.policy import set_policy
from core.validation.pool import NoValidatorAvailable, pause_validator
from core.validation.queries import plan_task_states
from core.validation.requests import request_validation
from core.validation.votes import cast_vote, comment_vote, press
from tests.core import validation_world
from tests.core.validation_world import asked, messages_to


@pytest.fixture
async def world(session):
    return await validation_world.build(session)


async def fresh(session, row):
    """``row`` loaded again: a refused operation rolls back and expires what the session held."""
    return await session.get(type(row), inspect(row).identity, populate_existing=True)


async def vote(session, person, assignment, choice, **extra):
    async with session.begin():
        person = await fresh(session, person)
        assignment_id = inspect(assignment).identity[0]
        return await cast_vote(session, person, assignment_id, choice, **extra)


async def state_of(session, request_id):
    async with session.begin():
        request = await session.get(ValidationRequest, request_id, populate_existing=True)
        return request.state


async def test_validators_are_spread_over_sectors_and_never_the_reporters_side(session, world):
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
    # Three sectors among the four people who may be asked: not Ana's colleague Eva, not
    # Fede (paused), not Gil (another secretariat).
    assert set(chosen) == {"olga", "alma", "beto"}
    assert {a.sector for a in chosen.values()} == {"osc", "academia", "business"}


async def test_the_least_recently_asked_go_first(session, world):
    first = await validation_world.request(session, world)
    async with session.begin():
        await set_policy(session, world.secretariat_id, "t", world.plan_id,
                                    validators_per_request=1, min_confirmations=1,
                                    min_sectors=1)  # fmt: skip
        # Close the first request so the report can be asked about again.
        await process_due(session, first.deadline)
    second = await validation_world.request(session, world, now=first.deadline)
    async with session.begin():
        # Oscar was never asked: he goes before everyone asked the first time.
        assert set(await asked(session, second.id)) == {"oscar"}


async def test_the_request_tells_validators_what_was_reported_with_buttons(session, world):
    request = await validation_world.request(session, world)
    async with session.begin():
        (message,) = await messages_to(session, world.validators["olga"], "validation_request")
        assignment = (await asked(session, request.id))["olga"]
    assert "Ana" in message.text and "Informe" in message.text and "Plan anual" in message.text
    assert "Entregado al comité" in message.text and "https://ejemplo.mx/acta" in message.text
    buttons = [b for row in message.markup["inline_keyboard"] for b in row]
    assert [b["text"] for b in buttons[:3]] == [
        "Confirmo",
        "No confirmo",
        "Necesito más información",
    ]
    assert buttons[0]["callback_data"] == f"val:{assignment.id}:confirm"
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons)
    async with session.begin():
        pressed = await press(
            session, world.validators["olga"], VoteButton(assignment.id, "evidence")
        )
    assert [(item.kind, item.stored_name, item.url) for item in pressed.evidence] == [
        ("photo", "a" * 64 + ".jpg", None),
        ("document", "b" * 64 + ".pdf", None),
        ("link", None, "https://ejemplo.mx/acta"),
    ]


async def test_every_refusal_is_precise_and_changes_nothing(session, world):
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
    deadline, olgas = request.deadline, chosen["olga"].id
    olga, oscar, gil = (world.validators[name] for name in ("olga", "oscar", "gil"))
    refusals = [
        (olga, 999_999, "confirm", NotFound, "This validation request does not exist."),
        (oscar, olgas, "confirm", PermissionDenied,
         "You were not asked to validate this report."),
        (gil, olgas, "confirm", PermissionDenied,
         "This report belongs to another secretariat."),
        (world.reporter, olgas, "confirm", PermissionDenied,
         "You cannot validate your own report."),
        (olga, olgas, "approve", InvalidInput, "Unknown answer {choice}."),
    ]  # fmt: skip
    for person, assignment_id, choice, error, message in refusals:
        with pytest.raises(error) as caught:
            async with session.begin():
                person = await fresh(session, person)
                await cast_vote(session, person, assignment_id, choice)
        assert caught.value.message == message
    await vote(session, olga, chosen["olga"], "confirm")
    with pytest.raises(Conflict, match="already gave that answer"):
        await vote(session, olga, chosen["olga"], "confirm")
    async with session.begin():
        assert await session.scalar(select(func.count()).select_from(ValidationVote)) == 1
    # Closing it: after that, no vote or change is taken.
    async with session.begin():
        await process_due(session, deadline)
    with pytest.raises(Conflict, match="already closed"):
        await vote(session, olga, chosen["olga"], "dispute")
    async with session.begin():
        only = await session.scalar(select(ValidationVote))
        assert (only.choice, only.changes) == ("confirm", 0)


async def test_a_vote_can_change_until_closing_and_each_change_is_audited(session, world):
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
    olga = world.validators["olga"]
    await vote(session, olga, chosen["olga"], "dispute")
    await vote(session, olga, chosen["olga"], "confirm", comment="Lo vi en la sesión")
    async with session.begin():
        await comment_vote(session, olga, chosen["olga"].id, voice_file_id="voice-1")
    async with session.begin():
        changed = await session.scalar(select(ValidationVote))
        assert (changed.choice, changed.changes, changed.voice_file_id) == ("confirm", 1, "voice-1")
        actions = (
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity_type == "validation_vote")
                .order_by(AuditEvent.seq)
            )
        ).all()
        assert actions == ["validation.vote", "validation.vote_change", "validation.comment"]


async def test_two_sectors_confirm_and_the_third_asks_for_more_then_validated(session, world):
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
    olga, alma, beto = (world.validators[name] for name in ("olga", "alma", "beto"))
    await vote(session, olga, chosen["olga"], "confirm")
    await vote(session, alma, chosen["alma"], "confirm")
    await vote(session, beto, chosen["beto"], "needs_info")
    async with session.begin():
        await comment_vote(session, beto, chosen["beto"].id, text="¿Y el acta firmada?")
    assert await state_of(session, request.id) == ValidationState.OPEN
    async with session.begin():
        questions = await messages_to(session, world.reporter, "validation_information")
        assert any("¿Y el acta firmada?" in message.text for message in questions)
        (waiting,) = await open_questions(session, world.reporter)
    request_id = waiting.request_id
    with pytest.raises(PermissionDenied):
        async with session.begin():
            await answer_information(session, olga, request_id, text="yo")
    async with session.begin():
        await answer_information(
            session, await fresh(session, world.reporter), request_id, text="Adjunto el acta",
            evidence=[reports.EvidenceItem(EvidenceKind.DOCUMENT, "d" * 64, "acta-file")],
        )  # fmt: skip
    async with session.begin():
        files = await session.scalars(select(Evidence.telegram_file_id).order_by(Evidence.id))
        assert files.all()[-1] == "acta-file"
        again = await messages_to(session, beto, "validation_request")
        assert len(again) == 2 and "Adjunto el acta" in again[-1].text
        # Those who already confirmed are not asked again.
        assert len(await messages_to(session, olga, "validation_request")) == 1
    await vote(session, beto, chosen["beto"], "confirm")
    assert await state_of(session, request_id) == ValidationState.VALIDATED
    async with session.begin():
        for person in (world.reporter, world.coordinator):
            (told,) = await messages_to(session, person, "validation_outcome")
            assert "validada" in told.text
        closing = await session.scalar(
            select(AuditEvent).where(AuditEvent.action == "validation.close")
        )
        assert closing.data["outcome"] == "validated" and closing.data["confirmations"] == 3


async def test_more_disputes_than_confirmations_is_disputed(session, world):
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
    v = world.validators
    await vote(session, v["olga"], chosen["olga"], "dispute")
    await vote(session, v["alma"], chosen["alma"], "confirm")
    assert await state_of(session, request.id) == ValidationState.OPEN
    await vote(session, v["beto"], chosen["beto"], "dispute")
    assert await state_of(session, request.id) == ValidationState.DISPUTED


async def test_confirmations_from_one_sector_only_are_inconclusive(session, world):
    async with session.begin():
        await pause_validator(session, world.validators["beto"])
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
    assert set(chosen) == {"olga", "oscar", "alma"}
    await vote(session, world.validators["olga"], chosen["olga"], "confirm")
    await vote(session, world.validators["oscar"], chosen["oscar"], "confirm")
    await vote(session, world.validators["alma"], chosen["alma"], "dispute")
    assert await state_of(session, request.id) == ValidationState.INCONCLUSIVE


async def test_what_the_clock_asks_at_night_waits_for_the_morning(session, world):
    start = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)  # noon in Mexico City
    request = await validation_world.request(session, world, now=start)
    quiet = QuietHours(time(21, 0), time(8, 0))
    night = start + timedelta(days=5, hours=11)  # 23:00 there: replacements and reminders due
    async with session.begin():
        await process_due(session, night, quiet)
    async with session.begin():
        replacements = [
            a.id for a in (await asked(session, request.id)).values() if a.asked_at == night
        ]
        keys = [f"validation-ask:{a}" for a in replacements]
        written = (
            await session.scalars(
                select(Notification).where(
                    (Notification.key.in_(keys)) | Notification.key.like("validation-reminder:%")
                )
            )
        ).all()
    next_morning = datetime(2026, 3, 8, 14, 0, tzinfo=UTC)  # 08:00 in Mexico City
    assert replacements and {n.key.split(":")[0] for n in written} == {
        "validation-ask",
        "validation-reminder",
    }
    assert all(n.scheduled_at == next_morning for n in written)
    assert await state_of(session, request.id) == ValidationState.OPEN


async def test_silent_validators_are_replaced_reminded_and_the_request_expires(session, world):
    start = utcnow()
    request = await validation_world.request(session, world, now=start)
    async with session.begin():
        chosen = await asked(session, request.id)
    await vote(session, world.validators["alma"], chosen["alma"], "confirm")
    async with session.begin():
        await process_due(session, start + timedelta(days=1))
        assert await messages_to(session, world.validators["oscar"], "validation_request") == []
    # After the reply time (3 days) the silent ones are replaced: only Oscar is left to ask.
    async with session.begin():
        await process_due(session, start + timedelta(days=3, minutes=1))
    async with session.begin():
        now_asked = await asked(session, request.id)
        assert now_asked["olga"].state == AssignmentState.EXPIRED
        assert now_asked["olga"].replaced_by_id == now_asked["oscar"].id
        assert now_asked["beto"].state == AssignmentState.EXPIRED
        assert now_asked["beto"].replaced_by_id is None
        assert len(await messages_to(session, world.validators["oscar"], "validation_request")) == 1
    # Two days before the deadline, the one still silent is reminded, once.
    for hours in (0, 1):
        async with session.begin():
            await process_due(session, start + timedelta(days=5, hours=hours))
    async with session.begin():
        prompts = await messages_to(session, world.validators["oscar"], "validation_request")
        assert len(prompts) == 2 and "Recordatorio" in prompts[-1].text
        assert len(await messages_to(session, world.validators["alma"], "validation_request")) == 1
    async with session.begin():
        await process_due(session, request.deadline)
    assert await state_of(session, request.id) == ValidationState.EXPIRED
    async with session.begin():
        (told,) = await messages_to(session, world.reporter, "validation_outcome")
        assert "vencida" in told.text


async def test_a_validator_who_declines_is_replaced_from_a_missing_sector(session, world):
    request = await validation_world.request(session, world)
    async with session.begin():
        chosen = await asked(session, request.id)
        pressed = await press(
            session, world.validators["alma"], VoteButton(chosen["alma"].id, "decline")
        )
    assert pressed.action == "decline"
    async with session.begin():
        now_asked = await asked(session, request.id)
    assert now_asked["alma"].state == AssignmentState.DECLINED
    assert now_asked["alma"].replaced_by_id == now_asked["oscar"].id
    with pytest.raises(Conflict, match="no longer asked"):
        await vote(session, world.validators["alma"], chosen["alma"], "confirm")


async def test_a_plan_can_ask_for_validation_when_a_task_is_done(session, world):
    async with session.begin():
        await set_policy(session, world.secretariat_id, "t", world.plan_id,
                                    auto_request_on_done=True)  # fmt: skip
    report = await validation_world.report_done(session, world)
    async with session.begin():
        request = await session.scalar(select(ValidationRequest))
        assert (request.report_id, request.automatic) == (report.id, True)
        assert len(await asked(session, request.id)) == 3
        states = await plan_task_states(session, world.secretariat_id, world.plan_id)
        assert states == [(world.task_id, request.id, "open")]


async def test_with_nobody_to_ask_the_coordinator_hears_of_it(session, world):
    async with session.begin():
        await set_policy(session, world.secretariat_id, "t", world.plan_id,
                                    auto_request_on_done=True)  # fmt: skip
        for name in ("olga", "oscar", "alma", "beto"):
            await pause_validator(session, world.validators[name])
    await validation_world.report_done(session, world)
    async with session.begin():
        assert await session.scalar(select(ValidationRequest)) is None
        (notice,) = await messages_to(session, world.coordinator, "validation_unavailable")
        assert "Informe" in notice.text
    with pytest.raises(NoValidatorAvailable):
        await validation_world.request(session, world)


async def test_with_too_few_for_the_quorum_nobody_is_asked_and_the_coordinator_hears(
    session, world
):
    """Oscar and Olga are both of one sector: the policy's two sectors can never confirm."""
    async with session.begin():
        await set_policy(session, world.secretariat_id, "t", world.plan_id,
                                    auto_request_on_done=True)  # fmt: skip
        for name in ("alma", "beto"):
            await pause_validator(session, world.validators[name])
    await validation_world.report_done(session, world)
    async with session.begin():
        assert await session.scalar(select(ValidationRequest)) is None
        assert await messages_to(session, world.validators["olga"], "validation_request") == []
        (notice,) = await messages_to(session, world.coordinator, "validation_unavailable")
        assert "no hay suficientes personas validadoras" in notice.text
    with pytest.raises(NoValidatorAvailable) as refused:
        await validation_world.request(session, world)
    assert refused.value.render("en") == (
        "Only 2 people from 1 sector can be asked to validate, and the validation policy needs "
        "2 confirmations from 2 sectors."
    )


async def test_a_second_open_request_and_a_bad_policy_are_refused(session, world):
    await validation_world.request(session, world)
    with pytest.raises(Conflict, match="already has an open validation request"):
        await validation_world.request(session, world)
    with pytest.raises(InvalidInput) as caught:
        async with session.begin():
            await set_policy(session, world.secretariat_id, "t", world.plan_id,
                                        validators_per_request=2, min_confirmations=3)  # fmt: skip
    assert caught.value.field == "min_confirmations"
    with pytest.raises(NotFound):
        async with session.begin():
            await request_validation(session, world.secretariat_id, "t", 999_999)


async def test_messages_follow_the_readers_language(session, world):
    async with session.begin():
        world.validators["olga"].language = "en"
    request = await validation_world.request(session, world)
    async with session.begin():
        (message,) = await messages_to(session, world.validators["olga"], "validation_request")
        notification = await session.scalar(
            select(Notification).where(Notification.subject_id == (
                await asked(session, request.id))["alma"].id)
        )  # fmt: skip
    assert "Validation request" in message.text
    assert message.markup["inline_keyboard"][0][0]["text"] == "I confirm"
    assert "Solicitud de validación" in notification.text


async def test_the_clock_processes_deadlines_until_stopped(session_factory, session, world):
    request = await validation_world.request(session, world)
    request_id, deadline = request.id, request.deadline
    clock = asyncio.create_task(
        run_clock(session_factory, timedelta(milliseconds=10), clock=lambda: deadline)
    )
    try:
        for _attempt in range(1000):
            if await state_of(session, request_id) != ValidationState.OPEN:
                break
            await asyncio.sleep(0.01)
    finally:
        clock.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await clock
    assert await state_of(session, request_id) == ValidationState.EXPIRED
