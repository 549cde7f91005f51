"""What validators, reporters and coordinators read about a validation, and the vote buttons.

Buttons carry a ``core.buttons.VoteButton`` (assignment and action); the server keeps the state
and checks that the person pressing owns the assignment.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from core.buttons import InformationButton, VoteAction, VoteButton
from core.models import (
    Evidence,
    EvidenceKind,
    Person,
    Plan,
    ProgressReport,
    Task,
    ValidationState,
    VoteChoice,
)
from core.reporting.labels import status_label
from i18n import N_, gettext, locale_of, ngettext

if TYPE_CHECKING:  # outcome renders these messages
    from core.validation.outcome import Tally

# The commands that pause and resume validation requests, by language; both work for everyone.
PAUSE_COMMAND = {"es": "pausar_validaciones", "en": "pause_validations"}
RESUME_COMMAND = {"es": "reanudar_validaciones", "en": "resume_validations"}
DECLINE: Final = "decline"
EVIDENCE: Final = "evidence"
MAX_NOTE = 1500  # leaves room for the rest of the message within Telegram's 4096 characters

CHOICE_LABELS = {
    VoteChoice.CONFIRM: N_("I confirm"),
    VoteChoice.DISPUTE: N_("I do not confirm"),
    VoteChoice.NEEDS_INFO: N_("I need more information"),
}
OUTCOME_LABELS = {
    ValidationState.OPEN: N_("open"),
    ValidationState.VALIDATED: N_("validated"),
    ValidationState.DISPUTED: N_("disputed"),
    ValidationState.INCONCLUSIVE: N_("inconclusive"),
    ValidationState.EXPIRED: N_("expired"),
}


@dataclass(frozen=True)
class ReportContext:
    """Everything a message about one report names."""

    report: ProgressReport
    task: Task
    plan: Plan
    reporter: Person | None


def moment(when: datetime, person: Person) -> str:
    return format_datetime(
        when,
        format="medium",
        tzinfo=ZoneInfo(person.time_zone),
        locale=locale_of(person.language),
    )


def choice_label(language: str, choice: VoteChoice | str) -> str:
    return gettext(language, CHOICE_LABELS[VoteChoice(choice)])


def outcome_label(language: str, state: ValidationState | str) -> str:
    return gettext(language, OUTCOME_LABELS[ValidationState(state)])


def forwardable(evidence: list[Evidence]) -> list[Evidence]:
    """Evidence sent as its own message: the stored files."""
    return [item for item in evidence if item.stored_name]


def report_summary(person: Person, context: ReportContext) -> str:
    """What was reported, in ``person``'s language and time zone."""
    language = person.language
    report = context.report
    lines = [
        gettext(
            language,
            N_(
                "{who} reported on {when} that task {task} of the plan “{plan}” is {status} "
                "({percent}%)."
            ),
            who=context.reporter.display_name if context.reporter else "—",
            when=moment(report.created_at, person),
            task=context.task.label,
            plan=context.plan.title,
            status=status_label(report.status, language),
            percent=report.percent,
        )
    ]
    if report.note:
        note = report.note if len(report.note) <= MAX_NOTE else report.note[:MAX_NOTE] + "…"
        lines.append(gettext(language, N_("Note: {note}"), note=note))
    for item in report.evidence:
        if item.kind == EvidenceKind.LINK and item.url:
            lines.append(gettext(language, N_("Link: {url}"), url=item.url))
        elif item.kind == EvidenceKind.TEXT and item.caption:
            lines.append(gettext(language, N_("Written evidence: {text}"), text=item.caption))
    files = len(forwardable(report.evidence))
    if files:
        lines.append(
            ngettext(
                language,
                "{n} file of evidence: press “See evidence” to receive it.",
                "{n} files of evidence: press “See evidence” to receive them.",
                files,
            )
        )
    return "\n".join(lines)


def prompt_text(person: Person, context: ReportContext, deadline: datetime) -> str:
    return "\n\n".join(
        [
            gettext(person.language, N_("Validation request")),
            report_summary(person, context),
            gettext(
                person.language,
                N_("Did this really happen? Deadline to answer: {deadline}"),
                deadline=moment(deadline, person),
            ),
            gettext(
                person.language,
                N_("To stop receiving validation requests for a while: /{command}"),
                command=PAUSE_COMMAND[person.language],
            ),
        ]
    )


def reminder_text(person: Person, context: ReportContext, deadline: datetime) -> str:
    return gettext(
        person.language,
        N_("Reminder: your answer counts. The validation of task {task} closes on {deadline}"),
        task=context.task.label,
        deadline=moment(deadline, person),
    )


def new_information_text(
    person: Person, context: ReportContext, answer: str | None, files: int, answered: bool
) -> str:
    """What the reporter added, for a validator: asked to answer again if they ``answered``
    (that they needed more information), else to answer."""
    lines = [
        gettext(
            person.language,
            N_("The person who reported task {task} added information:"),
            task=context.task.label,
        ),
        answer or "—",
    ]
    if files:
        lines.append(
            ngettext(
                person.language,
                "{n} new file of evidence.",
                "{n} new files of evidence.",
                files,
            )
        )
    lines.append(
        gettext(person.language, N_("Please answer again.") if answered else N_("Please answer."))
    )
    return "\n".join(lines)


def information_request_text(person: Person, context: ReportContext, question: str | None) -> str:
    text = gettext(
        person.language,
        N_("A validator needs more information about your report on task {task}."),
        task=context.task.label,
    )
    if question:
        text += "\n" + gettext(person.language, N_("They ask: {question}"), question=question)
    return (
        text
        + "\n"
        + gettext(
            person.language,
            N_("Tap “Answer” and write, or send photos or documents: they join your report."),
        )
    )


def outcome_text(
    person: Person, context: ReportContext, state: ValidationState, tally: Tally
) -> str:
    return gettext(
        person.language,
        N_(
            "The validation of the report on task {task} ended: {outcome}. Confirmed: "
            "{confirmations}; not confirmed: {disputes}; waiting for information: {needs_info}."
        ),
        task=context.task.label,
        outcome=outcome_label(person.language, state),
        confirmations=tally.confirmations,
        disputes=tally.disputes,
        needs_info=tally.needs_info,
    )


# What the validator whose vote closed a request reads, by its outcome (a vote never makes it
# expire).
CLOSED_BY_VOTE = {
    ValidationState.VALIDATED: N_(
        "With your vote, the progress on task {task} is confirmed: its validation is closed. "
        "Thank you!"
    ),
    ValidationState.DISPUTED: N_(
        "With your vote, the progress on task {task} is disputed: its validation is closed. "
        "Thank you!"
    ),
    ValidationState.INCONCLUSIVE: N_(
        "With your vote, the validation of task {task} closed without a conclusion. Thank you!"
    ),
}


def closed_by_vote_text(person: Person, context: ReportContext, state: ValidationState) -> str:
    return gettext(person.language, CLOSED_BY_VOTE[state], task=context.task.label)


def no_validator_text(person: Person, context: ReportContext) -> str:
    return gettext(
        person.language,
        N_(
            "Nobody could be asked to validate the report on task {task}: no validator is "
            "available."
        ),
        task=context.task.label,
    )


def information_buttons(language: str, request_id: int) -> dict[str, Any]:
    """Pressed, the reporter's next message answers the question (replying to the message does
    too); the button names the request the answer belongs to."""
    return {
        "inline_keyboard": [
            [
                {
                    "text": gettext(language, N_("Answer")),
                    "callback_data": InformationButton(request_id).pack(),
                }
            ]
        ]
    }


def vote_buttons(
    language: str, assignment_id: int, files: int = 0, *, choices_only: bool = False
) -> dict[str, Any]:
    def button(label: str, action: VoteAction) -> dict[str, str]:
        return {
            "text": gettext(language, label),
            "callback_data": VoteButton(assignment_id, action).pack(),
        }

    labels = CHOICE_LABELS
    rows = [
        [
            button(labels[VoteChoice.CONFIRM], VoteChoice.CONFIRM.value),
            button(labels[VoteChoice.DISPUTE], VoteChoice.DISPUTE.value),
        ],
        [button(labels[VoteChoice.NEEDS_INFO], VoteChoice.NEEDS_INFO.value)],
    ]
    if choices_only:
        return {"inline_keyboard": rows}
    if files:
        rows.append([button(N_("See evidence"), EVIDENCE)])
    rows.append([button(N_("I cannot review it"), DECLINE)])
    return {"inline_keyboard": rows}
