"""A meeting's reminders, once written for later, follow the invitee's answer: a *No podré*
given after the day-before reminder was queued for the end of the night withdraws it, and the
scheduler does not write it again."""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from core.chat.definitions import DefinitionCatalog
from core.meetings import meetings, rsvp
from core.meetings.reminders import schedule_meeting_reminders
from core.models import Notification, NotificationState, Role, Rsvp
from core.notify.quiet_hours import QuietHours
from core.people.audience import Audience
from core.people.people import create_person
from tests.support import factories

QUIET = QuietHours(time(21), time(8))
ACTOR = factories.ACTOR
# Thursday 5 March 2026, 10:00 in Mexico City (UTC-6).
STARTS = datetime(2026, 3, 5, 16, tzinfo=UTC)


async def reminders(session) -> list[tuple[str, NotificationState]]:
    rows = await session.execute(
        select(Notification.key, Notification.state)
        .where(Notification.kind == "meeting.reminder")
        .order_by(Notification.id)
    )
    return [(key, state) for key, state in rows]


async def test_a_late_decline_withdraws_the_reminder_waiting_for_the_morning(session):
    async with session.begin():
        sec = await factories.secretariat(session)
        ana = await create_person(session, sec.id, ACTOR, roles={Role.STAFF}, name="Ana",
                                  telegram_id=1, time_zone="America/Mexico_City")  # fmt: skip
        details = meetings.Details(
            kind="workshop",
            title="Taller",
            starts_at=STARTS,
            time_zone="America/Mexico_City",
            duration_minutes=60,
            place="Sala",
            audience=Audience(person_ids=frozenset({ana.id})),
        )
        view = await meetings.create_meeting(
            session,
            sec.id,
            ACTOR,
            details,
            catalog=DefinitionCatalog("test"),
            national=False,
            now=STARTS - timedelta(days=5),
            quiet=QUIET,
        )
    # 23:00 the night before in Mexico City: the day-before reminder waits for 8:00.
    night = STARTS - timedelta(hours=11)
    async with session.begin():
        await schedule_meeting_reminders(session, night, QUIET)
    async with session.begin():
        [(key, state)] = await reminders(session)
        assert (key.split(":")[2], state) == ("day", NotificationState.PENDING)
        await rsvp.answer(session, ana, view.meeting.id, Rsvp.NO, night + timedelta(minutes=5))
    async with session.begin():
        await schedule_meeting_reminders(session, STARTS - timedelta(minutes=50), QUIET)
        assert [state for _, state in await reminders(session)] == [NotificationState.CANCELLED]
