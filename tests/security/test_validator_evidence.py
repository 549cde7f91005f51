"""A validator sees the evidence as it was kept: the cleaned copy, never the file the reporter
sent, which may carry where they were, their camera and anything appended to it."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from core.models import ProgressReport, Role, Sector
from core.validation.requests import request_validation
from tests.support.reporting import report_until_evidence, task_of

GPS, MODEL = 0x8825, 0x0110
TAIL = b"<html><script>alert('tail')</script></html>"


def jpeg_with_location_camera_and_tail() -> bytes:
    exif = Image.Exif()
    exif[MODEL] = "Cámara de Ana"
    exif[GPS] = {1: "N", 2: (21.0, 52.0, 48.0), 3: "W", 4: (102.0, 17.0, 46.0)}
    output = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(output, "JPEG", exif=exif)
    return output.getvalue() + TAIL


async def test_the_validator_receives_the_cleaned_copy_of_a_jpeg_sent_as_a_document(chat, tmp_path):
    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    sent = jpeg_with_location_camera_and_tail()
    assert Image.open(io.BytesIO(sent)).getexif().get_ifd(GPS)  # what the reporter sends
    async with chat.running():
        ana = await chat.join("Ana")
        olga = await chat.join("Olga", role=Role.CIVIL_SOCIETY, sector=Sector.OSC)
        # A second sector, so that the default policy's quorum can be reached.
        await chat.join("Alma", role=Role.CIVIL_SOCIETY, sector=Sector.ACADEMIA)
        await task_of(chat, ana)
        await report_until_evidence(ana)
        await ana.upload_document(sent, "acta.jpg", "image/jpeg")
        received = await ana.next_message()
        await ana.press(received, "Listo")
        await ana.next_message()  # recorded
        async with chat.session_factory() as session, session.begin():
            report_id = await session.scalar(
                select(ProgressReport.id).order_by(ProgressReport.id.desc())
            )
            await request_validation(session, await chat.secretariat(), "t", report_id)
        prompt = await olga.next_message()
        await olga.press(prompt, "Ver evidencia")
        forwarded = await olga.next_message()
    copy = await chat.client.file(forwarded["document"]["file_id"])
    assert TAIL not in copy
    image = Image.open(io.BytesIO(copy))
    assert image.size == (40, 30)
    assert not image.getexif()  # no location, no camera
    assert b"Ana" not in copy
