"""Writing to the outbox, and the state changes of a notification as a worker sends it.

A worker claims due rows in a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
several workers never take the same row; SQLite has a single writer), sends each, and records
the result at once. A claim is a lease: ``sending`` with ``locked_until`` set. The rows of a
worker that died before their request to Telegram started are claimed again when the lease
runs out.

Just before its request to Telegram, a row is marked as started (``start``: ``sending``, no
lease, ``next_attempt_at`` the time it started). Telegram offers no way to learn whether a
message arrived, so a started row whose result was never recorded (the worker died, or the
connection broke after the request left) may have been delivered: it is never sent again, but
given up as failed with ``MAY_HAVE_ARRIVED`` for someone to check the chat. Each notification is
thus sent at most once, and every one Telegram accepted is either recorded as sent or listed
among the failed ones to check.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.infra import listing
from core.infra.db import SessionFactory, changed_rows
from core.infra.liveness import Process
from core.models import Entity, Notification, NotificationState, Person, utcnow
from core.people import people
from i18n import N_, gettext

LEASE = timedelta(minutes=2)
MAY_HAVE_ARRIVED = (
    "interrupted after its request to Telegram started: it may have been delivered, so it is "
    "not sent again; check the person's chat"
)
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(minutes=30)
# Keys looked up in one statement: well under the parameters either database takes in one.
KEYS_AT_ONCE = 5000
CAPTION_LIMIT = 1024  # characters: the text sent with a file is its caption, which Telegram bounds


@dataclass(frozen=True)
class Attachment:
    """A small file a notification carries, its text then being the file's caption."""

    name: str
    media_type: str
    content: bytes

    def as_json(self) -> dict[str, str]:
        encoded = base64.b64encode(self.content).decode()
        return {"name": self.name, "media_type": self.media_type, "content": encoded}

    @classmethod
    def of(cls, stored: dict[str, str]) -> Attachment:
        return cls(stored["name"], stored["media_type"], base64.b64decode(stored["content"]))


@dataclass(frozen=True)
class Outgoing:
    """A notification to add: to ``person``, under a ``key`` that makes adding it again a no-op,
    ``about`` an entity where it concerns one, with a file attached where given."""

    person: Person
    kind: str
    key: str
    text: str
    markup: dict[str, Any] | None = None
    scheduled_at: datetime | None = None
    about: Entity | None = None
    attachment: Attachment | None = None

    def values(self) -> dict[str, Any]:
        """The notification's columns."""
        if self.attachment is not None and len(self.text) > CAPTION_LIMIT:
            raise ValueError(f"a caption of {len(self.text)} characters is over {CAPTION_LIMIT}")
        when = self.scheduled_at or utcnow()
        return {
            "secretariat_id": self.person.secretariat_id,
            "person_id": self.person.id,
            "kind": self.kind,
            "key": self.key,
            "text": self.text,
            "markup": self.markup,
            "attachment": None if self.attachment is None else self.attachment.as_json(),
            "scheduled_at": when,
            "next_attempt_at": when,
            "subject_type": None if self.about is None else self.about.__tablename__,
            "subject_id": None if self.about is None else self.about.id,
        }


async def enqueue(
    session: AsyncSession,
    *,
    person: Person,
    kind: str,
    key: str,
    text: str,
    markup: dict[str, Any] | None = None,
    scheduled_at: datetime | None = None,
    about: Entity | None = None,
    attachment: Attachment | None = None,
) -> Notification:
    """Add a notification, ``about`` an entity where it concerns one, with a file attached
    where given, in the caller's transaction; an existing key is left as it was."""
    values = Outgoing(person, kind, key, text, markup, scheduled_at, about, attachment).values()
    existing = await session.scalar(select(Notification).where(Notification.key == key))
    if existing is not None:
        return existing
    notification = Notification(**values)
    try:
        async with session.begin_nested():
            session.add(notification)
    except IntegrityError:
        # Another transaction wrote the same key first: that one is the notification.
        return (await session.scalars(select(Notification).where(Notification.key == key))).one()
    return notification


async def enqueue_all(session: AsyncSession, outgoing: Iterable[Outgoing]) -> None:
    """Add many notifications as ``enqueue`` adds each, in one statement however many: a key
    that exists (written before, by another transaction, or earlier in ``outgoing``) is left as
    it was. For the messages of a whole audience, which one by one would cost a few statements
    each."""
    rows: dict[str, dict[str, Any]] = {}
    for item in outgoing:
        rows.setdefault(item.key, item.values())
    if not rows:
        return
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Notification).on_conflict_do_nothing(index_elements=["key"])
    await session.execute(statement, list(rows.values()))


async def withdraw(
    session: AsyncSession,
    *,
    kinds: Iterable[str],
    about: Entity,
    person_id: int | None = None,
) -> None:
    """Cancel the notifications of ``kinds`` about an entity (to one person, where given) that
    were not sent yet: what they said no longer holds."""
    query = update(Notification).where(_waiting(kinds, about))
    if person_id is not None:
        query = query.where(Notification.person_id == person_id)
    await session.execute(query.values(state=NotificationState.CANCELLED))


async def reschedule(
    session: AsyncSession, *, kinds: Iterable[str], about: Entity, when: datetime
) -> None:
    """Move the notifications of ``kinds`` about an entity that were not sent yet to ``when``:
    the moment they were timed for has moved."""
    await session.execute(
        update(Notification)
        .where(_waiting(kinds, about))
        .values(scheduled_at=when, next_attempt_at=when)
    )


def _waiting(kinds: Iterable[str], about: Entity) -> ColumnElement[bool]:
    """Notifications of ``kinds`` about an entity, not sent yet."""
    return and_(
        Notification.subject_type == about.__tablename__,
        Notification.subject_id == about.id,
        Notification.kind.in_(list(kinds)),
        Notification.state == NotificationState.PENDING,
    )


async def written(session: AsyncSession, key: str) -> bool:
    """Whether a notification was ever written under ``key``, whatever became of it."""
    return await session.scalar(select(Notification.id).where(Notification.key == key)) is not None


async def written_among(session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Those of ``keys`` a notification was ever written under, whatever became of it."""
    found: set[str] = set()
    for start in range(0, len(keys), KEYS_AT_ONCE):
        chunk = keys[start : start + KEYS_AT_ONCE]
        found.update(
            await session.scalars(select(Notification.key).where(Notification.key.in_(chunk)))
        )
    return found


async def rewrite(session: AsyncSession, key: str, *, text: str, due: datetime) -> bool:
    """Change the text of the notification under ``key`` and make it due at ``due``, if it is
    still waiting to be sent; False if there is none waiting (never written, or already taken
    by a worker)."""
    rewritten = await changed_rows(
        session,
        update(Notification)
        .where(Notification.key == key, Notification.state == NotificationState.PENDING)
        .values(text=text, scheduled_at=due, next_attempt_at=due),
    )
    return rewritten == 1


@dataclass(frozen=True)
class Claimed:
    id: int
    person_id: int
    chat_id: int
    text: str
    markup: dict[str, Any] | None
    attempts: int
    lease: datetime  # until when the claim holds, unless started
    attachment: Attachment | None = None


async def claim(
    session_factory: SessionFactory, limit: int, now: datetime, worker: Process | None = None
) -> list[Claimed]:
    """Take up to ``limit`` due notifications for sending, in their order of due time, for
    ``worker``; give up those whose request started with no result recorded a lease ago, or by a
    worker that is gone (``MAY_HAVE_ARRIVED``). The claims of a worker that is gone are due again
    at once, without waiting for their lease."""
    async with session_factory() as session, session.begin():
        ran_out = Notification.next_attempt_at < now - LEASE
        await session.execute(
            update(Notification)
            .where(
                Notification.state == NotificationState.SENDING,
                Notification.locked_until.is_(None),
                _or_gone(Notification, ran_out, worker),
            )
            .values(state=NotificationState.FAILED, last_error=MAY_HAVE_ARRIVED)
        )
        due = or_(
            and_(
                Notification.state == NotificationState.PENDING,
                Notification.next_attempt_at <= now,
            ),
            and_(
                Notification.state == NotificationState.SENDING,
                _or_gone(Notification, Notification.locked_until < now, worker),
            ),
        )
        claimable = and_(due, ~_ahead_in_the_chat(now, worker).exists())
        # First the people whose notifications come first, each locked by one worker at a time;
        # then their notifications, read again once the locks are held so that another worker's
        # claims committed meanwhile are seen (a statement sees what was committed before it
        # began, and a row lock does not refresh the rest of what it reads).
        first = (
            select(Notification.person_id)
            .where(claimable)
            .order_by(Notification.scheduled_at, Notification.id)
            .limit(limit)
        )
        people = list(
            await session.scalars(
                select(Person.id)
                .where(Person.id.in_(first.scalar_subquery()))
                .order_by(Person.id)
                .with_for_update(skip_locked=True)
            )
        )
        if not people:
            return []
        rows = (
            await session.execute(
                select(Notification, Person.telegram_id, Person.reachable)
                .join(Person, Person.id == Notification.person_id)
                .where(Notification.person_id.in_(people), claimable)
                # In each chat's order, so that a batch holds a chat's notifications in turn.
                .order_by(Notification.scheduled_at, Notification.id)
                .limit(limit)
                .with_for_update(of=Notification, skip_locked=True)
            )
        ).all()
        claimed = []
        for notification, telegram_id, reachable in rows:
            if telegram_id is None or not reachable:
                notification.state = NotificationState.CANCELLED
                notification.last_error = "person has no reachable Telegram chat"
                continue
            notification.state = NotificationState.SENDING
            notification.locked_until = now + LEASE
            notification.claimed_by = worker.key if worker is not None else None
            notification.attempts += 1
            claimed.append(
                Claimed(
                    notification.id,
                    notification.person_id,
                    telegram_id,
                    notification.text,
                    notification.markup,
                    notification.attempts,
                    now + LEASE,
                    None
                    if notification.attachment is None
                    else Attachment.of(notification.attachment),
                )
            )
        return claimed


def _or_gone(
    row: type[Notification], lease_over: ColumnElement[bool], worker: Process | None
) -> ColumnElement[bool]:
    """The ``row``'s lease is over, or the worker that claimed it is gone."""
    if worker is None:
        return lease_over
    claimed_by = row.claimed_by
    return or_(lease_over, and_(claimed_by.is_not(None), worker.gone(claimed_by.expression)))


def _ahead_in_the_chat(now: datetime, worker: Process | None) -> Select[int]:
    """The person's notifications that hold the claimed one back, so that each chat receives its
    notifications in order whichever worker sends them: one on its way (claimed by a live
    worker, or started), or one scheduled earlier that waits for a retry and keeps its place.

    The person's due notifications are claimed together, in order, by one worker: the claim
    locks the person's row, and the other workers skip it until the claim is committed, when
    the claimed notifications are on their way.
    """
    other = aliased(Notification)
    # Started, or claimed by a live worker whose lease holds (a gone worker's claims are due).
    on_its_way = and_(
        other.state == NotificationState.SENDING,
        or_(
            other.locked_until.is_(None),
            ~_or_gone(other, other.locked_until < now, worker),
        ),
    )
    waiting_for_a_retry = and_(
        other.state == NotificationState.PENDING,
        other.next_attempt_at > now,
        tuple_(other.scheduled_at, other.id) < tuple_(Notification.scheduled_at, Notification.id),
    )
    return select(other.id).where(
        other.person_id == Notification.person_id,
        other.id != Notification.id,
        or_(on_its_way, waiting_for_a_retry),
    )


async def start(session_factory: SessionFactory, claimed: Claimed, now: datetime) -> bool:
    """Record that the request to Telegram starts now: from here on the notification is never
    sent again unless its result says it was not delivered. False if the claim was lost (its
    lease ran out meanwhile and another worker may have it): it must not be sent."""
    async with session_factory() as session, session.begin():
        started = await changed_rows(
            session,
            update(Notification)
            .where(
                Notification.id == claimed.id,
                Notification.state == NotificationState.SENDING,
                Notification.locked_until == claimed.lease,
            )
            .values(locked_until=None, next_attempt_at=now),
        )
    return started == 1


async def mark_sent(
    session_factory: SessionFactory, notification_id: int, message_id: int, now: datetime
) -> None:
    await _update(
        session_factory,
        notification_id,
        state=NotificationState.SENT,
        sent_at=now,
        telegram_message_id=message_id,
        locked_until=None,
        last_error=None,
    )


async def mark_retry(
    session_factory: SessionFactory,
    notification_id: int,
    error: str,
    retry_at: datetime,
    attempts: int,
) -> None:
    """Try again at ``retry_at``; past the last attempt the notification is given up."""
    state = NotificationState.PENDING if attempts < MAX_ATTEMPTS else NotificationState.FAILED
    await _update(
        session_factory,
        notification_id,
        state=state,
        next_attempt_at=retry_at,
        locked_until=None,
        last_error=error[:1000],
    )


async def release(session_factory: SessionFactory, notification_ids: list[int]) -> None:
    """Give back claimed notifications that were not sent: due again at once, attempt unspent.

    A stopping worker releases what it claimed and did not start, rather than leaving it
    locked until its lease runs out.
    """
    if not notification_ids:
        return
    async with session_factory() as session, session.begin():
        await session.execute(
            update(Notification)
            .where(
                Notification.id.in_(notification_ids),
                Notification.state == NotificationState.SENDING,
                Notification.locked_until.is_not(None),  # not started
            )
            .values(
                state=NotificationState.PENDING,
                locked_until=None,
                attempts=Notification.attempts - 1,
            )
        )


def backoff(attempts: int) -> timedelta:
    """Exponential: 2 s, 4 s, 8 s... capped."""
    return min(timedelta(seconds=2**attempts), MAX_BACKOFF)


async def mark_failed(session_factory: SessionFactory, notification_id: int, error: str) -> None:
    """Given up: refused by Telegram, or possibly delivered (``MAY_HAVE_ARRIVED``)."""
    await _update(
        session_factory,
        notification_id,
        state=NotificationState.FAILED,
        locked_until=None,
        last_error=error[:1000],
    )


async def mark_unreachable(
    session_factory: SessionFactory, notification_id: int, error: str, now: datetime
) -> None:
    """The person blocked the bot: stop writing to them and tell their coordinators, once."""
    async with session_factory() as session, session.begin():
        notification = await session.get_one(Notification, notification_id)
        person = await session.get_one(Person, notification.person_id)
        notification.state = NotificationState.FAILED
        notification.locked_until = None
        notification.last_error = error[:1000]
        await person_unreachable(session, person, now)


async def person_unreachable(session: AsyncSession, person: Person, now: datetime) -> None:
    """The person blocked the bot: nothing more is sent to them, and their coordinators are
    told (once, the first time)."""
    if not person.reachable:
        return
    person.reachable = False
    coordinators = await people.coordinators(
        session, person.secretariat_id, besides=person.id, reachable_only=True
    )
    for coordinator in coordinators:
        await enqueue(
            session,
            person=coordinator,
            kind="person_unreachable",
            key=f"unreachable:{person.id}:{coordinator.id}:{now.date().isoformat()}",
            text=gettext(
                coordinator.language,
                N_("{name} blocked the bot and no longer receives messages."),
                name=person.display_name,
            ),
            scheduled_at=now,
            about=person,
        )


async def counts(session: AsyncSession, secretariat_id: int | None = None) -> dict[str, int]:
    """How many notifications are in each state, for dashboards and the admin API."""
    query = select(Notification.state, func.count()).group_by(Notification.state)
    if secretariat_id is not None:
        query = query.where(Notification.secretariat_id == secretariat_id)
    found = dict((await session.execute(query)).all())
    return {state.value: found.get(state, 0) for state in NotificationState}


async def oldest_due(session: AsyncSession, now: datetime) -> datetime | None:
    """Since when the longest-waiting due notification waits to be sent; None when none waits."""
    return await session.scalar(
        select(func.min(Notification.next_attempt_at)).where(
            Notification.state == NotificationState.PENDING, Notification.next_attempt_at <= now
        )
    )


async def oldest_started(session: AsyncSession) -> datetime | None:
    """When the oldest send still without a result started; None when none is under way."""
    return await session.scalar(
        select(func.min(Notification.next_attempt_at)).where(
            Notification.state == NotificationState.SENDING, Notification.locked_until.is_(None)
        )
    )


async def counts_by_kind(
    session: AsyncSession, secretariat_id: int
) -> list[tuple[str, NotificationState, int]]:
    """How many notifications of each kind are in each state."""
    rows = await session.execute(
        select(Notification.kind, Notification.state, func.count())
        .where(Notification.secretariat_id == secretariat_id)
        .group_by(Notification.kind, Notification.state)
        .order_by(Notification.kind, Notification.state)
    )
    return [(kind, NotificationState(state), count) for kind, state, count in rows.all()]


NOTIFICATION_SORTING = listing.Sorting(
    {"scheduled_at": Notification.scheduled_at},
    default="-scheduled_at",
    tie_breaker=Notification.id.desc(),
)


async def failed(
    session: AsyncSession, secretariat_id: int, *, limit: int, offset: int
) -> listing.Page[Notification]:
    """Notifications given up on (blocked person, refused by Telegram, too many attempts)."""
    return await listing.paginate(
        session,
        select(Notification).where(
            Notification.secretariat_id == secretariat_id,
            Notification.state == NotificationState.FAILED,
        ),
        NOTIFICATION_SORTING,
        limit=limit,
        offset=offset,
    )


async def _update(session_factory: SessionFactory, notification_id: int, **values: Any) -> None:
    async with session_factory() as session, session.begin():
        notification = await session.get(Notification, notification_id)
        for name, value in values.items():
            setattr(notification, name, value)
