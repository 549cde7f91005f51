"""An XML part written out again with chosen elements and attributes emptied or left out, and
everything else as it was.

The part is streamed through expat and each event written back, rather than parsed into a tree:
an ElementTree round trip renames namespace prefixes and drops the declarations no element
uses, and Office lists such prefixes by name in ``mc:Ignorable``, so a document rewritten that
way no longer opens. A document type declaration is refused, which rules out entities (the
billion laughs and external files alike): no Office or ODF part carries one.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO
from xml.parsers import expat

CHUNK = 64 * 1024
SEPARATOR = " "


class RefusedXML(ValueError):
    """The part declares a document type or entities."""


@dataclass(frozen=True)
class Cuts:
    """What is taken out of a part, by expanded name (``"{namespace} {local}"``)."""

    dropped: frozenset[str]  # elements left out whole
    emptied: frozenset[str]  # elements kept with nothing inside
    # Attributes whose value becomes "": a namespaced one by its expanded name, one without a
    # namespace as ``"{element's expanded name}@{attribute}"``.
    blanked: frozenset[str]


def _expanded(name: str) -> tuple[str, str]:
    """The expanded name and the name as written (``prefix:local``), from expat's triplet."""
    parts = name.split(SEPARATOR)
    if len(parts) == 1:
        return name, name
    expanded = f"{parts[0]} {parts[1]}"
    return expanded, f"{parts[2]}:{parts[1]}" if len(parts) == 3 else parts[1]


def _escape(text: str, *, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if quote:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


class _Writer:
    """Expat's handlers, writing each event back unless it falls inside a cut."""

    def __init__(self, cuts: Cuts, output: IO[bytes]) -> None:
        self.cuts = cuts
        self.output = output
        self.declarations: list[tuple[str | None, str]] = []
        self.names: list[str] = []  # the open elements, as written
        self.skipping = 0  # depth inside a dropped element or an emptied one's content
        self.emptied_at: list[int] = []  # depths of the open emptied elements
        self.open_tag = False  # a start tag written without its ">" yet

    def write(self, text: str) -> None:
        if self.open_tag:
            self.output.write(b">")
            self.open_tag = False
        self.output.write(text.encode("utf-8"))

    def xml_declaration(self, version: str, _encoding: str | None, standalone: int) -> None:
        alone = {1: ' standalone="yes"', 0: ' standalone="no"'}.get(standalone, "")
        self.write(f'<?xml version="{version}" encoding="UTF-8"{alone}?>\n')

    def doctype(self, *_args: object) -> None:
        raise RefusedXML("document type declaration")

    def namespace(self, prefix: str | None, uri: str) -> None:
        self.declarations.append((prefix, uri))

    def start(self, name: str, attributes: list[str]) -> None:
        declarations, self.declarations = self.declarations, []
        expanded, written = _expanded(name)
        if self.skipping or expanded in self.cuts.dropped:
            self.skipping += 1
            return
        tag = [f"<{written}"]
        for prefix, uri in declarations:
            tag.append(f' xmlns{":" + prefix if prefix else ""}="{_escape(uri, quote=True)}"')
        for key, value in zip(attributes[::2], attributes[1::2], strict=True):
            attribute, attribute_written = _expanded(key)
            if SEPARATOR not in attribute:
                attribute = f"{expanded}@{attribute}"
            if attribute in self.cuts.blanked:
                value = ""
            tag.append(f' {attribute_written}="{_escape(value, quote=True)}"')
        self.write("".join(tag))
        self.open_tag = True
        self.names.append(written)
        if expanded in self.cuts.emptied:
            self.emptied_at.append(len(self.names))
            self.skipping = 1

    def end(self, _name: str) -> None:
        if self.skipping:
            self.skipping -= 1
            if not (self.skipping == 0 and self.emptied_at[-1:] == [len(self.names)]):
                return
            self.emptied_at.pop()
        written = self.names.pop()
        if self.open_tag:
            self.output.write(b"/>")
            self.open_tag = False
        else:
            self.write(f"</{written}>")

    def text(self, data: str) -> None:
        if not self.skipping:
            self.write(_escape(data))

    def comment(self, data: str) -> None:
        if not self.skipping:
            self.write(f"<!--{data}-->")

    def instruction(self, target: str, data: str) -> None:
        if not self.skipping:
            self.write(f"<?{target} {data}?>" if data else f"<?{target}?>")


def rewrite(chunks: Iterator[bytes], cuts: Cuts) -> bytes:
    """The part read from ``chunks``, written back without what ``cuts`` names; raises
    ``expat.ExpatError`` when it is not well formed and ``RefusedXML`` when it declares a DTD."""
    output = io.BytesIO()
    writer = _Writer(cuts, output)
    parser = expat.ParserCreate(namespace_separator=SEPARATOR)
    parser.namespace_prefixes = True
    parser.ordered_attributes = True
    parser.XmlDeclHandler = writer.xml_declaration
    parser.StartDoctypeDeclHandler = writer.doctype
    parser.EntityDeclHandler = writer.doctype
    parser.StartNamespaceDeclHandler = writer.namespace
    parser.StartElementHandler = writer.start
    parser.EndElementHandler = writer.end
    parser.CharacterDataHandler = writer.text
    parser.CommentHandler = writer.comment
    parser.ProcessingInstructionHandler = writer.instruction
    for chunk in chunks:
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    return output.getvalue()
