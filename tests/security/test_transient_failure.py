"""A failure while handling an update is never silence: when Telegram fails a request for a
moment, the person is told to send again, with the question they are at, and what they send
again is taken."""

from __future__ import annotations

import logging

from sqlalchemy import select

from core.models import Evidence
from tests.e2e.test_tasks import photo_with_location
from tests.support.reporting import report_until_evidence, task_of


async def test_a_file_whose_download_fails_once_is_asked_again_and_then_kept(
    chat, tmp_path, caplog
):
    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    async with chat.running():
        ana = await chat.join("Ana")
        await task_of(chat, ana)
        asked = await report_until_evidence(ana)
        await chat.client.set_faults(failures=1, status=502, methods=["getFile"])
        with caplog.at_level(logging.ERROR, logger="bot.errors"):
            await ana.upload_photo(photo_with_location(), caption="Acuse")
            again = await ana.next_message()
        assert "Algo salió mal" in again["text"]
        assert asked["text"] in again["text"]  # the same question, asked again
        assert [record.exc_info[0].__name__ for record in caplog.records] == ["TelegramServerError"]
        await ana.upload_photo(photo_with_location(), caption="Acuse")
        received = await ana.next_message()
        assert "1 mensaje o archivo" in received["text"]
        await ana.press(received, "Listo")
        assert "quedó registrado" in (await ana.next_message())["text"]
    async with chat.session_factory() as session:
        kept = list(await session.scalars(select(Evidence)))
    assert [(item.kind, item.caption) for item in kept] == [("photo", "Acuse")]
