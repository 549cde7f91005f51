"""The manual as the product serves it, read once from the repository's ``toolbox/`` folder.

``toolbox/chapters.yaml`` lists the chapters in reading order, each with its methodology step
(or none), its title and summary in every language and the action it ends with;
``toolbox/<language>/<id>.md`` is its text. Anything amiss (a missing file, an unknown step or
target, a title that differs from its file's, a link to no chapter) fails the load with a
``ToolboxError`` naming the file: the product does not start with a broken manual.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from markdown_it.token import Token

from conversations.definitions import builtin_ids
from core.toolbox.markdown import (
    PUBLIC_PATH,
    Block,
    ToolboxError,
    blocks,
    heading_text,
    parser,
    resolve_links,
    section_anchors,
)
from i18n import LANGUAGES

# The bundled manual: the repository's toolbox/ folder, installed beside the packages.
FOLDER = Path(__file__).resolve().parents[2] / "toolbox"
VERSION = 1
# The methodology's steps, in their order.
STEPS = (
    "problematica", "necesidades", "priorizacion", "proyeccion", "mapeo", "indicadores",
    "planeacion",
)  # fmt: skip
ActionKind = Literal["survey", "download", "command"]
LABEL_LIMIT = 30
PLAN_TEMPLATE = "plan-template"
DEFINITION = "definition:"
CHAPTER_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COMMAND_TARGET = re.compile(r"/[a-z_]+")
# The chat command that opens the manual, in each language (bot.menu declares it with these).
CHAT_COMMAND = {"es": "herramientas", "en": "toolbox"}


@dataclass(frozen=True)
class Action:
    """What a chapter ends with: a survey to answer, a file to download, a command to send."""

    kind: ActionKind
    target: str
    label: Mapping[str, str]

    @property
    def download_path(self) -> str:
        """Where the public site serves the file of a download."""
        if self.target == PLAN_TEMPLATE:
            return "/plan-template.xlsx"
        return definition_path(self.target.removeprefix(DEFINITION))


def definition_path(definition_id: str) -> str:
    """Where the public site serves a built-in definition's YAML."""
    return f"{PUBLIC_PATH}/definiciones/{definition_id}.yaml"


@dataclass(frozen=True)
class Section:
    """A ``##`` section (``anchor`` and ``title``), or what precedes the first one (empty)."""

    anchor: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Text:
    """A chapter in one language: its title, its body as HTML, and its sections."""

    title: str
    html: str
    sections: tuple[Section, ...]


@dataclass(frozen=True)
class Chapter:
    """A chapter as the index declares it, with its text in every language."""

    id: str
    number: int  # its place in reading order, from 0
    step: str | None
    title: Mapping[str, str]
    summary: Mapping[str, str]
    action: Action | None
    texts: Mapping[str, Text]


@dataclass(frozen=True)
class Manual:
    """The chapters of the manual, in reading order."""

    version: int
    chapters: tuple[Chapter, ...]  # in reading order

    def chapter(self, chapter_id: str) -> Chapter | None:
        """The chapter with that id, if any."""
        return next((chapter for chapter in self.chapters if chapter.id == chapter_id), None)

    def steps(self) -> list[Chapter]:
        """The chapters of the methodology's seven steps, in the methodology's order."""
        return sorted(
            (chapter for chapter in self.chapters if chapter.step),
            key=lambda chapter: STEPS.index(chapter.step or ""),
        )

    def others(self) -> list[Chapter]:
        """The chapters of no step, in reading order."""
        return [chapter for chapter in self.chapters if chapter.step is None]


@cache
def manual() -> Manual:
    """The bundled manual, loaded on first use and kept."""
    return load(FOLDER)


def load(folder: Path) -> Manual:
    """The manual in ``folder``; ToolboxError if anything in it is amiss."""
    index_path = folder / "chapters.yaml"
    try:
        index = yaml.safe_load(index_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ToolboxError(f"{index_path}: {error}") from error
    if not isinstance(index, dict) or index.get("version") != VERSION:
        raise ToolboxError(f"{index_path}: version {VERSION} is expected")
    entries = index.get("chapters")
    if not isinstance(entries, list) or not entries:
        raise ToolboxError(f"{index_path}: no chapters")
    declared = [_entry(entry, f"{index_path}, chapter {n + 1}") for n, entry in enumerate(entries)]
    _check_order(declared, index_path)
    tokens = {
        (entry["id"], language): _tokens(folder, entry["id"], language, entry["title"][language])
        for entry in declared
        for language in LANGUAGES
    }
    anchors = {
        language: {
            entry["id"]: section_anchors(
                tokens[entry["id"], language], str(folder / language / f"{entry['id']}.md")
            )
            for entry in declared
        }
        for language in LANGUAGES
    }
    chapters = []
    for number, entry in enumerate(declared):
        texts: dict[str, Text] = {}
        for language in LANGUAGES:
            where = str(folder / language / f"{entry['id']}.md")
            own = tokens[entry["id"], language]
            resolve_links(own, where, language, anchors[language], entry["id"])
            texts[language] = _text(own, entry["title"][language], where)
        chapters.append(Chapter(number=number, texts=texts, **entry))
    return Manual(VERSION, tuple(chapters))


def _entry(entry: Any, where: str) -> dict[str, Any]:
    if not isinstance(entry, dict) or set(entry) != {"id", "step", "title", "summary", "action"}:
        raise ToolboxError(f"{where}: id, step, title, summary and action are expected")
    chapter_id = entry["id"]
    if not isinstance(chapter_id, str) or not CHAPTER_ID.fullmatch(chapter_id):
        raise ToolboxError(f"{where}: the id {chapter_id!r} is not a slug")
    where = f"{where} ({chapter_id})"
    if entry["step"] is not None and entry["step"] not in STEPS:
        raise ToolboxError(f"{where}: the step {entry['step']!r} is none of {', '.join(STEPS)}")
    return {
        "id": chapter_id,
        "step": entry["step"],
        "title": _localized(entry["title"], f"{where}, title"),
        "summary": _localized(entry["summary"], f"{where}, summary"),
        "action": None if entry["action"] is None else _action(entry["action"], where),
    }


def _localized(value: Any, where: str, limit: int | None = None) -> dict[str, str]:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES):
        raise ToolboxError(f"{where}: a text in each of {', '.join(LANGUAGES)} is expected")
    for language, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise ToolboxError(f"{where}: the {language} text is empty")
        if limit is not None and len(text) > limit:
            raise ToolboxError(f"{where}: the {language} text is over {limit} characters")
    return dict(value)


def _action(value: Any, where: str) -> Action:
    where = f"{where}, action"
    if not isinstance(value, dict) or set(value) != {"kind", "target", "label"}:
        raise ToolboxError(f"{where}: kind, target and label are expected")
    kind, target = value["kind"], value["target"]
    if kind not in get_args(ActionKind):
        raise ToolboxError(f"{where}: the kind {kind!r} is none of survey, download, command")
    builtins = builtin_ids()
    targets_ok = {
        "survey": target in builtins,
        "download": target == PLAN_TEMPLATE
        or (str(target).startswith(DEFINITION) and str(target)[len(DEFINITION) :] in builtins),
        "command": isinstance(target, str) and COMMAND_TARGET.fullmatch(target) is not None,
    }
    if not targets_ok[kind]:
        raise ToolboxError(f"{where}: {target!r} is no target of a {kind}")
    return Action(kind, target, _localized(value["label"], f"{where}, label", LABEL_LIMIT))


def _check_order(declared: list[dict[str, Any]], where: Path) -> None:
    ids = [entry["id"] for entry in declared]
    if len(set(ids)) != len(ids):
        raise ToolboxError(f"{where}: a chapter id is repeated")
    steps = [entry["step"] for entry in declared if entry["step"] is not None]
    if steps != list(STEPS):
        raise ToolboxError(f"{where}: each of the seven steps, once and in order, is expected")


def _tokens(folder: Path, chapter_id: str, language: str, title: str) -> list[Token]:
    path = folder / language / f"{chapter_id}.md"
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ToolboxError(f"{path}: {error}") from error
    tokens = parser().parse(source)
    titles = [
        n for n, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h1"
    ]
    if titles != [0] or heading_text(tokens, 0) != title:
        raise ToolboxError(f"{path}: it must open with its one title, “# {title}”")
    return tokens


def _text(tokens: list[Token], title: str, where: str) -> Text:
    body = tokens[3:]  # after the title's opening, inline and closing tokens
    starts = [
        n for n, token in enumerate(body) if token.type == "heading_open" and token.tag == "h2"
    ]
    sections = []
    if not starts or starts[0] > 0:
        lead = body[: starts[0] if starts else len(body)]
        sections.append(Section("", title, blocks(lead, where)))
    for start, end in pairwise([*starts, len(body)]):
        heading = body[start]
        part = body[start:end]
        sections.append(
            Section(str(heading.attrGet("id")), heading_text(body, start), blocks(part, where))
        )
    md = parser()
    return Text(title, md.renderer.render(body, md.options, {}), tuple(sections))
