"""The campaigns' clock: openings, people who join later, reminders, closings, shared results.

The worker calls ``tick`` with the task reminders, every few minutes. Every message it writes has
a key (the campaign, the person and, for reminders, their number), so a second worker, or the
same tick run twice, adds nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from babel.numbers import format_percent
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import localize
from core.audit.actor import Actor
from core.chat import campaigns, results
from core.chat.campaigns import WAITING
from core.chat.definitions import DefinitionCatalog
from core.models import (
    Absence,
    Campaign,
    CampaignParticipant,
    CampaignState,
    ParticipantState,
    Person,
    Secretariat,
)
from core.notify import outbox
from core.notify.quiet_hours import QuietHours
from core.people.people import local_date
from i18n import N_, gettext, locale_of, ngettext

RESULTS = "campaign.results"


async def tick(
    session: AsyncSession,
    now: datetime,
    quiet: QuietHours,
    catalog: DefinitionCatalog,
    *,
    min_group: int,
) -> None:
    """Everything due at ``now``, in the caller's transaction."""
    running = await session.scalars(
        select(Campaign).where(Campaign.launched_at.is_not(None), Campaign.closed_at.is_(None))
    )
    for campaign in running.all():
        state = campaign.state_at(now)
        if state == CampaignState.CLOSED:  # its closing time has come
            await campaigns.end(session, campaign, now)
            await campaigns.record(
                session, Actor.system(), campaign, "campaign.close", at="closing time"
            )
        elif state == CampaignState.OPEN:
            await campaigns.invite(
                session, campaign, await campaigns.reached(session, campaign), now, quiet
            )
            if campaign.remind_every_days:
                await remind(session, campaign, now, quiet, due_only=True)
    await _share_results(session, now, quiet, catalog, min_group)


async def remind(
    session: AsyncSession,
    campaign: Campaign,
    now: datetime,
    quiet: QuietHours | None,
    *,
    due_only: bool,
) -> int:
    """Remind those who have not finished: by the campaign's rule (``due_only``), or now, to
    everyone not reminded in the last day. Never someone away, or who blocked the bot."""
    rows = (
        await session.execute(
            select(CampaignParticipant, Person)
            .join(Person, Person.id == CampaignParticipant.person_id)
            .where(
                CampaignParticipant.campaign_id == campaign.id,
                CampaignParticipant.state.in_(WAITING),
                Person.erased_at.is_(None),
                Person.reachable.is_(True),
                Person.telegram_id.is_not(None),
            )
        )
    ).all()
    waiting = [
        (participant, person)
        for participant, person in rows
        if _may_remind(campaign, participant, now, due_only=due_only)
    ]
    away = await _away(session, [person.id for _, person in waiting])
    secretariat = await session.get(Secretariat, campaign.secretariat_id)
    sent = 0
    for participant, person in waiting:
        today = local_date(person, now)
        if any(absence.starts_on <= today <= absence.ends_on for absence in away[person.id]):
            continue
        participant.reminders_sent += 1
        participant.last_reminded_at = now
        await outbox.enqueue(
            session,
            person=person,
            kind=campaigns.REMINDER,
            key=f"campaign:{campaign.id}:remind:{person.id}:{participant.reminders_sent}",
            text=reminder_text(person, secretariat, campaign),
            markup=campaigns.start_button(person.language, campaign.id),
            scheduled_at=quiet.next_send_time(now, person.time_zone) if quiet else now,
            about=campaign,
        )
        sent += 1
    return sent


def _may_remind(
    campaign: Campaign, participant: CampaignParticipant, now: datetime, *, due_only: bool
) -> bool:
    # Nobody hears from a campaign twice within a day: the invitation counts.
    since = participant.last_reminded_at or participant.invited_at
    if not due_only:
        return since is None or now - since >= timedelta(days=1)
    return (
        campaign.remind_every_days is not None
        and participant.reminders_sent < campaign.remind_at_most
        and since is not None
        and now - since >= timedelta(days=campaign.remind_every_days)
    )


async def _away(session: AsyncSession, person_ids: Sequence[int]) -> dict[int, list[Absence]]:
    away: dict[int, list[Absence]] = defaultdict(list)
    if person_ids:
        for absence in await session.scalars(
            select(Absence).where(Absence.person_id.in_(person_ids))
        ):
            away[absence.person_id].append(absence)
    return away


def reminder_text(person: Person, secretariat: Secretariat | None, campaign: Campaign) -> str:
    return campaigns.campaign_message(
        person,
        secretariat,
        campaign,
        N_("{secretariat} is still waiting for your answers to “{title}”."),
    )


# Shared results ---------------------------------------------------------------------------


async def _share_results(
    session: AsyncSession,
    now: datetime,
    quiet: QuietHours,
    catalog: DefinitionCatalog,
    min_group: int,
) -> None:
    """Once a campaign that promised it has closed, everyone who finished hears the results."""
    for campaign in await session.scalars(
        select(Campaign).where(
            Campaign.closed_at.is_not(None),
            Campaign.share_results.is_(True),
            Campaign.results_shared_at.is_(None),
        )
    ):
        campaign.results_shared_at = now
        finishers = await session.scalars(
            select(Person)
            .join(CampaignParticipant, CampaignParticipant.person_id == Person.id)
            .where(
                CampaignParticipant.campaign_id == campaign.id,
                CampaignParticipant.state == ParticipantState.FINISHED,
                Person.erased_at.is_(None),
                Person.reachable.is_(True),
            )
        )
        texts: dict[str, str] = {}
        for person in finishers:
            if person.language not in texts:
                together = await results.campaign_results(
                    session, campaign.secretariat_id, catalog, campaign.id, language=person.language
                )
                texts[person.language] = results_text(
                    campaign, together, person.language, min_group
                )
            await outbox.enqueue(
                session,
                person=person,
                kind=RESULTS,
                key=f"campaign:{campaign.id}:results:{person.id}",
                text=texts[person.language],
                scheduled_at=quiet.next_send_time(now, person.time_zone),
                about=campaign,
            )


# How many options of a question the shared results name.
TOP = 3


def results_text(campaign: Campaign, result: dict[str, Any], language: str, min_group: int) -> str:
    """What everyone said together (``result``, the campaign's results), in a few lines: the
    leading options of each question."""
    title = localize(campaign.title, language) or campaign.definition_id
    if result["respondents"] < min_group:
        return gettext(
            language,
            N_("“{title}” has closed. Too few people answered to share the results without "
            "revealing anyone's answers. Thank you for taking part!"),
            title=title,
        )  # fmt: skip
    locale = locale_of(language)
    lines = [
        ngettext(
            language,
            "“{title}” has closed. What the {n} person who answered said together:",
            "“{title}” has closed. What the {n} people who answered said together:",
            result["respondents"],
            title=title,
        )
    ]
    for question in result["questions"]:
        options = question.get("options")
        if not options:
            continue
        if question["type"] == "ranking":
            leading = [option["label"] for option in options[:TOP]]
            ranked = ", ".join(f"{place}. {label}" for place, label in enumerate(leading, 1))
            lines.append(f"• {question['text']}\n  {ranked}")
            continue
        leading = sorted(options, key=lambda option: -option["count"])[:TOP]
        shares = "; ".join(
            f"{option['label']} ({format_percent(option['percent'] / 100, locale=locale)})"
            for option in leading
            if option["count"]
        )
        if shares:
            lines.append(f"• {question['text']}\n  {shares}")
    return "\n\n".join(lines)
