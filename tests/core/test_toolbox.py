"""The toolbox read from its folder: chapters in both languages, links between them made public
addresses, raw HTML shown as text, sections cut into chat messages under the limit, and a
manual that is not as the format asks refused when it is loaded."""

from __future__ import annotations

import copy
import re

import pytest

from core.toolbox.chat import section_messages
from core.toolbox.manual import STEPS, load, manual
from core.toolbox.markdown import ToolboxError
from tests.support.toolbox import FIRST, entries, write_manual


def test_the_bundled_manual_has_every_chapter_in_both_languages_and_the_seven_steps():
    toolbox = manual()
    assert [chapter.step for chapter in toolbox.steps()] == list(STEPS)
    for chapter in toolbox.chapters:
        for language in ("es", "en"):
            written = chapter.texts[language]
            assert written.title == chapter.title[language]
            assert written.sections and written.html


def test_a_manual_reads_in_its_order_with_its_sections(tmp_path):
    toolbox = load(write_manual(tmp_path))
    assert [chapter.id for chapter in toolbox.chapters] == [FIRST, *STEPS]
    assert [chapter.id for chapter in toolbox.others()] == [FIRST]
    assert [chapter.number for chapter in toolbox.chapters] == list(range(8))
    spanish = toolbox.chapters[0].texts["es"]
    assert [(s.anchor, s.title) for s in spanish.sections] == [
        ("", "Inicio"),
        ("uno", "Uno"),
        ("dos", "Dos"),
    ]
    assert '<h2 id="uno">Uno</h2>' in spanish.html
    assert "<h1>" not in spanish.html  # the page shows the title itself
    assert toolbox.chapter("mapeo") is toolbox.chapters[5]
    assert toolbox.chapter("nada") is None


def test_links_between_chapters_are_the_public_address_in_the_same_language(tmp_path):
    toolbox = load(write_manual(tmp_path))
    spanish = toolbox.chapters[0].texts["es"].html
    english = toolbox.chapters[0].texts["en"].html
    assert 'href="/caja-de-herramientas/problematica?lang=es#dos"' in spanish
    assert 'href="/caja-de-herramientas/problematica?lang=en#dos"' in english
    assert 'href="https://example.org/x"' in spanish


def test_accented_section_names_are_anchors_links_can_name(tmp_path):
    index = entries()
    markdown = "# Inicio\n\n## Qué es\n\nVer [abajo](#cómo-se-usa).\n\n## Cómo se usa\n\nAsí.\n"
    toolbox = load(write_manual(tmp_path, index=index, texts={(FIRST, "es"): markdown}))
    html = toolbox.chapters[0].texts["es"].html
    assert '<h2 id="qué-es">' in html
    assert 'href="/caja-de-herramientas/inicio?lang=es#cómo-se-usa"' in html


def test_raw_html_in_a_chapter_is_shown_as_text_on_the_web_and_in_chat(tmp_path):
    markdown = (
        "# Inicio\n\n<script>alert(1)</script>\n\n"
        "## Uno\n\nUn <b>intento</b> & <a href='x'>otro</a>.\n"
    )
    toolbox = load(write_manual(tmp_path, texts={(FIRST, "es"): markdown}))
    chapter = toolbox.chapters[0]
    html = chapter.texts["es"].html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>intento</b>" not in html and "&lt;b&gt;intento&lt;/b&gt;" in html
    chat = "\n".join(
        message
        for index in range(len(chapter.texts["es"].sections))
        for message in section_messages(chapter, "es", index, 4096)
    )
    assert (
        "&lt;script&gt;" in chat and "&lt;b&gt;intento&lt;/b&gt; &amp; &lt;a href='x'&gt;" in chat
    )
    assert re.sub(r"</?(b|i|code|pre|a|blockquote)( href=\"[^\"]*\")?>", "", chat).count("<") == 0


def test_chat_messages_are_telegram_html_with_absolute_links_when_the_site_is_known(tmp_path):
    toolbox = load(write_manual(tmp_path))
    chapter = toolbox.chapters[0]
    first = section_messages(chapter, "es", 0, 4096)
    assert first == ["<b>Inicio</b>\n\nLead of inicio."]
    linked = section_messages(chapter, "es", 1, 4096, "https://site.example")
    assert linked == [
        "<b>Uno</b>\n\nTexto <i>uno</i> con "
        '<a href="https://site.example/caja-de-herramientas/problematica?lang=es#dos">un enlace</a>'
        ' y <a href="https://example.org/x">otro</a>.'
    ]
    # Without the site's address a link to a chapter is its text.
    assert "un enlace</a>" not in section_messages(chapter, "es", 1, 4096)[0]
    assert section_messages(chapter, "en", 2, 4096) == ["<b>Dos</b>\n\n• a\n• <b>b</b>"]


def test_a_long_section_is_cut_into_messages_under_the_limit(tmp_path):
    paragraphs = [f"Párrafo {n} " + "palabra " * 30 for n in range(40)]
    giant = "enorme " * 200
    markdown = "# Inicio\n\n## Largo\n\n" + "\n\n".join([*paragraphs, giant]) + "\n"
    toolbox = load(write_manual(tmp_path, texts={(FIRST, "es"): markdown}))
    messages = section_messages(toolbox.chapters[0], "es", 0, 500)
    assert len(messages) > 10
    assert all(0 < len(message) <= 500 for message in messages)
    joined = " ".join(messages)
    assert all(f"Párrafo {n} " in joined for n in range(40))
    assert joined.count("enorme") == 200
    # Blocks are kept whole where they fit: no paragraph straddles two messages.
    assert all(message.startswith(("<b>Inicio", "Párrafo", "enorme")) for message in messages)


def _broken(change):
    index = entries()
    texts: dict = {}
    version = 1
    if change == "missing file":
        texts[("mapeo", "en")] = None
    elif change == "version":
        version = 2
    elif change == "unknown step":
        index[1]["step"] = "otra"
    elif change == "a step twice":
        index[2]["step"] = "problematica"
    elif change == "steps out of order":
        index[1], index[2] = index[2], index[1]
    elif change == "repeated id":
        index[2]["id"] = FIRST
    elif change == "missing english summary":
        del index[0]["summary"]["en"]
    elif change == "long label":
        index[1]["action"]["label"]["es"] = "x" * 31
    elif change == "unknown survey":
        index[1]["action"] = {**index[1]["action"], "kind": "survey", "target": "nada"}
    elif change == "unknown download":
        index[1]["action"] = {**index[1]["action"], "kind": "download", "target": "x.pdf"}
    elif change == "not a command":
        index[1]["action"] = {**index[1]["action"], "target": "tareas"}
    elif change == "unknown kind":
        index[1]["action"] = {**index[1]["action"], "kind": "video"}
    elif change == "other title":
        texts[(FIRST, "es")] = "# Otro título\n\nTexto.\n"
    elif change == "two titles":
        texts[(FIRST, "es")] = "# Inicio\n\n# Inicio\n"
    else:
        link = {
            "link to no chapter": "[x](nada.md)",
            "link to no section": "[x](problematica.md#nada)",
            "relative link": "[x](otra/pagina.html)",
            "image": "![x](https://example.org/a.png)",
        }[change]
        texts[(FIRST, "es")] = f"# Inicio\n\n## Uno\n\n{link}\n"
    return index, texts, version


BROKEN = [
    "missing file", "version", "unknown step", "a step twice", "steps out of order",
    "repeated id", "missing english summary", "long label", "unknown survey", "unknown download",
    "not a command", "unknown kind", "other title", "two titles", "link to no chapter",
    "link to no section", "relative link", "image",
]  # fmt: skip


@pytest.mark.parametrize("change", BROKEN)
def test_a_manual_not_as_the_format_asks_is_refused_when_loaded(tmp_path, change):
    index, texts, version = _broken(change)
    folder = write_manual(tmp_path, index=copy.deepcopy(index), texts=texts, version=version)
    with pytest.raises(ToolboxError):
        load(folder)


def test_a_missing_index_is_refused(tmp_path):
    with pytest.raises(ToolboxError, match=r"chapters\.yaml"):
        load(tmp_path)
