"""The work done without anyone writing to the bot: reminders written on schedule (of tasks,
indicators' values and meetings), the deadlines of validation requests, and the outbox sent
within Telegram's limits.

``incorruptible worker`` runs this alone; ``incorruptible run`` and ``incorruptible bot`` run
it beside the bot. Several workers may run at once: reminders have unique keys, so scheduling
them twice adds nothing, and outbox rows are claimed with ``FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot

from bot.outbox import OutboxWorker
from core.chat import campaign_clock
from core.chat.definitions import DefinitionCatalog
from core.infra import liveness
from core.infra.db import SessionFactory
from core.infra.periodic import every
from core.infra.settings import Settings
from core.meetings.feedback import schedule_feedback
from core.meetings.reminders import schedule_meeting_reminders
from core.models import utcnow
from core.notify.quiet_hours import QuietHours
from core.notify.reminders import schedule_reminders
from core.validation.clock import run_clock

Clock = Callable[[], datetime]


class ReminderScheduler:
    """Writes the reminders that are due into the outbox, every ``interval`` seconds: the
    tasks' and the indicators' values', the meetings' (and their feedback surveys, once they
    end), and the campaigns' openings, reminders, closings and shared results."""

    def __init__(
        self,
        session_factory: SessionFactory,
        settings: Settings,
        *,
        catalog: DefinitionCatalog | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.session_factory = session_factory
        self.quiet = QuietHours(settings.quiet_hours_start, settings.quiet_hours_end)
        self.interval = settings.reminder_interval_seconds
        self.min_group = settings.results_min_group
        self.catalog = catalog or DefinitionCatalog(settings.privacy_notice_version)
        self.clock = clock

    async def run_once(self) -> None:
        now = self.clock()
        async with self.session_factory() as session, session.begin():
            await schedule_reminders(session, now, self.quiet)
            await schedule_meeting_reminders(session, now, self.quiet)
        async with self.session_factory() as session, session.begin():
            await schedule_feedback(session, now, self.quiet, self.catalog)
            await campaign_clock.tick(
                session, now, self.quiet, self.catalog, min_group=self.min_group
            )

    async def run(self) -> None:
        await every(self.interval, self.run_once, what="scheduling reminders")


async def run_worker(
    bot: Bot,
    session_factory: SessionFactory,
    settings: Settings,
    *,
    catalog: DefinitionCatalog | None = None,
    clock: Clock = utcnow,
) -> None:
    """Schedule reminders, process validation deadlines and send the outbox until cancelled."""
    scheduler = ReminderScheduler(session_factory, settings, catalog=catalog, clock=clock)
    engine = session_factory.kw["bind"]
    async with liveness.alive(engine) as process, asyncio.TaskGroup() as group:
        sender = OutboxWorker(bot, session_factory, settings, clock=clock, process=process)
        group.create_task(scheduler.run())
        group.create_task(sender.run())
        group.create_task(run_clock(session_factory, clock=clock, quiet=scheduler.quiet))
