"""A chapter's Markdown, read once: the page's HTML and the blocks chat and print are made from.

CommonMark with tables, raw HTML off: a ``<tag>`` written in a chapter is shown as text, never
rendered. Links between chapters (``other.md#section``) become the public address of that
chapter in the same language; any other link must be absolute (https, http or mailto), so a
mistyped one fails when the manual is loaded rather than on a reader's click.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

# Where the public site serves the manual; a chapter is at PUBLIC_PATH/<id>.
PUBLIC_PATH = "/caja-de-herramientas"
EXTERNAL_SCHEMES = frozenset({"https", "http", "mailto"})


class ToolboxError(ValueError):
    """The manual's index or a chapter is not as the format asks: the product does not start."""


@dataclass(frozen=True)
class Span:
    """A run of text of one style; ``link`` is an absolute URL or a path of the public site."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    spans: Inline


@dataclass(frozen=True)
class Paragraph:
    spans: Inline


@dataclass(frozen=True)
class Items:
    """A list: each item is blocks of its own (a nested list among them)."""

    ordered: bool
    start: int
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[Inline, ...]
    rows: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class Quote:
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Rule:
    pass


Block = Heading | Paragraph | Items | Table | Code | Quote | Rule


def parser() -> MarkdownIt:
    """CommonMark with tables, raw HTML shown as text."""
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def plain(spans: Inline) -> str:
    """The text of ``spans`` without its styles."""
    return "".join(span.text for span in spans)


def slug(title: str) -> str:
    """A section's anchor as GitHub writes it: lower case, punctuation dropped, spaces as
    hyphens, accents kept ("## Qué es" is ``#qué-es``)."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def chapter_path(chapter_id: str, language: str, anchor: str = "") -> str:
    """The public address of a chapter (at a section) in ``language``."""
    return f"{PUBLIC_PATH}/{chapter_id}?lang={language}" + (f"#{anchor}" if anchor else "")


def heading_text(tokens: list[Token], index: int) -> str:
    """The text of the heading whose opening token is ``tokens[index]``."""
    inline = tokens[index + 1]
    return "".join(child.content for child in inline.children or () if child.type != "softbreak")


def section_anchors(tokens: list[Token], where: str) -> list[str]:
    """The anchors of the ``##`` sections, set on their headings; a repeated one fails."""
    anchors: list[str] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            anchor = slug(heading_text(tokens, index))
            if anchor in anchors:
                raise ToolboxError(f"{where}: two sections are named #{anchor}")
            token.attrSet("id", anchor)
            anchors.append(anchor)
    return anchors


def resolve_links(
    tokens: list[Token], where: str, language: str, anchors: Mapping[str, list[str]], own: str
) -> None:
    """Every link written as the public site serves it; a link to no chapter or section fails.

    ``anchors`` holds each chapter's section anchors in this language; ``own`` is this chapter.
    """
    for token in tokens:
        for child in token.children or ():
            if child.type == "image":
                raise ToolboxError(f"{where}: images are not part of the format")
            if child.type == "link_open":
                href = str(child.attrGet("href") or "")
                child.attrSet("href", _resolved(href, where, language, anchors, own))


def _resolved(
    href: str, where: str, language: str, anchors: Mapping[str, list[str]], own: str
) -> str:
    parts = urlsplit(href)
    if parts.scheme in EXTERNAL_SCHEMES:
        return href
    anchor = unquote(parts.fragment)
    if parts.scheme or parts.netloc or parts.query:
        raise ToolboxError(f"{where}: the link {href!r} is neither a chapter nor absolute")
    if not parts.path:
        target = own
    elif parts.path.endswith(".md") and parts.path[:-3] in anchors:
        target = parts.path[:-3]
    else:
        raise ToolboxError(f"{where}: the link {href!r} names no chapter")
    if anchor and anchor not in anchors[target]:
        raise ToolboxError(f"{where}: the link {href!r} names no section of {target}")
    return chapter_path(target, language, anchor)


def blocks(tokens: list[Token], where: str) -> tuple[Block, ...]:
    """The blocks of a chapter's tokens (links already resolved)."""
    return _blocks(SyntaxTreeNode(tokens).children, where)


def _blocks(nodes: list[SyntaxTreeNode], where: str) -> tuple[Block, ...]:
    return tuple(_block(node, where) for node in nodes)


def _block(node: SyntaxTreeNode, where: str) -> Block:
    kind = node.type
    if kind == "heading":
        return Heading(int(node.tag[1]), _inline(node.children[0]))
    if kind == "paragraph":
        return Paragraph(_inline(node.children[0]))
    if kind in ("bullet_list", "ordered_list"):
        start = int(str(node.attrs.get("start", 1)))
        items = tuple(_blocks(item.children, where) for item in node.children)
        return Items(kind == "ordered_list", start, items)
    if kind == "table":
        sections = {part.type: part for part in node.children}
        header = tuple(_inline(cell.children[0]) for cell in sections["thead"].children[0].children)
        body = sections["tbody"].children if "tbody" in sections else []
        rows = tuple(tuple(_inline(cell.children[0]) for cell in row.children) for row in body)
        return Table(header, rows)
    if kind in ("fence", "code_block"):
        return Code(node.content.rstrip("\n"))
    if kind == "blockquote":
        return Quote(_blocks(node.children, where))
    if kind == "hr":
        return Rule()
    raise ToolboxError(f"{where}: a {kind} is not part of the format")


def _inline(node: SyntaxTreeNode) -> Inline:
    spans: list[Span] = []
    _walk(node.children, Span(""), spans)
    return tuple(spans)


def _walk(nodes: list[SyntaxTreeNode], style: Span, into: list[Span]) -> None:
    for node in nodes:
        kind = node.type
        if kind == "text":
            into.append(_styled(style, node.content))
        elif kind in ("softbreak", "hardbreak"):
            into.append(_styled(style, " " if kind == "softbreak" else "\n"))
        elif kind == "code_inline":
            into.append(Span(node.content, style.bold, style.italic, True, style.link))
        elif kind == "strong":
            _walk(node.children, Span("", True, style.italic, False, style.link), into)
        elif kind == "em":
            _walk(node.children, Span("", style.bold, True, False, style.link), into)
        elif kind == "link":
            link = str(node.attrs["href"])
            _walk(node.children, Span("", style.bold, style.italic, False, link), into)
        else:
            into.append(_styled(style, node.content))


def _styled(style: Span, text: str) -> Span:
    return Span(text, style.bold, style.italic, style.code, style.link)
