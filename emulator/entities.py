"""Formatted text (``parse_mode`` HTML, MarkdownV2, Markdown) into plain text plus entities.

Offsets and lengths of entities count UTF-16 code units, as Telegram's do; errors use
Telegram's wording ("can't parse entities: ...") with byte offsets into the sent text.
"""

from __future__ import annotations

import html
import re
from typing import Any

from emulator.errors import BadRequest
from emulator.spec import utf16_length

Entity = dict[str, Any]

HTML_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^>]*)?)>")
ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
HTML_ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
COMMAND = re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/])")


class _Builder:
    """Collects the plain text while remembering where entities begin (in UTF-16 units)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.length = 0
        self.entities: list[Entity] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.length += utf16_length(text)

    def close(self, kind: str, start: int, **extra: Any) -> None:
        if self.length > start:
            self.entities.append({"type": kind, "offset": start, "length": self.length - start})
            self.entities[-1].update(extra)

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode())

    def result(self) -> tuple[str, list[Entity]]:
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return "".join(self.parts), self.entities


def _fail(detail: str) -> BadRequest:
    return BadRequest(f"can't parse entities: {detail}")


def parse(text: str, parse_mode: str | None) -> tuple[str, list[Entity]]:
    """The plain text and entities of ``text`` written in ``parse_mode``."""
    if not parse_mode:
        return text, []
    mode = parse_mode.lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, strict=True)
    if mode == "markdown":
        return _parse_markdown(text, strict=False)
    raise BadRequest(f"unsupported parse_mode {parse_mode!r}")


def _unescape(chunk: str, start: int) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match[1]
        if name.startswith("#"):
            return html.unescape(match[0])
        if name in ("lt", "gt", "amp", "quot", "apos", "nbsp"):
            return html.unescape(match[0])
        offset = start + len(chunk[: match.start()].encode())
        raise _fail(f'Unsupported HTML entity "&{name};" at byte offset {offset}')

    return HTML_ENTITY.sub(replace, chunk)


def _parse_html(text: str) -> tuple[str, list[Entity]]:
    builder = _Builder(text)
    stack: list[tuple[str, int, dict[str, Any]]] = []
    position = 0
    while position < len(text):
        opening = text.find("<", position)
        end = len(text) if opening < 0 else opening
        if end > position:
            builder.add(_unescape(text[position:end], builder.byte_offset(position)))
        if opening < 0:
            break
        match = TAG.match(text, opening)
        offset = builder.byte_offset(opening)
        if match is None:
            raise _fail(f'Unsupported start tag "" at byte offset {offset}')
        closing, name, attributes = match[1] == "/", match[2].lower(), match[3]
        if closing:
            if not stack or stack[-1][0] != name:
                raise _fail(
                    f'Unmatched end tag at byte offset {offset}, expected "</'
                    f'{stack[-1][0] if stack else ""}>", found "</{name}>"'
                )
            tag, start, extra = stack.pop()
            _close_html(builder, tag, start, extra)
        else:
            if name not in HTML_TAGS:
                raise _fail(f'Unsupported start tag "{name}" at byte offset {offset}')
            values = {
                key.lower(): next(v for v in rest if v is not None)
                for key, *rest in ATTRIBUTE.findall(attributes)
            }
            if name == "span" and values.get("class") != "tg-spoiler":
                raise _fail(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
            stack.append((name, builder.length, values))
        position = match.end()
    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return builder.result()


def _close_html(builder: _Builder, tag: str, start: int, extra: dict[str, Any]) -> None:
    kind = HTML_TAGS[tag]
    if kind == "text_link":
        url = extra.get("href", "")
        if url.startswith("tg://user?id="):
            builder.close("text_mention", start, user={"id": int(url.split("=", 1)[1])})
        elif url:
            builder.close("text_link", start, url=url)
    elif kind == "pre" and "language" in extra:
        builder.close("pre", start, language=extra["language"])
    elif kind == "code" and extra.get("class", "").startswith("language-"):
        # <pre><code class="language-x"> becomes one pre entity with a language.
        language = extra["class"][len("language-") :]
        builder.close("pre", start, language=language)
    elif kind == "blockquote" and "expandable" in extra:
        builder.close("expandable_blockquote", start)
    elif kind == "custom_emoji":
        builder.close("custom_emoji", start, custom_emoji_id=extra.get("emoji-id", ""))
    else:
        builder.close(kind, start)


MARKDOWN_V2 = {"*": "bold", "_": "italic", "__": "underline", "~": "strikethrough", "||": "spoiler"}
MARKDOWN_V1 = {"*": "bold", "_": "italic"}
RESERVED_V2 = set("_*[]()~`>#+-=|{}.!")


def _parse_markdown(text: str, strict: bool) -> tuple[str, list[Entity]]:
    builder = _Builder(text)
    markers = MARKDOWN_V2 if strict else MARKDOWN_V1
    open_marks: list[tuple[str, int, int]] = []  # marker, entity start, source index
    link_start: tuple[int, int] | None = None
    quote_start: int | None = None  # MarkdownV2 lines starting with ">" form a blockquote
    index = 0
    while index < len(text):
        char = text[index]
        if strict and char == ">" and (index == 0 or text[index - 1] == "\n"):
            if quote_start is None:
                quote_start = builder.length
            index += 1
            continue
        if char == "\n" and quote_start is not None and not text.startswith(">", index + 1):
            builder.close("blockquote", quote_start)
            quote_start = None
        if char == "\\" and strict and index + 1 < len(text):
            builder.add(text[index + 1])
            index += 2
            continue
        if char == "`":
            fence = text.startswith("```", index)
            opener = "```" if fence else "`"
            close = text.find(opener, index + len(opener))
            if close < 0:
                raise _fail(
                    "Can't find end of the entity starting at byte offset "
                    f"{builder.byte_offset(index)}"
                )
            body = text[index + len(opener) : close]
            language = None
            if fence and "\n" in body:
                first, rest = body.split("\n", 1)
                if first and " " not in first:
                    language, body = first, rest
            if strict:
                body = re.sub(r"\\([`\\])", r"\1", body)
            start = builder.length
            builder.add(body)
            if fence:
                builder.close("pre", start, **({"language": language} if language else {}))
            else:
                builder.close("code", start)
            index = close + len(opener)
            continue
        if char == "[":
            link_start = (builder.length, index)
            index += 1
            continue
        if char == "]" and link_start is not None and text.startswith("(", index + 1):
            close = text.find(")", index + 2)
            if close < 0:
                raise _fail(f"Can't find end of a URL at byte offset {builder.byte_offset(index)}")
            url = text[index + 2 : close]
            if url.startswith("tg://user?id="):
                builder.close("text_mention", link_start[0], user={"id": int(url.split("=")[1])})
            else:
                builder.close("text_link", link_start[0], url=url)
            link_start = None
            index = close + 1
            continue
        marker = next(
            (
                mark
                for mark in sorted(markers, key=len, reverse=True)
                if text.startswith(mark, index)
            ),
            None,
        )
        if marker is not None:
            if open_marks and open_marks[-1][0] == marker:
                _, start, _ = open_marks.pop()
                builder.close(markers[marker], start)
            else:
                open_marks.append((marker, builder.length, index))
            index += len(marker)
            continue
        if strict and char in RESERVED_V2:
            raise _fail(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        builder.add(char)
        index += 1
    if quote_start is not None:
        builder.close("blockquote", quote_start)
    if open_marks or link_start is not None:
        source_index = open_marks[-1][2] if open_marks else link_start[1]  # type: ignore[index]
        raise _fail(
            "Can't find end of the entity starting at byte offset "
            f"{builder.byte_offset(source_index)}"
        )
    return builder.result()


def commands(text: str) -> list[Entity]:
    """``bot_command`` entities, as Telegram marks them in what people type."""
    entities = []
    for match in COMMAND.finditer(text):
        offset = utf16_length(text[: match.start()])
        entities.append({"type": "bot_command", "offset": offset, "length": len(match[0])})
    return entities
