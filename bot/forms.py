"""What the product's own forms do when their conversation completes in chat.

A task's report conversation becomes a progress report; an absence conversation becomes an
absence. Either may be refused by the rules of ``core`` (a task finished by a colleague
meanwhile, dates already past): the caller then keeps nothing and shows the reason.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from core.chat import report_drafts
from core.chat.my_tasks import STATUS_LABELS
from core.models import Person, ResponseSession, TaskStatus, utcnow
from core.notify.reminders import long_date
from core.people import absences
from i18n import N_, gettext, ngettext

DEFINITION_IDS = (report_drafts.REPORT, absences.ABSENCE)


def local_today(person: Person) -> date:
    return utcnow().astimezone(ZoneInfo(person.time_zone)).date()


async def settle(
    session: AsyncSession, response: ResponseSession, answers: dict[str, Any], person: Person
) -> str:
    """Act on a completed form; the message that tells the person what was done."""
    language = person.language
    if response.definition_id == absences.ABSENCE:
        starts_on = date.fromisoformat(answers["starts_on"])
        ends_on = date.fromisoformat(answers["ends_on"])
        await absences.record(session, person, starts_on, ends_on, local_today(person))
        return gettext(
            language,
            N_("No reminders from {start} to {end}."),
            start=long_date(starts_on, language),
            end=long_date(ends_on, language),
        )
    report, task = await report_drafts.submit(session, person, response, answers)
    lines = [
        gettext(
            language,
            N_("Task {task}: {status}, {percent}%."),
            task=task.label,
            status=gettext(language, STATUS_LABELS[report.status]),
            percent=report.percent,
        )
    ]
    if report.evidence:
        lines.append(
            ngettext(
                language,
                "{n} piece of evidence attached.",
                "{n} pieces of evidence attached.",
                len(report.evidence),
            )
        )
    if report.status == TaskStatus.BLOCKED:
        lines.append(gettext(language, N_("Your coordinator will be told what blocks it.")))
    elif report.status == TaskStatus.DONE:
        lines.append(
            gettext(language, N_("Thank you! Whoever needs this task's outputs will be told."))
        )
    return "\n".join(lines)
