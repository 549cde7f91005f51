"""Reading good practices: a secretariat's own in any state, and the published ones of every
secretariat, found by their words and filters; each with its secretariat and what backs it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.infra.listing import Page, Sorting, given_filters, paginate
from core.infra.lookup import of_secretariat, one
from core.models import (
    Practice,
    PracticeEvidence,
    PracticeIndicator,
    PracticeState,
    PracticeTheme,
    Secretariat,
)
from core.practices import search
from i18n import N_


@dataclass(frozen=True, slots=True)
class PracticeView:
    """A practice as its readers see it: with its secretariat and what backs its results."""

    id: int
    secretariat_id: int
    secretariat_name: str
    secretariat_state: str
    state: PracticeState
    title: str
    problem: str | None
    pna_priority: int | None
    pea_priority: str | None
    actions: str | None
    results: str | None
    contact_role: str | None
    theme: PracticeTheme | None
    indicator_ids: list[int]
    evidence_ids: list[int]
    created_at: datetime
    submitted_at: datetime | None
    validated_at: datetime | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    version: int


SORTING = Sorting(
    {"id": Practice.id, "title": Practice.title, "published_at": Practice.published_at},
    default="-id",
    tie_breaker=Practice.id,
)


async def load_practice(session: AsyncSession, secretariat_id: int, practice_id: int) -> Practice:
    """The secretariat's practice ``practice_id`` in any state, or NotFound."""
    missing = N_("Practice {id} not found.")
    return await of_secretariat(session, Practice, secretariat_id, practice_id, missing)


async def views(session: AsyncSession, practices: Sequence[Practice]) -> list[PracticeView]:
    """Each practice with its secretariat and links, in three statements whatever their number."""
    ids = [practice.id for practice in practices]
    indicators: dict[int, list[int]] = defaultdict(list)
    evidence: dict[int, list[int]] = defaultdict(list)
    for practice_id, indicator_id in await session.execute(
        select(PracticeIndicator.practice_id, PracticeIndicator.indicator_id)
        .where(PracticeIndicator.practice_id.in_(ids))
        .order_by(PracticeIndicator.indicator_id)
    ):
        indicators[practice_id].append(indicator_id)
    for practice_id, evidence_id in await session.execute(
        select(PracticeEvidence.practice_id, PracticeEvidence.evidence_id)
        .where(PracticeEvidence.practice_id.in_(ids))
        .order_by(PracticeEvidence.evidence_id)
    ):
        evidence[practice_id].append(evidence_id)
    secretariats = {
        row.id: row
        for row in await session.scalars(
            select(Secretariat).where(
                Secretariat.id.in_({practice.secretariat_id for practice in practices})
            )
        )
    }
    return [
        PracticeView(
            id=practice.id,
            secretariat_id=practice.secretariat_id,
            secretariat_name=secretariats[practice.secretariat_id].name,
            secretariat_state=secretariats[practice.secretariat_id].state,
            state=practice.state,
            title=practice.title,
            problem=practice.problem,
            pna_priority=practice.pna_priority,
            pea_priority=practice.pea_priority,
            actions=practice.actions,
            results=practice.results,
            contact_role=practice.contact_role,
            theme=practice.theme,
            indicator_ids=indicators[practice.id],
            evidence_ids=evidence[practice.id],
            created_at=practice.created_at,
            submitted_at=practice.submitted_at,
            validated_at=practice.validated_at,
            published_at=practice.published_at,
            withdrawn_at=practice.withdrawn_at,
            version=practice.version,
        )
        for practice in practices
    ]


async def view(session: AsyncSession, practice: Practice) -> PracticeView:
    """One practice as its readers see it."""
    return (await views(session, [practice]))[0]


async def get_practice(
    session: AsyncSession, secretariat_id: int, practice_id: int
) -> PracticeView:
    """The secretariat's practice ``practice_id`` in any state, or NotFound."""
    return await view(session, await load_practice(session, secretariat_id, practice_id))


async def get_published(session: AsyncSession, practice_id: int) -> Practice:
    """The published practice ``practice_id`` of any secretariat, or NotFound."""
    query = select(Practice).where(
        Practice.id == practice_id, Practice.state == PracticeState.PUBLISHED
    )
    return await one(session, query, N_("Practice {id} not found."), practice_id)


async def list_practices(
    session: AsyncSession,
    secretariat_id: int,
    *,
    state: PracticeState | None = None,
    theme: PracticeTheme | None = None,
    priority: int | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[PracticeView]:
    """The secretariat's own practices in any state, newest first unless ``sort`` says."""
    query = select(Practice).where(
        Practice.secretariat_id == secretariat_id,
        *given_filters(
            (Practice.state, state), (Practice.theme, theme), (Practice.pna_priority, priority)
        ),
    )
    page = await paginate(session, query, SORTING, sort=sort, limit=limit, offset=offset)
    return Page(await views(session, page.items), page.total, page.limit, page.offset)


async def search_published(
    session: AsyncSession,
    *,
    query: str | None = None,
    priority: int | None = None,
    state: str | None = None,
    theme: PracticeTheme | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[PracticeView]:
    """Published practices of every secretariat matching the words and filters, newest first;
    a query with no word to look for finds nothing."""
    found = search.published(session, query=query, priority=priority, state=state, theme=theme)
    if found is None:
        return Page([], 0, limit, offset)
    page = await paginate(session, found, SORTING, sort="-published_at", limit=limit, offset=offset)
    return Page(await views(session, page.items), page.total, page.limit, page.offset)
