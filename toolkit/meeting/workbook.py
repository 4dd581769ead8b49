"""The meeting's sheets of the chair's workbook (review rounds, cross scores, votes, disqualifiers)
and the extra fields of the rules sheet: write them (XlsxWriter) and read them back (openpyxl).

Reading never stops at a bad row: the row is left out and a catalogued Problem pinned to its cell
says why, so the rest of the meeting's decisions still count.
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

import openpyxl

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Rules
from toolkit.bloc.workbook import _cell, _Collector, _find_sheet, _number, _text
from toolkit.meeting.model import DISQUALIFIERS, TOTAL, CrossScore, Meeting, Review, Vote
from toolkit.problems import problem
from toolkit.vntext import match_key, parse_number, vn_number

R = T.rules


# --- the rules sheet: extra fields -----------------------------------------------------------------

def rule_values(rules: Rules) -> dict[str, object]:
    """Values written on the rules sheet for the keys of `texts.rules.RULE_FIELDS`."""
    return {
        "group_weights": "; ".join(f"{code}={vn_number(w)}" for code, w in rules.group_weights),
        "cross_scoring": T.YES if rules.cross_scoring else T.NO,
        "cross_flag_threshold": rules.cross_flag_threshold,
        "quorum": _fraction_text(rules.quorum),
        "approval": round(rules.approval * 100, 4),
        "flag_quota": rules.flag_quota,
        "certificate_quota": rules.certificate_quota,
    }


def _fraction_text(share: float) -> str:
    fraction = Fraction(share).limit_denominator(100)
    return f"{fraction.numerator}/{fraction.denominator}" if abs(float(fraction) - share) < 1e-9 \
        else vn_number(round(share * 100, 4)) + "%"


def read_rule_values(kv: dict[str, tuple[object, int]], top_codes: set[str], out: _Collector) -> dict:
    """Keyword arguments of `Rules` from the rules sheet's extra fields (blank = default)."""
    sheet, defaults, found = T.SHEET_RULES, Rules(), {}

    def get(key: str):
        value, row = kv.get(match_key(R.RULE_FIELDS[key]), (None, 0))
        return value, _cell(2, row) if row else "", R.RULE_FIELDS[key]

    def bad(got, hint: str) -> None:
        value, cell, label = got
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=_text(value), field=label, hint=hint)

    got = get("group_weights")
    if _text(got[0]):
        found["group_weights"] = _group_weights(got, top_codes, bad)
    got = get("cross_scoring")
    if _text(got[0]):
        choice = _yes_no(got[0])
        if choice is None:
            bad(got, T.HINTS["choice"].format(choices=T.CHOICE_JOIN.join((T.YES, T.NO))))
        found["cross_scoring"] = bool(choice)
    got = get("cross_flag_threshold")
    if _text(got[0]):
        found["cross_flag_threshold"] = _number(got[0], sheet, got[1], got[2], out)
    got = get("quorum")
    if _text(got[0]):
        share = _share(got[0])
        if share is None:
            bad(got, T.HINTS["fraction"])
        found["quorum"] = defaults.quorum if share is None else share
    got = get("approval")
    if _text(got[0]):
        share = _share(got[0], percent=True)
        if share is None:
            bad(got, T.HINTS["percent"])
        found["approval"] = defaults.approval if share is None else share
    for key in ("flag_quota", "certificate_quota"):
        got = get(key)
        if _text(got[0]):
            number, _ = parse_number(got[0])
            if number is None or number < 0 or not number.is_integer():
                bad(got, T.HINTS["whole"])
            else:
                found[key] = int(number)
    return found


def _group_weights(got, top_codes: set[str], bad) -> tuple[tuple[str, float], ...]:
    weights = []
    for part in (p.strip() for p in _text(got[0]).split(";") if p.strip()):
        code, sep, value = part.partition("=")
        number, _ = parse_number(value.strip()) if sep else (None, False)
        code = code.strip().upper().rstrip(".")
        if code not in top_codes or number is None or number < 0:
            bad(got, T.HINTS["group_weights"])
            continue
        weights.append((code, number))
    return tuple(weights)


def _share(value, percent: bool = False) -> float | None:
    """'2/3' -> 0.667; '70%' or 70 -> 0.7; 0.7 -> 0.7 (unless `percent`: always percent)."""
    text = _text(value).replace(" ", "")
    match = re.fullmatch(r"(\d+)/(\d+)", text)
    if match:
        numerator, denominator = map(int, match.groups())
        return numerator / denominator if 0 < denominator and numerator <= denominator else None
    number, _ = parse_number(text.rstrip("%"))
    if number is None or number < 0:
        return None
    share = number / 100 if percent or text.endswith("%") or number > 1 else number
    return share if share <= 1 else None


def _yes_no(value) -> bool | None:
    key = match_key(_text(value))
    return {match_key(T.YES): True, match_key(T.NO): False, "": False}.get(key)


# --- writing the meeting sheets ---------------------------------------------------------------------

def add_meeting_sheets(wb, fmt: dict, bloc: Bloc | None) -> None:
    """Add the sheets Thẩm định, Chấm chéo, Biểu quyết and Điều kiện to an XlsxWriter workbook."""
    members = bloc.members if bloc else ()
    _write_review(wb.add_worksheet(R.SHEET_REVIEW), fmt)
    _write_cross(wb.add_worksheet(R.SHEET_CROSS), fmt)
    _write_votes(wb.add_worksheet(R.SHEET_VOTES), fmt, members)
    _write_conditions(wb.add_worksheet(R.SHEET_CONDITIONS), fmt, members)


def _header(ws, fmt, columns, widths) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.write_row(0, 0, columns, fmt["head"])
    ws.set_row(0, 36)
    ws.freeze_panes(1, 0)


def _non_negative(ws, first_col: int, last_col: int, integer: bool = False) -> None:
    ws.data_validation(1, first_col, 1000, last_col, {
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
    _header(ws, fmt, R.VOTE_COLUMNS, (12, 50, 14, 16, 16))
    for row, m in enumerate(members, start=1):
        ws.write_string(row, 0, m.code, fmt["text"])
        ws.write_string(row, 1, m.name, fmt["text"])
    _non_negative(ws, 2, 3, integer=True)
    ws.data_validation(1, 4, 1000, 4, {"validate": "list", "source": list(R.VOTE_FORMS),
                                       "error_type": "information"})


def _write_conditions(ws, fmt, members) -> None:
    _header(ws, fmt, R.CONDITION_COLUMNS, (12, 50, 18, 18, 16, 16, 16, 40))
    for row, m in enumerate(members, start=1):
        ws.write_string(row, 0, m.code, fmt["text"])
        ws.write_string(row, 1, m.name, fmt["text"])
    ws.data_validation(1, 2, 1000, 1 + len(DISQUALIFIERS), {"validate": "list", "source": [T.YES, T.NO]})


# --- reading the meeting sheets -------------------------------------------------------------------

def load_meeting(path: Path, bloc: Bloc) -> Meeting:
    """Read the meeting's sheets of the chair's workbook; sheets that are absent count as empty."""
    out = _Collector(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable file is a user error, reported not raised
        return Meeting(problems=[problem("bloc.unreadable", file=Path(path).name, reason=type(exc).__name__)])
    try:
        rows = {}
        for name in (R.SHEET_REVIEW, R.SHEET_CROSS, R.SHEET_VOTES, R.SHEET_CONDITIONS):
            ws = _find_sheet(wb, name)
            rows[name] = [list(r) for r in ws.iter_rows(values_only=True)] if ws is not None else []
    finally:
        wb.close()
    reader = _MeetingReader(bloc, out)
    meeting = Meeting(
        reviews=reader.reviews(rows[R.SHEET_REVIEW]),
        cross=reader.cross(rows[R.SHEET_CROSS]) if bloc.rules.cross_scoring else [],
        votes=reader.votes(rows[R.SHEET_VOTES]),
        disqualified=reader.conditions(rows[R.SHEET_CONDITIONS]),
    )
    meeting.problems = out.problems
    return meeting


class _MeetingReader:
    """Row readers sharing the bloc's codes and the problem collector."""

    def __init__(self, bloc: Bloc, out: _Collector):
        self.bloc, self.out = bloc, out
        self.units = {match_key(m.code): m.code for m in bloc.members}
        self.leaves = {match_key(c.code): c for c in bloc.criteria.leaves()}

    @staticmethod
    def _data_rows(rows: list[list], width: int):
        for i, row in enumerate(rows[1:], start=2):
            row = (row + [None] * width)[:width]
            if any(_text(v) for v in row):
                yield i, row

    def unit(self, value, sheet: str, cell: str, field: str = R.REVIEW_COLUMNS[0]) -> str | None:
        code = self.units.get(match_key(_text(value)))
        if code is None:
            if _text(value):
                self.out.add("bloc.unknown_member", sheet=sheet, cell=cell, code=_text(value))
            else:
                self.out.add("bloc.missing_field", sheet=sheet, cell=cell, field=field)
        return code

    def leaf(self, value, sheet: str, cell: str):
        c = self.leaves.get(match_key(_text(value).rstrip(".")))
        if c is None:
            self.out.add("meeting.unknown_criterion", sheet=sheet, cell=cell, code=_text(value))
        return c

    def points(self, value, c, sheet: str, cell: str, field: str) -> tuple[float | None, bool]:
        """(points or None when blank, ok)."""
        if _text(value) == "":
            return None, True
        number, _ = parse_number(value)
        if number is None or number < 0:
            self.out.add("bloc.bad_value", sheet=sheet, cell=cell, value=_text(value), field=field,
                         hint=T.HINTS["non_negative"])
            return None, False
        if c is not None and c.max_points and number > c.max_points + 1e-9:
            self.out.add("meeting.over_max", sheet=sheet, cell=cell, value=_text(value),
                         max=vn_number(c.max_points), code=c.code)
            return None, False
        if c is not None and c.kind == "passfail" and 1e-9 < number < c.max_points - 1e-9:
            self.out.add("meeting.passfail_points", sheet=sheet, cell=cell, value=_text(value),
                         max=vn_number(c.max_points), code=c.code)
            return None, False
        return number, True

    def reviews(self, rows: list[list]) -> list[Review]:
        sheet, found, seen = R.SHEET_REVIEW, [], {}
        for i, row in self._data_rows(rows, len(R.REVIEW_COLUMNS)):
            unit, c = self.unit(row[0], sheet, _cell(1, i)), self.leaf(row[1], sheet, _cell(2, i))
            first, ok1 = self.points(row[3], c, sheet, _cell(4, i), R.REVIEW_COLUMNS[3])
            second, ok2 = self.points(row[6], c, sheet, _cell(7, i), R.REVIEW_COLUMNS[6])
            if unit is None or c is None or not (ok1 and ok2) or (first is None and second is None):
                continue
            if (unit, c.code) in seen:
                self.out.add("meeting.duplicate_row", sheet=sheet, cell=_cell(1, i), unit=unit,
                             other_row=seen[(unit, c.code)])
                continue
            seen[(unit, c.code)] = i
            reasons = (_text(row[4]), _text(row[7]))
            for score, reason, col in ((first, reasons[0], 5), (second, reasons[1], 8)):
                if score is not None and not reason:
                    self.out.add("meeting.missing_reason", sheet=sheet, cell=_cell(col, i), unit=unit,
                                 code=c.code)
            found.append(Review(unit, c.code, first, reasons[0], _text(row[5]), second, reasons[1]))
        return found

    def cross(self, rows: list[list]) -> list[CrossScore]:
        sheet, found = R.SHEET_CROSS, []
        total = match_key(R.CROSS_TOTAL)
        for i, row in self._data_rows(rows, len(R.CROSS_COLUMNS)):
            scorer = self.unit(row[0], sheet, _cell(1, i), R.CROSS_COLUMNS[0])
            scored = self.unit(row[1], sheet, _cell(2, i), R.CROSS_COLUMNS[1])
            is_total = match_key(_text(row[2])) in (total, "")
            c = None if is_total else self.leaf(row[2], sheet, _cell(3, i))
            score, ok = self.points(row[3], c, sheet, _cell(4, i), R.CROSS_COLUMNS[3])
            if is_total and score is not None and score > self.bloc.criteria.base_max + 1e-9:
                self.out.add("meeting.over_max", sheet=sheet, cell=_cell(4, i), value=_text(row[3]),
                             max=vn_number(self.bloc.criteria.base_max), code=R.CROSS_TOTAL)
                ok = False
            if scorer is not None and scorer == scored:
                self.out.add("meeting.self_cross", sheet=sheet, cell=_cell(2, i), unit=scorer)
                continue
            if scorer is None or scored is None or (c is None and not is_total) or not ok or score is None:
                continue
            found.append(CrossScore(scorer, scored, TOTAL if is_total else c.code, score))
        return found

    def votes(self, rows: list[list]) -> dict[str, Vote]:
        sheet, found, members = R.SHEET_VOTES, {}, len(self.bloc.members)
        for i, row in self._data_rows(rows, len(R.VOTE_COLUMNS)):
            if _text(row[2]) == "" and _text(row[3]) == "":
                continue  # unit listed, not voted on
            unit = self.unit(row[0], sheet, _cell(1, i))
            counts = [self.count(row[col], sheet, _cell(col + 1, i), R.VOTE_COLUMNS[col]) for col in (2, 3)]
            if unit is None or None in counts:
                continue
            votes_for, present = counts
            if present > members:
                self.out.add("meeting.present_over_members", sheet=sheet, cell=_cell(4, i), unit=unit,
                             present=present, members=members)
            elif votes_for > present:
                self.out.add("meeting.votes_over_present", sheet=sheet, cell=_cell(3, i), unit=unit,
                             votes=votes_for, present=present)
            else:
                found[unit] = Vote(unit, votes_for, present, _text(row[4]))
        return found

    def count(self, value, sheet: str, cell: str, field: str) -> int | None:
        number, _ = parse_number(value) if _text(value) else (None, False)
        if number is None or number < 0 or not number.is_integer():
            self.out.add("bloc.bad_value", sheet=sheet, cell=cell, value=_text(value), field=field,
                         hint=T.HINTS["whole"])
            return None
        return int(number)

    def conditions(self, rows: list[list]) -> dict[str, list[str]]:
        sheet, found = R.SHEET_CONDITIONS, {}
        for i, row in self._data_rows(rows, len(R.CONDITION_COLUMNS)):
            reasons = []
            for j, key in enumerate(DISQUALIFIERS, start=2):
                choice = _yes_no(row[j])
                if choice is None:
                    self.out.add("bloc.bad_value", sheet=sheet, cell=_cell(j + 1, i), value=_text(row[j]),
                                 field=R.CONDITION_COLUMNS[j], hint=T.HINTS["choice"].format(choices=T.CHOICE_JOIN.join((T.YES, T.NO))))
                elif choice:
                    reasons.append(key)
            if not reasons:
                continue
            unit = self.unit(row[0], sheet, _cell(1, i))
            note = _text(row[len(DISQUALIFIERS) + 2])
            if unit is not None:
                found[unit] = reasons + ([note] if note else [])
        return found
