"""Photos are bounded by their pixels before anything is decoded: a small PNG declaring a huge
image is refused with a clear message, the question is asked again and nothing is kept."""

from __future__ import annotations

import struct
import zlib

import pytest

from core.reporting import evidence
from tests.support.reporting import report_until_evidence, task_of


def png_bomb(side: int) -> bytes:
    """A valid black-and-white PNG of ``side`` x ``side`` pixels, compressed to a few hundred KB."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, grey
    compressor = zlib.compressobj(9)
    row = bytes(1 + (side + 7) // 8)  # filter byte, then the pixels
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("side", [30_000, 13_000], ids=["900-Mpx", "169-Mpx"])
async def test_a_png_of_too_many_pixels_is_refused_and_asked_again(chat, tmp_path, side):
    chat.settings = chat.settings.model_copy(update={"data_dir": tmp_path})
    bomb = png_bomb(side)
    assert len(bomb) < 300_000
    async with chat.running():
        ana = await chat.join("Ana")
        await task_of(chat, ana)
        asked = await report_until_evidence(ana)
        await ana.upload_document(bomb, "plano.png", "image/png")
        refused = await ana.next_message()
        assert "demasiados píxeles" in refused["text"]
        assert asked["text"] in refused["text"]
    assert not chat.settings.evidence_dir.exists() or not any(
        path.is_file() for path in chat.settings.evidence_dir.rglob("*")
    )


def test_the_bound_is_read_from_the_header_before_decoding():
    with pytest.raises(evidence.InvalidInput, match="too many pixels"):
        evidence.strip_metadata(png_bomb(6_400))  # 41 Mpx
