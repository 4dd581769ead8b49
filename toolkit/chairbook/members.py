"""The Thành viên sheet: the member units (order, code, name, short name, e-mail)."""

from __future__ import annotations

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Member
from toolkit.docstyle import page_setup, set_widths
from toolkit.chairbook.cells import Collector, Rows, cell_ref, data_rows, text
from toolkit.chairbook.info import emails
from toolkit.vntext import match_key, parse_number

SHEET = T.SHEET_MEMBERS


def write_members(ws, fmt: dict, bloc: Bloc | None) -> None:
    """Fill the Thành viên sheet, one member per row in the bloc's order."""
    set_widths(ws, (8, 12, 55, 24, 34))
    page_setup(ws, repeat_rows=(0, 0), freeze=(1, 0))
    ws.write_row(0, 0, T.MEMBER_COLUMNS, fmt["head"])
    for row, m in enumerate(bloc.members if bloc else (), start=1):
        ws.write_number(row, 0, m.order, fmt["num"])
        for col, value in enumerate((m.code, m.name, m.short_name, m.email), start=1):
            ws.write_string(row, col, value, fmt["text"])


def read_members(rows: Rows, out: Collector) -> tuple[Member, ...]:
    """The members in founding order; bad rows are left out with a pinned problem."""
    members, seen = [], {}
    for i, row in data_rows(rows, 5):
        order, code, name, short, email = row
        code_text, name_text = text(code), text(name)
        if not code_text:
            out.add("bloc.missing_field", sheet=SHEET, cell=cell_ref(2, i), field=T.MEMBER_COLUMNS[1])
            continue
        if not name_text:
            out.add("bloc.missing_field", sheet=SHEET, cell=cell_ref(3, i), field=T.MEMBER_COLUMNS[2])
        if match_key(code_text) in seen:
            out.add("bloc.duplicate_code", sheet=SHEET, cell=cell_ref(2, i), code=code_text,
                    other_row=seen[match_key(code_text)])
            continue
        seen[match_key(code_text)] = i
        number, _ = parse_number(order) if order is not None else (None, False)
        if number is None or not number.is_integer():
            out.add("bloc.bad_value", sheet=SHEET, cell=cell_ref(1, i), value=text(order),
                    field=T.MEMBER_COLUMNS[0], hint=T.HINTS["order"])
            number = float(len(members) + 1)
        email_text = emails((email, cell_ref(5, i), T.MEMBER_COLUMNS[4]), out, SHEET)
        members.append(Member(int(number), code_text, name_text, text(short), email_text))
    if not members and not out.problems:
        out.add("bloc.no_members", sheet=SHEET)
    return tuple(sorted(members, key=lambda m: m.order))
