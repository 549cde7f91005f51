"""``/secretarias/{slug}``: a secretariat's current plan with its three statuses, timeline,
indicators and latest advances, and the survey results it published;
``/secretarias/{slug}/planes/{plan_id}``: another of its plans. With ``?eje=``, ``?objetivo=``
or ``?prioridad=``, a plan shows only its lines of action citing the national policy there."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from core.models import Frequency, ValidationState
from core.people.secretariats import secretariat_by_slug
from core.public.pace import MARGIN, Pace
from core.public.practices import published_of
from core.public.secretariat import NoSuchPlan, secretariat_page
from core.public.survey_results import published_surveys
from core.reporting.labels import STATUS_LABELS
from i18n import N_, locale_of
from public.deps import Pages, PublicNotFound, Reading
from public.feeds import secretariat_feed
from public.gantt import gantt
from public.indicator_chart import chart
from public.page_cache import PageCache
from public.policy_filter import LINES, chosen_filter, filter_context
from public.rendering import COUNTRY_ZONE, language_of, render, url_for_page

router = APIRouter()

# Ids are kept well inside the database's integers: a longer one cannot be a plan's.
MAX_ID_DIGITS = 9

PACES = {
    Pace.FINISHED: N_("Finished"),
    Pace.ON_SCHEDULE: N_("On schedule"),
    Pace.BEHIND: N_("Behind schedule"),
    Pace.NO_TASKS: N_("No tasks yet"),
}
FREQUENCIES = {
    Frequency.MONTHLY: N_("monthly"),
    Frequency.QUARTERLY: N_("quarterly"),
    Frequency.SEMIANNUAL: N_("every six months"),
    Frequency.ANNUAL: N_("yearly"),
    Frequency.DATES: N_("on set dates"),
}
# How an advance stands, by its latest request; validated and disputed ones also say by how
# many (in the template).
STATES = {
    ValidationState.OPEN: N_("Waiting for validators"),
    ValidationState.EXPIRED: N_("Expired without a verdict"),
    ValidationState.INCONCLUSIVE: N_("Closed without a verdict: the answers did not agree"),
}


def _plan_id(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS else None


async def _respond(
    request: Request, session: AsyncSession, pages: PageCache, slug: str, plan_id: str | None
) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        secretariat = await secretariat_by_slug(session, slug)
        if secretariat is None:
            raise PublicNotFound(N_("No secretariat is published at this address."))
        wanted = None if plan_id is None else _plan_id(plan_id)
        if plan_id is not None and wanted is None:
            raise PublicNotFound(N_("This secretariat has no plan at this address."))
        chosen = chosen_filter(request)
        numbers = chosen.numbers if chosen.active else None
        try:
            page = await secretariat_page(session, secretariat, today, wanted, numbers)
        except NoSuchPlan:
            raise PublicNotFound(N_("This secretariat has no plan at this address.")) from None
        base = f"/secretarias/{secretariat.slug}"

        def address(plan_id: int) -> str:
            return base if plan_id == page.current_id else f"{base}/planes/{plan_id}"

        plans = [
            {
                "link": link,
                # Another plan opens filtered as this one is.
                "href": url_for_page(request, address(link.id), **chosen.query()),
                "shown": page.plan is not None and link.id == page.plan.id,
                "current": link.id == page.current_id,
            }
            for link in page.plans
        ]
        plan = page.plan
        language = language_of(request)
        locale = locale_of(language)
        min_group = request.app.state.settings.results_min_group
        surveys = await published_surveys(
            session,
            request.app.state.catalog,
            secretariat.id,
            language=language,
            min_group=min_group,
        )
        return render(
            request,
            "secretariat.html",
            {
                "page": page,
                "plan": plan,
                "plans": plans,
                "current_href": url_for_page(request, base),
                "join_href": url_for_page(request, f"{base}/validar"),
                "feed": url_for_page(request, secretariat_feed(slug)),
                "today": today,
                "gantt": plan and gantt(plan.activities, plan.start, plan.finish, today, locale),
                "charts": {i.id: chart(i) for i in plan.indicators} if plan else {},
                "advance_href": lambda report_id: url_for_page(request, f"/avances/{report_id}"),
                "paces": PACES,
                "statuses": STATUS_LABELS,
                "frequencies": FREQUENCIES,
                "states": STATES,
                "margin": MARGIN,
                "surveys": surveys,
                "min_group": min_group,
                "practices": await published_of(session, secretariat.id),
                "practice_href": lambda practice_id: url_for_page(
                    request, f"/buenas-practicas/{practice_id}"
                ),
                **filter_context(request, chosen, address(plan.id) if plan else base, LINES),
            },
        )

    return await pages.respond(request, session, today, build)


@router.get("/secretarias/{slug}")
async def secretariat(request: Request, slug: str, session: Reading, pages: Pages) -> Response:
    return await _respond(request, session, pages, slug, None)


@router.get("/secretarias/{slug}/planes/{plan_id}")
async def plan(
    request: Request, slug: str, plan_id: str, session: Reading, pages: Pages
) -> Response:
    return await _respond(request, session, pages, slug, plan_id)
