"""The chair's workbook as a whole: write every definition and meeting sheet, and read it back in one
opening into the bloc and the meeting's inputs.

Reading never trusts the file: every problem is a catalogued Problem pinned to sheet and cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Rules
from toolkit.chairbook.cells import Collector, Rows, find_sheet, formats
from toolkit.chairbook.criteria import read_criteria, write_criteria
from toolkit.chairbook.info import read_info, write_info
from toolkit.chairbook.meeting import SHEETS as MEETING_SHEETS
from toolkit.chairbook.meeting import add_meeting_sheets, read_meeting
from toolkit.chairbook.members import read_members, write_members
from toolkit.chairbook.percent import with_format
from toolkit.chairbook.rules import read_rules, write_rules
from toolkit.chairbook.unreadable import chairbook_problem
from toolkit.fileio import atomic_path
from toolkit.meeting.model import Meeting
from toolkit.numformat import is_percent_format
from toolkit.problems import ProblemError
from toolkit.xlsx import XlsxError, open_workbook
from toolkit.xlsxrows import RowReader

if TYPE_CHECKING:
    import xlsxwriter

BLOC_SHEETS = (T.SHEET_INFO, T.SHEET_MEMBERS, T.SHEET_CRITERIA, T.SHEET_RULES)


# --- writing --------------------------------------------------------------------------------------

def write_bloc_workbook(path: Path, bloc: Bloc | None) -> None:
    """Write a chair's workbook for `bloc` (or an empty template when None), atomically."""
    import xlsxwriter  # imported where used: reading a bloc must not pay for it

    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        add_bloc_sheets(wb, bloc)
        wb.close()


def add_bloc_sheets(wb: xlsxwriter.Workbook, bloc: Bloc | None) -> None:
    """Add the four definition sheets and the meeting's sheets to an open XlsxWriter workbook
    (also used for the .xlsm)."""
    fmt = formats(wb)
    write_info(wb.add_worksheet(T.SHEET_INFO), fmt, bloc)
    write_members(wb.add_worksheet(T.SHEET_MEMBERS), fmt, bloc)
    write_criteria(wb.add_worksheet(T.SHEET_CRITERIA), fmt, bloc)
    write_rules(wb.add_worksheet(T.SHEET_RULES), fmt, bloc.rules if bloc else Rules())
    add_meeting_sheets(wb, fmt, bloc)


# --- reading --------------------------------------------------------------------------------------

@dataclass
class ChairBook:
    """What the chair's workbook says: the bloc, and the meeting's inputs read against it (with the
    problems of the meeting's sheets in `meeting.problems`)."""

    bloc: Bloc
    meeting: Meeting


def read_chairbook(path: Path, bloc: Bloc | None = None) -> ChairBook:
    """Open the chair's workbook once and read the bloc and the meeting's sheets (absent meeting
    sheets count as empty). With `bloc` given (the caller's bloc), only the meeting's sheets are read
    and an unreadable file is a problem of the meeting. Raise ProblemError listing every problem
    when the bloc cannot be read."""
    try:
        rows = _sheet_rows(path, MEETING_SHEETS if bloc is not None else BLOC_SHEETS + MEETING_SHEETS)
    except ProblemError as exc:
        if bloc is None:
            raise
        return ChairBook(bloc, Meeting(problems=exc.problems))
    if bloc is None:
        bloc = _read_bloc(rows, path)
    return ChairBook(bloc, read_meeting(rows, bloc, Collector(path)))


def load_bloc(path: Path) -> Bloc:
    """Read and validate the bloc alone (the definition sheets); raise ProblemError listing every
    problem found."""
    return _read_bloc(_sheet_rows(path, BLOC_SHEETS), path)


def _sheet_rows(path: Path, names: tuple[str, ...]) -> dict[str, Rows]:
    """Sheet name (as in `names`) -> its rows, for the sheets of `names` the workbook has (the values
    openpyxl's read-only reader gives, percent-formatted ones marked: toolkit.xlsxrows)."""
    try:
        book = open_workbook(path)
    except (OSError, XlsxError) as exc:  # any unreadable file is a user error, reported not raised
        raise ProblemError([chairbook_problem(Path(path), exc)]) from None
    try:
        reader = RowReader(book, _percent_mark)
        found = {name: find_sheet(book.sheet_names, name) for name in names}
        return {name: reader.rows(sheet) for name, sheet in found.items() if sheet is not None}
    except XlsxError as exc:
        raise ProblemError([chairbook_problem(Path(path), exc)]) from None
    finally:
        book.close()


def _percent_mark(code: str):
    """For cells shown with a percent format: mark their values (percent.with_format)."""
    return (lambda value: with_format(value, code)) if is_percent_format(code) else None


def _read_bloc(rows: dict[str, Rows], path: Path) -> Bloc:
    out = Collector(path)
    for name in BLOC_SHEETS:
        if name not in rows:
            out.add("bloc.missing_sheet", sheet=name)
    if out.problems:
        raise ProblemError(out.problems)
    members = read_members(rows[T.SHEET_MEMBERS], out)
    tree = read_criteria(rows[T.SHEET_CRITERIA], out)
    rules = read_rules(rows[T.SHEET_RULES], tree, out)
    info = read_info(rows[T.SHEET_INFO], members, out)
    if out.problems:
        raise ProblemError(out.problems)
    return Bloc(members=members, criteria=tree, rules=rules, **info)
