"""Every task status has a name in every language."""

from __future__ import annotations

import pytest

from core.models import TaskStatus
from core.reporting.labels import status_label


@pytest.mark.parametrize("status", list(TaskStatus))
def test_every_status_is_named_in_spanish_and_english(status):
    assert status_label(status, "en") == status.value.replace("_", " ")
    assert status_label(status.value, "es") != status_label(status, "en")
