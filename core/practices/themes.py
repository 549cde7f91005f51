"""What each theme of a good practice is called to a reader."""

from __future__ import annotations

from core.models import PracticeTheme
from i18n import N_, gettext

THEME_LABELS: dict[PracticeTheme, str] = {
    PracticeTheme.PROCUREMENT: N_("public procurement"),
    PracticeTheme.CITIZEN_PARTICIPATION: N_("citizen participation"),
    PracticeTheme.TRANSPARENCY: N_("transparency"),
    PracticeTheme.INTERNAL_CONTROL: N_("internal control"),
    PracticeTheme.PUBLIC_SERVICE: N_("public service"),
    PracticeTheme.OPEN_DATA: N_("open data"),
    PracticeTheme.REPORTING: N_("reporting of wrongdoing"),
    PracticeTheme.OTHER: N_("other"),
}


def theme_label(theme: PracticeTheme | str, language: str) -> str:
    """The theme's name in ``language``."""
    return gettext(language, THEME_LABELS[PracticeTheme(theme)])
