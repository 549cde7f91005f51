"""``/caja-de-herramientas``: the methodology manual, its chapters, its printable PDF, and the
built-in survey definitions a chapter offers to download.

The manual is read once (``core.toolbox``) and changes only with the product: its pages read no
database and are not kept in the page cache.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from conversations.definitions import DIRECTORY, builtin_ids
from core.toolbox.manual import CHAT_COMMAND, STEPS, Chapter, manual
from core.toolbox.markdown import PUBLIC_PATH
from i18n import N_, gettext
from public.deps import PublicNotFound
from public.rendering import language_of, render, url_for_page
from public.toolbox_pdf import manual_pdf

router = APIRouter()

NO_CHAPTER = N_("The toolbox has no chapter at this address.")
NO_DEFINITION = N_("No survey of the product is published at this address.")
# What a chapter's survey or command action says on the web, where it cannot be started.
SURVEY = N_(
    "“{label}” is answered in the Telegram bot: your secretariat's coordination launches the "
    "survey, and each person it is meant for receives it there (/encuestas lists the pending ones)."
)
COMMAND = N_("“{label}”: in the Telegram bot, send {command}.")
PDF_NAMES = {"es": "caja-de-herramientas.pdf", "en": "toolbox.pdf"}


@router.get(PUBLIC_PATH)
async def contents(request: Request) -> HTMLResponse:
    toolbox = manual()
    return render(
        request,
        "toolbox.html",
        {
            "steps": toolbox.steps(),
            "others": toolbox.others(),
            "first": toolbox.chapters[0],
            "version": toolbox.version,
            "chat_command": CHAT_COMMAND,
            "href": lambda chapter: url_for_page(request, f"{PUBLIC_PATH}/{chapter.id}"),
            "pdf": url_for_page(request, f"{PUBLIC_PATH}.pdf"),
        },
    )


@router.get(f"{PUBLIC_PATH}.pdf")
def printable(request: Request) -> Response:
    language = language_of(request)
    return Response(
        manual_pdf(language),
        media_type="application/pdf",
        # No Content-Security-Policy: browsers' PDF viewers are refused by the pages' one.
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Language": language,
            "Content-Disposition": f'inline; filename="{PDF_NAMES.get(language, "toolbox.pdf")}"',
        },
    )


@router.get(PUBLIC_PATH + "/definiciones/{definition_id}.yaml")
async def definition(definition_id: str) -> Response:
    # Only the ids of the built-in definitions: nothing of the address reaches a path unchecked.
    if definition_id not in builtin_ids():
        raise PublicNotFound(NO_DEFINITION)
    return Response(
        (DIRECTORY / f"{definition_id}.yaml").read_bytes(),
        media_type="application/yaml; charset=utf-8",
        headers={
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'attachment; filename="{definition_id}.yaml"',
        },
    )


@router.get(PUBLIC_PATH + "/{chapter_id}")
async def chapter(request: Request, chapter_id: str) -> HTMLResponse:
    toolbox = manual()
    found = toolbox.chapter(chapter_id)
    if found is None:
        raise PublicNotFound(NO_CHAPTER)
    language = language_of(request)
    number = found.number
    neighbours = {
        "previous": toolbox.chapters[number - 1] if number > 0 else None,
        "next": toolbox.chapters[number + 1] if number + 1 < len(toolbox.chapters) else None,
    }
    return render(
        request,
        "toolbox_chapter.html",
        {
            "chapter": found,
            "step_number": STEPS.index(found.step) + 1 if found.step else None,
            "text": found.texts[language],
            **neighbours,
            "href": lambda other: url_for_page(request, f"{PUBLIC_PATH}/{other.id}"),
            "contents": url_for_page(request, PUBLIC_PATH),
            "action": _action(found, language),
        },
    )


def _action(chapter: Chapter, language: str) -> dict[str, str | None] | None:
    """What the chapter's action shows: a link to its file, or how to start it in chat."""
    action = chapter.action
    if action is None:
        return None
    label = action.label[language]
    if action.kind == "download":
        return {"label": label, "href": action.download_path, "sentence": None}
    if action.kind == "survey":
        return {"label": label, "href": None, "sentence": gettext(language, SURVEY, label=label)}
    sentence = gettext(language, COMMAND, label=label, command=action.target)
    return {"label": label, "href": None, "sentence": sentence}
