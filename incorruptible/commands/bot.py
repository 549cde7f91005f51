"""``incorruptible bot`` and ``invite``: the bot alone, and invitations from the command line."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import typer

from core.audit.actor import Actor
from core.people.roles import Role, Sector
from incorruptible.context import (
    configure_logging,
    fail,
    open_database,
    refuse_unsafe_production,
    run_service,
    settings_or_exit,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from core.infra.settings import Settings
    from core.models import Secretariat
    from core.people.invitations import IssuedInvitation, JoinLinks

ACTOR = Actor.cli()


def bot(
    webhook: bool = typer.Option(
        False, "--webhook", help="Receive updates at INCORRUPTIBLE_WEBHOOK_URL instead of polling."
    ),
    host: str | None = typer.Option(
        None, help="Address the webhook listens on [default: INCORRUPTIBLE_WEBHOOK_HOST]."
    ),
    port: int | None = typer.Option(
        None, help="Port the webhook listens on [default: INCORRUPTIBLE_WEBHOOK_PORT]."
    ),
    worker: bool = typer.Option(
        True,
        help="Also send the outbox and write reminders; --no-worker leaves that to "
        "`incorruptible worker` processes.",
    ),
) -> None:
    """Run the Telegram bot alone (long polling unless --webhook)."""
    from bot.runner import poll, prepare, serve_webhook

    overrides = {"webhook_host": host, "webhook_port": port}
    settings = settings_or_exit(
        **{name: value for name, value in overrides.items() if value is not None}
    )
    if not token_of(settings):
        raise fail(
            "INCORRUPTIBLE_BOT_TOKEN is not set. Set it, or try everything locally with "
            "`incorruptible run`, which starts the emulator and its web chat.",
            2,
        )

    configure_logging(settings)

    async def main() -> None:
        async with open_database(settings) as session_factory:
            listens = ("webhook_host",) if webhook else ()
            await refuse_unsafe_production(settings, session_factory, listens=listens)
            telegram, dispatcher = prepare(settings, session_factory)
            if webhook:
                await serve_webhook(telegram, dispatcher, worker=worker)
            else:
                await poll(telegram, dispatcher, worker=worker)

    run_service(main())


def token_of(settings: Settings) -> str | None:
    """The bot token, if one is set (an empty variable counts as none)."""
    if settings.bot_token is None:
        return None
    return settings.bot_token.get_secret_value() or None


def emulated(settings: Settings) -> Settings:
    """Settings for a bot with no token of its own: the local emulator's default bot."""
    from pydantic import SecretStr

    from emulator.server import DEFAULT_TOKEN

    if token_of(settings):
        return settings
    url = f"http://{settings.emulator_host}:{settings.emulator_port}"
    return settings.model_copy(
        update={"bot_token": SecretStr(DEFAULT_TOKEN), "telegram_api_url": url}
    )


async def secretariat_of(session: AsyncSession, secretariat_id: int | None) -> Secretariat:
    """The chosen secretariat; with none chosen, the only one there is."""
    from sqlalchemy import select

    from core.models import Secretariat

    if secretariat_id is not None:
        found = await session.get(Secretariat, secretariat_id)
        if found is None:
            raise fail(f"There is no secretariat {secretariat_id}.")
        return found
    every = list(await session.scalars(select(Secretariat).order_by(Secretariat.id)))
    if len(every) == 1:
        return every[0]
    if not every:
        raise fail("There is no secretariat yet (try `incorruptible seed-demo`).")
    listing = ", ".join(f"{s.id} ({s.slug})" for s in every)
    raise fail(f"There are several secretariats; choose one with --secretariat: {listing}")


async def issue_invitation(
    session: AsyncSession,
    secretariat: Secretariat,
    role: Role | None,
    sector: Sector | None,
    days: int,
    person_id: int | None = None,
) -> IssuedInvitation:
    from core.errors import DomainError
    from core.people import invitations

    try:
        return await invitations.create_invitation(
            session,
            secretariat.id,
            ACTOR,
            role=role,
            sector=sector,
            ttl_days=days,
            person_id=person_id,
        )
    except DomainError as refusal:
        raise fail(refusal.render("en")) from None


async def join_links(settings: Settings) -> JoinLinks:
    """Where invitations are opened: what the settings tell, else the bot's username asked of
    the Bot API (getMe)."""
    from core.people.invitations import JoinLinks

    known = JoinLinks.from_settings(settings)
    if known is not None:
        return known
    from aiogram.exceptions import TelegramAPIError, TelegramNetworkError

    from bot import identity

    try:
        return JoinLinks.telegram(await identity.username(settings))
    except (OSError, TelegramNetworkError, TelegramAPIError) as error:
        raise fail(
            f"Cannot reach the Bot API to learn the bot's username ({error}); "
            "set INCORRUPTIBLE_BOT_USERNAME.",
            2,
        ) from None


def invite(
    role: Role | None = typer.Option(
        None, help="Role the invited person will have (left out with --person)."
    ),
    secretariat: int | None = typer.Option(
        None, help="Secretariat id (may be left out when there is only one)."
    ),
    sector: Sector | None = typer.Option(None, help="Sector, for civil society."),
    days: int = typer.Option(14, help="Days the invitation stays valid."),
    person: int | None = typer.Option(
        None,
        "--person",
        help="Id of an existing person with no Telegram account yet: whoever joins becomes them.",
    ),
) -> None:
    """Create a single-use invitation and print its deep link (the last line)."""
    from core.people import invitations

    settings = settings_or_exit()

    async def main() -> tuple[str, str, JoinLinks]:
        async with (
            open_database(settings) as session_factory,
            session_factory() as session,
            session.begin(),
        ):
            chosen = await secretariat_of(session, secretariat)
            issued = await issue_invitation(session, chosen, role, sector, days, person)
            bound = await invitations.bound_person(session, issued.invitation)
            role_name = issued.invitation.role.value
            about = (
                f"Invitation for {bound.display_name} ({role_name}) to {chosen.name}"
                if bound
                else f"Invitation to {chosen.name} as {role_name}"
            )
            # Asked last, so that an unreachable Bot API leaves no invitation behind.
            return about, issued.code, await join_links(settings)

    about, code, links = asyncio.run(main())
    typer.echo(f"{about}, valid {days} days.")
    typer.echo(f"In a chat with the bot, send: /start {code}")
    typer.echo(links.link(code))
