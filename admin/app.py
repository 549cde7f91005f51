"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from core.db import SessionFactory, create_session_factory, engine_from_settings
from core.settings import Settings


def create_app(settings: Settings, session_factory: SessionFactory | None = None) -> FastAPI:
    """Build the app; without a session factory it opens (and closes) its own engine."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if session_factory is not None:
            app.state.session_factory = session_factory
            yield
            return
        engine = engine_from_settings(settings)
        app.state.session_factory = create_session_factory(engine)
        yield
        await engine.dispose()

    app = FastAPI(
        title="incorruptible",
        summary="Admin API of the secretariats' annual action plans.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings

    @app.get("/health", tags=["health"], summary="Liveness probe")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
