"""What a public page's route uses: a reading session, the kept pages, the 404 it raises."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from public.page_cache import PageCache


class PublicNotFound(Exception):
    """A public page's subject does not exist: answered with the 404 page."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.read_session_factory() as session:
        yield session


Reading = Annotated[AsyncSession, Depends(_session)]


def _pages(request: Request) -> PageCache:
    pages: PageCache = request.app.state.public_pages
    return pages


Pages = Annotated[PageCache, Depends(_pages)]
