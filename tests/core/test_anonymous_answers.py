"""Anonymous means unlinkable: nothing in a completed anonymous response, its participation row,
the audit chain or the outbox ties the answers to who gave them, and a cancelled one keeps none.

The attack joins participation rows with responses by every column they could share, and each
join must leave every participant with several candidate responses. The one respondent
attribute an anonymous definition keeps (the sector) can narrow the candidates in the database
itself, which is why it leaves the product only through small-cell suppression: the export
blanks the sector of a lone journalist.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from sqlalchemy import select

from conversations.engine.inputs import CommandInput
from core.chat import exports
from core.chat.definitions import DefinitionCatalog
from core.models import (
    AuditEvent,
    Campaign,
    CampaignParticipant,
    Notification,
    ResponseSession,
    ResponseStatus,
    Role,
    Sector,
)
from core.people.people import create_person
from tests.support import factories, surveys

SECTORS = [Sector.OSC] * 5 + [Sector.MEDIA]


async def answered(session):
    catalog = DefinitionCatalog("2026-01")
    secretariat = await factories.secretariat(session)
    campaign = Campaign(secretariat_id=secretariat.id, definition_id="problem_prioritisation",
                        audience={})  # fmt: skip
    session.add(campaign)
    await session.flush()
    people = [
        await create_person(session, secretariat.id, "test", roles={Role.CIVIL_SOCIETY},
                            name=f"P{n}", sector=sector, telegram_id=500 + n, language="en")
        for n, sector in enumerate(SECTORS)
    ]  # fmt: skip
    # They answer in an order unrelated to when they joined.
    for person in reversed(people):
        session.add(CampaignParticipant(campaign_id=campaign.id, person_id=person.id,
                                        invited_at=person.created_at))  # fmt: skip
        await surveys.answer(session, catalog, campaign, person, {})
    quitter = await create_person(session, secretariat.id, "test", roles={Role.CIVIL_SOCIETY},
                                  sector=Sector.OSC, telegram_id=600)  # fmt: skip
    turn = await surveys.answer(
        session, catalog, campaign, quitter, {"severity": [CommandInput("cancel")]}
    )
    return catalog, secretariat, campaign, people, quitter, turn


async def test_a_completed_anonymous_response_keeps_no_one_and_only_the_day(session):
    *_, people, _, _ = await answered(session)
    rows = list(await session.scalars(select(ResponseSession)))
    assert len(rows) == len(people)
    for row in rows:
        assert row.status == ResponseStatus.COMPLETED and row.anonymous
        assert (row.person_id, row.telegram_id, row.invitation_id) == (None, None, None)
        for moment in (row.created_at, row.updated_at, row.completed_at):
            assert (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0)
        assert row.state["language"] == "es"  # not the English its respondent reads
        assert row.answers and set(row.respondent) == {"sector"}


async def test_a_cancelled_anonymous_session_keeps_nothing(session):
    *_, quitter, turn = await answered(session)
    assert turn.outcome.finished and not turn.kept
    kept = await session.scalars(
        select(ResponseSession).where(ResponseSession.id == turn.response.id)
    )
    assert kept.first() is None
    assert (
        await session.scalars(
            select(ResponseSession).where(ResponseSession.person_id == quitter.id)
        )
    ).first() is None


async def test_participation_rows_join_no_anonymous_response_by_any_shared_column(session):
    catalog, secretariat, campaign, people, _, _ = await answered(session)
    participants = list(
        await session.scalars(
            select(CampaignParticipant)
            .where(CampaignParticipant.state == "finished")
            .order_by(CampaignParticipant.person_id)
        )
    )
    responses = list(await session.scalars(select(ResponseSession).order_by(ResponseSession.id)))
    assert len(participants) == len(responses) == len(people)

    def moments(row) -> set[datetime]:
        return {
            getattr(row, column.name)
            for column in row.__table__.columns
            if isinstance(getattr(row, column.name), datetime)
        }

    for participant in participants:
        by_time = [r for r in responses if moments(participant) & moments(r)]
        by_day = [r for r in responses if r.completed_at.date() == participant.finished_on]
        by_secretariat = [r for r in responses if r.secretariat_id == secretariat.id]
        by_person = [r for r in responses if participant.person_id in (r.person_id, r.telegram_id)]
        assert by_time == [] and by_person == []
        assert len(by_day) == len(by_secretariat) == len(responses)
    # Ids: participation has no order but its people's; answering in another order, the n-th
    # person is not the n-th response.
    paired = [
        (participant.person_id, response.respondent)
        for participant, response in zip(participants, responses, strict=True)
    ]
    assert paired != [(person.id, {"sector": person.sector.value}) for person in people]

    # Nothing written for the completions names a person beside the campaign.
    events = list(await session.scalars(select(AuditEvent)))
    assert not [e for e in events if e.entity_type in ("response_session", "campaign")]
    notes = list(await session.scalars(select(Notification)))
    assert not [n for n in notes if n.subject_type == "campaign"]

    # What leaves the product: the export blanks the sector only one person holds.
    export = await exports.prepare(
        session, secretariat.id, catalog, campaign.id, language="es", min_group=5
    )
    buffer = io.BytesIO()
    await exports.write_csv(session, export, buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8-sig"))))
    # The lone journalist is hidden, and the others with her: subtraction would recover her.
    assert [row["Sector"] for row in rows] == [""] * len(people)
    assert {row["Comenzó"] for row in rows} == {str(responses[0].created_at.date())}
