"""Interviews: a session with one interviewee and one interviewer, the interview's definition run
in chat for the interviewee from its start, the solutions its answers back, and the
interviewer's notes.

Scheduling one is three things in one transaction: a meeting of kind interview whose audience
is the two of them (so both get the invitation, its calendar file and the reminders), a
campaign of the definition for the interviewee alone that opens at the start (the campaigns'
clock invites them then), and a message to the interviewer, sent at the start, with the button
that opens their notes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import localize
from core.audit import chain
from core.audit.actor import Actor
from core.buttons import InterviewNotesButton
from core.chat import campaigns, results
from core.chat.definitions import DefinitionCatalog
from core.chat.finished import Finished
from core.chat.report_drafts import EVIDENCE, NOTES, evidence_of, open_draft, text_evidence
from core.errors import Conflict, InvalidInput, NotFound
from core.infra import listing
from core.infra.lookup import of_secretariat, one
from core.meetings import meetings
from core.meetings.meetings import Details, MeetingView
from core.models import (
    Campaign,
    CampaignParticipant,
    CampaignState,
    Interview,
    InterviewNote,
    InterviewSolution,
    Meeting,
    MeetingKind,
    ParticipantState,
    Person,
    ReportDraft,
    ResponseSession,
)
from core.notify import outbox
from core.notify.quiet_hours import QuietHours
from core.people.audience import Audience
from core.people.people import get_person
from core.plans import from_results
from core.plans.from_results import Ranked
from core.reporting.evidence import EvidenceItem
from i18n import N_, gettext

DEFAULT_DEFINITION = "project_interview"
NOTE_LIMIT = 4000


@dataclass(frozen=True)
class Scheduled:
    """What a coordinator sets for an interview."""

    interviewee_id: int
    interviewer_id: int
    starts_at: datetime
    time_zone: str
    duration_minutes: int
    place: str | None = None
    video_url: str | None = None
    title: str | None = None
    definition_id: str = DEFAULT_DEFINITION


@dataclass(frozen=True)
class Solution:
    """An option of a prioritisation's ranking that an interview backs, with its label."""

    campaign_id: int
    choice_id: str
    label: str


@dataclass(frozen=True)
class InterviewView:
    """An interview, its session, how far the interviewee got, and what it backs."""

    interview: Interview
    meeting: MeetingView
    campaign_state: CampaignState | None
    interviewee_state: ParticipantState | None
    solutions: list[Solution]


@dataclass(frozen=True)
class InterviewRecord:
    """An interview with the interviewee's long answers and the interviewer's notes."""

    view: InterviewView
    answers: list[dict[str, Any]]
    notes: list[InterviewNote]


# Reading ----------------------------------------------------------------------------------


async def get_interview(session: AsyncSession, secretariat_id: int, interview_id: int) -> Interview:
    """The secretariat's interview ``interview_id``, or NotFound."""
    missing = N_("Interview {id} not found.")
    return await of_secretariat(session, Interview, secretariat_id, interview_id, missing)


async def read_interview(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    interview_id: int,
    *,
    language: str,
) -> InterviewRecord:
    """The interview with its session, the interviewee's answers and the notes."""
    interview = await get_interview(session, secretariat_id, interview_id)
    (view,) = await _views(session, catalog, [interview], language)
    answers: list[dict[str, Any]] = []
    campaign = await _campaign(session, interview)
    if campaign is not None:
        definition = await catalog.of_campaign(session, campaign)
        answers = await results.interviews(session, definition, campaign.id, language)
    notes = await session.scalars(
        select(InterviewNote)
        .where(InterviewNote.interview_id == interview.id)
        .order_by(InterviewNote.id)
    )
    return InterviewRecord(view, answers, list(notes))


INTERVIEW_SORTING = listing.Sorting(
    {"starts_at": Meeting.starts_at, "id": Interview.id},
    default="starts_at",
    tie_breaker=Interview.id,
)


async def list_interviews(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    *,
    language: str,
    sort: str | None,
    limit: int,
    offset: int,
) -> listing.Page[InterviewView]:
    """A page of the secretariat's interviews, each with its session and campaign's state."""
    page = await listing.paginate(
        session,
        select(Interview)
        .join(Meeting, Meeting.id == Interview.meeting_id)
        .where(Interview.secretariat_id == secretariat_id),
        INTERVIEW_SORTING,
        sort=sort,
        limit=limit,
        offset=offset,
    )
    views = {
        view.interview.id: view for view in await _views(session, catalog, page.items, language)
    }
    return page.map(lambda interview: views[interview.id])


async def backing(session: AsyncSession, campaign_id: int) -> dict[str, list[int]]:
    """The interviews that back each option of a prioritisation campaign, by choice id."""
    found: dict[str, list[int]] = defaultdict(list)
    rows = await session.execute(
        select(InterviewSolution.choice_id, InterviewSolution.interview_id)
        .where(InterviewSolution.campaign_id == campaign_id)
        .order_by(InterviewSolution.interview_id)
    )
    for choice_id, interview_id in rows:
        found[choice_id].append(interview_id)
    return found


async def ranking(
    session: AsyncSession,
    secretariat_id: int,
    catalog: DefinitionCatalog,
    campaign_id: int,
    question_id: str | None,
    language: str,
) -> list[Ranked]:
    """A campaign's ranking (``from_results.ranking``), each option with the interviews that
    back it."""
    ranked, _ = await from_results.ranking(
        session, secretariat_id, catalog, campaign_id, question_id, language
    )
    backed = await backing(session, campaign_id)
    return [replace(item, interview_ids=tuple(backed[item.choice_id])) for item in ranked]


async def _campaign(session: AsyncSession, interview: Interview) -> Campaign | None:
    if interview.campaign_id is None:
        return None
    return await session.get(Campaign, interview.campaign_id)


async def _views(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    interviews: Iterable[Interview],
    language: str,
) -> list[InterviewView]:
    """Each interview's view, in a few queries however many they are."""
    interviews = list(interviews)
    campaign_ids = [each.campaign_id for each in interviews if each.campaign_id is not None]
    campaigns = {
        campaign.id: campaign
        for campaign in await session.scalars(select(Campaign).where(Campaign.id.in_(campaign_ids)))
    }
    states = {
        (row.campaign_id, row.person_id): row.state
        for row in await session.scalars(
            select(CampaignParticipant).where(CampaignParticipant.campaign_id.in_(campaign_ids))
        )
    }
    meetings_by_id = await meetings.views_of(
        session,
        await session.scalars(
            select(Meeting).where(Meeting.id.in_([each.meeting_id for each in interviews]))
        ),
    )
    solutions = await _solutions(session, catalog, interviews, language)
    found = []
    for interview in interviews:
        campaign = campaigns.get(interview.campaign_id or 0)
        found.append(
            InterviewView(
                interview,
                meetings_by_id[interview.meeting_id],
                campaign.state if campaign is not None else None,
                states.get((interview.campaign_id or 0, interview.interviewee_id)),
                solutions[interview.id],
            )
        )
    return found


async def _solutions(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    interviews: Iterable[Interview],
    language: str,
) -> dict[int, list[Solution]]:
    """The solutions each interview backs, labelled in ``language``, by interview."""
    links = list(
        await session.scalars(
            select(InterviewSolution)
            .where(InterviewSolution.interview_id.in_([each.id for each in interviews]))
            .order_by(InterviewSolution.campaign_id, InterviewSolution.choice_id)
        )
    )
    labels: dict[tuple[int, str], str] = {}
    linked = {link.campaign_id for link in links}
    for campaign in await session.scalars(select(Campaign).where(Campaign.id.in_(linked))):
        definition = await catalog.of_campaign(session, campaign)
        for question in definition.questions:
            for choice in question.choices or ():
                labels.setdefault(
                    (campaign.id, choice.id), localize(choice.label, language) or choice.id
                )
    found: dict[int, list[Solution]] = defaultdict(list)
    for link in links:
        label = labels.get((link.campaign_id, link.choice_id), link.choice_id)
        found[link.interview_id].append(Solution(link.campaign_id, link.choice_id, label))
    return found


# Scheduling -------------------------------------------------------------------------------


async def schedule(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    catalog: DefinitionCatalog,
    scheduled: Scheduled,
    *,
    language: str,
    now: datetime,
    quiet: QuietHours | None,
) -> InterviewView:
    """Schedule an interview: its session, the campaign that opens at its start for the
    interviewee, and the interviewer's notes message at its start."""
    interviewee = await _party(session, secretariat_id, scheduled.interviewee_id, "interviewee_id")
    interviewer = await _party(session, secretariat_id, scheduled.interviewer_id, "interviewer_id")
    if interviewee.id == interviewer.id:
        raise InvalidInput(N_("The interviewer cannot be the interviewee."), field="interviewer_id")
    located = await catalog.find(session, secretariat_id, scheduled.definition_id)
    definition = located.definition
    if definition.kind != "interview":
        raise InvalidInput(
            N_("“{id}” is not an interview; choose a definition of kind interview."),
            field="definition_id",
            id=definition.id,
        )
    title = scheduled.title or localize(definition.title, language) or definition.id
    view = await meetings.create_meeting(
        session,
        secretariat_id,
        actor,
        Details(
            kind=MeetingKind.INTERVIEW,
            title=title,
            starts_at=scheduled.starts_at,
            time_zone=scheduled.time_zone,
            duration_minutes=scheduled.duration_minutes,
            audience=Audience(person_ids=frozenset({interviewee.id, interviewer.id})),
            place=scheduled.place,
            video_url=scheduled.video_url,
        ),
        catalog=catalog,
        national=False,
        now=now,
        quiet=quiet,
    )
    meeting = view.meeting
    campaign = await campaigns.create(
        session,
        secretariat_id,
        actor,
        definition=located,
        settings=campaigns.Settings(
            audience=Audience(person_ids=frozenset({interviewee.id})), opens_at=meeting.starts_at
        ),
    )
    campaign.meeting_id = meeting.id
    await campaigns.launch(session, secretariat_id, actor, campaign.id, quiet=quiet)
    interview = Interview(
        secretariat_id=secretariat_id,
        meeting_id=meeting.id,
        interviewee_id=interviewee.id,
        interviewer_id=interviewer.id,
        definition_id=definition.id,
        campaign_id=campaign.id,
    )
    await chain.about(
        session,
        interview,
        "interview.create",
        actor,
        secretariat_id,
        data={
            "meeting_id": meeting.id,
            "campaign_id": campaign.id,
            "interviewee_id": interviewee.id,
            "interviewer_id": interviewer.id,
            "definition_id": definition.id,
        },
    )
    await outbox.enqueue(
        session,
        person=interviewer,
        kind=meetings.INTERVIEW_NOTES,
        key=f"interview:{interview.id}:notes",
        text=gettext(
            interviewer.language,
            N_(
                "The interview with {name} starts now. Tap the button to record your notes: "
                "text messages and voice notes."
            ),
            name=interviewee.display_name,
        ),
        markup=notes_button(interviewer.language, interview.id),
        scheduled_at=meeting.starts_at,
        about=meeting,  # moved with its start (meetings.AT_START)
    )
    (found,) = await _views(session, catalog, [interview], language)
    return found


async def _party(session: AsyncSession, secretariat_id: int, person_id: int, field: str) -> Person:
    """A person of the secretariat, registered in the bot and not erased, to take part."""
    try:
        person = await get_person(session, secretariat_id, person_id)
    except NotFound:
        raise NotFound(N_("Person {id} not found."), field=field, id=person_id) from None
    if person.erased_at is not None:
        raise InvalidInput(N_("Person {id} was erased."), field=field, id=person_id)
    if person.telegram_id is None:
        raise InvalidInput(
            N_("Person {id} has not joined the bot yet; the interview runs in chat."),
            field=field,
            id=person_id,
        )
    return person


def notes_button(language: str, interview_id: int) -> dict[str, Any]:
    """An inline keyboard, as the Bot API takes it, with the button that opens the notes."""
    return InterviewNotesButton(interview_id).keyboard(gettext(language, "Record notes"))


# Solutions --------------------------------------------------------------------------------


async def link_solutions(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    catalog: DefinitionCatalog,
    interview_id: int,
    *,
    campaign_id: int,
    choice_ids: list[str],
    language: str,
) -> InterviewView:
    """The options of a prioritisation's ranking the interview backs, in place of those it
    backed of that campaign; an option the ranking does not hold is refused."""
    interview = await get_interview(session, secretariat_id, interview_id)
    ranked, _ = await from_results.ranking(
        session, secretariat_id, catalog, campaign_id, None, language
    )
    known = {item.choice_id for item in ranked}
    wanted = list(dict.fromkeys(choice_ids))
    if unknown := [choice for choice in wanted if choice not in known]:
        raise InvalidInput(
            N_("These options are not in the ranking of campaign {campaign}: {ids}."),
            field="choice_ids",
            campaign=campaign_id,
            ids=", ".join(unknown),
        )
    await session.execute(
        delete(InterviewSolution).where(
            InterviewSolution.interview_id == interview.id,
            InterviewSolution.campaign_id == campaign_id,
        )
    )
    session.add_all(
        InterviewSolution(interview_id=interview.id, campaign_id=campaign_id, choice_id=choice)
        for choice in wanted
    )
    await session.flush()
    await chain.about(
        session,
        interview,
        "interview.solutions",
        actor,
        secretariat_id,
        data={"campaign_id": campaign_id, "choice_ids": wanted},
    )
    (view,) = await _views(session, catalog, [interview], language)
    return view


# Notes ------------------------------------------------------------------------------------


async def add_note(
    session: AsyncSession, secretariat_id: int, actor: Actor, interview_id: int, *, text: str
) -> InterviewNote:
    """A note written through the API."""
    interview = await get_interview(session, secretariat_id, interview_id)
    cleaned = text.strip()
    if not cleaned or len(cleaned) > NOTE_LIMIT:
        raise InvalidInput(
            N_("A note has from 1 to {limit} characters."), field="text", limit=NOTE_LIMIT
        )
    (note,) = await _keep(session, interview, actor, None, [text_evidence(cleaned)])
    return note


async def begin_notes(
    session: AsyncSession,
    catalog: DefinitionCatalog,
    person: Person,
    interview_id: int,
    now: datetime,
) -> tuple[ResponseSession, Interview]:
    """The interviewer's notes conversation on the interview, started (or resumed); refused to
    anyone else, and before the interview starts."""
    interview = await session.get(Interview, interview_id)
    if interview is None or interview.interviewer_id != person.id:
        raise NotFound(N_("Only the interviewer records notes of this interview."))
    meeting = await session.get_one(Meeting, interview.meeting_id)
    if meeting.cancelled_at is not None:
        raise Conflict(N_("This interview was cancelled."))
    if meeting.starts_at > now:
        raise Conflict(N_("Notes are recorded from the interview's start."))
    response = await open_draft(session, catalog, person, NOTES, {"interview_id": interview.id})
    return response, interview


async def settle(session: AsyncSession, finished: Finished) -> list[InterviewNote]:
    """The completed notes conversation, kept with its interview; its draft is no longer
    needed."""
    person = finished.person
    assert person is not None, "only a registered person records notes"
    draft = await session.get_one(ReportDraft, finished.response.id)
    interview = await session.get_one(Interview, draft.interview_id)
    items = evidence_of(finished.answers.get(EVIDENCE), draft.files)
    notes = await _keep(session, interview, Actor.person(person.id), person.id, items)
    await session.delete(draft)
    return notes


async def _keep(
    session: AsyncSession,
    interview: Interview,
    actor: Actor,
    person_id: int | None,
    items: list[EvidenceItem],
) -> list[InterviewNote]:
    notes = [
        InterviewNote(
            interview_id=interview.id,
            person_id=person_id,
            kind=item.kind,
            text=item.caption or item.url,
            telegram_file_id=item.telegram_file_id,
            stored_name=item.stored_name,
            size=item.size,
            mime_type=item.mime_type,
            sha256=item.sha256,
        )
        for item in items
    ]
    session.add_all(notes)
    await session.flush()
    await chain.about(
        session,
        interview,
        "interview.notes",
        actor,
        interview.secretariat_id,
        data={"notes": [{"kind": str(note.kind), "sha256": note.sha256} for note in notes]},
    )
    return notes


async def get_note(
    session: AsyncSession, secretariat_id: int, interview_id: int, note_id: int
) -> InterviewNote:
    """A note of the secretariat's interview, or NotFound."""
    interview = await get_interview(session, secretariat_id, interview_id)
    query = select(InterviewNote).where(
        InterviewNote.id == note_id, InterviewNote.interview_id == interview.id
    )
    return await one(session, query, N_("Note {id} not found."), note_id)
