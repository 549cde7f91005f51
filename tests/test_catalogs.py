"""Every string a person reads is translated in both catalogs."""

import re
import tokenize

import pytest

from i18n import LANGUAGES, catalogs
from i18n.catalogs import PROJECT_DIR

F_STRING = re.compile(r"[rRbBuU]?[fF]")
EXTRACTED = ("i18n", "conversations", "core", "bot", "admin", "emulator", "incorruptible")


@pytest.fixture(scope="module")
def template():
    return catalogs.extract()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete(language, template):
    assert catalogs.missing(language, template) == [], (
        f"untranslated in i18n/locales/{language}: run `make extract` and translate"
    )


def test_no_message_is_marked_inside_an_f_string():
    # Babel does not look inside f-strings on Python 3.11: a message marked there would never
    # reach the catalogs, and every reader would see it in English.
    marked = re.compile(r"(?<![\w.])(_|N_|gettext|ngettext)\(\s*['\"]")
    found = []
    for folder in EXTRACTED:
        for path in (PROJECT_DIR / folder).rglob("*.py"):
            with open(path, encoding="utf-8") as source:
                for token in tokenize.generate_tokens(source.readline):
                    formatted = token.type == tokenize.STRING and F_STRING.match(token.string)
                    if formatted and marked.search(token.string):
                        found.append(f"{path.relative_to(PROJECT_DIR)}:{token.start[0]}")
    assert found == [], "mark the message outside the f-string"
