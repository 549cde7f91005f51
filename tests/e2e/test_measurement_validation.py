"""An indicator's value validated in chat, end to end through the emulator: the plan's policy
asks validators on its own, they vote, the outcome is validated and the views show it; a press
forged from another secretariat changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from core.audit.actor import Actor
from core.models import Person, Role, Sector, TokenRole, ValidationRequest, ValidationVote
from core.plans import indicators
from core.reporting.measurements import report_measurement
from core.validation.policy import set_policy
from tests.e2e.conftest import buttons
from tests.e2e.test_validation import join_validators
from tests.support import factories
from tests.support.office import MEXICO_CITY


async def test_a_value_the_policy_names_is_validated_in_chat_and_the_views_show_it(chat, office):
    today = datetime.now(MEXICO_CITY).date()
    ended = today - timedelta(days=10)
    async with chat.session_factory() as session, session.begin():
        other = await factories.secretariat(session, "sesea-bc")
    async with chat.running():
        validators = await join_validators(chat)
        gil = await chat.join(
            "Gil", role=Role.CIVIL_SOCIETY, sector=Sector.CITIZEN, secretariat_id=other.id
        )
        async with chat.session_factory() as session, session.begin():
            ana = await session.scalar(select(Person).where(Person.telegram_id == office.ana.id))
            await set_policy(session, chat.secretariat_id, Actor.system(), office.plan,
                             validate_measurements="all")  # fmt: skip
            indicator = await indicators.create_indicator(
                session, chat.secretariat_id, Actor.system(), office.plan,
                name="Organizaciones participantes", unit="organizaciones", scale="count",
                frequency="dates", starts_on=today - timedelta(days=100), ends_on=ended,
                due_dates=[ended], baseline=10, goal=50, responsible_ids=[ana.id],
            )  # fmt: skip
            await report_measurement(
                session, chat.secretariat_id, Actor.person(ana.id), indicator.id,
                period=ended, value=30, reported_by_id=ana.id,
            )  # fmt: skip
        prompts = {name: await user.next_message() for name, user in validators.items()}
        for prompt in prompts.values():
            assert "«Organizaciones participantes»" in prompt["text"]
            assert "30 organizaciones" in prompt["text"]
            assert buttons(prompt)[:3] == ["Confirmo", "No confirmo", "Necesito más información"]

        olga_data = prompts["Olga"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        chat.forge_press(gil, prompts["Olga"], olga_data)
        refused = await gil.next_event(kinds=("callback_answer",))
        assert refused["answer"]["text"] == "Este reporte pertenece a otra secretaría."

        for name in ("Olga", "Alma", "Beto"):
            await validators[name].press(prompts[name], "Confirmo")
            await validators[name].next_message()
        outcome = await office.ana.next_message(timeout=15)
        assert "«Organizaciones participantes»" in outcome["text"] and "validada" in outcome["text"]

    async with chat.session_factory() as session:
        request = await session.scalar(select(ValidationRequest))
        votes = await session.scalar(select(func.count()).select_from(ValidationVote))
    assert (request.state, request.automatic, votes) == ("validated", True, 3)
    headers = await chat.bearer(TokenRole.VIEWER)
    async with chat.admin_api() as client:
        base = f"/secretariats/{chat.secretariat_id}"
        series = await client.get(f"{base}/indicators/{indicator.id}/series", headers=headers)
        view = await client.get(f"{base}/plans/{office.plan}/indicators/progress", headers=headers)
    assert [period["validation"] for period in series.json()["periods"]] == ["validated"]
    (standing,) = view.json()["indicators"]
    assert (standing["validated"], standing["validated_progress"]) == (30, 0.5)
