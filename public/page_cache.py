"""Public pages kept as served until the product changes.

Every change the product makes is an event of the audit log, so a page built while the log's
head was at N is still right while the head stays at N (and the day has not turned): it is
answered from memory, and a browser that sends its ETag back gets 304 Not Modified.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import date

from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from public.rendering import language_of

KEPT_PAGES = 256
# Requests for one page that arrive while it is being built wait for that build rather than
# each building it again; pages share these locks by their key's hash, so any number of
# addresses needs no more of them.
BUILD_LOCKS = 64


class PageCache:
    def __init__(self, size: int = KEPT_PAGES) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[str, ...], tuple[str, Response]] = OrderedDict()
        self._locks = [asyncio.Lock() for _ in range(BUILD_LOCKS)]

    async def respond(
        self,
        request: Request,
        session: AsyncSession,
        today: date,
        build: Callable[[], Awaitable[Response]],
    ) -> Response:
        """The page ``build`` makes, built again only when the product or the day changed."""
        head, _digest = await chain.head(session)
        version = f"{head}-{today.isoformat()}"
        etag = f'"{version}"'
        key = (
            request.url.path,
            str(sorted(request.query_params.multi_items())),
            language_of(request),
        )
        async with self._locks[hash(key) % BUILD_LOCKS]:
            kept = self._kept.get(key)
            if kept is not None and kept[0] == version:
                self._kept.move_to_end(key)
                page = kept[1]
            else:
                page = await build()
                page.headers["ETag"] = etag
                page.headers["Cache-Control"] = "public, no-cache"
                self._kept[key] = (version, page)
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers={"ETag": etag})
        return page
