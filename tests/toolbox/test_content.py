"""The toolbox (the methodology manual): its index, and each chapter in both languages."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
TOOLBOX = ROOT / "toolbox"
DEFINITIONS = ROOT / "conversations" / "definitions"
LANGUAGES = ("es", "en")
STEPS = (
    "problematica",
    "necesidades",
    "priorizacion",
    "proyeccion",
    "mapeo",
    "indicadores",
    "planeacion",
)
STEP_SECTIONS = {
    "es": (
        "Para qué sirve",
        "Cómo hacerlo con la sociedad civil",
        "Qué encuesta o sesión lo apoya",
        "Qué produce",
        "Errores comunes",
    ),
    "en": (
        "What it is for",
        "How to run it with civil society",
        "Which survey or session supports it",
        "What it produces",
        "Common mistakes",
    ),
}
DOWNLOADS = {"plan-template"} | {f"definition:{path.stem}" for path in DEFINITIONS.glob("*.yaml")}
COMMANDS = {"/tareas", "/ausente"}
SURVEYS = {path.stem for path in DEFINITIONS.glob("*.yaml")}
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
LINK = re.compile(r"(!?)\[[^\]]*\]\(([^)\s]*)\)")
RELATIVE = re.compile(r"(?P<chapter>[a-z0-9-]+)\.md(?:#(?P<anchor>[^)\s]+))?")
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$", re.MULTILINE)
# A tag, a comment or a declaration: CommonMark would pass any of them through as raw HTML.
RAW_HTML = re.compile(r"<(/?[A-Za-z][\w-]*[\s/>]|!)")
MIN_WORDS, MAX_WORDS = 300, 700


def index() -> dict:
    return yaml.safe_load((TOOLBOX / "chapters.yaml").read_text(encoding="utf-8"))


CHAPTERS = index()["chapters"]
PAGES = [(chapter, language) for chapter in CHAPTERS for language in LANGUAGES]


def page_id(page: tuple[dict, str]) -> str:
    chapter, language = page
    return f"{language}/{chapter['id']}"


def text_of(chapter_id: str, language: str) -> str:
    return (TOOLBOX / language / f"{chapter_id}.md").read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """A heading's anchor: lowercase, accents kept, punctuation removed, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def test_the_index_has_a_version_and_unique_slugs():
    manual = index()
    assert isinstance(manual["version"], int)
    assert manual["version"] >= 1
    ids = [chapter["id"] for chapter in CHAPTERS]
    assert len(ids) == len(set(ids))
    assert all(ID.fullmatch(chapter_id) for chapter_id in ids), ids


def test_each_step_of_the_methodology_has_exactly_one_chapter_in_order():
    steps = [chapter["step"] for chapter in CHAPTERS if chapter["step"] is not None]
    assert steps == list(STEPS)
    assert all(chapter["step"] in (*STEPS, None) for chapter in CHAPTERS)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter["id"])
def test_titles_and_summaries_are_given_in_both_languages(chapter):
    for field in ("title", "summary"):
        assert set(chapter[field]) == set(LANGUAGES), field
        assert all(chapter[field][language].strip() for language in LANGUAGES), field


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda chapter: chapter["id"])
def test_actions_lead_only_where_the_product_goes(chapter):
    action = chapter["action"]
    if action is None:
        return
    targets = {"survey": SURVEYS, "download": DOWNLOADS, "command": COMMANDS}
    assert action["kind"] in targets
    assert action["target"] in targets[action["kind"]]
    assert set(action["label"]) == set(LANGUAGES)
    for language in LANGUAGES:
        label = action["label"][language]
        assert 0 < len(label) <= 30, label


def test_every_chapter_file_is_in_the_index():
    listed = {f"{chapter['id']}.md" for chapter in CHAPTERS}
    for language in LANGUAGES:
        assert {path.name for path in (TOOLBOX / language).glob("*")} == listed, language


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_a_chapter_opens_with_its_title_from_the_index(page):
    chapter, language = page
    first_line = text_of(chapter["id"], language).splitlines()[0]
    assert first_line == f"# {chapter['title'][language]}"


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_a_chapter_has_one_title_and_sections_below_it(page):
    chapter, language = page
    levels = [len(marks) for marks, _ in HEADING.findall(text_of(chapter["id"], language))]
    assert levels.count(1) == 1
    assert levels.count(2) >= 2


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_a_step_chapter_has_the_sections_of_every_step_in_order(page):
    chapter, language = page
    if chapter["step"] is None:
        return
    sections = [
        title for marks, title in HEADING.findall(text_of(chapter["id"], language)) if marks == "##"
    ]
    expected = list(STEP_SECTIONS[language])
    assert [title for title in sections if title in expected] == expected


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_a_chapter_is_plain_markdown_with_no_html_and_no_images(page):
    chapter, language = page
    text = text_of(chapter["id"], language)
    assert not RAW_HTML.search(text), RAW_HTML.search(text)
    assert not [target for bang, target in LINK.findall(text) if bang]


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_links_lead_to_chapters_and_their_headings_or_to_https(page):
    chapter, language = page
    for _, target in LINK.findall(text_of(chapter["id"], language)):
        if target.startswith("https://"):
            continue
        relative = RELATIVE.fullmatch(target)
        assert relative, f"neither a chapter nor https: {target}"
        other = relative["chapter"]
        assert (TOOLBOX / language / f"{other}.md").is_file(), target
        if relative["anchor"]:
            headings = HEADING.findall(text_of(other, language))
            assert relative["anchor"] in {slug(title) for _, title in headings}, target


@pytest.mark.parametrize("page", PAGES, ids=page_id)
def test_a_chapter_is_short_enough_to_read_in_one_sitting(page):
    chapter, language = page
    words = [word for word in text_of(chapter["id"], language).split() if re.search(r"\w", word)]
    assert MIN_WORDS <= len(words) <= MAX_WORDS, len(words)


def test_anchors_are_headings_in_lowercase_with_hyphens():
    assert slug("Qué encuesta o sesión lo apoya") == "qué-encuesta-o-sesión-lo-apoya"
    assert slug("The Borda count, briefly") == "the-borda-count-briefly"
