"""The cleaning of documents for publication, on what only crafted files carry: entities, zip
bombs, encrypted parts, a presentation's comment authors."""

from __future__ import annotations

import io
import zipfile

import pytest

from core.errors import InvalidInput
from core.reporting import scrubbing
from tests.support.documents import AUTHOR, unpacked


def package(parts: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as written:
        for name, data in parts.items():
            written.writestr(name, data)
    return output.getvalue()


def test_a_part_declaring_entities_is_refused_before_any_is_expanded():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b'<cp:coreProperties xmlns:cp="urn:x">&lol2;</cp:coreProperties>'
    )
    with pytest.raises(InvalidInput, match="could not be read"):
        scrubbing.clean(package({"docProps/core.xml": laughs}), ".docx")


def test_a_package_that_unpacks_past_the_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(scrubbing, "MAX_UNPACKED", scrubbing.MB)
    bomb = package({"word/media/zeros.bin": bytes(2 * scrubbing.MB)})
    with pytest.raises(InvalidInput, match="takes 2 MB; at most 1 MB") as refused:
        scrubbing.clean(bomb, ".docx")
    assert refused.value.params == {"size": 2, "limit": 1}


def test_a_package_with_encrypted_parts_is_refused():
    data = bytearray(package({"content.xml": b"<a/>"}))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the encrypted flag in both headers
        at = data.index(header) + (6 if header == b"PK\x03\x04" else 8)
        data[at] |= 0x1
    with pytest.raises(InvalidInput, match="protected with a password"):
        scrubbing.clean(bytes(data), ".odt")


def test_a_presentations_comment_authors_lose_their_names_and_keep_their_ids():
    authors = (
        '<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        f'<p:cmAuthor id="0" name="{AUTHOR}" initials="RM" lastIdx="1" clrIdx="0"/>'
        "</p:cmAuthorLst>"
    ).encode()
    slide = b'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>'
    cleaned = unpacked(
        scrubbing.clean(
            package({"ppt/commentAuthors.xml": authors, "ppt/slides/slide1.xml": slide}), ".pptx"
        )
    )
    assert cleaned["ppt/commentAuthors.xml"] == (
        b'<p:cmAuthorLst xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main">'
        b'<p:cmAuthor id="0" name="" initials="" lastIdx="1" clrIdx="0"/></p:cmAuthorLst>'
    )
    assert cleaned["ppt/slides/slide1.xml"] == slide  # copied, not rewritten


def test_plain_text_is_published_as_it_is():
    text = "Acta de la sesión\n".encode()
    assert scrubbing.clean(text, ".txt") == text
