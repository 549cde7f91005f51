"""``incorruptible campaign``: make a survey or interview pending for people (the campaign
minimum of the command line)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import typer

from core.people.roles import Role, Sector
from incorruptible.commands.bot import ACTOR, secretariat_of
from incorruptible.context import fail, open_database, settings_or_exit

app = typer.Typer(
    help="Make a survey or interview pending for people; the bot invites them.",
    no_args_is_help=True,
)


@app.command("definitions")
def list_definitions(
    secretariat: int | None = typer.Option(
        None, help="Secretariat id (may be left out when there is only one)."
    ),
) -> None:
    """The surveys and interviews a secretariat can launch: built in, its own and the national
    templates, with their versions."""
    from conversations.definition import localize
    from core.chat.definitions import DefinitionCatalog

    settings = settings_or_exit()
    catalog = DefinitionCatalog(settings.privacy_notice_version)

    async def main() -> list[str]:
        async with open_database(settings) as session_factory, session_factory() as session:
            chosen = await secretariat_of(session, secretariat)
            lines = []
            for item in await catalog.available(session, chosen.id):
                definition = item.located.definition
                versions = ",".join(str(uploaded.version) for uploaded in item.versions)
                lines.append(
                    f"{definition.id}\t{definition.kind}\t{item.located.source.value}\t"
                    f"v{versions}\t{localize(definition.title, 'es')}"
                )
            return lines

    for line in asyncio.run(main()):
        typer.echo(line)


@app.command("launch")
def launch(
    definition: str = typer.Argument(..., help="Id of the definition (see `definitions`)."),
    secretariat: int | None = typer.Option(
        None, help="Secretariat id (may be left out when there is only one)."
    ),
    role: list[Role] = typer.Option([], "--role", help="Reach people with this role."),
    sector: list[Sector] = typer.Option([], "--sector", help="Reach this civil-society sector."),
    person: list[int] = typer.Option([], "--person", help="Reach this person (by id)."),
    closes: datetime | None = typer.Option(None, help="Closing date (YYYY-MM-DD), optional."),
) -> None:
    """Make a definition pending for people (everyone when no --role, --sector or --person)."""
    from core.chat import campaigns
    from core.chat.definitions import DefinitionCatalog
    from core.errors import DomainError
    from core.people.audience import Audience

    settings = settings_or_exit()
    catalog = DefinitionCatalog(settings.privacy_notice_version)
    audience = Audience(frozenset(role), frozenset(sector), frozenset(person))

    async def main() -> tuple[int, int]:
        async with (
            open_database(settings) as session_factory,
            session_factory() as session,
            session.begin(),
        ):
            chosen = await secretariat_of(session, secretariat)
            try:
                campaign, people = await campaigns.start_now(
                    session,
                    chosen.id,
                    ACTOR,
                    definition=await catalog.find(session, chosen.id, definition),
                    settings=campaigns.Settings(
                        audience=audience, closes_at=closes.replace(tzinfo=UTC) if closes else None
                    ),
                    reach_now=False,
                )
            except DomainError as refusal:
                raise fail(refusal.render("en")) from None
            return campaign.id, len(people)

    campaign_id, invited = asyncio.run(main())
    typer.echo(f"campaign {campaign_id}: {invited} people invited (the bot sends the messages)")


@app.command("list")
def list_campaigns(
    secretariat: int | None = typer.Option(
        None, help="Secretariat id (may be left out when there is only one)."
    ),
) -> None:
    """Campaigns of a secretariat, with how many people completed each."""
    from sqlalchemy import func, select

    from core.chat import campaigns
    from core.models import CampaignParticipant, ParticipantState

    settings = settings_or_exit()

    async def main() -> list[str]:
        async with open_database(settings) as session_factory, session_factory() as session:
            chosen = await secretariat_of(session, secretariat)
            lines = []
            for campaign in await campaigns.list_campaigns(session, chosen.id):
                completed = await session.scalar(
                    select(func.count()).where(
                        CampaignParticipant.campaign_id == campaign.id,
                        CampaignParticipant.state == ParticipantState.FINISHED,
                    )
                )
                state = campaign.state.value
                lines.append(
                    f"{campaign.id}\t{campaign.definition_id}\t{state}\t"
                    f"{completed} completed\t{campaign.audience}"
                )
            return lines

    for line in asyncio.run(main()) or ["no campaigns yet"]:
        typer.echo(line)
