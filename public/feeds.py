"""Atom feeds of the advances civil society validated: ``/datos/avances.atom`` for the country
and ``/secretarias/{slug}/avances.atom`` for one secretariat, newest first."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from core.models import Secretariat
from core.public.advances import ValidatedAdvance, validated_advances
from core.reporting.labels import status_label
from i18n import N_, gettext
from public.deps import Pages, PublicNotFound, Reading
from public.rendering import COUNTRY_ZONE, language_of, percent_text, plan_name, site_address

router = APIRouter()

ATOM = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
COUNTRY_FEED = "/datos/avances.atom"


def secretariat_feed(slug: str) -> str:
    """The address of a secretariat's feed of validated advances."""
    return f"/secretarias/{slug}/avances.atom"


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, **attrs: str) -> None:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    element.text = text


def _entry(feed: ElementTree.Element, advance: ValidatedAdvance, language: str, site: str) -> None:
    entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
    # A tag URI: stable whatever the site's address becomes later (RFC 4151).
    authority = urlsplit(site).hostname or "localhost"
    day = advance.requested_at.astimezone(UTC).date().isoformat()
    _add(entry, "id", f"tag:{authority},{day}:validation-request/{advance.request_id}")
    _add(
        entry,
        "title",
        gettext(
            language,
            "{code} {title}: validated by civil society",
            code=advance.task_code,
            title=advance.task_title,
        ),
    )
    _add(
        entry, "link", rel="alternate", type="text/html", href=f"{site}/avances/{advance.report_id}"
    )
    _add(entry, "updated", _moment(advance.validated_at))
    _add(
        entry,
        "summary",
        gettext(
            language,
            "{secretariat}, {plan}. Reported as {status}, {percent} done. "
            "Confirmations: {confirmations}, from {sectors} sectors of civil society.",
            secretariat=advance.secretariat_name,
            plan=plan_name(advance.plan_title, advance.plan_year),
            status=status_label(advance.status, language),
            percent=percent_text(language, advance.percent),
            confirmations=advance.confirmations,
            sectors=advance.sectors,
        ),
    )


def atom(
    advances: list[ValidatedAdvance],
    *,
    language: str,
    site: str,
    path: str,
    page: str,
    title: str,
    author: str,
) -> bytes:
    """The Atom document listing ``advances``, newest first."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"xml:lang": language})
    _add(feed, "id", f"{site}{path}")
    _add(feed, "title", title)
    newest = advances[0].validated_at if advances else datetime.now(UTC)
    _add(feed, "updated", _moment(newest))
    author_element = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    _add(author_element, "name", author)
    _add(feed, "link", rel="self", type=ATOM_TYPE, href=f"{site}{path}")
    _add(feed, "link", rel="alternate", type="text/html", href=f"{site}{page}")
    for advance in advances:
        _entry(feed, advance, language, site)
    document: bytes = ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)
    return document


def _answer(document: bytes, language: str) -> Response:
    return Response(
        document,
        media_type=f"{ATOM_TYPE}; charset=utf-8",
        headers={"Content-Language": language},
    )


@router.get(COUNTRY_FEED)
async def country_feed(request: Request, session: Reading, pages: Pages) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        language = language_of(request)
        site_name = gettext(language, "Public anticorruption progress")
        document = atom(
            await validated_advances(session),
            language=language,
            site=site_address(request),
            path=COUNTRY_FEED,
            page="/",
            title=gettext(language, "Advances validated by civil society"),
            author=site_name,
        )
        return _answer(document, language)

    return await pages.respond(request, session, today, build)


@router.get("/secretarias/{slug}/avances.atom")
async def one_secretariat_feed(
    slug: str, request: Request, session: Reading, pages: Pages
) -> Response:
    today = datetime.now(COUNTRY_ZONE).date()

    async def build() -> Response:
        secretariat = await session.scalar(select(Secretariat).where(Secretariat.slug == slug))
        if secretariat is None:
            raise PublicNotFound(N_("No secretariat is published at this address."))
        language = language_of(request)
        document = atom(
            await validated_advances(session, secretariat.id),
            language=language,
            site=site_address(request),
            path=secretariat_feed(slug),
            page=f"/secretarias/{slug}",
            title=gettext(
                language,
                "Advances validated by civil society: {secretariat}",
                secretariat=secretariat.name,
            ),
            author=secretariat.name,
        )
        return _answer(document, language)

    return await pages.respond(request, session, today, build)
