"""``/buenas-practicas``: the published good practices of every secretariat, searched in Spanish
and filtered by the national policy, secretariat and theme, with a form that needs no script;
``/buenas-practicas/{id}``: one practice, what backs it and who adopted it."""

from __future__ import annotations

from datetime import datetime
from math import ceil
from typing import Any

from fastapi import APIRouter, Request, Response

from core.models import PracticeTheme
from core.people.roles import SECTOR_LABELS
from core.people.secretariats import secretariat_by_slug
from core.policy import national_policy
from core.practices.themes import THEME_LABELS
from core.public.national_policy import choose
from core.public.practices import Wanted, catalogue, practice_page, publishers
from i18n import N_
from public.advance import CHOICES, OUTCOMES, address_id, evidence_view
from public.deps import Pages, PublicNotFound, Reading
from public.indicator_chart import chart
from public.rendering import COUNTRY_ZONE, render, url_for_page
from public.secretariat import FREQUENCIES

router = APIRouter()

PAGE_SIZE = 30
# Characters of a search that are read: more words than the search looks for (16).
QUERY_LIMIT = 200
# A longer value is no secretariat's address, nor any page of the catalogue.
SLUG_LIMIT = 100
PAGE_DIGITS = 4
NOT_PUBLISHED = N_("No good practice is published at this address.")
NO_EVIDENCE = N_("The secretariat has linked no public evidence to this practice.")
LEVELS = {"objective": N_("Line of action"), "activity": N_("Activity")}


def _page_number(text: str | None) -> int:
    value = (text or "").strip()
    if value.isascii() and value.isdigit() and len(value) <= PAGE_DIGITS and int(value) > 0:
        return int(value)
    return 1


def _theme(text: str) -> PracticeTheme | None:
    try:
        return PracticeTheme(text)
    except ValueError:
        return None


@router.get("/buenas-practicas")
async def practices_page(request: Request, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()
    asked = request.query_params

    async def build() -> Response:
        policy = national_policy()
        chosen = choose(policy, asked)
        raw = asked.get("q", "").strip()
        words = raw[:QUERY_LIMIT]
        unknown = []
        slug = asked.get("secretaria", "").strip()
        secretariat = None
        if slug:
            # A control character (NUL above all) is in no address, and no database takes it.
            if len(slug) <= SLUG_LIMIT and slug.isprintable():
                secretariat = await secretariat_by_slug(session, slug)
            if secretariat is None:
                unknown.append("secretaria")
        theme_text = asked.get("tema", "").strip()
        theme = _theme(theme_text)
        if theme_text and theme is None:
            unknown.append("tema")
        number = _page_number(asked.get("pagina"))
        wanted = Wanted(chosen, words or None, secretariat.id if secretariat else None, theme)
        found = await catalogue(session, wanted, limit=PAGE_SIZE, offset=(number - 1) * PAGE_SIZE)
        kept: dict[str, Any] = {
            "q": words or None,
            **chosen.query(),
            "secretaria": secretariat.slug if secretariat else None,
            "tema": theme.value if theme else None,
        }
        pages_count = ceil(found.total / PAGE_SIZE) if found else 0
        return render(
            request,
            "practices.html",
            {
                "policy": policy,
                "chosen": chosen,
                "words": words,
                "cut": len(raw) > QUERY_LIMIT,
                "query_limit": QUERY_LIMIT,
                "found": found,
                "filtered": bool(words) or chosen.active or secretariat or theme,
                "unknown": unknown,
                "secretariat": secretariat,
                "theme": theme,
                "publishers": await publishers(session),
                "themes": THEME_LABELS,
                "page": number,
                "pages": pages_count,
                "previous": url_for_page(request, "/buenas-practicas", **kept, pagina=number - 1)
                if number > 1
                else None,
                "next": url_for_page(request, "/buenas-practicas", **kept, pagina=number + 1)
                if number < pages_count
                else None,
                "href": lambda practice_id: url_for_page(
                    request, f"/buenas-practicas/{practice_id}"
                ),
                "clear": url_for_page(request, "/buenas-practicas"),
                "keep_language": asked.get("lang"),
            },
        )

    return await pages.respond(request, session, today, build)


@router.get("/buenas-practicas/{practice_id}")
async def practice(request: Request, practice_id: str, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()
    wanted = address_id(practice_id, NOT_PUBLISHED)

    async def build() -> Response:
        found = await practice_page(session, wanted)
        if found is None:
            raise PublicNotFound(NOT_PUBLISHED)
        return render(
            request,
            "practice.html",
            {
                "page": found,
                "practice": found.practice,
                "themes": THEME_LABELS,
                "levels": LEVELS,
                "frequencies": FREQUENCIES,
                "charts": {item.id: chart(item) for item in found.indicators},
                "evidence": [evidence_view(request, item) for item in found.evidence],
                "no_evidence": NO_EVIDENCE,
                "choices": CHOICES,
                "outcomes": OUTCOMES,
                "sectors": SECTOR_LABELS,
                "secretariat_href": url_for_page(request, f"/secretarias/{found.secretariat_slug}"),
                "plan_href": lambda slug, plan_id: url_for_page(
                    request, f"/secretarias/{slug}/planes/{plan_id}"
                ),
                "catalogue_href": url_for_page(request, "/buenas-practicas"),
            },
        )

    return await pages.respond(request, session, today, build)
