"""A notification is sent at most once, wherever the worker dies during its send: one whose
request may have reached Telegram is never sent again but flagged for a check, and one whose
request never left is sent by the next worker."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.outbox import OutboxWorker
from core.infra.settings import Settings
from core.models import Notification, NotificationState, Role
from core.notify import outbox
from core.people.people import create_person
from emulator.limits import RateLimits
from tests.support import factories
from tests.support.clock import SkippableClock
from tests.support.telegram import emulated

SETTINGS = Settings(send_rate_global=200, send_rate_per_chat=50)
TEXT = "Recordatorio: Informe trimestral"


class Crash(BaseException):
    """The worker's process dies here: nothing after it runs, no handler catches it."""


class CrashingSessions:
    """The session factory, dying as the ``crash_at``-th transaction opens (1: the claim,
    2: recording the start, 3: recording the result)."""

    def __init__(self, factory, crash_at: int | None) -> None:
        self.factory, self.crash_at, self.opened = factory, crash_at, 0

    def __call__(self):
        self.opened += 1
        if self.opened == self.crash_at:
            raise Crash
        return self.factory()


class CrashingRequests:
    """A request middleware dying just before sendMessage leaves, or just after Telegram
    accepted it."""

    def __init__(self, when: str | None) -> None:
        self.when = when

    async def __call__(self, make_request, bot, method):
        if isinstance(method, SendMessage) and self.when == "before the request":
            raise Crash
        response = await make_request(bot, method)
        if isinstance(method, SendMessage) and self.when == "after Telegram accepted":
            raise Crash
        return response


# Where the worker dies; whether Telegram got the message from the dying worker.
CRASHES = {
    "while claiming": ({"crash_at": 1}, False),
    "after the claim, before recording the start": ({"crash_at": 2}, False),
    "after recording the start, before the request": ({"when": "before the request"}, False),
    "after Telegram accepted, before recording it": ({"when": "after Telegram accepted"}, True),
    "while recording the result": ({"crash_at": 3}, True),
    "nowhere": ({}, True),
}


@pytest.mark.parametrize("where", CRASHES)
async def test_a_notification_is_delivered_at_most_once_wherever_the_sender_dies(
    session, session_factory, where
):
    crash, accepted = CRASHES[where]
    async with emulated(RateLimits(enabled=False)) as telegram:
        user = await telegram.people.user("Ana")
        async with session.begin():
            secretariat = await factories.secretariat(session)
            ana = await create_person(
                session, secretariat.id, "t", roles={Role.STAFF}, name="Ana", telegram_id=user.id
            )
            await outbox.enqueue(session, person=ana, kind="reminder", key="r:1", text=TEXT)
        clock = SkippableClock()
        dying = OutboxWorker(
            telegram.bot,
            CrashingSessions(session_factory, crash.get("crash_at")),
            SETTINGS,
            clock=clock,
        )
        requests = CrashingRequests(crash.get("when"))
        telegram.bot.session.middleware(requests)
        with contextlib.suppress(Crash):
            await dying.run_once()
        delivered_by_the_dying = await delivered(user)
        assert delivered_by_the_dying == (1 if accepted else 0)

        # The next worker, once the dead one's lease has run out.
        requests.when = None
        clock.skip(outbox.LEASE + timedelta(seconds=1))
        after = OutboxWorker(telegram.bot, session_factory, SETTINGS, clock=clock)
        for _ in range(3):
            await after.run_once()
            clock.skip(outbox.LEASE + timedelta(seconds=1))
        total = await delivered(user)
    async with session_factory() as fresh:
        notification = await fresh.scalar(select(Notification))
    assert total <= 1  # never twice
    if accepted:
        assert total == 1  # what Telegram accepted is there once
    if notification.state == NotificationState.SENT:
        assert total == 1
    else:  # the request may have reached Telegram: never sent again, flagged for a check
        assert notification.state == NotificationState.FAILED
        assert notification.last_error == outbox.MAY_HAVE_ARRIVED
    if crash.get("crash_at") in (1, 2) or not crash:
        assert (notification.state, total) == (NotificationState.SENT, 1)


async def delivered(user) -> int:
    return sum(message.get("text") == TEXT for message in await user.messages())
