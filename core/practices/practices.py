"""A secretariat's good practices: created and edited as drafts, submitted, validated,
published and withdrawn, each change in the audit chain; read by their secretariat in any
state, and by everyone once published.

States (``core.practices.states``): draft → submitted → validated → published; a practice
submitted, validated or published can be withdrawn. Only a draft is edited; submitting needs
every field a reader of the practice needs, and puts the practice before civil society in a
validation request whose outcome validates it or sends it back to draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from core.audit import chain
from core.audit.actor import Actor
from core.audit.changes import apply_changes, record_update
from core.errors import InvalidInput
from core.infra.values import Cleaners, at_most, clean_fields, one_of, storable, text
from core.models import (
    Person,
    Practice,
    PracticeState,
    PracticeTheme,
)
from core.plans.editable import check_version
from core.policy import priority_numbers
from core.practices import search, states
from core.practices.links import refuse_foreign_links, replace_links
from core.practices.reading import PracticeView, load_practice, view
from core.validation import outcome, requests
from i18n import N_

LONG_TEXT_LIMIT = 20_000
ROLE_LIMIT = 200
# Links to indicators or evidence one practice holds.
LINK_LIMIT = 50
# What a practice needs before it is submitted, in the order a form shows them.
REQUIRED = ("problem", "pna_priority", "actions", "results", "contact_role", "theme")
SEARCHED = ("title", "problem", "actions", "results")


def _optional_text(field: str, limit: int = LONG_TEXT_LIMIT) -> Callable[[Any], str | None]:
    def clean(value: Any) -> str | None:
        cleaned = str(value).strip() if value is not None else ""
        return storable(at_most(cleaned, field, limit), field) or None

    return clean


def _priority(value: Any) -> int | None:
    return None if value is None else priority_numbers([value], "pna_priority")[0]


def _theme(value: Any) -> PracticeTheme | None:
    if value is None:
        return None
    return one_of(
        PracticeTheme, value, "theme", N_("Unknown theme {value}; use one of: {choices}.")
    )


def _ids(field: str) -> Any:
    def clean(values: Iterable[Any] | None) -> list[int]:
        if isinstance(values, str | bytes) or any(
            isinstance(value, bool) or not isinstance(value, int) for value in values or ()
        ):
            raise InvalidInput(N_("The {field} must be a list of numbers."), field=field)
        ids = sorted(set(values or ()))
        if len(ids) > LINK_LIMIT:
            raise InvalidInput(
                N_("A practice links at most {limit} items in {field}."),
                field=field,
                limit=LINK_LIMIT,
            )
        return ids

    return clean


FIELDS: Cleaners = {
    "title": text,
    "problem": _optional_text("problem"),
    "pna_priority": _priority,
    "pea_priority": _optional_text("pea_priority"),
    "actions": _optional_text("actions"),
    "results": _optional_text("results"),
    "contact_role": _optional_text("contact_role", ROLE_LIMIT),
    "theme": _theme,
    "indicator_ids": _ids("indicator_ids"),
    "evidence_ids": _ids("evidence_ids"),
}
LINKS = ("indicator_ids", "evidence_ids")


def _reindex(practice: Practice) -> None:
    practice.search_text = search.search_document(getattr(practice, name) for name in SEARCHED)


async def create_practice(
    session: AsyncSession, secretariat_id: int, actor: Actor, *, title: str, **fields: Any
) -> PracticeView:
    """A new draft practice of the secretariat, with the fields given."""
    values = clean_fields({"title": title, **fields}, FIELDS)
    await refuse_foreign_links(session, secretariat_id, values)
    practice = Practice(
        secretariat_id=secretariat_id,
        **{name: value for name, value in values.items() if name not in LINKS},
    )
    _reindex(practice)
    await chain.about(
        session, practice, "practice.create", actor, secretariat_id,
        data={"title": practice.title},
    )  # fmt: skip
    await replace_links(session, practice, values)
    return await view(session, practice)


async def update_practice(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    practice_id: int,
    *,
    version: int,
    **fields: Any,
) -> PracticeView:
    """Change the fields given of the draft the editor last read as ``version``."""
    practice = await load_practice(session, secretariat_id, practice_id)
    check_version(practice.version, version)
    if practice.state != PracticeState.DRAFT:
        raise InvalidInput(
            N_("Practice {id} can be changed only while it is a draft."), id=practice.id
        )
    values = clean_fields(fields, FIELDS)
    await refuse_foreign_links(session, secretariat_id, values)
    before = await view(session, practice)
    change = apply_changes(
        practice, {name: value for name, value in values.items() if name not in LINKS}
    )
    for field in LINKS:
        if field in values and values[field] != getattr(before, field):
            change["before"][field] = getattr(before, field)
            change["after"][field] = values[field]
    if change["after"]:
        _reindex(practice)
        # A change of links alone is a change of the practice too: its version moves on.
        flag_modified(practice, "search_text")
        await replace_links(session, practice, values)
        await record_update(session, actor, "practice", practice, secretariat_id, None, change)
    return await view(session, practice)


async def _move(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    practice_id: int,
    version: int,
    *,
    to: PracticeState,
    refusal: str,
) -> Practice:
    practice = await load_practice(session, secretariat_id, practice_id)
    check_version(practice.version, version)
    await states.move(session, practice, actor, to, refusal)
    return practice


async def submit(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    practice_id: int,
    version: int,
    *,
    validators: Sequence[Person] | None = None,
) -> PracticeView:
    """Submit the draft to civil society: a validation request asks the secretariat's
    validators in chat (or the ``validators`` given, as the demo's). Refused naming what the
    draft still lacks, or when nobody can be asked."""
    practice = await load_practice(session, secretariat_id, practice_id)
    missing = [name for name in REQUIRED if getattr(practice, name) is None]
    if practice.state == PracticeState.DRAFT and missing:
        raise InvalidInput(
            N_("Before it is submitted, the practice needs: {fields}."),
            field=missing[0],
            fields=", ".join(missing),
        )
    moved = await _move(
        session, secretariat_id, actor, practice_id, version,
        to=PracticeState.SUBMITTED,
        refusal=N_("Only a draft can be submitted; practice {id} is not one."),
    )  # fmt: skip
    await requests.request_practice_validation(session, moved, actor, validators=validators)
    return await view(session, moved)


async def publish(
    session: AsyncSession, secretariat_id: int, actor: Actor, practice_id: int, version: int
) -> PracticeView:
    """Publish the practice civil society validated: every secretariat finds it then."""
    moved = await _move(
        session, secretariat_id, actor, practice_id, version,
        to=PracticeState.PUBLISHED,
        refusal=N_(
            "Practice {id} is not validated by civil society yet; only then can it be published."
        ),
    )  # fmt: skip
    return await view(session, moved)


async def withdraw(
    session: AsyncSession, secretariat_id: int, actor: Actor, practice_id: int, version: int
) -> PracticeView:
    """Withdraw a submitted, validated or published practice; nobody else finds it then, and
    its validation, if still open, ends."""
    moved = await _move(
        session, secretariat_id, actor, practice_id, version,
        to=PracticeState.WITHDRAWN,
        refusal=N_(
            "Practice {id} cannot be withdrawn: only a submitted, validated or published one can."
        ),
    )  # fmt: skip
    await outcome.end_with_practice(session, moved.id)
    return await view(session, moved)
