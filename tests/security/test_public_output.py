"""Nothing public names a person: after a secretariat's whole life in chat, neither the public
ledger (over HTTP or from `audit export`) nor any route open without a token holds a Telegram
id, a username, a name, an email, a phone, a token label, an invitation note or a text someone
typed, and the ledger still verifies."""

from __future__ import annotations

import io
import re
import zipfile

import httpx
from sqlalchemy import select

from admin.app import create_app
from core.audit import ledger
from core.models import Secretariat
from core.public.open_data import TABLES
from public.site import ROUTERS
from tests.cli.test_commands import incorruptible
from tests.support import privacy_scenario

# What answers without a token; a new route open to anyone joins this list knowingly. (/ready
# is open too, but answers 503 here: these tests' database is made without the migrations.)
OPEN_ROUTES = {
    "/health",
    "/metrics",
    "/public/ledger",
    "/public/ledger/head",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    "/plan-template.xlsx",
    "/signin",
    "/",
    "/secretarias/{slug}",
    "/secretarias/{slug}/planes/{plan_id}",
    "/secretarias/{slug}/validar",
    "/secretarias/{slug}/validar/gracias",
    "/secretarias/{slug}/avances.atom",
    "/avances/{report_id}",
    "/politica-nacional",
    "/buenas-practicas",
    "/buenas-practicas/{practice_id}",
    "/datos",
    "/datos/datapackage.json",
    "/datos/avances.atom",
    "/verificar",
    "/favicon.ico",
    "/caja-de-herramientas",
    "/caja-de-herramientas.pdf",
    "/caja-de-herramientas/{chapter_id}",
    "/caja-de-herramientas/definiciones/{definition_id}.yaml",
}


PUBLIC_SITE = [
    "/",
    "/datos",
    "/datos/datapackage.json",
    "/datos/avances.atom",
    "/verificar",
    *(f"/datos/{table.name}.{extension}" for table in TABLES for extension in ("csv", "json")),
]


def readable(response: httpx.Response) -> str:
    """The response's text; a spreadsheet's, from the XML inside it."""
    if not response.content.startswith(b"PK"):
        return response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def get_paths(app) -> set[str]:
    """Every GET path: the API's (from its schema), the app's own (documentation pages) and
    the public pages'."""
    described = {path for path, operations in app.openapi()["paths"].items() if "get" in operations}
    own = {route.path for route in app.routes if "GET" in (getattr(route, "methods", None) or ())}
    # The public pages' routers are included whole: their routes are read from them.
    pages = {route.path for module in ROUTERS for route in module.router.routes}
    return described | own | pages


async def secretariat_slug(chat) -> str:
    async with chat.session_factory() as session:
        return await session.scalar(
            select(Secretariat.slug).where(Secretariat.id == chat.secretariat_id)
        )


async def open_outputs(chat, scenario) -> dict[str, str]:
    """Every GET route's answer to a caller without a token, by path."""
    settings = chat.settings.model_copy(update={"bot_username": "incorruptible_test_bot"})
    app = create_app(settings, chat.session_factory)
    ids = {
        "secretariat_id": chat.secretariat_id,
        "plan_id": scenario.plan_id,
        "practice_id": scenario.practice_id,
        "slug": await secretariat_slug(chat),
        "chapter_id": "problematica",
        "definition_id": "secretariat_diagnostic",
    }
    answered = {}
    transport = httpx.ASGITransport(app=app)
    # The lifespan opens the reading sessions the public pages use.
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://admin.test") as client,
    ):
        for path in get_paths(app):
            url = re.sub(r"{(\w+)}", lambda m: str(ids.get(m[1], 1)), path)
            response = await client.get(url)
            if response.status_code < 400:
                answered[path] = readable(response)
        plan = await client.get("/public/ledger", params={"plan_id": scenario.plan_id})
        answered["/public/ledger?plan_id"] = plan.text
        assert set(answered) == OPEN_ROUTES | {"/public/ledger?plan_id"}
        # The public site's pages and files (its routes are not in the API's schema).
        for path in PUBLIC_SITE:
            response = await client.get(path)
            assert response.status_code == 200, path
            answered[path] = response.text
    return answered


async def test_no_public_output_names_anyone_and_the_ledger_verifies(chat, db_url, tmp_path):
    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    scenario = await privacy_scenario.run(chat)
    outputs = await open_outputs(chat, scenario)
    exported = incorruptible("audit", "export", "-", database_url=db_url)
    assert exported.returncode == 0, exported.stderr
    outputs["audit export"] = exported.stdout

    personal = scenario.values_of(*scenario.people) | {scenario.token_label: "a token's holder"}
    ids = {f'"person:{someone.person_id}"': key for key, someone in scenario.people.items()}
    for where, text in outputs.items():
        found = [(value, whose) for value, whose in {**personal, **ids}.items() if value in text]
        assert not found, f"{where} holds {found}"

    lines = outputs["audit export"].splitlines(keepends=True)
    assert ledger.verify_lines(lines).ok
    assert outputs["/public/ledger"] == outputs["audit export"]
    assert ledger.verify_lines(outputs["/public/ledger?plan_id"].splitlines()).ok
    # People are there, by pseudonym: joining, reports, erasure.
    for action in ('"person.create"', '"report.create"', '"person.erase"'):
        assert action in outputs["audit export"]
    assert '"actor":"person:' in outputs["audit export"]
