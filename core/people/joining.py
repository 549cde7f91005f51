"""Joining by invitation: the conversation that asks consent, name and, for civil society,
sector and organisation; and what happens when it completes.

The conversation is an ordinary engine definition, made here because its consent carries the
privacy notice version of the settings. Until it completes there is no person: the response
session belongs to the Telegram account and the invitation. Completing turns it into the
person; declining or cancelling keeps nothing. An invitation bound to a person who already
exists asks consent and only what that person's record lacks; completing links the account to
them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from conversations.definition import Definition, parse_definition
from core.chat import campaigns
from core.chat.finished import Finished
from core.errors import NotFound
from core.meetings import meetings
from core.models import (
    Invitation,
    Person,
    ResponseSession,
    ResponseStatus,
    Role,
    Secretariat,
    utcnow,
)
from core.people import invitations, people
from i18n import LANGUAGES, N_, gettext

JOINING = "joining"
JOINING_CIVIL_SOCIETY = "joining_civil_society"
# For a person who already exists, by what their record lacks.
JOINING_KNOWN = {
    (): "joining_known",
    ("name",): "joining_known_name",
    ("organisation",): "joining_known_organisation",
    ("name", "organisation"): "joining_known_name_organisation",
}
DEFINITION_IDS = (JOINING, JOINING_CIVIL_SOCIETY, *JOINING_KNOWN.values())
VERSION = 1

PRIVACY_NOTICE = N_(
    "Privacy notice. The Executive Secretariat that invited you keeps your name, your Telegram "
    "account, your sector and organisation, your language and your answers, only to plan and "
    "follow its anticorruption work together with civil society. Answers to anonymous surveys "
    "are not linked to you. Nothing is shared with third parties. At any time you can see what "
    "we hold about you with /mis_datos and erase it with /borrar_mis_datos."
)

LINKED = N_(
    "Your secretariat already had a record of you: it is now linked to this Telegram account."
)


def translated(message: str) -> dict[str, str]:
    return {language: gettext(language, message) for language in LANGUAGES}


def definitions(privacy_notice_version: str) -> list[Definition]:
    """The joining conversations: for staff, for civil society, and for a person who already
    exists (one for each set of answers their record may lack)."""
    name = {
        "id": "name",
        "type": "text",
        "max_length": 200,
        "text": translated(N_("What is your full name?")),
        "hint": translated(N_("It is how your secretariat will see you.")),
    }
    organisation = {
        "id": "organisation",
        "type": "text",
        "required": False,
        "max_length": 200,
        "text": translated(N_("Which organisation or institution do you belong to?")),
        "hint": translated(N_("Skip this question if you take part on your own.")),
    }
    common = {
        "version": VERSION,
        "kind": "form",
        "title": translated(N_("Joining")),
        "consent": {
            "version": privacy_notice_version,
            "text": translated(PRIVACY_NOTICE),
        },
        "completion": translated(N_("Thank you, you are registered.")),
    }
    by_field = {"name": name, "organisation": organisation}
    # What closes a known person's joining; it also gives the one with nothing to ask a step.
    linked = {"id": "linked", "type": "note", "text": translated(LINKED)}
    asked = {
        JOINING: [name],
        # The sector is the invitation's: validation spreads its requests over sectors.
        JOINING_CIVIL_SOCIETY: [name, organisation],
        **{
            definition_id: [*(by_field[field] for field in lacking), linked]
            for lacking, definition_id in JOINING_KNOWN.items()
        },
    }
    return [
        parse_definition({**common, "id": definition_id, "questions": listed}, definition_id)
        for definition_id, listed in asked.items()
    ]


async def conversation_for(session: AsyncSession, invitation: Invitation) -> str:
    """The joining conversation an invitation calls for; a bound one whose person can no longer
    be joined as is refused at once, before anything is asked."""
    person = await invitations.bound_person(session, invitation)
    if person is None:
        return JOINING_CIVIL_SOCIETY if invitation.role == Role.CIVIL_SOCIETY else JOINING
    people.ensure_linkable(person)
    lacking = {
        "name": not person.name,
        "organisation": person.has_role(Role.CIVIL_SOCIETY) and not person.organisation,
    }
    return JOINING_KNOWN[tuple(field for field, missing in lacking.items() if missing)]


@dataclass(frozen=True)
class Joined:
    """A completed joining: the person it made (or linked), the name of their secretariat, and
    whether surveys already wait for them."""

    person: Person
    secretariat: str
    surveys_waiting: bool


async def settle(session: AsyncSession, finished: Finished) -> Joined:
    """Create (or link) the person of a completed joining conversation, spending its invitation.

    The conversation itself is removed: what it gathered now lives in the person.
    """
    response, answers = finished.response, finished.answers
    invitation = await session.get(Invitation, response.invitation_id, with_for_update=True)
    if invitation is None or response.telegram_id is None:
        raise NotFound(N_("That invitation code is not valid."))
    person = await invitations.redeem(
        session,
        invitation,
        telegram_id=response.telegram_id,
        telegram_username=finished.telegram_username,
        name=answers.get("name"),
        language=finished.state.language,
        consent_version=finished.state.consent or "",
        organisation=answers.get("organisation"),
    )
    await session.delete(response)
    await session.flush()
    secretariat = await session.get(Secretariat, person.secretariat_id)
    await meetings.welcome(session, person, utcnow())
    return Joined(
        person,
        secretariat.name if secretariat else "",
        bool(await campaigns.welcome(session, person)),
    )


async def under_way(session: AsyncSession, telegram_id: int) -> ResponseSession | None:
    """The joining conversation this Telegram account has under way, if any."""
    return await session.scalar(
        select(ResponseSession)
        .where(
            ResponseSession.telegram_id == telegram_id,
            ResponseSession.person_id.is_(None),
            ResponseSession.status == ResponseStatus.ACTIVE,
            ResponseSession.definition_id.in_(DEFINITION_IDS),
        )
        .order_by(ResponseSession.id.desc())
        .limit(1)
    )
