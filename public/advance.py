"""``/avances/{report_id}``: one advance, its public evidence, civil society's votes and the
ledger entries that hold it; ``/avances/{report_id}/evidencias/{evidence_id}`` serves the
cleaned copy of a piece of evidence a coordinator marked public."""

from __future__ import annotations

import mimetypes
from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from core.models import EvidenceKind, ValidationState, VoteChoice
from core.people.roles import ROLE_LABELS, SECTOR_LABELS
from core.public.advance import PublicEvidence, Schedule, advance, public_evidence
from core.reporting import evidence
from core.reporting.labels import STATUS_LABELS
from i18n import N_
from public.deps import Pages, PublicNotFound, Reading
from public.rendering import COUNTRY_ZONE, render, url_for_page

router = APIRouter()

LARGEST_ID = 2**31 - 1  # the database's integer columns hold no more
CHOICES = {
    VoteChoice.CONFIRM: N_("Confirms"),
    VoteChoice.DISPUTE: N_("Disputes"),
    VoteChoice.NEEDS_INFO: N_("Asks for more information"),
}
OUTCOMES = {
    ValidationState.OPEN: N_("Waiting for validators"),
    ValidationState.VALIDATED: N_("Validated by civil society"),
    ValidationState.DISPUTED: N_("Disputed by civil society"),
    ValidationState.INCONCLUSIVE: N_("Closed without agreement"),
    ValidationState.EXPIRED: N_("Closed: too few answers in time"),
}
SCHEDULES = {
    Schedule.FINISHED: N_("Task finished"),
    Schedule.CANCELLED: N_("Task cancelled"),
    Schedule.ON_TIME: N_("On schedule: due {day}"),
    Schedule.OVERDUE: N_("Behind schedule: it was due {day}"),
    Schedule.UNDATED: N_("No due date"),
}
STEPS = {
    "report.create": N_("Report submitted"),
    "evidence.publish": N_("Evidence made public"),
    "evidence.unpublish": N_("Evidence made private"),
    "validation.request": N_("Put before civil society"),
    "validation.assign": N_("Validator asked"),
    "validation.declined": N_("Validator declined"),
    "validation.expired": N_("Validator did not answer in time"),
    "validation.vote": N_("Answer given"),
    "validation.vote_change": N_("Answer changed"),
    "validation.comment": N_("Comment added"),
    "validation.comment_public": N_("Comment made public by its author"),
    "validation.comment_private": N_("Comment kept private by its author"),
    "validation.information": N_("Question to the reporter"),
    "validation.close": N_("Validation closed"),
}
# Served without a download prompt: images the page shows; everything else is an attachment.
INLINE = {".jpg", ".png", ".webp"}
# A served file runs nothing, even opened on its own.
FILE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cross-Origin-Resource-Policy": "same-origin",
}
NOT_PUBLISHED = N_("No advance is published at this address.")
NO_EVIDENCE = N_("No public evidence is published at this address.")


def address_id(text: str, missing: str) -> int:
    """The id in the address, as the database could hold it; the 404 page otherwise."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or int(text) > LARGEST_ID:
        raise PublicNotFound(missing)
    return int(text)


def _web_link(url: str | None) -> str | None:
    """A link worth following: the web's, never a script's or a file's on the reader's disk."""
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def evidence_view(request: Request, item: PublicEvidence) -> dict[str, Any]:
    """What a page shows of a piece of public evidence: its cleaned copy's address, an image,
    a link worth following, its type and size."""
    href = url_for_page(request, f"/avances/{item.report_id}/evidencias/{item.id}")
    return {
        "item": item,
        "href": href if item.has_file else None,
        "image": item.kind == EvidenceKind.PHOTO and item.has_file,
        "link": _web_link(item.url) if item.kind == EvidenceKind.LINK else None,
        "type": _file_type(item.mime_type),
    }


def _file_type(mime_type: str | None) -> str | None:
    """What a reader calls the file: its usual extension (DOCX, not the MIME type's subtype
    "VND.OPENXMLFORMATS-…"), else the subtype."""
    if not mime_type:
        return None
    extension = mimetypes.guess_extension(mime_type)
    return (extension[1:] if extension else mime_type.rpartition("/")[2]).upper()


@router.get("/avances/{report_id}")
async def advance_page(
    request: Request, report_id: str, session: Reading, pages: Pages
) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()
    wanted = address_id(report_id, NOT_PUBLISHED)

    async def build() -> Response:
        found = await advance(session, wanted, today)
        if found is None:
            raise PublicNotFound(NOT_PUBLISHED)
        latest = found.latest
        context = {
            "advance": found,
            "report": found.report,
            "task": found.task,
            "status": STATUS_LABELS[found.report.status],
            "task_status": STATUS_LABELS[found.task.status],
            "role": ROLE_LABELS[found.reporter_role] if found.reporter_role else None,
            "outcome": OUTCOMES[latest.state] if latest else None,
            "outcome_kind": latest.state.value if latest else "none",
            "schedule": SCHEDULES[found.schedule],
            "schedule_kind": found.schedule.value,
            "evidence": [evidence_view(request, item) for item in found.evidence],
            "no_evidence": N_("The secretariat has published no evidence of this report."),
            "choices": CHOICES,
            "outcomes": OUTCOMES,
            "sectors": SECTOR_LABELS,
            "steps": STEPS,
            "secretariat_href": url_for_page(request, f"/secretarias/{found.secretariat.slug}"),
            "ledger_href": url_for_page(request, "/public/ledger", plan_id=found.plan.id),
            "verify_href": url_for_page(request, "/verificar"),
        }
        return render(request, "advance.html", context)

    return await pages.respond(request, session, today, build)


@router.get("/avances/{report_id}/evidencias/{evidence_id}")
async def evidence_file(
    request: Request, report_id: str, evidence_id: str, session: Reading
) -> Response:
    """The cleaned copy, only while the evidence is marked public; a 404 page otherwise."""
    item = await public_evidence(
        session, address_id(report_id, NO_EVIDENCE), address_id(evidence_id, NO_EVIDENCE)
    )
    folder: Path = request.app.state.settings.evidence_dir
    path = evidence.path_of(folder, item.public_name) if item and item.public_name else None
    if item is None or path is None or not path.is_file():
        raise PublicNotFound(NO_EVIDENCE)
    extension = path.suffix
    disposition = "inline" if extension in INLINE else "attachment"
    filename = f"evidencia-{item.id}{extension}"
    return FileResponse(
        path,
        media_type=evidence.ACCEPTED[extension],
        headers={
            **FILE_HEADERS,
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "public, no-cache",
        },
    )
