"""Evidence files: checked by their content (not their name or declared type), stored once
under their SHA-256, and stripped of metadata (location included) when they are photos."""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import puremagic
from PIL import Image, UnidentifiedImageError

from core.errors import InvalidInput
from core.models import EvidenceKind
from i18n import N_

# What the content may be, by the extension its bytes identify it as.
ACCEPTED = {
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".txt": "text/plain",
}
ALIASES = {".jpeg": ".jpg", ".opus": ".ogg"}
ZIP_BASED = {".docx", ".xlsx", ".pptx", ".odt", ".ods"}
PHOTOS = {".jpg", ".png", ".webp"}
# Decoding costs memory by pixels, not bytes: a 100 KB PNG can declare 30,000 x 30,000. Read from
# the header before anything is decoded; 40 million is more than a phone's photo.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    name: str
    size: int
    mime_type: str


def identify(data: bytes, filename: str | None = None) -> str:
    """The extension the content really has, among those accepted; refuses anything else."""
    suffix = ALIASES.get(Path(filename or "").suffix.lower(), Path(filename or "").suffix.lower())
    try:
        candidates: list[str] = [
            ALIASES.get(m.extension, m.extension) for m in puremagic.magic_string(data)
        ]
    except (puremagic.PureError, ValueError):
        candidates = []
    if ".zip" in candidates and suffix in ZIP_BASED:
        return suffix  # office documents are zip files; the name tells which one
    for extension in candidates:
        if extension in ACCEPTED:
            return extension
    if not candidates and _is_text(data):
        if suffix in ACCEPTED and suffix != ".txt":
            # Text named as a PDF or a photo is not what it claims to be, nor what it would show.
            raise InvalidInput(
                N_("{name} holds plain text, not what its name says: send the file itself."),
                field="file",
                name=Path(filename or "").name,
            )
        return ".txt"
    raise InvalidInput(
        N_(
            "That kind of file is not accepted: send a photo, PDF, office document, audio, video "
            "or plain text."
        ),
        field="file",
    )


def _is_text(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in data


def strip_metadata(data: bytes) -> bytes:
    """The photo re-encoded without EXIF (location, camera, time) or other metadata."""
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its two bounds; anything past the first is refused here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data))
        with opened as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _too_many_pixels()
            image.load()
            clean = Image.new(image.mode, image.size)
            clean.paste(image)
            if "transparency" in image.info:
                clean.info["transparency"] = image.info["transparency"]
            output = io.BytesIO()
            clean.save(output, format=image.format, quality=95)
            return output.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # checked at open
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError):  # ValueError: a text chunk too large
        raise InvalidInput(N_("That photo could not be read."), field="file") from None


def _too_many_pixels() -> InvalidInput:
    return InvalidInput(
        N_("That photo has too many pixels: at most {limit} million are accepted."),
        field="file",
        limit=MAX_PIXELS // 1_000_000,
    )


def store(
    folder: Path,
    data: bytes,
    *,
    max_bytes: int,
    filename: str | None = None,
    for_publication: bool = True,
) -> StoredFile:
    """Check and keep one file; the same content is stored once."""
    if not data:
        raise InvalidInput(N_("The file is empty."), field="file")
    if len(data) > max_bytes:
        raise InvalidInput(
            N_("The file is larger than {limit} MB."),
            field="file",
            limit=round(max_bytes / 1024 / 1024),
        )
    extension = identify(data, filename)
    if extension in PHOTOS and for_publication:
        data = strip_metadata(data)
    digest = hashlib.sha256(data).hexdigest()
    name = f"{digest}{extension}"
    target = folder / digest[:2] / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write beside the target and rename, so a crash never leaves half a file under its hash.
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, target)
    return StoredFile(digest, name, len(data), ACCEPTED[extension])


def path_of(folder: Path, name: str) -> Path:
    """Where a stored file lives; names are checked so a request cannot leave the folder."""
    stem, _, extension = name.partition(".")
    if (
        len(stem) != 64
        or any(c not in "0123456789abcdef" for c in stem)
        or f".{extension}" not in ACCEPTED
    ):
        raise InvalidInput(N_("Unknown file."), field="name")
    return folder / stem[:2] / name


@dataclass(frozen=True)
class EvidenceItem:
    """A piece of evidence to record with a report or a measurement."""

    kind: EvidenceKind
    sha256: str
    telegram_file_id: str | None = None
    stored_name: str | None = None
    size: int | None = None
    mime_type: str | None = None
    caption: str | None = None
    url: str | None = None


def audited(evidence: Sequence[EvidenceItem]) -> list[dict[str, str]]:
    """What the audit chain keeps of each piece of evidence: its kind and its SHA-256."""
    return [{"kind": item.kind, "sha256": item.sha256} for item in evidence]
