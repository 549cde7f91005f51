"""Every string a person reads is translated in both catalogs."""

import pytest

from i18n import LANGUAGES, catalogs


@pytest.fixture(scope="module")
def template():
    return catalogs.extract()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete(language, template):
    assert catalogs.missing(language, template) == [], (
        f"untranslated in i18n/locales/{language}: run `make extract` and translate"
    )
