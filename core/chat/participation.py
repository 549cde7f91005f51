"""Who a campaign reached and how far they got: counts, response rates, who has not finished.

Participation says who finished, never what they answered: for anonymous definitions nothing in
it leads to an answer (a participant keeps only the day they finished).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit.actor import Actor
from core.chat import campaign_clock, campaigns
from core.chat.campaigns import WAITING
from core.errors import Conflict
from core.models import (
    CampaignParticipant,
    CampaignState,
    ParticipantState,
    Person,
    Secretariat,
    utcnow,
)
from core.notify.quiet_hours import QuietHours
from i18n import N_

# Someone waiting who blocked the bot (or was erased) is counted apart: no message reaches them.
UNREACHABLE = "unreachable"


@dataclass
class Tally:
    states: Counter[str] = field(default_factory=Counter)

    def add(self, state: str) -> None:
        self.states[state] += 1

    def as_json(self) -> dict[str, Any]:
        invited = sum(self.states.values())
        finished = self.states[ParticipantState.FINISHED]
        return {
            "invited": invited,
            "not_started": self.states[ParticipantState.INVITED],
            "started": self.states[ParticipantState.STARTED],
            "finished": finished,
            "declined": self.states[ParticipantState.DECLINED],
            "unreachable": self.states[UNREACHABLE],
            "response_rate": round(finished / invited, 4) if invited else None,
        }


def _state(participant: CampaignParticipant, person: Person) -> str:
    if participant.state in WAITING and (not person.reachable or person.erased_at is not None):
        return UNREACHABLE
    return participant.state.value


async def participation(
    session: AsyncSession, secretariat_id: int, campaign_id: int
) -> dict[str, Any]:
    campaign = await campaigns.get_campaign(session, secretariat_id, campaign_id)
    rows = (
        await session.execute(
            select(CampaignParticipant, Person, Secretariat.slug)
            .join(Person, Person.id == CampaignParticipant.person_id)
            .join(Secretariat, Secretariat.id == Person.secretariat_id)
            .where(CampaignParticipant.campaign_id == campaign.id)
            .order_by(Person.id)
        )
    ).all()
    overall = Tally()
    groups: dict[str, defaultdict[str, Tally]] = {
        "sector": defaultdict(Tally),
        "role": defaultdict(Tally),
        "secretariat": defaultdict(Tally),
    }
    not_finished = []
    for participant, person, slug in rows:
        state = _state(participant, person)
        overall.add(state)
        groups["sector"][str(person.sector) if person.sector else ""].add(state)
        for role in sorted(str(role) for role in person.roles) or [""]:
            groups["role"][role].add(state)
        groups["secretariat"][slug].add(state)
        if participant.state in WAITING:
            not_finished.append(
                {
                    "person_id": person.id,
                    "name": person.display_name,
                    "secretariat": slug,
                    "sector": person.sector,
                    "roles": sorted(str(role) for role in person.roles),
                    "state": state,
                    "invited_at": participant.invited_at,
                    "reminders_sent": participant.reminders_sent,
                    "last_reminded_at": participant.last_reminded_at,
                }
            )
    return {
        "campaign_id": campaign.id,
        "state": campaign.state,
        **overall.as_json(),
        "by": {
            name: [
                {"value": value or None, **tally.as_json()}
                for value, tally in sorted(by_value.items())
            ]
            for name, by_value in groups.items()
        },
        "not_finished": not_finished,
    }


async def remind_now(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    campaign_id: int,
    *,
    quiet: QuietHours | None,
    now: datetime | None = None,
) -> int:
    """One reminder now to everyone who has not finished and was not reminded in the last day."""
    campaign = await campaigns.get_campaign(session, secretariat_id, campaign_id)
    if campaign.state != CampaignState.OPEN:
        raise Conflict(N_("Only an open campaign sends reminders."))
    sent = await campaign_clock.remind(session, campaign, now or utcnow(), quiet, due_only=False)
    if not sent:
        raise Conflict(
            N_(
                "Nobody to remind: everyone has finished, or heard from this campaign in the "
                "last 24 hours."
            )
        )
    await campaigns.record(session, actor, campaign, "campaign.remind", people=sent)
    return sent
