"""What validators, reporters and coordinators read about a validation, and the vote buttons.

Buttons carry a ``core.buttons.VoteButton`` (assignment and action); the server keeps the state
and checks that the person pressing owns the assignment.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from core.buttons import InformationButton, VoteAction, VoteButton
from core.models import Evidence, EvidenceKind, Person, ValidationState, VoteChoice
from core.reporting.labels import status_label
from i18n import N_, Number, Span, Titled, gettext, locale_of, ngettext

if TYPE_CHECKING:  # outcome renders these messages, about the subjects
    from core.validation.outcome import Tally
    from core.validation.subjects import (
        MeasurementContext,
        PracticeContext,
        ReportContext,
        Subject,
    )

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
        lines.append(gettext(language, N_("Note: {note}"), note=_shortened(report.note)))
    return "\n".join(lines + _evidence_lines(language, context.evidence))


def measurement_summary(person: Person, context: MeasurementContext) -> str:
    """The value reported, beside its indicator's baseline, goal and previous value, in
    ``person``'s language and time zone."""
    language = person.language
    measurement, indicator = context.measurement, context.indicator
    unit = indicator.unit

    def amount(value: Any) -> str:
        return f"{Number(value).in_language(language)} {unit}"

    lines = [
        gettext(
            language,
            N_(
                "{who} reported on {when} the value of the indicator {indicator} of the plan "
                "“{plan}” for {period}: {value}."
            ),
            who=context.reporter.display_name if context.reporter else "—",
            when=moment(measurement.created_at, person),
            indicator=Titled(indicator.name),
            plan=context.plan.title,
            period=Span(context.period.starts_on, context.period.ends_on),
            value=amount(measurement.value),
        )
    ]
    if context.corrected is not None:
        lines.append(
            gettext(
                language,
                N_("It corrects the value reported before, {value}."),
                value=amount(context.corrected.value),
            )
        )
    marks = [
        gettext(language, wording, value=amount(value) if value is not None else "—")
        for wording, value in ((N_("Baseline: {value}."), indicator.baseline),
                               (N_("Goal: {value}."), indicator.goal))
    ]  # fmt: skip
    lines.append(" ".join(marks))
    previous = context.previous
    if previous is None:
        lines.append(gettext(language, N_("No earlier period has a value.")))
    else:
        lines.append(
            gettext(
                language,
                N_("The latest earlier value, of the period ending {day}: {value}."),
                day=format_date(previous.measured_on, format="long", locale=locale_of(language)),
                value=amount(previous.value),
            )
        )
    if indicator.means_of_verification:
        lines.append(
            gettext(
                language,
                N_("Means of verification: {means}."),
                means=indicator.means_of_verification.rstrip("."),
            )
        )
    if measurement.note:
        lines.append(gettext(language, N_("Note: {note}"), note=_shortened(measurement.note)))
    return "\n".join(lines + _evidence_lines(language, context.evidence))


def practice_summary(person: Person, context: PracticeContext) -> str:
    """The practice as its secretariat submitted it, in ``person``'s language."""
    language = person.language
    practice = context.practice
    lines = [
        gettext(
            language,
            N_(
                "{secretariat} submitted a good practice to share with the other secretariats: "
                "“{title}”."
            ),
            secretariat=context.secretariat.name,
            title=practice.title,
        )
    ]
    parts = (
        (N_("Problem addressed: {text}"), practice.problem),
        (N_("What was done: {text}"), practice.actions),
        (N_("Results: {text}"), practice.results),
    )
    for wording, value in parts:
        if value:
            # Three texts share the message: each gets a third of the room a note has.
            lines.append(gettext(language, wording, text=_shortened(value, MAX_NOTE // 3)))
    if practice.pna_priority is not None:
        lines.append(
            gettext(
                language,
                N_("It serves priority {number} of the national anticorruption policy."),
                number=practice.pna_priority,
            )
        )
    return "\n".join(lines + _evidence_lines(language, context.evidence))


def _shortened(text: str, limit: int = MAX_NOTE) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _evidence_lines(language: str, evidence: list[Evidence]) -> list[str]:
    lines = []
    for item in evidence:
        if item.kind == EvidenceKind.LINK and item.url:
            lines.append(gettext(language, N_("Link: {url}"), url=item.url))
        elif item.kind == EvidenceKind.TEXT and item.caption:
            lines.append(gettext(language, N_("Written evidence: {text}"), text=item.caption))
    files = len(forwardable(evidence))
    if files:
        lines.append(
            ngettext(
                language,
                "{n} file of evidence: press “See evidence” to receive it.",
                "{n} files of evidence: press “See evidence” to receive them.",
                files,
            )
        )
    return lines


def prompt_text(person: Person, context: Subject, deadline: datetime) -> str:
    return "\n\n".join(
        [
            gettext(person.language, N_("Validation request")),
            context.summary(person),
            gettext(person.language, context.wording.question, deadline=moment(deadline, person)),
            gettext(
                person.language,
                N_("To stop receiving validation requests for a while: /{command}"),
                command=PAUSE_COMMAND[person.language],
            ),
        ]
    )


def reminder_text(person: Person, context: Subject, deadline: datetime) -> str:
    return gettext(
        person.language,
        context.wording.reminder,
        deadline=moment(deadline, person),
        **context.names,
    )


def new_information_text(
    person: Person, context: Subject, answer: str | None, files: int, answered: bool
) -> str:
    """What the reporter added, for a validator: asked to answer again if they ``answered``
    (that they needed more information), else to answer."""
    lines = [gettext(person.language, context.wording.new_information, **context.names)]
    lines.append(answer or "—")
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


def information_request_text(person: Person, context: Subject, question: str | None) -> str:
    text = gettext(person.language, context.wording.information_request, **context.names)
    if question:
        text += "\n" + gettext(person.language, N_("They ask: {question}"), question=question)
    return text + "\n" + gettext(person.language, context.wording.how_to_answer)


def outcome_text(person: Person, context: Subject, state: ValidationState, tally: Tally) -> str:
    return gettext(
        person.language,
        context.wording.outcome,
        outcome=outcome_label(person.language, state),
        confirmations=tally.confirmations,
        disputes=tally.disputes,
        needs_info=tally.needs_info,
        **context.names,
    )


def closed_by_vote_text(person: Person, context: Subject, state: ValidationState) -> str:
    """What the validator whose vote closed a request reads, by its outcome (a vote never
    makes it expire)."""
    return gettext(person.language, context.wording.closed_by_vote[state], **context.names)


def no_validator_text(person: Person, context: Subject) -> str:
    return gettext(person.language, context.wording.no_validator, **context.names)


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
