"""Button payloads: each is read back as written, and nothing else is read at all."""

from __future__ import annotations

from datetime import date

import pytest

from core.buttons import (
    CALLBACK_DATA_LIMIT,
    LARGEST_ID,
    Button,
    ChoiceButton,
    CommentConsentButton,
    EndAbsenceButton,
    ErasureButton,
    InformationButton,
    InterviewNotesButton,
    LanguageButton,
    MeasureButton,
    NavigationButton,
    NoCommentButton,
    ResumeButton,
    RsvpButton,
    StartCampaignButton,
    TaskButton,
    ToolboxButton,
    ToolboxContentsButton,
    VoteButton,
)
from core.models import VoteChoice
from core.validation.messages import DECLINE, EVIDENCE
from i18n import LANGUAGES

# One of each payload, with the callback data that buttons already in people's chats carry.
WRITTEN = [
    (TaskButton(12, "report"), "task:12:report"),
    (TaskButton(LARGEST_ID, "help"), f"task:{LARGEST_ID}:help"),
    (MeasureButton(12, 20260331), "measure:12:20260331"),
    (EndAbsenceButton("end", 7), "absence:end:7"),
    (VoteButton(3, "needs_info"), "val:3:needs_info"),
    (InformationButton(9), "vinfo:9"),
    (NoCommentButton(4), "vnc:4"),
    (CommentConsentButton(4, "no"), "vpub:4:no"),
    (StartCampaignButton(4), "p:4"),
    (ResumeButton(0), "r:0"),
    (ChoiceButton(12, 3, 0), "a:12:3:0"),
    (NavigationButton(12, 3, "s"), "k:12:3:s"),
    (LanguageButton("en"), "l:en"),
    (ErasureButton("yes"), "e:yes"),
    (ToolboxButton(3, 0), "tb:3:0"),
    (ToolboxContentsButton(), "tbc"),
    (RsvpButton(5, "maybe"), "rsvp:5:maybe"),
    (InterviewNotesButton(8), "inotes:8"),
]


def test_every_payload_is_tried_here() -> None:
    assert {type(button) for button, _ in WRITTEN} == set(Button.registry.values())


@pytest.mark.parametrize(("button", "data"), WRITTEN)
def test_a_payload_packs_as_before_and_unpacks_to_itself(button: Button, data: str) -> None:
    assert button.pack() == data
    assert type(button).unpack(data) == button


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "task",
        "task:",
        "task:12",
        "task:12:report:1",
        "task:12:delete",
        "task:-1:report",
        "task:+1:report",
        "task: 1:report",
        "task:012:report",
        "task:1.0:report",
        "task:²:report",
        "task:١٢:report",
        "rsvp:5:perhaps",
        "rsvp:5",
        f"task:{LARGEST_ID + 1}:report",
        "task:99999999999999999999999999999999999999:report",
        "TASK:12:report",
        "val:12:report",
        "task:12:Report",
        "task:12:report\n",
    ],
)
def test_malformed_or_foreign_data_is_not_a_task_button(data: str | None) -> None:
    assert TaskButton.unpack(data) is None


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (EndAbsenceButton, "absence:start:7"),
        (VoteButton, "val:3:maybe"),
        (InformationButton, "vinfo:"),
        (StartCampaignButton, "p:x"),
        (ResumeButton, "r:1:2"),
        (ChoiceButton, "a:1:2"),
        (NavigationButton, "k:1:2:x"),
        (LanguageButton, "l:fr"),
        (ErasureButton, "e:maybe"),
        (ChoiceButton, "k:1:2:3"),
    ],
)
def test_each_payload_refuses_what_it_does_not_write(kind: type[Button], data: str) -> None:
    assert kind.unpack(data) is None


def test_a_payload_that_telegram_would_refuse_is_not_packed() -> None:
    with pytest.raises(ValueError):
        TaskButton(-1, "report").pack()
    with pytest.raises(ValueError):
        TaskButton(1, "delete").pack()  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ChoiceButton(LARGEST_ID + 1, 0, 0).pack()


def test_the_largest_payloads_fit_telegram() -> None:
    largest = [
        TaskButton(LARGEST_ID, "report"),
        EndAbsenceButton("end", LARGEST_ID),
        VoteButton(LARGEST_ID, "needs_info"),
        ChoiceButton(LARGEST_ID, LARGEST_ID, LARGEST_ID),
        NavigationButton(LARGEST_ID, LARGEST_ID, "d"),
    ]
    assert all(len(button.pack().encode()) <= CALLBACK_DATA_LIMIT for button in largest)


def test_prefixes_cannot_be_shared() -> None:
    with pytest.raises(TypeError):

        class Again(Button, prefix="task"):
            pass


def test_words_follow_the_languages_and_the_vote_actions() -> None:
    assert all(LanguageButton.unpack(f"l:{language}") for language in LANGUAGES)
    actions = [*(choice.value for choice in VoteChoice), DECLINE, EVIDENCE]
    assert all(VoteButton.unpack(f"val:1:{action}") for action in actions)


def test_a_measure_button_names_its_period_only_when_it_is_a_day() -> None:
    assert MeasureButton.of(5, date(2026, 3, 31)) == MeasureButton(5, 20260331)
    assert MeasureButton(5, 20260331).period_end == date(2026, 3, 31)
    assert MeasureButton(5, 20260230).period_end is None  # February has no 30th
    assert MeasureButton(5, 7).period_end is None
