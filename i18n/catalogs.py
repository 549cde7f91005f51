"""Keeps the gettext catalogs in step with the code.

``python -m i18n.catalogs update`` extracts every marked string and merges it into each
language's catalog; ``missing()`` lists what a catalog lacks (the tests fail on any).
"""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from i18n import DOMAIN, LANGUAGES, catalog_path

PROJECT_DIR = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "__": None,
    "N_": None,
    "N_plural": (1, 2),
    "gettext": (2,),
    "ngettext": (2, 3),
    # The public pages' templates: ``plural(singular, plural, n)``.
    "plural": (1, 2),
}


def extract() -> Catalog:
    with open(PROJECT_DIR / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]  # Babel ships no hints for it
    catalog = Catalog(domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PROJECT_DIR), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def load(language: str) -> Catalog:
    path = catalog_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project="incorruptible", fuzzy=False)
    with open(path, "rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def missing(language: str, template: Catalog | None = None) -> list[str]:
    """Message ids used in the code that the language's catalog lacks, leaves empty or fuzzy."""
    template = template or extract()
    catalog = load(language)
    gaps = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        if entry is None or entry.fuzzy or not _translated(entry):
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def update() -> None:
    template = extract()
    for language in LANGUAGES:
        catalog = load(language)
        # Keep the header stable so that branches touching the catalog merge cleanly.
        created = catalog.creation_date
        catalog.update(template, no_fuzzy_matching=True)
        catalog.creation_date = catalog.revision_date = created
        catalog.obsolete.clear()
        catalog.fuzzy = False
        path = catalog_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = BytesIO()
        write_po(buffer, catalog, omit_header=False, no_location=True, sort_output=True, width=100)
        path.write_bytes(buffer.getvalue())
        gaps = missing(language, template)
        print(f"{language}: {len(catalog)} messages, {len(gaps)} to translate")


if __name__ == "__main__" and sys.argv[1:] == ["update"]:
    update()
