"""Good practices as the public site shows them: the catalogue of the published ones of every
secretariat, found by their words and filtered; one practice with what backs it and who adopted
it; a secretariat's own published practices.

Only published practices are shown. Nothing here names a person: a practice names the role to
contact, and its adopters are secretariats.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ScalarSelect, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import NotFound
from core.infra.listing import paginate
from core.models import (
    Evidence,
    PeaPriority,
    Practice,
    PracticeAdoption,
    PracticeState,
    PracticeTheme,
    Secretariat,
    ValidationRequest,
    ValidationState,
)
from core.policy import Eje, Priority, national_policy
from core.practices import search
from core.practices.adoption import Adopter, adopters
from core.practices.reading import SORTING, PracticeView, get_published, view
from core.public.advance import PublicEvidence, PublicValidation, public_validation, shown_evidence
from core.public.national_policy import PolicyFilter
from core.public.secretariat import IndicatorView, indicators_by_id


@dataclass(frozen=True, slots=True)
class Entry:
    """A published practice as the catalogue lists it."""

    id: int
    title: str
    problem: str | None
    pna_priority: int | None
    theme: PracticeTheme | None
    published_at: datetime | None
    secretariat_slug: str
    secretariat_name: str
    secretariat_state: str
    adoptions: int


@dataclass(frozen=True, slots=True)
class Catalogue:
    entries: list[Entry]
    total: int


@dataclass(frozen=True, slots=True)
class Wanted:
    """What a visitor looks for: words, the national policy's filter, a secretariat, a theme."""

    policy: PolicyFilter
    words: str | None = None
    secretariat_id: int | None = None
    theme: PracticeTheme | None = None


def _adoptions() -> ScalarSelect[int]:
    return (
        select(func.count(PracticeAdoption.id))
        .where(PracticeAdoption.practice_id == Practice.id)
        .scalar_subquery()
    )


async def catalogue(
    session: AsyncSession, wanted: Wanted, *, limit: int, offset: int
) -> Catalogue | None:
    """One page of the published practices matching ``wanted``, newest first, in two
    statements; None when the words hold nothing to look for."""
    found = search.published(session, query=wanted.words, theme=wanted.theme)
    if found is None:
        return None
    if wanted.policy.active:
        found = found.where(Practice.pna_priority.in_(wanted.policy.numbers))
    if wanted.secretariat_id is not None:
        found = found.where(Practice.secretariat_id == wanted.secretariat_id)
    listed = found.join(Secretariat, Secretariat.id == Practice.secretariat_id).with_only_columns(
        Practice.id,
        Practice.title,
        Practice.problem,
        Practice.pna_priority,
        Practice.theme,
        Practice.published_at,
        Secretariat.slug,
        Secretariat.name,
        Secretariat.state,
        _adoptions(),
    )
    page = await paginate(
        session, listed, SORTING, sort="-published_at", limit=limit, offset=offset, whole_rows=True
    )
    return Catalogue([Entry(*row) for row in page.items], page.total)


@dataclass(frozen=True, slots=True)
class PracticePage:
    practice: PracticeView
    secretariat_slug: str
    priority: Priority | None
    eje: Eje | None
    pea_title: str | None
    indicators: list[IndicatorView]
    evidence: list[PublicEvidence]
    adopters: list[Adopter]
    # The request whose outcome validated it, with its votes; None for a practice published
    # before practices were validated in chat.
    validation: PublicValidation | None


async def practice_page(session: AsyncSession, practice_id: int) -> PracticePage | None:
    """The published practice ``practice_id`` with what backs it and who adopted it, in a
    dozen statements whatever their number; None unless it is published."""
    try:
        practice = await get_published(session, practice_id)
    except NotFound:
        return None
    shown = await view(session, practice)
    secretariat = await session.get_one(Secretariat, practice.secretariat_id)
    policy = national_policy()
    priority = policy.priority(practice.pna_priority) if practice.pna_priority else None
    pea_title = None
    if practice.pea_priority is not None:
        pea_title = await session.scalar(
            select(PeaPriority.title).where(
                PeaPriority.secretariat_id == practice.secretariat_id,
                PeaPriority.code == practice.pea_priority,
            )
        )
    evidence = await session.scalars(
        select(Evidence)
        .where(Evidence.id.in_(shown.evidence_ids), Evidence.public.is_(True))
        .order_by(Evidence.id)
    )
    return PracticePage(
        shown,
        secretariat.slug,
        priority,
        policy.eje(priority.eje) if priority else None,
        pea_title,
        await indicators_by_id(session, shown.indicator_ids),
        [shown_evidence(item) for item in evidence],
        await adopters(session, practice.id),
        await _validated_by(session, practice.id),
    )


async def _validated_by(session: AsyncSession, practice_id: int) -> PublicValidation | None:
    request = await session.scalar(
        select(ValidationRequest)
        .where(
            ValidationRequest.practice_id == practice_id,
            ValidationRequest.state == ValidationState.VALIDATED,
        )
        .order_by(ValidationRequest.id.desc())
        .limit(1)
    )
    return await public_validation(session, request) if request is not None else None


@dataclass(frozen=True, slots=True)
class Published:
    id: int
    title: str
    published_at: datetime | None


async def published_of(session: AsyncSession, secretariat_id: int) -> list[Published]:
    """The secretariat's published practices, newest first."""
    rows = await session.execute(
        select(Practice.id, Practice.title, Practice.published_at)
        .where(Practice.secretariat_id == secretariat_id, Practice.state == PracticeState.PUBLISHED)
        .order_by(Practice.published_at.desc(), Practice.id.desc())
    )
    return [Published(*row) for row in rows]


@dataclass(frozen=True, slots=True)
class Publisher:
    slug: str
    name: str


async def publishers(session: AsyncSession) -> list[Publisher]:
    """The secretariats with at least one published practice, by name."""
    rows = await session.execute(
        select(Secretariat.slug, Secretariat.name)
        .where(
            Secretariat.id.in_(
                select(Practice.secretariat_id).where(Practice.state == PracticeState.PUBLISHED)
            )
        )
        .order_by(Secretariat.name)
    )
    return [Publisher(*row) for row in rows]
