"""Whole-plan views kept as served until something in the product has changed.

Every change the product makes is an event of the audit log, whose head moves with each one. A
view built while the head was at N is therefore still right while the head stays at N: it is
answered from memory, and a client that sends its ETag back gets 304 Not Modified. The head is
read before the view is built, so a change committed meanwhile can only make a kept view newer
than its key, never older.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from decimal import Decimal

import orjson
from fastapi import Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from admin.auth import Scope
from core.audit import chain
from core.plans import plans
from core.plans.graphs import PlanGraphs

# A 5,000-task plan's critical path is about 1 MB of JSON.
KEPT_VIEWS = 32


def _decimal(value: object) -> float:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class PlanViewCache:
    def __init__(self, size: int = KEPT_VIEWS) -> None:
        self.size = size
        # What is read again after a change can still skip what that change cannot have touched.
        self.graphs = PlanGraphs()
        self._kept: OrderedDict[tuple[str, int], tuple[int, bytes]] = OrderedDict()

    async def respond(
        self,
        request: Request,
        scope: Scope,
        plan_id: int,
        view: str,
        build: Callable[[AsyncSession, int, int], Awaitable[object]],
    ) -> Response:
        """The view as JSON, built by ``build`` (given the session, the secretariat's id and the
        plan's) only when the kept one may be out of date.

        orjson writes the view's dataclasses (dates as ISO dates) in one pass, many times faster
        than validating thousands of rows into response models; the models still document the
        shape, and the API tests check every answer against them.
        """
        await plans.get_plan(scope.session, scope.secretariat_id, plan_id)  # 404 if not theirs
        head, _digest = await chain.head(scope.session)
        etag = f'"{view}-{plan_id}-{head}"'
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if etag in request.headers.get("if-none-match", ""):
            return Response(status_code=304, headers=headers)
        key = (view, plan_id)
        kept = self._kept.get(key)
        if kept is not None and kept[0] == head:
            self._kept.move_to_end(key)
            content = kept[1]
        else:
            content = orjson.dumps(
                await build(scope.session, scope.secretariat_id, plan_id), default=_decimal
            )
            self._kept[key] = (head, content)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return Response(content, media_type="application/json", headers=headers)
