"""Evidence files from chat: downloaded through getFile, checked, and stored by their SHA-256.

The size Telegram announces is checked before anything is downloaded, and again once getFile
says how large the file is; the content's type is checked by ``core.reporting.evidence.store``.
A refusal raises ``InvalidInput`` and leaves nothing behind.
"""

from __future__ import annotations

import asyncio
import io

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest

from conversations.engine.inputs import FileInput
from core.errors import InvalidInput
from core.infra.settings import Settings
from core.reporting import evidence
from core.reporting.evidence import StoredFile
from i18n import N_


def too_large(settings: Settings) -> InvalidInput:
    return InvalidInput(
        N_("The file is larger than {limit} MB."),
        field="file",
        limit=round(settings.max_evidence_bytes / 1024 / 1024),
    )


async def download_and_store(bot: Bot, given: FileInput, settings: Settings) -> StoredFile:
    if given.size is not None and given.size > settings.max_evidence_bytes:
        raise too_large(settings)
    try:
        file = await bot.get_file(given.file_id)
    except TelegramBadRequest:
        # Telegram refuses files over its download limit ("file is too big").
        raise too_large(settings) from None
    if (file.file_size or 0) > settings.max_evidence_bytes:
        raise too_large(settings)
    if not file.file_path:
        raise InvalidInput(N_("That file could not be downloaded; please send it again."))
    buffer = io.BytesIO()
    await bot.download_file(file.file_path, destination=buffer)
    # Hashing and re-encoding a photo take a while: off the event loop.
    return await asyncio.to_thread(
        evidence.store,
        settings.evidence_dir,
        buffer.getvalue(),
        max_bytes=settings.max_evidence_bytes,
        filename=given.name,
    )
