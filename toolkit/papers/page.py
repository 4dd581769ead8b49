"""Building blocks of a Decree 30/2020 document in python-docx: A4 with the decree's margins (shared
with the workbooks, toolkit.docstyle), Times New Roman, the header (issuing body top left, quốc hiệu and
the tiêu ngữ top right), tables, signature blocks side by side. Imported only when papers are written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from toolkit import texts as T
from toolkit.docstyle import FONT, MARGINS_MM

BODY_PT, TABLE_PT, NATION_PT, MOTTO_PT, TITLE_PT = 13, 12, 12, 13, 14
A4_MM = (210, 297)
TEXT_MM = A4_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]  # 165 mm between the margins
HEADER_MM = (65, TEXT_MM - 65)  # issuing body | quốc hiệu and tiêu ngữ
CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY


@dataclass(frozen=True)
class Top:
    """The header: issuing body (upper case lines), optional number and V/v lines, place-and-date."""

    issuer: str  # upper case
    date_line: str
    number: str = ""
    about: str = ""


def new_document():
    """An empty A4 portrait document: the decree's margins, Times New Roman 13 everywhere."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4_MM[0]), Mm(A4_MM[1])
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))
    for name, size in (("Normal", BODY_PT), ("Table Grid", TABLE_PT)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    doc.styles["Normal"].paragraph_format.space_after = Pt(3)
    doc.core_properties.author = ""
    return doc


def para(container, text: str = "", *, bold: bool = False, italic: bool = False, size: int | None = None,
         align=JUSTIFY, indent: bool = False, underline: bool = False):
    """One paragraph of one run."""
    p = container.add_paragraph()
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    return p


def header(doc, top: Top) -> None:
    """The two-column header of the decree: issuing body left, quốc hiệu and tiêu ngữ right."""
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, HEADER_MM)
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = CENTER
    left.paragraphs[0].add_run(top.issuer).bold = True
    for line in (top.number, top.about):
        if line:
            para(left, line, align=CENTER, size=12)
    right.paragraphs[0].alignment = CENTER
    nation = right.paragraphs[0].add_run(T.NATION)
    nation.bold, nation.font.size = True, Pt(NATION_PT)
    para(right, T.MOTTO, bold=True, size=MOTTO_PT, align=CENTER, underline=True)
    para(right, top.date_line, italic=True, align=CENTER)


def title(doc, text: str, subtitle: str = "") -> None:
    para(doc, "")
    para(doc, text, bold=True, size=TITLE_PT, align=CENTER)
    if subtitle:
        para(doc, subtitle, bold=True, align=CENTER)


def table(doc, columns: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> None:
    """A bordered table: bold header row, then the rows (every cell a text)."""
    grid = doc.add_table(rows=1 + len(rows), cols=len(columns))
    grid.style = doc.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(grid, widths_mm)
    for r, values in enumerate([columns, *rows]):
        for c, value in enumerate(values):
            p = grid.cell(r, c).paragraphs[0]
            p.alignment = LEFT if c == 1 and r else CENTER
            run = p.add_run(str(value))
            run.bold, run.font.size = r == 0, Pt(TABLE_PT)


def set_widths(grid, widths_mm: Sequence[float]) -> None:
    """Fixed column widths (the grid, which LibreOffice reads, and every cell, which Word reads)."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths_mm):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def signatures(doc, blocks: Sequence[Sequence[tuple[str, str]]], left_notes: Sequence[str] = ()) -> None:
    """Signature blocks side by side (each a list of (text, style) with style "bold", "italic" or
    "space"), and the "Nơi nhận" notes in the left column when given."""
    para(doc, "")
    grid = doc.add_table(rows=1, cols=max(2, len(blocks)))
    set_widths(grid, [TEXT_MM / len(grid.columns)] * len(grid.columns))
    cells = grid.rows[0].cells
    offset = len(cells) - len(blocks)
    if left_notes:
        first = cells[0].paragraphs[0]
        first.add_run(left_notes[0]).bold = True
        first.runs[0].italic = True
        for note in left_notes[1:]:
            para(cells[0], note, size=11, align=LEFT)
    for cell, lines in zip(cells[offset:], blocks):
        for i, (text, style) in enumerate(lines):
            p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            p.alignment = CENTER
            if style == "space":
                p.paragraph_format.space_before = Mm(18)
            run = p.add_run(text)
            run.bold, run.italic = style == "bold", style == "italic"


def page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def save(doc, path) -> None:
    doc.save(str(path))
