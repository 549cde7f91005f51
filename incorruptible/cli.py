"""``incorruptible``: run the product, manage its database, and the tools around it."""

from __future__ import annotations

import typer

from incorruptible.commands import (
    audit,
    backup,
    bot,
    campaign,
    database,
    emulator,
    serve,
    survey,
    token,
    worker,
)

app = typer.Typer(
    name="incorruptible",
    help="Plan, carry out and prove the annual actions of an anticorruption secretariat.",
    no_args_is_help=True,
    add_completion=False,
    # A plain traceback for the unexpected: typer's would print every local, secrets included.
    pretty_exceptions_enable=False,
)
app.command()(serve.run)
app.command()(serve.admin)
app.command()(database.migrate)
app.command("seed-demo")(database.seed_demo)
app.add_typer(audit.app, name="audit")
app.command()(backup.backup)
app.command()(backup.restore)
app.command()(emulator.emulator)
app.add_typer(token.app, name="token")
app.add_typer(survey.app, name="survey")
app.command()(worker.worker)
app.command()(bot.bot)
app.command()(bot.invite)
app.add_typer(campaign.app, name="campaign")
