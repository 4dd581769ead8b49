"""The chair's bloc workbook: write it (XlsxWriter) and load it back into a validated Bloc.

Loading never trusts the file: every error is a catalogued Problem pinned to sheet and cell.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter

from toolkit import texts as T
from toolkit.bloc.model import (Bloc, CriteriaTree, Criterion, GradeBand, Member, Rules, TieBreak,
                                email_list, looks_like_email)
from toolkit.fileio import atomic_path
from toolkit.problems import Problem, ProblemError, problem
from toolkit.vntext import clean, match_key, parse_number, vn_number

GRADE_TABLE_ROW = 10  # 1-based row of the grade table title on the rules sheet (at least; found by its title)


# --- writing --------------------------------------------------------------------------------------

def write_bloc_workbook(path: Path, bloc: Bloc | None) -> None:
    """Write a chair's workbook for `bloc` (or an empty template when None), atomically."""
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        add_bloc_sheets(wb, bloc)
        wb.close()


def add_bloc_sheets(wb: xlsxwriter.Workbook, bloc: Bloc | None) -> None:
    """Add the four definition sheets and the meeting's sheets to an open XlsxWriter workbook
    (also used for the .xlsm)."""
    from toolkit.meeting.workbook import add_meeting_sheets

    fmt = _formats(wb)
    _write_info(wb.add_worksheet(T.SHEET_INFO), fmt, bloc)
    _write_members(wb.add_worksheet(T.SHEET_MEMBERS), fmt, bloc)
    _write_criteria(wb.add_worksheet(T.SHEET_CRITERIA), fmt, bloc)
    _write_rules(wb.add_worksheet(T.SHEET_RULES), fmt, bloc.rules if bloc else Rules(), bloc)
    add_meeting_sheets(wb, fmt, bloc)


def _formats(wb):
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    return {
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "text": wb.add_format({**base, "border": 1, "text_wrap": True}),
        "num": wb.add_format({**base, "border": 1, "num_format": "0.##"}),
        "date": wb.add_format({**base, "border": 1, "num_format": "dd/mm/yyyy", "align": "left"}),
        "title": wb.add_format({**base, "bold": True, "font_size": 13}),
    }


def _write_info(ws, fmt, bloc: Bloc | None) -> None:
    ws.set_column(0, 0, 46)
    ws.set_column(1, 1, 80)
    ws.write_row(0, 0, T.INFO_HEADER, fmt["head"])
    values = _info_values(bloc)
    for row, (key, label) in enumerate(T.INFO_FIELDS.items(), start=1):
        ws.write_string(row, 0, label, fmt["text"])
        value = values.get(key, "")
        if isinstance(value, date):
            ws.write_datetime(row, 1, datetime(value.year, value.month, value.day), fmt["date"])
        elif isinstance(value, int):
            ws.write_number(row, 1, value, fmt["num"])
        else:
            ws.write_string(row, 1, value, fmt["text"])
    kind_row = list(T.INFO_FIELDS).index("kind") + 1
    period_row = list(T.INFO_FIELDS).index("period") + 1
    ws.data_validation(kind_row, 1, kind_row, 1, {"validate": "list", "source": list(T.BLOC_KINDS.values())})
    ws.data_validation(period_row, 1, period_row, 1, {"validate": "list", "source": list(T.PERIODS.values())})
    _validate_smtp_cells(ws)


def _validate_smtp_cells(ws) -> None:
    """Drop-down for the SMTP security, whole number for the port (the loader checks both again)."""
    rows = {key: row for row, key in enumerate(T.INFO_FIELDS, start=1)}
    ws.data_validation(rows["smtp_security"], 1, rows["smtp_security"], 1,
                       {"validate": "list", "source": list(T.SMTP_SECURITY_LABELS.values())})
    ws.data_validation(rows["smtp_port"], 1, rows["smtp_port"], 1,
                       {"validate": "integer", "criteria": "between", "minimum": 1, "maximum": 65535,
                        "error_message": T.HINT_PORT})


def _info_values(bloc: Bloc | None) -> dict:
    if bloc is None:
        return {"kind": T.BLOC_KINDS["khoi"], "period": T.PERIODS["tong-ket"],
                "smtp_security": T.SMTP_SECURITY_LABELS["starttls"]}
    return {
        "name": bloc.name, "kind": T.BLOC_KINDS[bloc.kind], "key": bloc.key, "year": bloc.year,
        "period": T.PERIODS[bloc.period], "chair": bloc.chair, "vice_chair": bloc.vice_chair,
        "place": bloc.place, "deadline": bloc.deadline or "", "board_name": bloc.board_name,
        "board_email": bloc.board_email, "legal_basis": " ".join(bloc.legal_basis),
        "smtp_host": bloc.smtp_host, "smtp_port": bloc.smtp_port or "",
        "smtp_security": T.SMTP_SECURITY_LABELS[bloc.smtp_security], "smtp_user": bloc.smtp_user,
        "sender_email": bloc.sender_email, "sender_name": bloc.sender_name,
    }


def _write_members(ws, fmt, bloc: Bloc | None) -> None:
    for col, width in enumerate((8, 12, 55, 24, 34)):
        ws.set_column(col, col, width)
    ws.write_row(0, 0, T.MEMBER_COLUMNS, fmt["head"])
    ws.freeze_panes(1, 0)
    for row, m in enumerate(bloc.members if bloc else (), start=1):
        ws.write_number(row, 0, m.order, fmt["num"])
        for col, value in enumerate((m.code, m.name, m.short_name, m.email), start=1):
            ws.write_string(row, col, value, fmt["text"])


def _write_criteria(ws, fmt, bloc: Bloc | None) -> None:
    from toolkit.bloc.builtin import default_criteria

    tree = bloc.criteria if bloc else default_criteria()
    for col, width in enumerate((8, 70, 11, 16, 10, 12, 10, 11, 12)):
        ws.set_column(col, col, width)
    ws.write_row(0, 0, T.CRITERIA_COLUMNS, fmt["head"])
    ws.freeze_panes(1, 0)
    for row, c in enumerate(tree, start=1):
        ws.write_string(row, 0, c.code, fmt["text"])
        ws.write_string(row, 1, c.text, fmt["text"])
        for col, value in ((2, c.max_points), (4, c.step), (5, c.points), (6, c.target)):
            ws.write(row, col, value if value else "", fmt["num"])
        ws.write_string(row, 3, T.KIND_LABELS[c.kind], fmt["text"])
        ws.write_string(row, 7, c.unit, fmt["text"])
        ws.write_string(row, 8, T.YES if c.evidence_required else "", fmt["text"])
    last = max(len(tree) + 200, 300)
    ws.data_validation(1, 3, last, 3, {"validate": "list", "source": list(T.KIND_LABELS.values())})
    ws.data_validation(1, 8, last, 8, {"validate": "list", "source": [T.YES, T.NO]})


def _write_rules(ws, fmt, rules: Rules, bloc: Bloc | None) -> None:
    from toolkit.meeting.workbook import rule_values

    ws.set_column(0, 0, 40)
    ws.set_column(1, 2, 60)
    ws.write_row(0, 0, T.INFO_HEADER, fmt["head"])
    values = {
        "bonus_cap": rules.bonus_cap, "tie_break": tie_break_text(rules.tie_break),
        "weight_self": rules.weight_self, "weight_review": rules.weight_review,
        "weight_cross": rules.weight_cross, **rule_values(rules),
    }
    fields = {**T.RULE_FIELDS, **T.rules.RULE_FIELDS}
    for row, (key, label) in enumerate(fields.items(), start=1):
        ws.write_string(row, 0, label, fmt["text"])
        ws.write(row, 1, values[key], fmt["text"] if isinstance(values[key], str) else fmt["num"])
    cross_row = list(fields).index("cross_scoring") + 1
    ws.data_validation(cross_row, 1, cross_row, 1, {"validate": "list", "source": [T.YES, T.NO]})
    title = max(GRADE_TABLE_ROW, len(fields) + 3)
    ws.write_string(title - 1, 0, T.GRADE_TABLE_TITLE, fmt["title"])
    ws.write_row(title, 0, T.GRADE_COLUMNS, fmt["head"])
    for i, band in enumerate(rules.grade_bands, start=title + 1):
        ws.write_string(i, 0, band.name, fmt["text"])
        ws.write_number(i, 1, band.min_total, fmt["num"])
        ws.write_number(i, 2, round(band.min_group_share * 100, 4), fmt["num"])


def tie_break_text(chain: TieBreak) -> str:
    """The chain in the chair's words: 'Điểm nhóm I cao hơn; Ít điểm trừ hơn'."""
    return chain.text


# --- loading --------------------------------------------------------------------------------------

class _Collector:
    """Collects problems pinned to the bloc workbook's file name."""

    def __init__(self, path: Path):
        self.file = Path(path).name
        self.problems: list[Problem] = []

    def add(self, code: str, /, sheet: str = "", cell: str = "", **params) -> None:
        self.problems.append(problem(code, file=self.file, sheet=sheet, cell=cell, **params))


def load_bloc(path: Path) -> Bloc:
    """Read and validate a chair's workbook; raise ProblemError listing every problem found."""
    out = _Collector(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # any unreadable file is a user error, reported not raised
        raise ProblemError([problem("bloc.unreadable", file=Path(path).name, reason=type(exc).__name__)])
    try:
        sheets = {}
        for name in (T.SHEET_INFO, T.SHEET_MEMBERS, T.SHEET_CRITERIA, T.SHEET_RULES):
            sheets[name] = _find_sheet(wb, name)
            if sheets[name] is None:
                out.add("bloc.missing_sheet", sheet=name)
        if out.problems:
            raise ProblemError(out.problems)
        rows = {name: [list(r) for r in ws.iter_rows(values_only=True)] for name, ws in sheets.items()}
    finally:
        wb.close()
    members = _read_members(rows[T.SHEET_MEMBERS], out)
    tree = _read_criteria(rows[T.SHEET_CRITERIA], out)
    rules = _read_rules(rows[T.SHEET_RULES], tree, out)
    info = _read_info(rows[T.SHEET_INFO], members, out)
    if out.problems:
        raise ProblemError(out.problems)
    return Bloc(members=members, criteria=tree, rules=rules, **info)


def _find_sheet(wb, name: str):
    key = match_key(name)
    return next((wb[s] for s in wb.sheetnames if match_key(s) == key), None)


def _cell(col: int, row: int) -> str:
    return f"{get_column_letter(col)}{row}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def _key_values(rows: list[list]) -> dict[str, tuple[object, int]]:
    """Label (match key) -> (value, 1-based row) for a two-column key/value sheet."""
    found = {}
    for i, row in enumerate(rows, start=1):
        if row and row[0] is not None:
            found.setdefault(match_key(str(row[0])), (row[1] if len(row) > 1 else None, i))
    return found


def _read_info(rows, members: tuple[Member, ...], out: _Collector) -> dict:
    kv = _key_values(rows)
    sheet = T.SHEET_INFO

    def get(key: str, required: bool = True):
        label = T.INFO_FIELDS[key]
        value, row = kv.get(match_key(label), (None, 0))
        if required and _text(value) == "":
            out.add("bloc.missing_field", sheet=sheet, cell=_cell(2, row) if row else "", field=label)
        return value, _cell(2, row) if row else "", label

    info: dict = {}
    name, _, _ = get("name")
    info["name"] = _text(name)
    info["key"] = _text(get("key", required=False)[0])
    info["kind"] = _choice(get("kind"), T.BLOC_KINDS, out, sheet) or "khoi"
    info["period"] = _choice(get("period"), T.PERIODS, out, sheet) or "tong-ket"
    year, cell, label = get("year")
    number, _ = parse_number(year) if year is not None else (None, False)
    if year is not None and (number is None or not number.is_integer() or not 2000 <= number <= 2100):
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=_text(year), field=label,
                hint=T.HINTS["year"])
    info["year"] = int(number) if number and number.is_integer() else 0
    codes = {m.code for m in members}
    for key in ("chair", "vice_chair"):
        value, cell, _ = get(key, required=key == "chair")
        info[key] = _text(value)
        if info[key] and members and info[key] not in codes:
            out.add("bloc.unknown_member", sheet=sheet, cell=cell, code=info[key])
    info["place"] = _text(get("place")[0])
    info["deadline"] = _date(get("deadline", required=False), out, sheet)
    info["board_name"] = _text(get("board_name", required=False)[0])
    info["board_email"] = _emails(get("board_email", required=False), out, sheet)
    basis = _text(get("legal_basis", required=False)[0])
    info["legal_basis"] = tuple(p.strip() + ";" for p in basis.split(";") if p.strip())
    info.update(_read_smtp(get, out, sheet))
    return info


def _read_smtp(get, out: _Collector, sheet: str) -> dict:
    """The sending settings of the info sheet (all optional; a workbook without them is valid)."""
    smtp = {"smtp_host": _text(get("smtp_host", required=False)[0]),
            "smtp_user": _text(get("smtp_user", required=False)[0]),
            "sender_name": _text(get("sender_name", required=False)[0])}
    smtp["smtp_security"] = _choice(get("smtp_security", required=False), T.SMTP_SECURITY_LABELS,
                                    out, sheet) or "starttls"
    value, cell, label = get("smtp_port", required=False)
    number, _ = parse_number(value) if _text(value) else (0.0, False)
    if number is None or not number.is_integer() or not 0 <= number <= 65535:
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=_text(value), field=label, hint=T.HINT_PORT)
        number = 0.0
    smtp["smtp_port"] = int(number)
    smtp["sender_email"] = _emails(get("sender_email", required=False), out, sheet, single=True)
    return smtp


def _emails(got, out: _Collector, sheet: str, single: bool = False) -> str:
    """The cell's text when every address in it looks like an email; else a pinned problem."""
    value, cell, label = got
    text = _text(value)
    addresses = email_list(text)
    if text and (not addresses or not all(map(looks_like_email, addresses))
                 or (single and len(addresses) > 1)):
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=text, field=label, hint=T.HINT_EMAIL)
    return text


def _choice(got, labels: dict[str, str], out: _Collector, sheet: str) -> str | None:
    value, cell, label = got
    if _text(value) == "":
        return None
    wanted = {match_key(v): k for k, v in labels.items()}
    wanted.update({match_key(k): k for k in labels})
    key = wanted.get(match_key(_text(value)))
    if key is None:
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=_text(value), field=label,
                hint=T.HINTS["choice"].format(choices=T.CHOICE_JOIN.join(labels.values())))
    return key


def _date(got, out: _Collector, sheet: str) -> date | None:
    value, cell, label = got
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if match:
            day, month, year = map(int, match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    out.add("bloc.bad_value", sheet=sheet, cell=cell, value=text, field=label,
            hint=T.HINTS["date"])
    return None


def _read_members(rows, out: _Collector) -> tuple[Member, ...]:
    sheet = T.SHEET_MEMBERS
    members, seen = [], {}
    for i, row in enumerate(rows[1:], start=2):
        row = (row + [None] * 5)[:5]
        if all(_text(v) == "" for v in row):
            continue
        order, code, name, short, email = row
        code_text, name_text = _text(code), _text(name)
        if not code_text:
            out.add("bloc.missing_field", sheet=sheet, cell=_cell(2, i), field=T.MEMBER_COLUMNS[1])
            continue
        if not name_text:
            out.add("bloc.missing_field", sheet=sheet, cell=_cell(3, i), field=T.MEMBER_COLUMNS[2])
        if match_key(code_text) in seen:
            out.add("bloc.duplicate_code", sheet=sheet, cell=_cell(2, i), code=code_text,
                    other_row=seen[match_key(code_text)])
            continue
        seen[match_key(code_text)] = i
        number, _ = parse_number(order) if order is not None else (None, False)
        if number is None or not number.is_integer():
            out.add("bloc.bad_value", sheet=sheet, cell=_cell(1, i), value=_text(order),
                    field=T.MEMBER_COLUMNS[0], hint=T.HINTS["order"])
            number = float(len(members) + 1)
        email_text = _emails((email, _cell(5, i), T.MEMBER_COLUMNS[4]), out, sheet)
        members.append(Member(int(number), code_text, name_text, _text(short), email_text))
    if not members and not out.problems:
        out.add("bloc.no_members", sheet=sheet)
    return tuple(sorted(members, key=lambda m: m.order))


def _read_criteria(rows, out: _Collector) -> CriteriaTree:
    sheet = T.SHEET_CRITERIA
    kinds = {match_key(label): key for key, label in T.KIND_LABELS.items()}
    items, seen = [], {}
    for i, row in enumerate(rows[1:], start=2):
        row = (row + [None] * 9)[:9]
        if all(_text(v) == "" for v in row):
            continue
        code = _text(row[0]).rstrip(".")
        if not code:
            out.add("bloc.missing_field", sheet=sheet, cell=_cell(1, i), field=T.CRITERIA_COLUMNS[0])
            continue
        if code in seen:
            out.add("bloc.duplicate_code", sheet=sheet, cell=_cell(1, i), code=code, other_row=seen[code])
            continue
        seen[code] = i
        kind = kinds.get(match_key(_text(row[3])) or match_key(T.KIND_LABELS["group"]))
        if kind is None:
            out.add("bloc.unknown_kind", sheet=sheet, cell=_cell(4, i), value=_text(row[3]),
                    allowed=", ".join(T.KIND_LABELS.values()))
            continue
        nums = [_number(row[col], sheet, _cell(col + 1, i), T.CRITERIA_COLUMNS[col], out)
                for col in (2, 4, 5, 6)]
        items.append((i, Criterion(code, _text(row[1]), nums[0], kind, nums[1], nums[2], nums[3],
                                   _text(row[7]), match_key(_text(row[8])) == match_key(T.YES))))
    if not items and not out.problems:
        out.add("bloc.no_criteria", sheet=sheet)
    tree = CriteriaTree(tuple(c for _, c in items))
    _check_tree(items, tree, out)
    return tree


def _number(value, sheet: str, cell: str, field: str, out: _Collector) -> float:
    if _text(value) == "":
        return 0.0
    number, _ = parse_number(value)
    if number is None or number < 0:
        out.add("bloc.bad_value", sheet=sheet, cell=cell, value=_text(value), field=field,
                hint=T.HINTS["non_negative"])
        return 0.0
    return number


def _check_tree(items: list[tuple[int, Criterion]], tree: CriteriaTree, out: _Collector) -> None:
    sheet = T.SHEET_CRITERIA
    rows = {c.code: i for i, c in items}
    known: set[str] = set()
    for i, c in items:
        parent = c.parent_code
        if parent is not None and parent not in known:
            out.add("bloc.orphan", sheet=sheet, cell=_cell(1, i), code=c.code, parent=parent)
        known.add(c.code)
        children = tree.children(c.code)
        if children and not c.is_group:
            out.add("bloc.leaf_with_children", sheet=sheet, cell=_cell(4, i), code=c.code)
        if c.is_group and not children:
            out.add("bloc.empty_group", sheet=sheet, cell=_cell(1, i), code=c.code)
    for group in (c for _, c in items if c.is_group):
        leaves = tree.leaves_under(group.code)
        special = [c for c in leaves if c.kind in ("bonus", "penalty")]
        if special and (len(special) != len(leaves) or len({c.kind for c in special}) > 1):
            out.add("bloc.mixed_section", sheet=sheet, cell=_cell(1, rows[group.code]), code=group.code)
        elif not special:
            total = sum(c.max_points for c in tree.children(group.code))
            if abs(total - group.max_points) > 1e-9:
                out.add("bloc.sum_mismatch", sheet=sheet, cell=_cell(3, rows[group.code]),
                        code=group.code, children=vn_number(total), max=vn_number(group.max_points))


def _read_rules(rows, tree: CriteriaTree, out: _Collector) -> Rules:
    from toolkit.meeting.workbook import read_rule_values

    sheet = T.SHEET_RULES
    title = next((i for i, row in enumerate(rows, start=1)
                  if row and match_key(_text(row[0])) == match_key(T.GRADE_TABLE_TITLE)), GRADE_TABLE_ROW)
    kv = _key_values(rows[:title - 1])
    defaults = Rules()

    def num(key: str, default: float) -> float:
        value, row = kv.get(match_key(T.RULE_FIELDS[key]), (None, 0))
        if _text(value) == "":
            return default
        return _number(value, sheet, _cell(2, row), T.RULE_FIELDS[key], out)

    chain_value, chain_row = kv.get(match_key(T.RULE_FIELDS["tie_break"]), (None, 0))
    chain = _parse_tie_break(_text(chain_value), tree, sheet, _cell(2, chain_row), out)
    return Rules(
        bonus_cap=num("bonus_cap", defaults.bonus_cap),
        grade_bands=_read_grades(rows, title, out) or defaults.grade_bands,
        tie_break=chain,
        weight_self=num("weight_self", defaults.weight_self),
        weight_review=num("weight_review", defaults.weight_review),
        weight_cross=num("weight_cross", defaults.weight_cross),
        **read_rule_values(kv, {g.code for g in tree.top_groups()}, out),
    )


def _parse_tie_break(text: str, tree: CriteriaTree, sheet: str, cell: str, out: _Collector) -> TieBreak:
    chain, bad = TieBreak.parse(text, {g.code for g in tree.top_groups()})
    for part in bad:
        out.add("bloc.bad_tie_break", sheet=sheet, cell=cell, value=part, allowed=TieBreak.choices())
    return chain


def _read_grades(rows, title: int, out: _Collector) -> tuple[GradeBand, ...]:
    sheet = T.SHEET_RULES
    bands = []
    for i, row in enumerate(rows[title + 1:], start=title + 2):
        row = (row + [None] * 3)[:3]
        if _text(row[0]) == "":
            continue
        total = _number(row[1], sheet, _cell(2, i), T.GRADE_COLUMNS[1], out)
        share = _number(row[2], sheet, _cell(3, i), T.GRADE_COLUMNS[2], out)
        bands.append(GradeBand(_text(row[0]), total, share / 100))
    return tuple(sorted(bands, key=lambda b: -b.min_total))
