"""The meeting's sheets of the chair's workbook (review rounds, cross scores, votes, disqualifiers):
write them (XlsxWriter) and read their rows back into the meeting's inputs.

Reading never stops at a bad row: the row is left out and a catalogued Problem pinned to its cell
says why, so the rest of the meeting's decisions still count.
"""

from __future__ import annotations

from toolkit import texts as T
from toolkit.bloc.model import Bloc
from toolkit.docstyle import page_setup, row_height
from toolkit.chairbook.cells import Collector, Rows, cell_ref, data_rows, text, yes_no
from toolkit.meeting.model import DISQUALIFIERS, TOTAL, CrossScore, Meeting, Review, Vote
from toolkit.vntext import match_key, parse_number, vn_number

R = T.rules
SHEETS = (R.SHEET_REVIEW, R.SHEET_CROSS, R.SHEET_VOTES, R.SHEET_CONDITIONS)
# Biểu quyết: the number present is one cell of the meeting (C1, labelled in A1:B1); the votes table's
# header is row 3, one row per member below it. Workbooks written before had it on every row (column D).
PRESENT_CELL = (0, 2)  # (row, column), 0-based
VOTE_HEADER = 2  # 0-based row of the votes table's header


# --- writing the meeting sheets ---------------------------------------------------------------------

def add_meeting_sheets(wb, fmt: dict, bloc: Bloc | None) -> None:
    """Add the sheets Thẩm định, Chấm chéo, Biểu quyết and Điều kiện to an XlsxWriter workbook."""
    members = bloc.members if bloc else ()
    _write_review(wb.add_worksheet(R.SHEET_REVIEW), fmt)
    _write_cross(wb.add_worksheet(R.SHEET_CROSS), fmt)
    _write_votes(wb.add_worksheet(R.SHEET_VOTES), fmt, members)
    _write_conditions(wb.add_worksheet(R.SHEET_CONDITIONS), fmt, members)


def _header(ws, fmt, columns, widths, row: int = 0) -> None:
    """Column widths, the header at `row`, printed on every page (with the rows above) and frozen."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width, fmt["text"])  # what the chair types takes the sheet's font
    ws.write_row(row, 0, columns, fmt["head"])
    ws.set_row(row, max(36, row_height(zip(columns, widths))))
    page_setup(ws, repeat_rows=(0, row), freeze=(row + 1, 0))


def _non_negative(ws, first_col: int, last_col: int, integer: bool = False, first_row: int = 1) -> None:
    ws.data_validation(first_row, first_col, 1000, last_col, {
        "validate": "integer" if integer else "decimal", "criteria": ">=", "value": 0})


def _write_review(ws, fmt) -> None:
    _header(ws, fmt, R.REVIEW_COLUMNS, (12, 12, 14, 14, 40, 40, 14, 40))
    ws.write_comment(0, 3, R.REVIEW_NOTE, {"x_scale": 3, "y_scale": 2})
    _non_negative(ws, 2, 3)
    _non_negative(ws, 6, 6)


def _write_cross(ws, fmt) -> None:
    _header(ws, fmt, R.CROSS_COLUMNS, (18, 20, 22, 10))
    _non_negative(ws, 3, 3)


def _write_votes(ws, fmt, members) -> None:
    """The number present once (C1, whole number 0..members), then one row per member: votes for, form."""
    _header(ws, fmt, R.VOTE_COLUMNS, (12, 50, 16, 16), row=VOTE_HEADER)
    ws.merge_range(0, 0, 0, 1, R.VOTE_PRESENT_LABEL, fmt["head"])
    ws.write_blank(*PRESENT_CELL, None, fmt["num"])
    limit = {"criteria": "between", "minimum": 0, "maximum": len(members)} if members else \
        {"criteria": ">=", "value": 0}
    ws.data_validation(*PRESENT_CELL, *PRESENT_CELL, {
        "validate": "integer", **limit, "input_title": R.VOTE_PRESENT_PROMPT_TITLE,
        "input_message": R.VOTE_PRESENT_PROMPT.format(members=len(members)),
        "error_message": R.VOTE_PRESENT_ERROR.format(members=len(members))})
    for row, m in enumerate(members, start=VOTE_HEADER + 1):
        ws.write_string(row, 0, m.code, fmt["text"])
        ws.write_string(row, 1, m.name, fmt["text"])
    _non_negative(ws, 2, 2, integer=True, first_row=VOTE_HEADER + 1)
    ws.data_validation(VOTE_HEADER + 1, 3, 1000, 3, {"validate": "list", "source": list(R.VOTE_FORMS),
                                                     "error_type": "information"})


def _write_conditions(ws, fmt, members) -> None:
    _header(ws, fmt, R.CONDITION_COLUMNS, (12, 50, 18, 18, 16, 16, 16, 40))
    for row, m in enumerate(members, start=1):
        ws.write_string(row, 0, m.code, fmt["text"])
        ws.write_string(row, 1, m.name, fmt["text"])
    ws.data_validation(1, 2, 1000, 1 + len(DISQUALIFIERS), {"validate": "list", "source": [T.YES, T.NO]})


# --- reading the meeting sheets -------------------------------------------------------------------

def read_meeting(rows: dict[str, Rows], bloc: Bloc, out: Collector) -> Meeting:
    """The meeting's inputs from the rows of its sheets (`SHEETS`; an absent sheet has no rows)."""
    reader = MeetingReader(bloc, out)
    meeting = Meeting(
        reviews=reader.reviews(rows.get(R.SHEET_REVIEW, [])),
        cross=reader.cross(rows.get(R.SHEET_CROSS, [])) if bloc.rules.cross_scoring else [],
        votes=reader.votes(rows.get(R.SHEET_VOTES, [])),
        disqualified=reader.conditions(rows.get(R.SHEET_CONDITIONS, [])),
    )
    meeting.problems = out.problems
    return meeting


class MeetingReader:
    """Row readers of the meeting's sheets sharing the bloc's codes and the problem collector
    (`cross` also reads the rows of a returned peer-scoring form)."""

    def __init__(self, bloc: Bloc, out: Collector):
        self.bloc, self.out = bloc, out
        self.units = {match_key(m.code): m.code for m in bloc.members}
        self.leaves = {match_key(c.code): c for c in bloc.criteria.leaves()}

    def unit(self, value, sheet: str, cell: str, field: str = R.REVIEW_COLUMNS[0]) -> str | None:
        code = self.units.get(match_key(text(value)))
        if code is None:
            if text(value):
                self.out.add("bloc.unknown_member", sheet=sheet, cell=cell, code=text(value))
            else:
                self.out.add("bloc.missing_field", sheet=sheet, cell=cell, field=field)
        return code

    def leaf(self, value, sheet: str, cell: str):
        c = self.leaves.get(match_key(text(value).rstrip(".")))
        if c is None:
            self.out.add("meeting.unknown_criterion", sheet=sheet, cell=cell, code=text(value))
        return c

    def points(self, value, c, sheet: str, cell: str, field: str) -> tuple[float | None, bool]:
        """(points or None when blank, ok)."""
        if text(value) == "":
            return None, True
        number, _ = parse_number(value)
        if number is None or number < 0:
            self.out.add("bloc.bad_value", sheet=sheet, cell=cell, value=text(value), field=field,
                         hint=T.HINTS["non_negative"])
            return None, False
        if c is not None and c.max_points and number > c.max_points + 1e-9:
            self.out.add("meeting.over_max", sheet=sheet, cell=cell, value=text(value),
                         max=vn_number(c.max_points), code=c.code)
            return None, False
        if c is not None and c.kind == "passfail" and 1e-9 < number < c.max_points - 1e-9:
            self.out.add("meeting.passfail_points", sheet=sheet, cell=cell, value=text(value),
                         max=vn_number(c.max_points), code=c.code)
            return None, False
        return number, True

    def reviews(self, rows: Rows) -> list[Review]:
        sheet, found, seen = R.SHEET_REVIEW, [], {}
        for i, row in data_rows(rows, len(R.REVIEW_COLUMNS)):
            unit, c = self.unit(row[0], sheet, cell_ref(1, i)), self.leaf(row[1], sheet, cell_ref(2, i))
            first, ok1 = self.points(row[3], c, sheet, cell_ref(4, i), R.REVIEW_COLUMNS[3])
            second, ok2 = self.points(row[6], c, sheet, cell_ref(7, i), R.REVIEW_COLUMNS[6])
            if unit is None or c is None or not (ok1 and ok2) or (first is None and second is None):
                continue
            if (unit, c.code) in seen:
                self.out.add("meeting.duplicate_row", sheet=sheet, cell=cell_ref(1, i), unit=unit,
                             other_row=seen[(unit, c.code)])
                continue
            seen[(unit, c.code)] = i
            reasons = (text(row[4]), text(row[7]))
            for score, reason, col in ((first, reasons[0], 5), (second, reasons[1], 8)):
                if score is not None and not reason:
                    self.out.add("meeting.missing_reason", sheet=sheet, cell=cell_ref(col, i), unit=unit,
                                 code=c.code)
            found.append(Review(unit, c.code, first, reasons[0], text(row[5]), second, reasons[1]))
        return found

    def cross(self, rows: Rows) -> list[CrossScore]:
        sheet, found = R.SHEET_CROSS, []
        total = match_key(R.CROSS_TOTAL)
        for i, row in data_rows(rows, len(R.CROSS_COLUMNS)):
            scorer = self.unit(row[0], sheet, cell_ref(1, i), R.CROSS_COLUMNS[0])
            scored = self.unit(row[1], sheet, cell_ref(2, i), R.CROSS_COLUMNS[1])
            is_total = match_key(text(row[2])) in (total, "")
            c = None if is_total else self.leaf(row[2], sheet, cell_ref(3, i))
            score, ok = self.points(row[3], c, sheet, cell_ref(4, i), R.CROSS_COLUMNS[3])
            if is_total and score is not None and score > self.bloc.criteria.base_max + 1e-9:
                self.out.add("meeting.over_max", sheet=sheet, cell=cell_ref(4, i), value=text(row[3]),
                             max=vn_number(self.bloc.criteria.base_max), code=R.CROSS_TOTAL)
                ok = False
            if scorer is not None and scorer == scored:
                self.out.add("meeting.self_cross", sheet=sheet, cell=cell_ref(2, i), unit=scorer)
                continue
            if scorer is None or scored is None or (c is None and not is_total) or not ok or score is None:
                continue
            found.append(CrossScore(scorer, scored, TOTAL if is_total else c.code, score))
        return found

    def votes(self, rows: Rows) -> dict[str, Vote]:
        """unit -> Vote; the number present is the meeting's one cell (or, in a workbook of the
        earlier layout, the per-row numbers when they all agree): without it no vote counts."""
        sheet, per_row = R.SHEET_VOTES, _per_row_present(rows)
        header, form = (0, 4) if per_row else (VOTE_HEADER, 3)
        typed = [(i + header, row) for i, row in data_rows(rows[header:], form + 1)]
        voted = [(i, row) for i, row in typed if text(row[2])]  # a unit listed, not voted on, is left out
        present = self.rows_present(typed, voted) if per_row else self.present(rows, bool(voted))
        found = {}
        for i, row in voted:
            unit = self.unit(row[0], sheet, cell_ref(1, i))
            votes_for = self.count(row[2], sheet, cell_ref(3, i), R.VOTE_COLUMNS[2])
            if unit is None or votes_for is None or present is None:
                continue
            if votes_for > present:
                self.out.add("meeting.votes_over_present", sheet=sheet, cell=cell_ref(3, i), unit=unit,
                             votes=votes_for, present=present)
            else:
                found[unit] = Vote(unit, votes_for, present, text(row[form]))
        return found

    def present(self, rows: Rows, needed: bool) -> int | None:
        """The number present from its one cell; blank is a problem only when votes were typed."""
        r, c = PRESENT_CELL
        value = rows[r][c] if len(rows) > r and len(rows[r]) > c else None
        cell = cell_ref(c + 1, r + 1)
        if text(value) == "":
            if needed:
                self.out.add("meeting.present_missing", sheet=R.SHEET_VOTES, cell=cell)
            return None
        return self.within_members(self.count(value, R.SHEET_VOTES, cell, R.VOTE_PRESENT_LABEL), cell)

    def rows_present(self, typed: list[tuple[int, list]], voted: list[tuple[int, list]]) -> int | None:
        """Earlier layout: the numbers present typed on the rows (column D), used only when they all
        agree; disagreeing numbers are the chair's to settle (no number is picked)."""
        sheet = R.SHEET_VOTES
        counts = {cell_ref(4, i): self.count(row[3], sheet, cell_ref(4, i), R.OLD_VOTE_PRESENT_COLUMN)
                  for i, row in typed if text(row[3])}
        if not counts:
            if voted:
                self.out.add("meeting.present_missing", sheet=sheet, cell=cell_ref(4, voted[0][0]))
            return None
        if None in counts.values():
            return None
        if len(set(counts.values())) > 1:
            self.out.add("meeting.present_disagrees", sheet=sheet, cell=next(iter(counts)),
                         cells=", ".join(counts), values=", ".join(map(str, counts.values())))
            return None
        cell, present = next(iter(counts.items()))
        return self.within_members(present, cell)

    def within_members(self, present: int | None, cell: str) -> int | None:
        """`present` unless it exceeds the bloc's members or disagrees with the members the Thông tin
        sheet lists as absent (the minutes' list): a problem pinned to `cell`, and no vote counts."""
        members, absent = len(self.bloc.members), len(self.bloc.meeting_info.absent)
        if present is not None and present > members:
            self.out.add("meeting.present_over_members", sheet=R.SHEET_VOTES, cell=cell, present=present,
                         members=members)
            return None
        if present is not None and absent and present != members - absent:
            self.out.add("meeting.present_vs_absent", sheet=R.SHEET_VOTES, cell=cell, present=present,
                         absent=absent, members=members, expected=members - absent)
            return None
        return present

    def count(self, value, sheet: str, cell: str, field: str) -> int | None:
        number, _ = parse_number(value) if text(value) else (None, False)
        if number is None or number < 0 or not number.is_integer():
            self.out.add("bloc.bad_value", sheet=sheet, cell=cell, value=text(value), field=field,
                         hint=T.HINTS["whole"])
            return None
        return int(number)

    def conditions(self, rows: Rows) -> dict[str, list[str]]:
        sheet, found = R.SHEET_CONDITIONS, {}
        for i, row in data_rows(rows, len(R.CONDITION_COLUMNS)):
            reasons = []
            for j, key in enumerate(DISQUALIFIERS, start=2):
                choice = yes_no(row[j])
                if choice is None:
                    self.out.add("bloc.bad_value", sheet=sheet, cell=cell_ref(j + 1, i), value=text(row[j]),
                                 field=R.CONDITION_COLUMNS[j], hint=T.HINTS["choice"].format(choices=T.CHOICE_JOIN.join((T.YES, T.NO))))
                elif choice:
                    reasons.append(key)
            if not reasons:
                continue
            unit = self.unit(row[0], sheet, cell_ref(1, i))
            note = text(row[len(DISQUALIFIERS) + 2])
            if unit is not None:
                found[unit] = reasons + ([note] if note else [])
        return found


def _per_row_present(rows: Rows) -> bool:
    """Whether Biểu quyết is of the earlier layout: the number present in column D of every row."""
    head = (list(rows[0]) + [None] * 4)[:4] if rows else [None] * 4
    return match_key(text(head[3])) == match_key(R.OLD_VOTE_PRESENT_COLUMN)
