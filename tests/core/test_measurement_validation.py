"""Validation of an indicator's values: asked on its own by the plan's policy or by hand, voted,
settled, ended by a correction, and shown in the indicator's series and the plan's view."""

from datetime import date

import pytest
from sqlalchemy import inspect, select

from core.audit.actor import Actor
from core.errors import Conflict, NotFound, PermissionDenied
from core.models import (
    Evidence,
    EvidenceKind,
    ValidationRequest,
    ValidationState,
)
from core.plans import indicators
from core.plans.indicator_views import indicator_series, plan_indicators
from core.reporting.evidence import EvidenceItem
from core.reporting.measurements import report_measurement
from core.validation.information import answer_information
from core.validation.policy import set_policy
from core.validation.requests import request_measurement_validation
from core.validation.votes import cast_vote
from tests.core import validation_world
from tests.core.validation_world import asked, messages_to

TODAY = date(2026, 12, 1)
QUARTERS = (date(2025, 3, 31), date(2025, 6, 30))


@pytest.fixture
async def world(session):
    world = await validation_world.build(session)
    async with session.begin():
        indicator = await indicators.create_indicator(
            session, world.secretariat_id, Actor.system(), world.plan_id,
            name="Organizaciones participantes", unit="organizaciones", scale="count",
            frequency="quarterly", starts_on="2025-01-01", ends_on="2025-12-31",
            baseline=10, goal=50, means_of_verification="Listas de asistencia",
            responsible_ids=[world.reporter.id],
        )  # fmt: skip
    world.indicator_id = indicator.id
    return world


async def policy(session, world, which: str) -> None:
    async with session.begin():
        await set_policy(session, world.secretariat_id, "t", world.plan_id,
                         validate_measurements=which)  # fmt: skip


async def measure(session, world, value, period=QUARTERS[0], **extra):
    async with session.begin():
        return await report_measurement(
            session, world.secretariat_id, Actor.person(world.reporter.id), world.indicator_id,
            period=period, value=value, reported_by_id=world.reporter.id, confirmed=True, **extra,
        )  # fmt: skip


async def request_of(session, measurement) -> ValidationRequest | None:
    return await session.scalar(
        select(ValidationRequest)
        .where(ValidationRequest.measurement_id == inspect(measurement).identity[0])
        .order_by(ValidationRequest.id.desc())
        .execution_options(populate_existing=True)
    )


async def vote_all(session, world, request_id, choice="confirm"):
    async with session.begin():
        chosen = await asked(session, request_id)
    for name, assignment in chosen.items():
        async with session.begin():
            person = await session.get(type(world.reporter), world.validators[name].id)
            await cast_vote(session, person, assignment.id, choice)


async def test_a_value_of_an_indicator_the_policy_names_is_validated_and_the_views_show_it(
    session, world
):
    await policy(session, world, "all")
    await measure(session, world, 20, note="Conteo de listas")
    measurement = await measure(session, world, 30, period=QUARTERS[1])
    async with session.begin():
        request = await request_of(session, measurement)
        assert (request.automatic, request.plan_id) == (True, world.plan_id)
        chosen = await asked(session, request.id)
        # Three sectors, never Ana, who reported it, nor her colleague Eva.
        assert len(chosen) == 3 and not {"ana", "eva"} & set(chosen)
        asked_first = sorted(chosen)[0]
        prompt = (await messages_to(session, world.validators[asked_first], "validation_request"))[
            -1
        ]
    for said in ("Ana", "«Organizaciones participantes»", "abr–jun de 2025", "30 organizaciones",
                 "Línea base: 10 organizaciones.", "Meta: 50 organizaciones.",
                 "20 organizaciones", "Listas de asistencia"):  # fmt: skip
        assert said in prompt.text, said
    await vote_all(session, world, request.id)
    async with session.begin():
        assert (await request_of(session, measurement)).state == ValidationState.VALIDATED
        (told,) = await messages_to(session, world.reporter, "validation_outcome")
        assert "validada" in told.text
        series = await indicator_series(session, world.secretariat_id, world.indicator_id, TODAY)
        view = await plan_indicators(session, world.secretariat_id, world.plan_id, TODAY)
    assert [period.validation for period in series.periods] == [
        ValidationState.OPEN, ValidationState.VALIDATED, None, None
    ]  # fmt: skip
    (standing,) = view.indicators
    assert standing == series.indicator
    assert (standing.validated, standing.validated_on) == (30, QUARTERS[1])
    assert standing.validated_progress == 0.5


async def test_the_policy_names_all_indicators_the_flagged_ones_or_none(session, world):
    first = await measure(session, world, 20)  # no policy: none
    await policy(session, world, "flagged")
    second = await measure(session, world, 22, period=QUARTERS[1])  # not flagged
    async with session.begin():
        assert await request_of(session, first) is None
        assert await request_of(session, second) is None
        indicator = await indicators.get_indicator(
            session, world.secretariat_id, world.indicator_id
        )
        await indicators.update_indicator(
            session, world.secretariat_id, Actor.system(), indicator.id,
            version=indicator.version, validated=True,
        )  # fmt: skip
    third = await measure(session, world, 24, period=QUARTERS[1], correction=True)
    async with session.begin():
        assert (await request_of(session, third)).state == ValidationState.OPEN


async def test_a_correction_ends_the_open_validation_and_is_validated_anew(session, world):
    await policy(session, world, "all")
    first = await measure(session, world, 20)
    async with session.begin():
        old = await request_of(session, first)
        old_id, olgas = old.id, (await asked(session, old.id))["olga"].id
        olga_id = world.validators["olga"].id
    corrected = await measure(session, world, 21, correction=True)
    async with session.begin():
        old = await session.get(ValidationRequest, old_id, populate_existing=True)
        new = await request_of(session, corrected)
        assert old.state == ValidationState.EXPIRED and new.state == ValidationState.OPEN
    with pytest.raises(Conflict, match="already closed"):
        async with session.begin():
            olga = await session.get(type(world.reporter), olga_id)
            await cast_vote(session, olga, olgas, "confirm")
    async with session.begin():
        assert (await session.get(ValidationRequest, old_id)).state == ValidationState.EXPIRED


async def test_by_hand_within_the_secretariat_once_at_a_time_never_by_the_reporter(session, world):
    measurement = await measure(session, world, 20)
    measurement_id, secretariat_id = measurement.id, world.secretariat_id
    gil, ana = world.validators["gil"], world.reporter
    gil_id, gils_secretariat, ana_id = gil.id, gil.secretariat_id, ana.id
    async with session.begin():
        request = await request_measurement_validation(
            session, secretariat_id, Actor.person(world.coordinator.id), measurement_id
        )
        request_id = request.id
    with pytest.raises(Conflict, match="already has an open validation request"):
        async with session.begin():
            await request_measurement_validation(
                session, secretariat_id, Actor.system(), measurement_id
            )
    with pytest.raises(NotFound, match="not found"):
        async with session.begin():
            await request_measurement_validation(
                session, gils_secretariat, Actor.system(), measurement_id
            )
    async with session.begin():
        olgas = (await asked(session, request_id))["olga"].id
    for person_id, refusal in ((gil_id, "another secretariat"), (ana_id, "your own report")):
        with pytest.raises(PermissionDenied, match=refusal):
            async with session.begin():
                person = await session.get(type(gil), person_id)
                await cast_vote(session, person, olgas, "confirm")
    async with session.begin():
        assert (await asked(session, request_id))["olga"].vote is None


async def test_the_reporters_answer_to_a_question_joins_the_value(session, world):
    measurement = await measure(session, world, 20)
    async with session.begin():
        request = await request_measurement_validation(
            session, world.secretariat_id, Actor.system(), measurement.id
        )
        betos = (await asked(session, request.id))["beto"].id
    async with session.begin():
        beto = await session.get(type(world.reporter), world.validators["beto"].id)
        await cast_vote(session, beto, betos, "needs_info", comment="¿Dónde están las listas?")
    async with session.begin():
        (question,) = await messages_to(session, world.reporter, "validation_information")
        assert "¿Dónde están las listas?" in question.text
        assert "«Organizaciones participantes»" in question.text
        ana = await session.get(type(world.reporter), world.reporter.id)
        document = EvidenceItem(EvidenceKind.DOCUMENT, "d" * 64, "doc-2", "d" * 64 + ".pdf")
        (added,) = await answer_information(
            session, ana, request.id, text="Aquí están", evidence=[document]
        )
    async with session.begin():
        stored = await session.get(Evidence, added.id)
        assert (stored.measurement_id, stored.report_id) == (measurement.id, None)
        prompts = await messages_to(session, world.validators["beto"], "validation_request")
        assert "Aquí están" in prompts[-1].text
