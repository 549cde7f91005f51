"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse
from fastapi_offline import FastAPIOffline

from admin import probes, problems
from admin.body_limits import JSON_BYTES, UPLOAD_BYTES, BodyLimits
from admin.plan_view_cache import PlanViewCache
from admin.request_ids import RequestIds
from admin.routers import (
    attendance,
    audit,
    campaigns,
    definitions,
    help_requests,
    indicator_views,
    indicators,
    interviews,
    invitations,
    join_requests,
    meeting_feedback,
    meeting_records,
    meetings,
    pea_priorities,
    people,
    plans,
    practices,
    priorities,
    reminders,
    reports,
    results,
    secretariats,
    signin,
    spreadsheets,
    tasks,
    tokens,
    validation,
    views,
)
from core.chat.definitions import DefinitionCatalog
from core.infra.db import (
    SessionFactory,
    create_read_engine,
    create_session_factory,
    engine_from_settings,
)
from core.infra.heap import settle_heap
from core.infra.settings import Settings
from core.people.invitations import JoinLinks
from public import site

DESCRIPTION = """
Manage the annual action plans of the anticorruption secretariats: plans, objectives,
activities, tasks and their dependencies, indicators, people and invitations; plan views
(progress, critical path, timeline, workload); reminder rules and the outbox; progress
reports and their evidence; spreadsheets; survey and interview definitions, uploaded and
versioned, and the national templates; campaigns, their participation, results and exports;
sessions (workshops, interviews...), their invitees' answers, agreements and minutes; the
audit log.

**Authentication**: send `Authorization: Bearer <token>`. The first token comes from the
command line (`incorruptible token create --role national_admin`); more are issued with
`POST /tokens`. Roles: `national_admin` (every secretariat), `secretariat_admin`,
`coordinator` (edits plans), `viewer` (reads only). Another secretariat's ids answer 404.

**Errors** are `application/problem+json` in Spanish, or English with `Accept-Language: en`.
**Updates** carry the `version` you read; a stale one answers 409.
"""

ROUTERS = (
    tokens,
    secretariats,
    people,
    invitations,
    join_requests,
    plans,
    tasks,
    reports,
    help_requests,
    reminders,
    indicators,
    indicator_views,
    views,
    audit,
    spreadsheets,
    validation,
    campaigns,
    meetings,
    interviews,
    attendance,
    meeting_feedback,
    meeting_records,
    priorities,
    pea_priorities,
    practices,
    definitions,
    results,
    signin,
)


def create_app(
    settings: Settings,
    session_factory: SessionFactory | None = None,
    join_links: JoinLinks | None = None,
    catalog: DefinitionCatalog | None = None,
) -> FastAPI:
    """Build the app; without a session factory it opens (and closes) its own engine.

    ``join_links`` say where an invitation's code is opened; without them the settings must
    tell (a bot username, or no bot token: the emulator's web chat). ``catalog`` holds the
    built-in definitions (one of the settings' privacy notice if not given).
    """
    join_links = join_links or JoinLinks.from_settings(settings)
    if join_links is None:
        raise ValueError("invitation links need the bot's username (INCORRUPTIBLE_BOT_USERNAME)")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settle_heap()
        async with AsyncExitStack() as opened:
            writes = session_factory
            if writes is None:
                engine = engine_from_settings(settings)
                opened.push_async_callback(engine.dispose)
                writes = create_session_factory(engine)
            engine = writes.kw["bind"]
            reader = create_read_engine(engine, connections=settings.admin_read_connections)
            if reader is not engine:
                opened.push_async_callback(reader.dispose)
            probes.use_database(app, writes, create_session_factory(reader))
            yield

    # Swagger UI and ReDoc are served from the package's own copies, not a CDN: the admin API is
    # also used on networks with no internet.
    app = FastAPIOffline(
        title="incorruptible",
        summary="Admin API of the secretariats' annual action plans.",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        responses=problems.problem_responses(400, 401, 403, 404, 409, 422),
        redoc_url=None,
    )
    _redoc(app)
    app.state.settings = settings
    app.state.join_links = join_links
    app.state.catalog = catalog or DefinitionCatalog(settings.privacy_notice_version)
    app.state.plan_views = PlanViewCache()
    if session_factory is not None:
        # Without a lifespan (an app called in process) it reads with the one it is given.
        probes.use_database(app, session_factory, session_factory)
    problems.install(app)
    app.add_middleware(BodyLimits, default=JSON_BYTES, by_route=UPLOAD_BYTES)
    # Added last, so it is outermost: a body refused above is counted too.
    probes.install(app)
    # Added after, so outermost of all: every line logged for a request, its errors too, names it.
    app.add_middleware(RequestIds)

    # The public pages first: routes are tried in order, and the many visitors of the public
    # pages should not wait for a walk through every route of the API before theirs.
    site.install(app, api_not_found=problems.http_error)
    for module in ROUTERS:
        app.include_router(module.router)
    return app


def _redoc(app: FastAPI) -> None:
    """ReDoc from the package's own copy, as FastAPIOffline serves it, with the site's icon."""

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - ReDoc",
            redoc_js_url="/static-offline-docs/redoc.standalone.js",
            redoc_favicon_url="/static/favicon.svg",
            with_google_fonts=False,
        )
        # ReDoc's script always draws Redocly's logo from their CDN: this page loads images
        # from this site only, and the logo, refused, is left out.
        page.headers["Content-Security-Policy"] = "img-src 'self' data:"
        return page
