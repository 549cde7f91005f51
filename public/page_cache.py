"""Public pages kept as served until the product changes.

Every change the product makes is an event of the audit log, so a page built while the log's
head was at N is still right while the head stays at N (and the day has not turned): it is
answered from memory, and a browser that sends its ETag back gets 304 Not Modified.

Asking for the head is then most of what a kept page costs, so requests share it: each waits for
a read of the head that began after it arrived, and one read answers every request waiting.
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
        self._head_lock = asyncio.Lock()
        self._head_reads_begun = 0
        self._head_read = 0  # the number of the last read that gave ``_head``
        self._head = 0

    async def _current_head(self, session: AsyncSession) -> int:
        """The ledger's head as read after this call began, by this request or another one."""
        arrived = self._head_reads_begun
        async with self._head_lock:
            # Reads happen only under the lock: one that began after this call has ended.
            if self._head_read > arrived:
                return self._head
            self._head_reads_begun += 1
            number = self._head_reads_begun
            self._head, _digest = await chain.head(session)
            self._head_read = number
            return self._head

    async def respond(
        self,
        request: Request,
        session: AsyncSession,
        today: date,
        build: Callable[[], Awaitable[Response]],
    ) -> Response:
        """The page ``build`` makes, built again only when the product or the day changed."""
        version = f"{await self._current_head(session)}-{today.isoformat()}"
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
