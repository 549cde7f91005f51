"""Plans' dependency graphs, kept between requests while the audit log shows them unchanged.

Reading the graph of a large plan (15,000 dependencies) costs a critical-path request more than
anything else but its tasks, yet it changes far less often than they do. Every change to it is
an audit event: adding or removing a dependency (``dependency.*``), or deleting a task, an
activity, an objective or a plan, whose dependencies go with it (``*.delete``). A graph read
while the audit head was at N is therefore still the graph while no such event has come after
N. The head is read before the graph, so a change committed meanwhile can only make a kept graph
newer than its key, never older.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.models import AuditEvent
from core.plans.dependencies import plan_edges

Edges = Sequence[tuple[int, int, int]]

GRAPH_CHANGES = or_(AuditEvent.action.like("dependency.%"), AuditEvent.action.like("%.delete"))
KEPT_GRAPHS = 32


class PlanGraphs:
    def __init__(self, size: int = KEPT_GRAPHS) -> None:
        self.size = size
        self._kept: OrderedDict[int, tuple[int, Edges]] = OrderedDict()

    async def edges(self, session: AsyncSession, plan_id: int) -> Edges:
        """(predecessor, successor, lag) of every dependency of the plan, as ``plan_edges``."""
        head, _digest = await chain.head(session)
        kept = self._kept.get(plan_id)
        if kept is not None:
            read_at, edges = kept
            if read_at == head or not await _graph_changed_since(session, read_at):
                self._keep(plan_id, head, edges)
                return edges
        edges = await plan_edges(session, plan_id)
        self._keep(plan_id, head, edges)
        return edges

    def _keep(self, plan_id: int, head: int, edges: Edges) -> None:
        self._kept[plan_id] = (head, edges)
        self._kept.move_to_end(plan_id)
        while len(self._kept) > self.size:
            self._kept.popitem(last=False)


async def _graph_changed_since(session: AsyncSession, seq: int) -> bool:
    """Whether any event after ``seq`` may have changed some plan's dependencies."""
    found = await session.scalar(
        select(AuditEvent.seq).where(AuditEvent.seq > seq, GRAPH_CHANGES).limit(1)
    )
    return found is not None
