"""Documents cleaned for publication: the same content without the metadata that names the
people who wrote, edited or commented on them.

What is taken out is who: authors, editors, the company and manager, comment and revision
authors, custom fields (which hold anything). Titles, subjects and dates are kept: they describe
the document and when, not who, and the public page shows the report's dates anyway.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from typing import IO

import pikepdf

from core.errors import DomainError, InvalidInput
from core.reporting.xml_rewrite import CHUNK, Cuts, rewrite
from i18n import N_

MB = 2**20
# A zip's parts are inflated as they are copied; a 20 MB upload can declare gigabytes.
MAX_UNPACKED = 256 * MB
# Fixed so the same document always comes out the same (stored once) and tells no save time.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

DC = "http://purl.org/dc/elements/1.1/"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
APP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XL_PERSON = "http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
P188 = "http://schemas.microsoft.com/office/powerpoint/2018/8/main"

# Comment and revision authors are blanked in place rather than their parts dropped: a comment
# is referenced from the document's body and its relationships, and Word calls a document with
# a dangling reference damaged. An empty text is valid wherever a name is required (an ODF
# change's dc:creator), so names are emptied; optional structures are left out whole.
CUTS = Cuts(
    dropped=frozenset(
        {
            f"{CUSTOM} property",  # OOXML custom fields
            f"{META} user-defined",  # ODF custom fields
            f"{META} template",  # its link is a file path, often in a person's home folder
            f"{W15} presenceInfo",  # a commenter's account id
        }
    ),
    emptied=frozenset(
        {
            f"{DC} creator",  # OOXML author; ODF last editor, comment and change authors
            f"{CP} lastModifiedBy",
            f"{APP} Company",
            f"{APP} Manager",
            f"{META} initial-creator",
            f"{META} printed-by",
            f"{SML} author",  # xlsx comment authors
        }
    ),
    blanked=frozenset(
        {
            f"{W} author",  # docx comments, tracked insertions, deletions and changes
            f"{W} initials",
            f"{W15} author",  # docx people.xml
            f"{XL_PERSON} person@displayName",
            f"{XL_PERSON} person@userId",
            f"{P} cmAuthor@name",
            f"{P} cmAuthor@initials",
            f"{P188} author@name",
            f"{P188} author@initials",
            f"{P188} author@userId",
        }
    ),
)
# The parts that may carry what CUTS names; the rest (sheets, images) is copied unread.
REWRITTEN = (
    "docProps/core.xml",
    "docProps/app.xml",
    "docProps/custom.xml",
    "word/*.xml",
    "xl/comments*.xml",
    "xl/persons/*.xml",
    "ppt/commentAuthors.xml",
    "ppt/authors.xml",
    "meta.xml",
    "content.xml",
)


def _unreadable() -> InvalidInput:
    return InvalidInput(
        N_(
            "That document could not be read, so the names in its properties cannot be removed"
            " to publish it."
        )
    )


def _protected() -> InvalidInput:
    return InvalidInput(
        N_("That document is protected with a password or encrypted: publish a copy without it.")
    )


def _pdf(data: bytes) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise _protected()
            if "/Info" in pdf.trailer:
                del pdf.trailer.Info
            # XMP can hang from any object (the document, a page, an image), and page-piece
            # data from pages and forms: every object is looked at.
            for item in pdf.objects:
                if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
                    for key in ("/Metadata", "/PieceInfo"):
                        if key in item:
                            del item[key]
            for page in pdf.pages:
                for note in page.get("/Annots", ()):
                    # A markup annotation's /T is its author; a form field's is its name.
                    if note.get("/Subtype") != pikepdf.Name.Widget and "/T" in note:
                        del note.T
            output = io.BytesIO()
            pdf.save(output, deterministic_id=True)
            return output.getvalue()
    except pikepdf.PasswordError:
        raise _protected() from None
    except DomainError:
        raise
    except Exception:  # a damaged file raises anything from qpdf, not only PdfError
        raise _unreadable() from None


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(CHUNK):
        yield chunk


def _package(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if any(part.flag_bits & 0x1 for part in parts):
                raise _protected()
            unpacked = sum(part.file_size for part in parts)
            if unpacked > MAX_UNPACKED:
                raise InvalidInput(
                    N_(
                        "Unpacked, that document takes {size} MB; at most {limit} MB are published."
                    ),
                    size=-(-unpacked // MB),
                    limit=MAX_UNPACKED // MB,
                )
            output = io.BytesIO()
            with zipfile.ZipFile(output, "w") as clean:
                for part in parts:
                    _copy(package, part, clean)
            return output.getvalue()
    except DomainError:
        raise
    except Exception:  # a corrupt package raises anything from zipfile, zlib or expat
        raise _unreadable() from None


def _copy(package: zipfile.ZipFile, part: zipfile.ZipInfo, clean: zipfile.ZipFile) -> None:
    # A new entry carries no extra field (owners, times) and keeps an ODF's mimetype stored.
    info = zipfile.ZipInfo(part.filename, ZIP_TIME)
    info.compress_type = part.compress_type
    with package.open(part) as stream:
        if any(fnmatch(part.filename, pattern) for pattern in REWRITTEN):
            clean.writestr(info, rewrite(_chunks(stream), CUTS))
            return
        info.file_size = part.file_size
        with clean.open(info, "w") as target:
            shutil.copyfileobj(stream, target, CHUNK)


def _text(data: bytes) -> bytes:
    return data  # plain text has nowhere to hide an author but its words


CLEANERS: dict[str, Callable[[bytes], bytes]] = {
    ".pdf": _pdf,
    ".docx": _package,
    ".xlsx": _package,
    ".pptx": _package,
    ".odt": _package,
    ".ods": _package,
    ".txt": _text,
}
DOCUMENTS = frozenset(CLEANERS)
# Those whose cleaning rewrites the file: a public copy of one equal to the file as it was sent
# was made before documents were cleaned.
CHANGED_BY_CLEANING = frozenset(
    extension for extension, cleaner in CLEANERS.items() if cleaner is not _text
)


def clean(data: bytes, extension: str) -> bytes:
    """The document (by its extension, among ``DOCUMENTS``) without the names in its metadata;
    refuses one it cannot read or that is protected."""
    return CLEANERS[extension](data)
