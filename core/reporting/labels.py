"""What a task's status (and a progress report's, which sets it) is called to a person."""

from __future__ import annotations

from core.models import TaskStatus
from i18n import N_, gettext

STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.PENDING: N_("pending"),
    TaskStatus.IN_PROGRESS: N_("in progress"),
    TaskStatus.BLOCKED: N_("blocked"),
    TaskStatus.DONE: N_("done"),
    TaskStatus.CANCELLED: N_("cancelled"),
}


def status_label(status: TaskStatus | str, language: str) -> str:
    """The status's name in ``language``."""
    return gettext(language, STATUS_LABELS[TaskStatus(status)])
