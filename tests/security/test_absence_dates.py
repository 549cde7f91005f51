"""An end date that /ausente cannot accept is answered with the reason, in the person's
language, and the same question again: the conversation goes on instead of ending."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from core.models import Absence, ResponseStatus

MEXICO_CITY = ZoneInfo("America/Mexico_City")


@pytest.mark.parametrize(
    ("language", "start", "end", "reason", "asked"),
    [
        ("es", 1, 1 + 400, "como máximo un año", "¿Cuál es tu último día fuera?"),
        ("en", -10, -5, "already past", "What is your last day away?"),
    ],
)
async def test_an_invalid_end_date_asks_the_same_question_again(
    chat, language, start, end, reason, asked
):
    today = datetime.now(MEXICO_CITY).date()
    day = "%d/%m/%Y" if language == "es" else "%m/%d/%Y"
    async with chat.running():
        ana = await chat.join("Ana", language=language)
        await ana.send("/ausente")
        await ana.next_message()  # from which day
        await ana.send((today + timedelta(days=start)).strftime(day))
        assert asked in (await ana.next_message())["text"]
        await ana.send((today + timedelta(days=end)).strftime(day))
        refused = await ana.next_message()
        assert reason in refused["text"] and asked in refused["text"]
        await ana.send((today + timedelta(days=3)).strftime(day))
        await ana.next_message()  # noted
    response = await chat.response(ana)
    assert response.status == ResponseStatus.COMPLETED
    async with chat.session_factory() as session:
        absence = await session.scalar(select(Absence))
    assert (absence.starts_on, absence.ends_on) == (
        today + timedelta(days=start),
        today + timedelta(days=3),
    )
