"""Formatted text into plain text and entities, with Telegram's offsets and errors."""

from __future__ import annotations

import pytest

from emulator.entities import commands, parse
from emulator.errors import BadRequest


def test_html_tags_become_entities_with_utf16_offsets():
    text, found = parse('😀 <b>Hola <i>Ana</i></b> &amp; <a href="https://x.mx">liga</a>', "HTML")
    assert text == "😀 Hola Ana & liga"
    assert found == [
        {"type": "bold", "offset": 3, "length": 8},
        {"type": "italic", "offset": 8, "length": 3},
        {"type": "text_link", "offset": 14, "length": 4, "url": "https://x.mx"},
    ]


def test_html_pre_with_language_and_spoiler():
    text, found = parse(
        '<pre><code class="language-python">x = 1</code></pre><tg-spoiler>s</tg-spoiler>', "html"
    )
    assert text == "x = 1s"
    assert {"type": "pre", "offset": 0, "length": 5, "language": "python"} in found
    assert {"type": "spoiler", "offset": 5, "length": 1} in found


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<blink>x</blink>", 'Unsupported start tag "blink" at byte offset 0'),
        ("<b>sin cierre", 'Can\'t find end tag corresponding to start tag "b"'),
        ("á &nope; b", 'Unsupported HTML entity "&nope;" at byte offset 3'),
    ],
)
def test_html_errors(source, error):
    with pytest.raises(BadRequest) as refused:
        parse(source, "HTML")
    assert refused.value.description == f"Bad Request: can't parse entities: {error}"


def test_markdown_v2_entities_and_escapes():
    text, found = parse(
        r"*negrita* _it_ __sub__ ~tach~ ||spoiler|| `code` [liga](https://a.mx) 1\.5", "MarkdownV2"
    )
    assert text == "negrita it sub tach spoiler code liga 1.5"
    kinds = [entity["type"] for entity in found]
    assert kinds == ["bold", "italic", "underline", "strikethrough", "spoiler", "code", "text_link"]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("precio: 1.5", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("*abierto", "Can't find end of the entity starting at byte offset 0"),
    ],
)
def test_markdown_v2_errors(source, error):
    with pytest.raises(BadRequest, match="can't parse entities") as refused:
        parse(source, "MarkdownV2")
    assert refused.value.description.endswith(error)


def test_legacy_markdown_allows_punctuation():
    text, found = parse("*Total:* 1.5 - listo", "Markdown")
    assert text == "Total: 1.5 - listo"
    assert found == [{"type": "bold", "offset": 0, "length": 6}]


def test_unknown_parse_mode():
    with pytest.raises(BadRequest, match="unsupported parse_mode"):
        parse("x", "BBCode")


def test_bot_commands_in_typed_text():
    assert commands("/start abc") == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert commands("ver /tareas@incorruptible_bot ya") == [
        {"type": "bot_command", "offset": 4, "length": 25}
    ]
    assert commands("a/b y 1/2") == []


def test_markdown_v2_blockquote_lines():
    text, found = parse(">Cita uno\n>y dos\nfuera", "MarkdownV2")
    assert text == "Cita uno\ny dos\nfuera"
    assert found == [{"type": "blockquote", "offset": 0, "length": 14}]
