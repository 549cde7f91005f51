"""Evidence a coordinator marks public: what may be, and the cleaned copy the public is served.

The public never gets the stored file as a reporter sent it: marking a file public stores a
cleaned copy, and the public pages serve only that copy. A photo goes through the same cleaning
as every upload (re-encoded without its metadata, with the same guard against pixel bombs); a
document loses the names in its properties, comments and revisions (core.reporting.scrubbing),
and one that cannot be read or is encrypted is not published.
Voice notes, audio and video are never published: they carry people's voices.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import chain
from core.audit.actor import Actor
from core.errors import Conflict, DomainError, InvalidInput
from core.models import Evidence, EvidenceKind, ProgressReport, Task
from core.plans import tasks
from core.reporting import evidence, scrubbing
from core.reporting.reports import get_evidence
from i18n import N_

# Stored files that may be published: photos and the documents there is a cleaner for.
PUBLISHABLE_FILES = evidence.PHOTOS | scrubbing.DOCUMENTS
FILE_KINDS = frozenset({EvidenceKind.PHOTO, EvidenceKind.DOCUMENT})


def public_copy(folder: Path, item: Evidence) -> str | None:
    """The stored name of the copy the public may be served (None for a link or a text); the
    refusal when the evidence may not be published."""
    if item.kind in (EvidenceKind.VOICE, EvidenceKind.VIDEO):
        raise InvalidInput(N_("Voice notes and videos are not published: they carry voices."))
    if item.kind == EvidenceKind.LINK:
        if not item.url:
            raise Conflict(N_("Evidence {id} holds nothing to publish."), id=item.id)
        return None
    if item.kind not in FILE_KINDS:
        if not item.caption:
            raise Conflict(N_("Evidence {id} holds nothing to publish."), id=item.id)
        return None
    path = evidence.path_of(folder, item.stored_name) if item.stored_name else None
    if path is None or not path.is_file():
        raise Conflict(N_("Evidence {id} has no stored file to publish."), id=item.id)
    if path.suffix not in PUBLISHABLE_FILES:
        raise InvalidInput(N_("Voice notes and videos are not published: they carry voices."))
    data = path.read_bytes()
    if path.suffix in scrubbing.DOCUMENTS:
        data = scrubbing.clean(data, path.suffix)
    # Stored again as any upload is: a photo comes out re-encoded.
    return evidence.store(folder, data, max_bytes=len(data), filename=path.name).name


async def set_public(
    session: AsyncSession,
    secretariat_id: int,
    actor: Actor,
    evidence_id: int,
    *,
    public: bool,
    folder: Path,
) -> Evidence:
    """Mark the secretariat's evidence public (making its cleaned copy), or private again."""
    item = await get_evidence(session, secretariat_id, evidence_id)
    if item.report_id is None:
        raise Conflict(
            N_("Evidence {id} backs an indicator's value; only a report's evidence is published."),
            id=evidence_id,
        )
    if item.public == public:
        return item
    # Cleaning a long document takes seconds (docs/performance.md): off the event loop.
    item.public_name = await asyncio.to_thread(public_copy, folder, item) if public else None
    item.public = public
    report = await session.get_one(ProgressReport, item.report_id)
    _task, plan = await tasks.get_task(session, secretariat_id, report.task_id)
    data = {"report": report.id, "kind": item.kind, "sha256": item.sha256}
    action = "evidence.publish" if public else "evidence.unpublish"
    await chain.about(session, item, action, actor, secretariat_id, plan.id, data)
    return item


async def clean_earlier_copies(session: AsyncSession, folder: Path) -> int:
    """Replace the public copy of every document published before documents were cleaned (its
    copy is the file as it was sent) with a cleaned one; a document that cannot be cleaned
    (protected, damaged) is made private again. How many were cleaned or withdrawn."""
    earlier = await session.execute(
        tasks.plan_of_task()
        .add_columns(Evidence)
        .join(ProgressReport, ProgressReport.task_id == Task.id)
        .join(Evidence, Evidence.report_id == ProgressReport.id)
        .where(
            Evidence.public.is_(True),
            Evidence.kind == EvidenceKind.DOCUMENT,
            Evidence.public_name == Evidence.stored_name,
        )
        .order_by(Evidence.id)
    )
    changed = 0
    for row in earlier.all():
        item = row.Evidence
        if Path(item.stored_name or "").suffix not in scrubbing.CHANGED_BY_CLEANING:
            continue
        try:
            item.public_name = await asyncio.to_thread(public_copy, folder, item)
        except DomainError:
            await set_public(
                session, row.Plan.secretariat_id, Actor.system(), item.id, public=False,
                folder=folder,
            )  # fmt: skip
        changed += 1
    return changed
