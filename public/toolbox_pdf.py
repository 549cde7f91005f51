"""The whole toolbox as one printable PDF in a language, made from the chapters' blocks.

Set in DejaVu Sans, shipped in ``static/fonts`` (cut down to the characters the manual uses):
PDF's standard fonts have no dash, curly quote or bullet. Each chapter starts a page and is an
entry of the document's outline, its sections below it. A link between chapters is printed as
its text, the chapter being in the same document; a link elsewhere stays a link.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from core.toolbox.manual import manual
from core.toolbox.markdown import (
    Block,
    Code,
    Heading,
    Inline,
    Items,
    Paragraph,
    Quote,
    Span,
    Table,
    plain,
)
from i18n import N_, gettext

FONTS = Path(__file__).resolve().parent / "static" / "fonts"
FAMILY = "DejaVu"
STYLES = {"": "DejaVuSans", "B": "DejaVuSans-Bold", "I": "DejaVuSans-Oblique"}
STYLES["BI"] = "DejaVuSans-BoldOblique"
BODY = 10.5
LINE = 5.5  # millimetres between lines of body text
HEADINGS = {1: 20.0, 2: 14.0, 3: 12.0}
INDENT = 6.0
LINK_BLUE = (0, 70, 150)
TITLE = N_("Toolbox")
ABOUT = N_("The methodology manual of the anticorruption secretariats, version {version}.")


@cache
def manual_pdf(language: str) -> bytes:
    """The manual in ``language`` as a PDF, made once per language."""
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(True, margin=18)
    for style, name in STYLES.items():
        pdf.add_font(FAMILY, style, str(FONTS / f"{name}.ttf"))
    title = gettext(language, TITLE)
    pdf.set_title(title)
    pdf.set_lang(language)
    pdf.set_creator("incorruptible")
    toolbox = manual()
    pdf.add_page()
    _heading(pdf, 1, title)
    about = gettext(language, ABOUT, version=toolbox.version)
    _paragraph(pdf, (Span(about),))
    for chapter in toolbox.chapters:
        text = chapter.texts[language]
        pdf.add_page()
        pdf.start_section(text.title, level=0)
        _heading(pdf, 1, text.title)
        for section in text.sections:
            if section.anchor:
                pdf.start_section(section.title, level=1)
            for block in section.blocks:
                _block(pdf, block)
    return bytes(pdf.output())


def _heading(pdf: FPDF, level: int, text: str) -> None:
    size = HEADINGS.get(level, BODY + 1)
    pdf.set_font(FAMILY, "B", size)
    pdf.ln(2 if level == 1 else 3)
    pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _paragraph(pdf: FPDF, spans: Inline) -> None:
    _write(pdf, spans)
    pdf.ln(LINE * 1.6)


def _write(pdf: FPDF, spans: Inline) -> None:
    for span in spans:
        style = ("B" if span.bold else "") + ("I" if span.italic else "")
        pdf.set_font(FAMILY, style, BODY)
        external = span.link is not None and not span.link.startswith("/")
        if external:
            pdf.set_text_color(*LINK_BLUE)
        pdf.write(LINE, span.text, link=span.link if external else "")
        pdf.set_text_color(0)


def _block(pdf: FPDF, block: Block) -> None:
    if isinstance(block, Heading):
        _heading(pdf, block.level, plain(block.spans))
    elif isinstance(block, Paragraph):
        _paragraph(pdf, block.spans)
    elif isinstance(block, Items):
        _items(pdf, block)
    elif isinstance(block, Table):
        _table(pdf, block)
    elif isinstance(block, Code):
        pdf.set_font(FAMILY, "", BODY - 1)
        pdf.multi_cell(0, LINE, block.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(LINE / 2)
    elif isinstance(block, Quote):
        margin = pdf.l_margin
        pdf.set_left_margin(margin + INDENT)
        pdf.set_x(margin + INDENT)
        for part in block.blocks:
            _block(pdf, part)
        pdf.set_left_margin(margin)
    else:
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
        pdf.ln(LINE)


def _items(pdf: FPDF, block: Items) -> None:
    margin = pdf.l_margin
    pdf.set_left_margin(margin + INDENT)
    for number, item in enumerate(block.items, start=block.start):
        pdf.set_x(margin)
        pdf.set_font(FAMILY, "", BODY)
        pdf.cell(INDENT, LINE, f"{number}." if block.ordered else "•")
        for part in item:
            if isinstance(part, Paragraph):
                _write(pdf, part.spans)
                pdf.ln(LINE * 1.3)
            else:
                _block(pdf, part)
    pdf.set_left_margin(margin)
    pdf.set_x(margin)
    pdf.ln(LINE * 0.4)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FAMILY, "", BODY - 1)
    with pdf.table(line_height=LINE) as table:
        for row in (block.header, *block.rows):
            cells = table.row()
            for cell in row:
                cells.cell(plain(cell))
    pdf.ln(LINE)
