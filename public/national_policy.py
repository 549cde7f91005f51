"""``/politica-nacional``: the national policy's ejes, objectives and 40 priorities, each with
the lines of action of every secretariat that cite it; filtered by eje, objective, priority."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request, Response

from core.policy import national_policy
from core.public.national_policy import by_priority, citing_lines
from public.deps import Pages, Reading
from public.policy_filter import chosen_filter, filter_context
from public.rendering import COUNTRY_ZONE, render

router = APIRouter()


@router.get("/politica-nacional")
async def policy_page(request: Request, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        policy = national_policy()
        chosen = chosen_filter(request)
        cited_by = by_priority(await citing_lines(session))
        ejes = []
        for eje in policy.ejes:
            if chosen.eje is not None and eje.number != chosen.eje:
                continue
            objectives = [
                item
                for item in policy.objectives
                if item.eje == eje.number
                and (chosen.objective is None or item.number == chosen.objective)
            ]
            if not objectives:
                continue
            priorities = [
                {"priority": item, "lines": cited_by.get(item.number, [])}
                for item in policy.priorities
                if item.eje == eje.number and item.number in chosen.numbers
            ]
            # The source does not say which priorities an objective holds: chosen by objective,
            # its eje shows with none rather than vanish.
            if priorities or chosen.objective is not None:
                ejes.append({"eje": eje, "objectives": objectives, "priorities": priorities})
        return render(
            request,
            "national_policy.html",
            {
                "approved": date.fromisoformat(policy.approved),
                "ejes": ejes,
                **filter_context(request, chosen, "/politica-nacional"),
            },
        )

    return await pages.respond(request, session, today, build)
