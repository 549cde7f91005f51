"""The campaigns a coordinator reaches, by secretariat, each with its state, its dates and the
links to its results and exports."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape

from admin.pages.layout import document, link, paragraph, translator
from conversations.definition import localize
from core.models import Campaign, CampaignState, Secretariat, utcnow
from core.notify.reminders import long_date
from core.people.people import local_date
from i18n import N_

STATES = {
    CampaignState.DRAFT: N_("Draft"),
    CampaignState.SCHEDULED: N_("Scheduled"),
    CampaignState.OPEN: N_("Open"),
    CampaignState.PAUSED: N_("Paused"),
    CampaignState.CLOSED: N_("Closed"),
}


def render(found: Sequence[tuple[Secretariat, Sequence[Campaign]]], language: str) -> str:
    """The page: a table of campaigns under each secretariat's name."""
    _ = translator(language)
    now = utcnow()
    parts: list[str] = []
    for secretariat, campaigns in found:
        parts.append(f"<h2>{escape(secretariat.name)}</h2>")
        if not campaigns:
            parts.append(paragraph(_("No campaigns yet.")))
            continue
        header = [_("Campaign"), _("State"), _("Opens"), _("Closes"), _("Results")]
        head = "".join(f'<th scope="col">{escape(name)}</th>' for name in header)
        rows = "".join(_row(secretariat, campaign, language, now) for campaign in campaigns)
        caption = escape(_("Campaigns of {name}", name=secretariat.name))
        parts.append(f"<table><caption>{caption}</caption><tr>{head}</tr>{rows}</table>")
    if not found:
        parts.append(paragraph(_("No campaigns yet.")))
    return document(_("Campaigns"), parts, language, signed_in=True)


def _row(secretariat: Secretariat, campaign: Campaign, language: str, now: datetime) -> str:
    _ = translator(language)
    base = f"/secretariats/{secretariat.id}/campaigns/{campaign.id}"
    title = localize(campaign.title, language) or campaign.definition_id
    cells = [
        escape(title),
        escape(_(STATES[campaign.state_at(now)])),
        escape(_day(campaign.opens_at or campaign.launched_at, secretariat, language)),
        escape(_day(campaign.closes_at, secretariat, language)),
        " · ".join(
            [
                link(base + "/results.html", _("See"), lang=language),
                link(base + "/export.xlsx", "Excel", lang=language),
                link(base + "/export.csv", "CSV", lang=language),
            ]
        ),
    ]
    return "<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def _day(moment: datetime | None, secretariat: Secretariat, language: str) -> str:
    """The day on the secretariat's calendar: a campaign closing at 23:59 there closes that day."""
    return long_date(local_date(secretariat, moment), language) if moment else "—"
