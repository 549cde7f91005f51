"""What ``incorruptible run`` prepares and prints for a newcomer when no bot token is set: the
demo secretariat with its surveys pending, two single-use invitations, and the banner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import typer

from core.audit.actor import Actor

if TYPE_CHECKING:
    from core.infra.db import SessionFactory
    from core.infra.settings import Settings

ACTOR = Actor.system("run")


@dataclass(frozen=True)
class Welcome:
    secretariat: str
    civil_society_code: str
    # A seeded staff member with open tasks, not on Telegram yet: whoever joins becomes them.
    staff_name: str | None = None
    staff_tasks: int = 0
    staff_code: str | None = None


async def prepare_demo(settings: Settings, session_factory: SessionFactory) -> Welcome:
    """The demo secretariat with every built-in survey pending, and fresh invitations to it."""
    from sqlalchemy import func, select

    from core.chat import campaigns
    from core.chat.definitions import DefinitionCatalog, Located
    from core.demo import demo_secretariat, seed_demo
    from core.models import (
        Campaign,
        Person,
        PersonRole,
        Role,
        Sector,
        Task,
        TaskResponsible,
        TaskStatus,
    )
    from core.people import invitations

    await seed_demo(session_factory, settings)
    catalog = DefinitionCatalog(settings.privacy_notice_version)
    async with session_factory() as session, session.begin():
        secretariat = await demo_secretariat(session)
        assert secretariat is not None
        launched = set(
            await session.scalars(
                select(Campaign.definition_id).where(Campaign.secretariat_id == secretariat.id)
            )
        )
        for definition in catalog.public():
            if definition.id not in launched:
                await campaigns.start_now(
                    session,
                    secretariat.id,
                    ACTOR,
                    definition=Located.builtin(definition),
                    settings=campaigns.Settings(),
                    reach_now=False,
                )
        civil_society = await invitations.create_invitation(
            session, secretariat.id, ACTOR, role=Role.CIVIL_SOCIETY, sector=Sector.OSC
        )
        open_tasks = func.count(Task.id)
        staff = (
            await session.execute(
                select(Person.id, Person.name, open_tasks)
                .join(PersonRole, PersonRole.person_id == Person.id)
                .join(TaskResponsible, TaskResponsible.person_id == Person.id)
                .join(Task, Task.id == TaskResponsible.task_id)
                .where(
                    Person.secretariat_id == secretariat.id,
                    Person.telegram_id.is_(None),
                    PersonRole.role == Role.STAFF,
                    Task.status.not_in((TaskStatus.DONE, TaskStatus.CANCELLED)),
                )
                .group_by(Person.id, Person.name)
                .order_by(open_tasks.desc(), Person.id)
                .limit(1)
            )
        ).first()
        if staff is None:
            return Welcome(secretariat.name, civil_society.code)
        bound = await invitations.create_invitation(
            session, secretariat.id, ACTOR, person_id=staff.id
        )
        return Welcome(secretariat.name, civil_society.code, staff.name, staff[2], bound.code)


def print_banner(settings: Settings, web_chat: str, welcome: Welcome) -> None:
    """Where to chat, what to send, and how to reach the admin API."""
    admin = f"http://{settings.admin_host}:{settings.admin_port}"
    lines = [
        "",
        "incorruptible is running. No bot token is set: the local emulator stands in for",
        "Telegram, with a web chat where you talk to the bot as any person you create there.",
        "",
        f"  web chat:   {web_chat}/",
        f"  To join {welcome.secretariat} as civil society, create a person in the web chat",
        f"  and send in the web chat: /start {welcome.civil_society_code}",
        f"  (or open {web_chat}/?start={welcome.civil_society_code})",
    ]
    if welcome.staff_code:
        lines += [
            f"  To be {welcome.staff_name}, staff with {welcome.staff_tasks} open tasks to report "
            "on (/tareas),",
            f"  create another person and send: /start {welcome.staff_code}",
        ]
    lines += [
        "  Each code works once; make another with `incorruptible invite --role civil_society "
        "--sector osc`",
        "  or, to become a seeded person, `incorruptible invite --person ID`.",
        "",
        f"  admin API:  {admin}/docs",
        "  To use it, make a token with `incorruptible token create --role secretariat_admin "
        "--secretariat 1`",
        "  and paste it under Authorize, or in a browser at "
        f"{admin}/campaigns.html to read campaigns' results.",
        "",
        "Stop with Ctrl+C.",
    ]
    typer.echo("\n".join(lines))
