"""``/verificar``: a page that verifies the public ledger in the visitor's browser, and says how
to verify it on the command line."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response

from core.models import GENESIS_HASH
from public.deps import Pages, Reading
from public.rendering import COUNTRY_ZONE, render, site_address

router = APIRouter()


@router.get("/verificar")
async def verify(request: Request, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        context = {
            "genesis": GENESIS_HASH,
            "ledger": "/public/ledger",
            "site": site_address(request),
        }
        return render(request, "verify.html", context)

    return await pages.respond(request, session, today, build)
