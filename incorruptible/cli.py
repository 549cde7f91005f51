"""``incorruptible``: run the product, manage its database, and the tools around it."""

from __future__ import annotations

import typer

from incorruptible.commands import audit, bot, database, emulator, serve, survey, token, worker

app = typer.Typer(
    name="incorruptible",
    help="Plan, carry out and prove the annual actions of an anticorruption secretariat.",
    no_args_is_help=True,
    add_completion=False,
)
app.command()(serve.run)
app.command()(serve.admin)
app.command()(database.migrate)
app.command("seed-demo")(database.seed_demo)
app.add_typer(audit.app, name="audit")
app.command()(emulator.emulator)
app.add_typer(token.app, name="token")
app.add_typer(survey.app, name="survey")
app.add_typer(token.app, name="token")
app.command()(worker.worker)
app.command()(bot.bot)
app.command()(bot.invite)
app.add_typer(bot.campaign_app, name="campaign")
