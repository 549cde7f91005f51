"""The message that tells a person what their finished conversation became.

Core settles a finished conversation (``core.services.endings``); here each kind of result it
returns is put into words, in the language of the person it is for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot import menu
from core.chat import report_drafts
from core.chat.campaigns import SurveyCompleted
from core.chat.measurement_reports import Measured
from core.chat.report_drafts import Reported
from core.models import Absence, TaskStatus
from core.notify.reminders import long_date
from core.people import absences, joining
from core.people.joining import Joined
from core.reporting.labels import status_label
from i18n import N_, Number, Titled, gettext, ngettext

# What /cancelar really did, by kind of conversation (any other is a survey of a campaign).
CANCELLED = {
    **dict.fromkeys(
        joining.DEFINITION_IDS,
        N_("Cancelled: nothing was kept. To join, open your invitation link again."),
    ),
    report_drafts.REPORT: N_("Report cancelled: nothing of it was saved."),
    report_drafts.MEASUREMENT: N_("Report cancelled: no value was saved."),
    report_drafts.NOTES: N_("Notes cancelled: nothing of them was saved."),
    absences.ABSENCE: N_("Cancelled: no absence was recorded."),
}
SURVEY_CANCELLED = N_(
    "Survey cancelled: your answers are not counted. While the survey is open, you can start it "
    "again from /encuestas."
)


def cancelled(definition_id: str, language: str) -> str:
    """What to say when a conversation of ``definition_id`` is cancelled."""
    return gettext(language, CANCELLED.get(definition_id, SURVEY_CANCELLED))


def closing(settled: object | None, language: str) -> str | None:
    """What to say after the last question of a conversation, if anything."""
    render = _CLOSINGS.get(type(settled))
    return render(settled, language) if render else None


def _welcome(joined: Joined, _language: str) -> str:
    language = joined.person.language  # the one the new person chose
    lines = [
        gettext(
            language,
            "Welcome, {name}! You now take part with {secretariat}.",
            name=joined.person.name,
            secretariat=joined.secretariat,
        )
    ]
    if menu.TASKS in menu.offered(joined.person):
        lines.append(gettext(language, "Your tasks are in /tareas: report their progress there."))
    if joined.surveys_waiting:
        lines.append(
            gettext(language, "You have surveys waiting for you: see them with /encuestas.")
        )
    lines.append(gettext(language, "Send /ayuda at any time to see what you can do here."))
    return "\n\n".join(lines)


def _reported(reported: Reported, language: str) -> str:
    report = reported.report
    lines = [
        gettext(
            language,
            N_("Task {task}: {status}, {percent}%."),
            task=reported.task.label,
            status=status_label(report.status, language),
            percent=report.percent,
        )
    ]
    if report.evidence:
        lines.append(_evidence_attached(len(report.evidence), language))
    if report.status == TaskStatus.BLOCKED:
        if reported.blocked is not None and reported.blocked.coordinators_notified:
            told = N_("Your coordination will get what blocks it on Telegram.")
        else:
            told = N_(
                "Nobody in your coordination receives messages on Telegram: what blocks it is "
                "recorded, and your coordination sees it in the admin panel."
            )
        lines.append(gettext(language, told))
    elif report.status == TaskStatus.DONE:
        lines.append(
            gettext(language, N_("Thank you! Whoever needs this task's outputs will be told."))
        )
    return "\n".join(lines)


def _evidence_attached(count: int, language: str) -> str:
    return ngettext(
        language, "{n} piece of evidence attached.", "{n} pieces of evidence attached.", count
    )


def _measured(measured: Measured, language: str) -> str:
    indicator, measurement = measured.indicator, measured.measurement
    lines = [
        gettext(
            language,
            N_("Indicator {indicator}: {value} {unit}."),
            indicator=Titled(indicator.name),
            value=Number(measurement.value),
            unit=indicator.unit,
        )
    ]
    if measured.corrected:
        lines.append(
            gettext(language, N_("It replaces the period's earlier value; the record keeps both."))
        )
    if measured.evidence:
        lines.append(_evidence_attached(measured.evidence, language))
    return "\n".join(lines)


def _away(absence: Absence, language: str) -> str:
    return gettext(
        language,
        N_("No reminders from {start} to {end}."),
        start=long_date(absence.starts_on, language),
        end=long_date(absence.ends_on, language),
    )


def _survey_done(survey: SurveyCompleted, language: str) -> str | None:
    lines = []
    if survey.results_later:
        lines.append(
            gettext(language, N_("When the survey closes, you will receive what everyone said."))
        )
    if survey.more_waiting:
        lines.append(gettext(language, "More surveys are waiting for you: /encuestas"))
    return "\n\n".join(lines) or None


_CLOSINGS: dict[type, Callable[[Any, str], str | None]] = {
    Joined: _welcome,
    Reported: _reported,
    Measured: _measured,
    Absence: _away,
    SurveyCompleted: _survey_done,
}
