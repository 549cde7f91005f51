"""A chapter's sections as chat messages, in the HTML Telegram reads (``parse_mode="HTML"``).

A section is one message, or several when it is longer than a message may be: cut between
blocks, and a single block longer than that is sent as plain text cut between words. Every
text is escaped: a ``<`` written in a chapter is shown, never read as a tag.
"""

from __future__ import annotations

from html import escape

from core.toolbox.manual import Chapter
from core.toolbox.markdown import Block, Code, Heading, Inline, Items, Paragraph, Quote, Table
from i18n.texts import split_text

BULLET = "•"


def section_messages(
    chapter: Chapter, language: str, index: int, limit: int, site: str | None = None
) -> list[str]:
    """The messages of section ``index`` of the chapter, each at most ``limit`` characters;
    the first section opens with the chapter's title. Links to the public site are made
    absolute with ``site`` (its address), or left as text without one."""
    text = chapter.texts[language]
    section = text.sections[index]
    blocks: list[Block | str] = list(section.blocks)
    if index == 0:
        blocks.insert(0, f"<b>{escape(text.title, quote=False)}</b>")
    messages: list[str] = []
    current = ""
    for block in blocks:
        shown = block if isinstance(block, str) else _block(block, site, styled=True)
        pieces = [shown]
        if len(shown) > limit and not isinstance(block, str):
            pieces = split_text(_block(block, site, styled=False), limit)
        for piece in pieces:
            joined = f"{current}\n\n{piece}" if current else piece
            if len(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = piece
    return [*messages, current] if current else messages


def _block(block: Block, site: str | None, *, styled: bool, depth: int = 0) -> str:
    if isinstance(block, Heading):
        return _bold(_inline(block.spans, site, styled), styled)
    if isinstance(block, Paragraph):
        return _inline(block.spans, site, styled)
    if isinstance(block, Items):
        lines = []
        for number, item in enumerate(block.items, start=block.start):
            mark = f"{number}." if block.ordered else BULLET
            parts = [_block(part, site, styled=styled, depth=depth + 1) for part in item]
            lines.append("  " * depth + f"{mark} " + "\n".join(parts))
        return "\n".join(lines)
    if isinstance(block, Table):
        return "\n\n".join(_row(block.header, row, site, styled) for row in block.rows)
    if isinstance(block, Code):
        code = escape(block.text, quote=False)
        return f"<pre>{code}</pre>" if styled else code
    if isinstance(block, Quote):
        inner = "\n\n".join(_block(part, site, styled=styled) for part in block.blocks)
        return f"<blockquote>{inner}</blockquote>" if styled else inner
    return "—"


def _row(
    header: tuple[Inline, ...], row: tuple[Inline, ...], site: str | None, styled: bool
) -> str:
    """A table's row as lines: its first cell as a heading, then each other under its column's
    name (a table does not fit a phone's chat)."""
    first, *rest = (_inline(cell, site, styled) for cell in row)
    names = [_inline(name, site, styled) for name in header[1:]]
    return "\n".join(
        [
            _bold(first, styled),
            *(f"{name}: {value}" for name, value in zip(names, rest, strict=False)),
        ]
    )


def _bold(text: str, styled: bool) -> str:
    return f"<b>{text}</b>" if styled else text


def _inline(spans: Inline, site: str | None, styled: bool) -> str:
    out = []
    for span in spans:
        text = escape(span.text, quote=False)
        if not styled:
            out.append(text)
            continue
        if span.code:
            text = f"<code>{text}</code>"
        if span.italic:
            text = f"<i>{text}</i>"
        if span.bold:
            text = f"<b>{text}</b>"
        link = span.link
        if link is not None and link.startswith("/"):
            link = f"{site}{link}" if site else None
        if link is not None:
            text = f'<a href="{escape(link)}">{text}</a>'
        out.append(text)
    return "".join(out)
