"""The filter by the national policy's eje, specific objective and priority as every public page
shows it: the form that chooses it, what the page says it keeps, the values it left out, and
the link that clears it (``policy_filter_form.html``, ``policy_filter_notice.html``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request

from core.policy import national_policy
from core.public.national_policy import PolicyFilter, choose
from i18n import N_
from public.deps import PublicRefusal
from public.rendering import url_for_page


@dataclass(frozen=True, slots=True)
class Kept:
    """What a page says it keeps when filtered by a priority, an objective or an eje (message
    ids taking the number as ``{n}``), and the words of the link that clears the filter."""

    priority: str
    objective: str
    eje: str
    clear: str


SECRETARIATS = Kept(
    N_(
        "Only the secretariats whose current plan has a line of action citing priority {n} of "
        "the national policy are listed."
    ),
    N_(
        "Only the secretariats whose current plan has a line of action citing a priority of "
        "objective {n} of the national policy are listed."
    ),
    N_(
        "Only the secretariats whose current plan has a line of action citing a priority of "
        "axis {n} of the national policy are listed."
    ),
    N_("Show every secretariat"),
)
LINES = Kept(
    N_(
        "Only the lines of action citing priority {n} of the national policy are shown, with "
        "their activities, indicators and advances; the figures at a glance are the whole plan's."
    ),
    N_(
        "Only the lines of action citing a priority of objective {n} of the national policy are "
        "shown, with their activities, indicators and advances; the figures at a glance are the "
        "whole plan's."
    ),
    N_(
        "Only the lines of action citing a priority of axis {n} of the national policy are "
        "shown, with their activities, indicators and advances; the figures at a glance are the "
        "whole plan's."
    ),
    N_("Show every line of action"),
)
FILES = Kept(
    N_(
        "The links below give only the rows under lines of action citing priority {n} of the "
        "national policy."
    ),
    N_(
        "The links below give only the rows under lines of action citing a priority of "
        "objective {n} of the national policy."
    ),
    N_(
        "The links below give only the rows under lines of action citing a priority of axis "
        "{n} of the national policy."
    ),
    N_("Every row"),
)


# Why a file refuses a value of the filter, by parameter: a page leaves the value out and says
# so (``policy_unknown.html``), but a file left unfiltered would pass for a filtered one.
UNKNOWN = {
    "eje": N_("The national policy has no such axis: eje takes a number from 1 to {last}."),
    "objetivo": N_(
        "The national policy has no such objective: objetivo takes a number from 1 to {last}."
    ),
    "prioridad": N_(
        "The national policy has no such priority: prioridad takes a number from 1 to {last}."
    ),
}


def chosen_filter(request: Request) -> PolicyFilter:
    """The filter the request's ``?eje=``, ``?objetivo=`` and ``?prioridad=`` choose."""
    return choose(national_policy(), request.query_params)


def strict_filter(request: Request) -> PolicyFilter:
    """The filter the request chooses; a value the policy does not have is refused (400)."""
    chosen = chosen_filter(request)
    if chosen.unknown:
        policy = national_policy()
        counts = {
            "eje": len(policy.ejes),
            "objetivo": len(policy.objectives),
            "prioridad": len(policy.priorities),
        }
        name = chosen.unknown[0]
        raise PublicRefusal(UNKNOWN[name], last=counts[name])
    return chosen


def filter_context(
    request: Request, chosen: PolicyFilter, path: str, kept: Kept | None = None, **others: Any
) -> dict[str, Any]:
    """What the filter's templates read: the filter, the policy it chooses from, the page its
    form goes to, what the page keeps, and the link clearing the filter (keeping ``others``)."""
    return {
        "chosen": chosen,
        "policy": national_policy(),
        "filter_action": path,
        "kept": kept,
        "clear": url_for_page(request, path, **others),
        "keep_language": request.query_params.get("lang"),
    }
