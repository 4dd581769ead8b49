"""Stage 3b — answer each unit: a feedback workbook listing its problems, offending cells highlighted.

The feedback is a copy of the unit's returned form (the original is only read) with every cell named by
a problem filled and commented, plus a sheet "Phản hồi" a unit prints and acts on (A4 landscape, Times
New Roman): where, what is wrong, what to do, the problem's code last. When the
file cannot be opened as a workbook, the feedback holds the list only. User text is always written as
text, never as a formula.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from toolkit.bloc.model import Bloc, Member, slugify
from toolkit.docstyle import FONT, GREY, HEAD_FILL, RED, openpyxl_page_setup, row_height
from toolkit.fileio import atomic_path
from toolkit.forms import form_filename
from toolkit.paths import BlocFolder
from toolkit.problems import Problem
from toolkit.report import ProblemRow, problem_rows
from toolkit.returns.collect import Returns
from toolkit.texts import returns as TR

PREFIX = "phan-hoi-"
FILLS = {"error": PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
WIDTHS = (5, 30, 10, 48, 38, 12)  # A4 landscape: number, where, level, what is wrong, what to do, code
HEAD_ROW = 4
HEAD = PatternFill("solid", fgColor=HEAD_FILL[1:])
_SIDE = Side(style="thin")
BOX = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP = Alignment(vertical="top", wrap_text=True)
TOP_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)


def feedback_path(folder: Path, member: Member) -> Path:
    """Where the feedback of `member` is written: <folder>/ket-qua/phan-hoi/phan-hoi-<form file name>."""
    return BlocFolder.at(folder).feedback / f"{PREFIX}{form_filename(member)}"


def feedback_path_for_file(folder: Path, filename: str) -> Path:
    """Feedback of a file no unit could be read from (not a form, unreadable): named after the file."""
    stem = slugify(Path(filename).stem) or TR.FEEDBACK_FALLBACK_NAME
    return BlocFolder.at(folder).feedback / f"{PREFIX}{stem}.xlsx"


def write_feedback(path: Path, problems: list[Problem], source: Path | None = None,
                   unit_label: str = "") -> Path:
    """Write the feedback workbook to `path` atomically: a copy of `source`, when it opens, with the cells
    of its own problems highlighted; every problem (of any file) listed on the sheet "Phản hồi"."""
    own = [p for p in problems if source is not None and p.file == source.name]
    wb = _copy_of(source) if source is not None and _opens_safely(own) else None
    if wb is None:
        wb = openpyxl.Workbook()
        wb.remove(wb.active)
    else:
        _mark_cells(wb, own)
    ws = wb.create_sheet(_free_name(wb, TR.FEEDBACK_SHEET))
    _list_sheet(ws, problems, unit_label or TR.FEEDBACK_UNKNOWN_UNIT)
    wb.active = wb.sheetnames.index(ws.title)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    with atomic_path(Path(path)) as tmp:
        wb.save(tmp)
    return Path(path)


def write_unit_feedback(folder: Path, bloc: Bloc, returns: Returns, prune: bool = False) -> list[Path]:
    """One feedback workbook per unit (or unidentified file) with problems, in <folder>/ket-qua/phan-hoi/.

    With `prune` (a whole inbox was read), earlier feedback files no longer true are removed."""
    out_dir = BlocFolder.at(folder).feedback
    written: list[Path] = []
    files = returns.files_by_unit()
    for member in bloc.members:
        own = files.get(member.code, [])
        problems = returns.unit_problems(member.code, own)
        if problems:
            written.append(write_feedback(feedback_path(folder, member), problems,
                                          returns.unit_file(member.code, own), member.label))
    for result in returns.results:
        if not result.unit_code and result.problems:
            written.append(write_feedback(feedback_path_for_file(folder, result.path.name),
                                          result.problems, result.path))
    if prune and out_dir.is_dir():
        for old in out_dir.glob(f"{PREFIX}*.xlsx"):
            if old not in written:
                old.unlink()
    return written


def _opens_safely(problems: list[Problem]) -> bool:
    """Only a file the safe reader could open is handed to openpyxl."""
    return not any(p.code.startswith("file.") and p.is_error for p in problems)


def _copy_of(source: Path) -> openpyxl.Workbook | None:
    try:
        return openpyxl.load_workbook(source, keep_vba=False, keep_links=False, rich_text=False)
    except Exception:  # a third-party parser on a hostile file: fall back to the list alone
        return None


def _mark_cells(wb: openpyxl.Workbook, problems: list[Problem]) -> None:
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.sheet in wb.sheetnames and p.cell:
            by_cell.setdefault((p.sheet, p.cell), []).append(p)
    for (sheet, ref), found in by_cell.items():
        try:
            cell = wb[sheet][ref]
        except (ValueError, KeyError):
            continue
        worst = "error" if any(p.is_error for p in found) else "warning"
        cell.fill = FILLS[worst]
        comment = Comment("\n".join(f"[{r.level}] {r.message}" for r in problem_rows(found)),
                          TR.COMMENT_AUTHOR)
        comment.width, comment.height = 320, 160
        cell.comment = comment


def _free_name(wb: openpyxl.Workbook, name: str) -> str:
    taken = {s.casefold() for s in wb.sheetnames}
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name} {n}"
    return candidate


def put_text(ws: Worksheet, row: int, column: int, text: str):
    """Write `text` as a string cell: a leading "=" stays text, never a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"
    return cell


def _list_sheet(ws: Worksheet, problems: list[Problem], unit_label: str) -> None:
    """The page a unit prints and acts on: title, verdict, then one row per problem (errors first):
    where, how bad, what is wrong, what to do, the code last and small."""
    errors = sum(p.is_error for p in problems)
    summary = TR.FEEDBACK_BAD.format(errors=errors) if errors else \
        TR.FEEDBACK_WARN.format(warnings=len(problems))
    _banner(ws, 1, TR.FEEDBACK_TITLE.format(unit=unit_label), Font(name=FONT, bold=True, size=14), 14 / 12)
    _banner(ws, 2, summary, Font(name=FONT, italic=True, size=12, color=RED[1:] if errors else "7F6000"))
    for col, (label, width) in enumerate(zip(TR.FEEDBACK_COLUMNS, WIDTHS), start=1):
        cell = put_text(ws, HEAD_ROW, col, label)
        cell.font, cell.fill, cell.border, cell.alignment = Font(name=FONT, bold=True), HEAD, BOX, CENTER
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[HEAD_ROW].height = row_height(zip(TR.FEEDBACK_COLUMNS, WIDTHS))
    ordered = sorted(problem_rows(problems), key=lambda p: not p.is_error)
    for row, p in enumerate(ordered, start=HEAD_ROW + 1):
        _problem_row(ws, row, row - HEAD_ROW, p)
    openpyxl_page_setup(ws, repeat_rows=f"{HEAD_ROW}:{HEAD_ROW}", freeze=f"A{HEAD_ROW + 1}")


def _banner(ws: Worksheet, row: int, text: str, font: Font, scale: float = 1.0) -> None:
    """A line of text across the table, wrapped, its row as high as the text needs."""
    cell = put_text(ws, row, 1, text)
    cell.font, cell.alignment = font, Alignment(wrap_text=True, vertical="center")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(WIDTHS))
    ws.row_dimensions[row].height = row_height([(text, sum(WIDTHS), scale)]) * scale


def _problem_row(ws: Worksheet, row: int, number: int, p: ProblemRow) -> None:
    values = (p.location, p.level, p.wrong, p.todo, p.code)
    ws.cell(row=row, column=1, value=number)
    for col, value in enumerate(values, start=2):
        put_text(ws, row, col, value)
    for col in range(1, len(WIDTHS) + 1):
        cell = ws.cell(row=row, column=col)
        cell.font, cell.border, cell.alignment = Font(name=FONT, size=12), BOX, TOP
    ws.cell(row=row, column=1).alignment = ws.cell(row=row, column=3).alignment = TOP_CENTER
    ws.cell(row=row, column=3).fill = FILLS[p.severity]
    ws.cell(row=row, column=len(WIDTHS)).font = Font(name=FONT, size=9, color=GREY[1:])
    ws.row_dimensions[row].height = row_height(
        [(v, w) for v, w in zip(values[:-1], WIDTHS[1:])] + [(p.code, WIDTHS[-1], 0.75)])
