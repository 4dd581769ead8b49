"""Peer-scoring (chấm chéo) forms: one workbook per scoring unit listing every other unit × base
leaf (or × the base total), written with XlsxWriter and read back into CrossScores.

The form's sheet has the same first four columns as the chair's “Chấm chéo” sheet, so one reader
serves both; identity (bloc, period, scoring unit) comes from a very hidden metadata sheet.
"""

from __future__ import annotations

import re
from pathlib import Path

import xlsxwriter

from toolkit.docstyle import fit_row, page_setup
from toolkit import texts as T
from toolkit.bloc.model import Bloc, Criterion, Member
from toolkit.chairbook.cells import Collector, Rows, find_sheet, text
from toolkit.chairbook.meeting import MeetingReader
from toolkit.chairbook.unreadable import os_reason
from toolkit.fileio import atomic_path
from toolkit.forms import form_filename
from toolkit.forms.layout import META_SHEET
from toolkit.meeting.model import Meeting
from toolkit.paths import PEER_DIR
from toolkit.problems import problem
from toolkit.returns.reader import file_problem
from toolkit.vntext import clean
from toolkit.xlsx import Sheet, XlsxError, open_workbook

R = T.rules
PEER_FORMAT = "thidua-peer/1"
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
MAX_ROW = 1_048_576  # the last row of a sheet; a cell named beyond it is not a cell
_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")


def peer_form_filename(member: Member) -> str:
    return f"{PEER_DIR}-{form_filename(member)}"


def generate_peer_forms(bloc: Bloc, out_dir: Path, total_only: bool = False) -> list[Path]:
    """One peer-scoring form per member into `out_dir`, in member order."""
    return [write_peer_form(bloc, m, Path(out_dir) / peer_form_filename(m), total_only) for m in bloc.members]


def peer_rows(bloc: Bloc, scorer: Member, total_only: bool = False) -> list[tuple[Member, Criterion | None]]:
    """(scored unit, base leaf) for every other unit; leaf None = the base total."""
    tree = bloc.criteria
    leaves = [None] if total_only else [c for g in tree.base_groups() for c in tree.leaves_under(g.code)]
    return [(m, c) for m in bloc.members if m.code != scorer.code for c in leaves]


def write_peer_form(bloc: Bloc, scorer: Member, path: Path, total_only: bool = False) -> Path:
    """Write the peer-scoring form of `scorer` atomically: only the score cells are editable."""
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
        base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter", "border": 1}
        head = wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "text_wrap": True})
        text = wb.add_format({**base, "text_wrap": True})
        num = wb.add_format({**base, "num_format": "0.##"})
        entry = wb.add_format({**base, "num_format": "0.##", "bg_color": "#FFF2CC", "locked": False})
        ws = wb.add_worksheet(R.SHEET_CROSS)
        for col, width in enumerate((16, 18, 18, 10, 10, 40, 60)):
            ws.set_column(col, col, width)
        ws.write_row(0, 0, (*R.CROSS_COLUMNS, *R.PEER_EXTRA_COLUMNS), head)
        ws.write_comment(0, 3, R.PEER_INSTRUCTIONS.format(unit=scorer.name), {"x_scale": 3, "y_scale": 2})
        ws.set_row(0, 36)
        page_setup(ws, repeat_rows=(0, 0), freeze=(1, 0))  # A4 landscape, the header on every page
        for row, (scored, c) in enumerate(peer_rows(bloc, scorer, total_only), start=1):
            maximum = bloc.criteria.base_max if c is None else c.max_points
            ws.write_string(row, 0, scorer.code, text)
            ws.write_string(row, 1, scored.code, text)
            ws.write_string(row, 2, R.CROSS_TOTAL if c is None else c.code, text)
            ws.write_blank(row, 3, None, entry)
            ws.data_validation(row, 3, row, 3, {"validate": "decimal", "criteria": "between", "minimum": 0,
                                                "maximum": maximum, "error_message": R.PEER_SCORE_ERROR.format(max=maximum)})
            ws.write_number(row, 4, maximum, num)
            ws.write_string(row, 5, scored.name, text)
            ws.write_string(row, 6, R.CROSS_TOTAL if c is None else c.text, text)
            fit_row(ws, row, [(scored.name, 40), ("" if c is None else c.text, 60)])
        ws.protect("", {"format_columns": True, "format_rows": True})
        meta = wb.add_worksheet(META_SHEET)
        for row, (key, value) in enumerate(peer_metadata(bloc, scorer).items()):
            meta.write_string(row, 0, key)
            meta.write_string(row, 1, value)
        meta.protect()
        meta.very_hidden()
        wb.close()
    return Path(path)


def peer_metadata(bloc: Bloc, scorer: Member) -> dict[str, str]:
    return {"format": PEER_FORMAT, "bloc_key": bloc.key, "unit_code": scorer.code,
            "year": str(bloc.year), "period": bloc.period}


def read_peer_forms(paths: list[Path], bloc: Bloc) -> Meeting:
    """The cross scores of returned peer forms (blank scores left out); a file that is not this
    bloc's peer form of this period, that cannot be read safely, or rows scored in another unit's
    name, become Problems. Every file is untrusted: it is read with the safe reader `toolkit.xlsx`."""
    meeting = Meeting()
    for path in paths:
        out = Collector(path)
        meeting.cross += _read_peer_form(Path(path), bloc, out)
        meeting.problems += out.problems
    return meeting


def _read_peer_form(path: Path, bloc: Bloc, out: Collector) -> list:
    if path.is_symlink():  # never followed, like a return's link
        out.problems.append(problem("file.link", file=path.name))
        return []
    sheets = _peer_sheets(path, out)
    if sheets is None:
        return []
    meta_sheet, sheet = sheets
    meta = {clean(str(r[0])): text(r[1]) for r in _rows(meta_sheet, 2) if r and r[0] is not None} \
        if meta_sheet is not None else {}
    if meta.get("format") != PEER_FORMAT or sheet is None:
        out.add("peer.not_a_peer_form")
        return []
    found = (meta.get("bloc_key", ""), meta.get("year", ""), meta.get("period", ""))
    if found != (bloc.key, str(bloc.year), bloc.period):
        out.add("peer.other_bloc", found=" ".join(found), expected=f"{bloc.key} {bloc.year} {bloc.period}")
        return []
    scores = MeetingReader(bloc, out).cross(_rows(sheet, len(R.CROSS_COLUMNS)))
    scorer = meta.get("unit_code", "")
    if any(s.scorer != scorer for s in scores):
        out.add("peer.other_scorer", sheet=R.SHEET_CROSS, unit=scorer, code=scorer)
    return [s for s in scores if s.scorer == scorer]


def _peer_sheets(path: Path, out: Collector) -> tuple[Sheet | None, Sheet | None] | None:
    """(metadata sheet, scores sheet), each None when absent; None with a problem naming the file
    when it cannot be opened safely (missing, not an xlsx, corrupt, too large, a zip bomb, XML
    entities)."""
    try:
        book = open_workbook(path)
    except OSError as exc:
        out.problems.append(problem("file.unreadable", file=path.name, reason=os_reason(exc, path)))
        return None
    except XlsxError as exc:
        out.problems.append(file_problem(path, exc))
        return None
    try:
        names = [find_sheet(book.sheet_names, name) for name in (META_SHEET, R.SHEET_CROSS)]
        return tuple(book.sheet(name) if name is not None else None for name in names)
    except XlsxError as exc:
        out.problems.append(file_problem(path, exc))
        return None
    finally:
        book.close()


def _rows(sheet: Sheet, width: int) -> Rows:
    """The values of the sheet's first `width` columns, row by row (row 1 first); rows without a
    value there are one shared empty list, so a far-away cell costs a pointer per row."""
    cells: dict[int, dict[int, object]] = {}
    for ref, cell in sheet.cells.items():
        match = _REF.fullmatch(ref)
        if match is None or int(match.group(2)) > MAX_ROW:
            continue
        col = 0
        for letter in match.group(1):
            col = col * 26 + ord(letter) - ord("A") + 1
        if col <= width:
            cells.setdefault(int(match.group(2)), {})[col] = cell[0]
    rows: Rows = [[]] * max(cells, default=0)
    for row, values in cells.items():
        rows[row - 1] = [values.get(col) for col in range(1, width + 1)]
    return rows
