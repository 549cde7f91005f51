"""What a public page's route uses: a reading session, the kept pages, the refusals it raises."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from public.page_cache import PageCache


class PublicRefusal(Exception):
    """A public address asks for what cannot be answered as asked: answered with a page saying
    why (``message``, a message id with ``params``), with ``status_code``."""

    status_code = 400

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class PublicNotFound(PublicRefusal):
    """A public page's subject does not exist: answered with the 404 page."""

    status_code = 404


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.read_session_factory() as session:
        yield session


Reading = Annotated[AsyncSession, Depends(_session)]


async def _pages(request: Request) -> PageCache:  # a coroutine: no worker thread to read state
    pages: PageCache = request.app.state.public_pages
    return pages


Pages = Annotated[PageCache, Depends(_pages)]
