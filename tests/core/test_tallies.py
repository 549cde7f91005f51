"""Results read from the tallies kept as responses complete equal results counted from every
answer: on both databases, for every kind of answer, broken down, with responses completed before
tallies were kept, and after a person's answers are erased."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from conversations.definition import parse_definition
from conversations.results import aggregate
from core.chat import results, tallies
from core.chat.definitions import DefinitionCatalog
from core.chat.results import Breakdown
from core.infra.db import create_engine, create_session_factory
from core.models import (
    Campaign,
    ResponseSession,
    ResponseStatus,
    ResponseTally,
    ResponseText,
    Role,
    Sector,
)
from core.people import privacy
from core.people.people import create_person
from tests.support import factories

CHOICES = [{"id": name, "label": {"es": name, "en": name}} for name in ("a", "b", "c", "d")]
DEFINITION = parse_definition(
    {
        "id": "contada",
        "version": 1,
        "kind": "survey",
        "title": {"es": "Contada", "en": "Counted"},
        "questions": [
            {**question, "text": question["id"]}
            for question in [
                {"id": "one", "type": "single_choice", "other": True, "choices": CHOICES},
                {"id": "many", "type": "multiple_choice", "other": True, "choices": CHOICES},
                {"id": "order", "type": "ranking", "top": 2, "choices": CHOICES},
                {"id": "score", "type": "rating", "min": 1, "max": 5},
                {"id": "whole", "type": "integer"},
                {"id": "part", "type": "decimal"},
                {"id": "day", "type": "date"},
                {"id": "agree", "type": "yes_no"},
                {"id": "why", "type": "text"},
            ]
        ],
    }
)
IDS = [choice["id"] for choice in CHOICES]
VALUES: dict[str, st.SearchStrategy[Any]] = {
    "one": st.sampled_from([*IDS, "other"]),
    "many": st.lists(st.sampled_from([*IDS, "other"]), min_size=1, max_size=3, unique=True),
    "order": st.lists(st.sampled_from(IDS), min_size=2, max_size=2, unique=True),
    "score": st.integers(1, 5),
    "whole": st.integers(-3, 40),
    "part": st.floats(-10, 10, allow_nan=False).map(lambda number: round(number, 2)),
    "day": st.dates().map(str),
    "agree": st.sampled_from(["yes", "no"]),
    "why": st.text("abc ñ,\"'[]", max_size=6),
}


@st.composite
def responses(draw) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for question, values in VALUES.items():
        given_as = draw(st.sampled_from(["value", "value", "skipped", "absent"]))
        if given_as != "absent":
            answers[question] = draw(values) if given_as == "value" else None
    others = {}
    for question in ("one", "many"):
        chosen = answers.get(question)
        if chosen == "other" or (isinstance(chosen, list) and "other" in chosen):
            others[question] = draw(st.sampled_from(["Otra cosa", "Nada", "Otra cosa"]))
    return {
        "answers": answers,
        "others": others,
        "respondent": {
            "sector": draw(st.sampled_from([None, *list(Sector)[:3]])),
            "roles": draw(st.sampled_from([[], ["staff"], ["civil_society", "staff"]])),
        },
        "tallied": draw(st.booleans()),
    }


async def campaign_of(session) -> Campaign:
    secretariat = await factories.secretariat(session, slug=f"s{await _count(session)}")
    campaign = Campaign(secretariat_id=secretariat.id, definition_id="contada", audience={})
    session.add(campaign)
    await session.flush()
    return campaign


async def _count(session) -> int:
    return await session.scalar(select(func.count()).select_from(Campaign)) or 0


async def complete(session, campaign: Campaign, response: dict[str, Any], person=None):
    """A completed response as a completion leaves it: tallied, or (as before tallies were
    kept) not."""
    row = ResponseSession(
        secretariat_id=campaign.secretariat_id,
        campaign_id=campaign.id,
        person_id=person.id if person else None,
        definition_id="contada",
        definition_version=1,
        status=ResponseStatus.COMPLETED,
        state={"others": response["others"]},
        answers=response["answers"],
        respondent=response["respondent"],
    )
    session.add(row)
    await session.flush()
    if response["tallied"]:
        await tallies.add(session, DEFINITION, row)
    return row


async def figures(session, campaign_ids: list[int], by: Breakdown | None) -> dict[str, Any]:
    found = await results.figures(
        session, DEFINITION, campaign_ids, language="en", by=by, min_group=2
    )
    del found["title"]
    return found


def counted(given: list[dict[str, Any]], by: Breakdown | None) -> dict[str, Any]:
    return aggregate(DEFINITION, given, language="en", by=by.attribute if by else None, min_group=2)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    given=st.lists(responses(), max_size=12),
    by=st.sampled_from([None, Breakdown.SECTOR, Breakdown.ROLE]),
)
def test_results_from_the_tallies_equal_results_from_every_answer(engine, db_url, given, by):
    # Each example on its own engine and loop (the schema is the one ``engine`` made), every
    # example in a transaction rolled back.
    async def check() -> None:
        engine = create_engine(db_url)
        try:
            async with create_session_factory(engine)() as session, session.begin():
                campaign = await campaign_of(session)
                for response in given:
                    await complete(session, campaign, response)
                assert await figures(session, [campaign.id], by) == counted(given, by)
                await session.rollback()
        finally:
            await engine.dispose()

    asyncio.run(check())


async def test_erasure_takes_a_persons_answers_out_of_the_results(session):
    catalog = DefinitionCatalog("2026-01")
    campaign = await campaign_of(session)
    campaign.definition_id = "problem_prioritisation"
    secretariat_id = campaign.secretariat_id
    eva = await create_person(
        session,
        secretariat_id,
        "test",
        roles={Role.CIVIL_SOCIETY},
        sector=Sector.ACADEMIA,
        name="Eva",
        telegram_id=9,
    )
    definition = catalog.get("problem_prioritisation")
    answers = [
        {"problems": ["impunity", "opacity", "procurement"], "severity": 5,
         "affected": ["other"], "evidence": "Lo vi en la oficina"},
        {"problems": ["opacity", "impunity", "services"], "severity": 2,
         "affected": ["women"], "evidence": "Nada"},
    ]  # fmt: skip
    kept = []
    for number, given_answers in enumerate(answers):
        row = ResponseSession(
            secretariat_id=secretariat_id,
            campaign_id=campaign.id,
            person_id=eva.id if number == 0 else None,
            definition_id=definition.id,
            definition_version=definition.version,
            anonymous=number == 1,
            status=ResponseStatus.COMPLETED,
            state={"others": {"affected": "Mi barrio"} if number == 0 else {}},
            answers=given_answers,
            respondent={"sector": "academia"},
        )
        session.add(row)
        await session.flush()
        await tallies.add(session, definition, row)
        kept.append({"answers": given_answers, "others": row.state["others"]})

    await privacy.erase_person(session, catalog, eva, "person:test")

    found = await results.figures(
        session, definition, [campaign.id], language="es", by=None, min_group=1
    )
    del found["title"]
    assert found == aggregate(definition, kept[1:], language="es")
    assert found["respondents"] == 1
    texts = await session.scalars(select(ResponseText.value))
    assert all("oficina" not in text and "barrio" not in text for text in texts)
    assert await session.scalar(select(func.min(ResponseTally.count))) > 0


async def test_responses_completed_before_tallies_are_counted_once_by_an_upgrade(session):
    catalog = DefinitionCatalog("2026-01")
    campaign = await campaign_of(session)
    given = [
        {"answers": {"one": "a", "why": "uno"}, "others": {}, "respondent": {}, "tallied": False},
        {"answers": {"one": "other"}, "others": {"one": "x"}, "respondent": {}, "tallied": False},
        {"answers": {"one": "b", "why": "tres"}, "others": {}, "respondent": {}, "tallied": True},
    ]
    for response in given:
        await complete(session, campaign, response)
    before = await figures(session, [campaign.id], None)
    assert before == counted(given, None)

    # The upgrade finds the definition through the catalog: a built-in one here.
    campaign.definition_id = "contada"
    catalog.definitions["contada"] = DEFINITION
    assert await tallies.recount(session, catalog) == 2
    assert await tallies.recount(session, catalog) == 0
    untallied = select(func.count()).where(ResponseSession.tallied.is_(False))
    assert await session.scalar(untallied) == 0
    assert await figures(session, [campaign.id], None) == before
    assert before["questions"][0]["options"][0] == {"id": "a", "label": "a", "count": 1,
                                                     "percent": 33.3}  # fmt: skip


async def test_two_completions_at_once_both_count_and_a_second_add_counts_nothing(
    session_factory,
):
    answer = {"answers": {"one": "a", "why": "sí"}, "others": {}, "respondent": {}}
    async with session_factory() as session, session.begin():
        campaign = await campaign_of(session)
        rows = [await complete(session, campaign, {**answer, "tallied": False}) for _ in "ab"]
        ids = [row.id for row in rows]

    async def finish(response_id: int) -> None:
        async with session_factory() as session, session.begin():
            response = await session.get(ResponseSession, response_id)
            await tallies.add(session, DEFINITION, response)
            await tallies.add(session, DEFINITION, response)  # a redelivered last answer

    await asyncio.gather(*(finish(response_id) for response_id in ids))
    async with session_factory() as session:
        found = await figures(session, [campaign.id], None)
        tallied = select(func.count()).where(ResponseSession.tallied.is_(True))
        assert await session.scalar(tallied) == 2
    assert found["respondents"] == 2
    assert found["questions"][0]["options"][0]["count"] == 2
    assert found["questions"][-1]["texts"] == ["sí", "sí"]
