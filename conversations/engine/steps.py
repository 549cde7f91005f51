"""What the engine hands a renderer: the step to show, and the outcome of an input."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from conversations.engine.state import SessionState, Status, place
from i18n import gettext, ngettext

# Between ranked options: no positions, which would read as the options' own numbers.
ORDER = " → "
Expects = Literal["text", "choice", "choices", "file", "location", "none"]


class ChoiceView(BaseModel):
    id: str
    number: int
    label: str
    selected: bool = False


class Step(BaseModel):
    """Everything a renderer needs to ask the current question (or close the session)."""

    kind: str
    language: str
    question_id: str | None = None
    # The instance of each repeat the question is in (numbered from 0, outermost first).
    instance: list[int] = Field(default_factory=list)
    text: str = ""
    hint: str | None = None
    section: str | None = None
    notes: list[str] = Field(default_factory=list)
    choices: list[ChoiceView] = Field(default_factory=list)
    ranked: list[ChoiceView] = Field(default_factory=list)
    minimum: Any = None
    maximum: Any = None
    expects: Expects = "none"
    # A long list: typing part of a name searches it; ``choices`` is one page of it.
    searchable: bool = False
    file_kinds: list[str] = Field(default_factory=list)
    can_skip: bool = False
    can_back: bool = False
    can_done: bool = False
    progress: int = 0
    total: int = 0
    answer: Any = None
    # On a question answered before: that answer as the person reads it, and whether "done"
    # now keeps it as it is (nothing was changed since coming back).
    previous: str | None = None
    keeps: bool = False
    collected: int = 0
    status: Status = "active"

    @property
    def place(self) -> str | None:
        """The question in its instance (see ``state.place``)."""
        return None if self.question_id is None else place(self.question_id, self.instance)

    def prompt(self) -> str:
        """Notes, section, question and hint, with what was collected so far."""
        lines = [*self.notes]
        if self.section:
            lines.append(self.section)
        if self.text:
            lines.append(self.text)
        if self.hint:
            lines.append(self.hint)
        if self.previous is not None:
            lines.append(gettext(self.language, "Your answer: {answer}", answer=self.previous))
        if self.searchable:
            lines.append(gettext(self.language, "Type part of the name to search the list."))
        if self.ranked:
            ranked = ORDER.join(choice.label for choice in self.ranked)
            lines.append(gettext(self.language, "Your order so far: {ranked}", ranked=ranked))
        if self.collected:
            lines.append(
                ngettext(
                    self.language,
                    "Received so far: {n} message or file.",
                    "Received so far: {n} messages or files.",
                    self.collected,
                )
            )
        return "\n\n".join(lines)


class Outcome(BaseModel):
    state: SessionState
    step: Step
    error: str | None = None
    answers: dict[str, Any] | None = None
    # What to read back to the person before the step (the text they wrote under "other").
    noted: str | None = None

    @property
    def accepted(self) -> bool:
        return self.error is None

    @property
    def finished(self) -> bool:
        return self.state.status != "active"
