"""The text a button or a command's question asked for: pressing "Necesito más información" or
"Responder", or being asked "erase your data?", makes the person's next message the answer,
ahead of any conversation under way (which goes on after it), as replying to the message would.
Many people never use Telegram's "reply".

What is expected is the button (pressed, or standing for the question), kept packed on the person
until it is answered, until another question is asked (the latest one wins), or for ``WAIT`` at
most: a message sent much later is an answer to whatever the person is doing then.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TypeVar

from core.buttons import Button
from core.models import Person

WAIT = timedelta(hours=2)
Asked = TypeVar("Asked", bound=Button)


def expect(person: Person, button: Button, now: datetime) -> None:
    """The person's next message answers ``button``."""
    person.expected_text = button.pack()
    person.expected_until = now + WAIT


def expected(person: Person | None, kind: type[Asked], now: datetime) -> Asked | None:
    """The button of ``kind`` the person's next message answers, if one is still waiting."""
    if person is None or not waiting(person, now):
        return None
    assert person.expected_text is not None  # waiting says so
    return kind.unpack(person.expected_text)


def waiting(person: Person | None, now: datetime) -> bool:
    """Whether the person's next message answers a button."""
    return (
        person is not None
        and person.expected_text is not None
        and person.expected_until is not None
        and now < person.expected_until
    )


def received(person: Person) -> None:
    """The text came, or is no longer wanted."""
    person.expected_text = person.expected_until = None
