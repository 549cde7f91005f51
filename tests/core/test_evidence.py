"""Evidence files are judged by their content, stored by hash, and photos lose their location."""

import hashlib
import io

import pytest
from PIL import Image

from core.errors import InvalidInput
from core.reporting import evidence

MB = 1024 * 1024


def photo_with_location() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 52.0, 48.0), 3: "W", 4: (102.0, 17.0, 46.0)}  # GPS
    exif[0x010F] = "Cámara"
    output = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(output, "JPEG", exif=exif)
    return output.getvalue()


def test_a_photo_is_stored_by_hash_without_its_location(tmp_path):
    data = photo_with_location()
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825)
    stored = evidence.store(tmp_path, data, max_bytes=MB, filename="foto.jpg")
    path = evidence.path_of(tmp_path, stored.name)
    kept = path.read_bytes()
    assert hashlib.sha256(kept).hexdigest() == stored.sha256
    assert stored.mime_type == "image/jpeg" and stored.name.endswith(".jpg")
    assert not Image.open(io.BytesIO(kept)).getexif()


def test_the_same_content_is_stored_once(tmp_path):
    first = evidence.store(tmp_path, b"%PDF-1.4 informe", max_bytes=MB)
    second = evidence.store(tmp_path, b"%PDF-1.4 informe", max_bytes=MB, filename="otro.pdf")
    assert first == second
    assert len(list(tmp_path.rglob("*.pdf"))) == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 8, "foto.jpg", "not accepted"),
        (b"", "vacio.pdf", "empty"),
        (b"%PDF" + b"0" * (2 * MB), "grande.pdf", "larger than 1 MB"),
        (b"\xff\xd8\xff\xe0 not really a jpeg", "roto.jpg", "could not be read"),
        (b"esto no es un PDF\n", "fake.pdf", "fake.pdf holds plain text, not what its name says"),
        (b"ni una foto", "foto.jpg", "foto.jpg holds plain text"),
    ],
)
def test_bad_files_are_refused(tmp_path, data, name, message):
    with pytest.raises(InvalidInput, match=message):
        evidence.store(tmp_path, data, max_bytes=MB, filename=name)
    assert not any(path.is_file() for path in tmp_path.rglob("*"))


def test_a_stored_name_cannot_leave_the_folder(tmp_path):
    for name in ("../../etc/passwd", "a" * 64 + ".exe", ("g" * 64) + ".pdf"):
        with pytest.raises(InvalidInput):
            evidence.path_of(tmp_path, name)
