"""Stage 5 — write the bloc's summary workbook (Decree 30/2020 layout), with live totals."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from toolkit import texts as T
from toolkit.fileio import atomic_path
from toolkit.problems import Problem
from toolkit.ranking import Ranking, rank_label

MM = 1 / 25.4
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def summary_filename(ranking: Ranking) -> str:
    bloc = ranking.bloc
    return f"tong-hop-{bloc.key}-{bloc.year}-{bloc.period}.xlsx"


def write_summary(path: Path, ranking: Ranking, problems: list[Problem], today: date | None = None) -> Path:
    """Write the summary workbook to `path` atomically."""
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), OPTIONS)
        fmt = _formats(wb)
        _summary_sheet(wb.add_worksheet(T.SUMMARY_SHEET), fmt, ranking, today or date.today())
        _detail_sheet(wb.add_worksheet(T.DETAIL_SHEET), fmt, ranking)
        _check_sheet(wb.add_worksheet(T.CHECK_SHEET), fmt, ranking, problems)
        wb.set_properties({"title": T.SUMMARY_TITLE, "subject": ranking.bloc.name, "author": "thidua"})
        wb.close()
    return Path(path)


def _formats(wb) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    cell = {**base, "border": 1, "text_wrap": True}
    add = wb.add_format
    return {
        "issuer": add({**base, "bold": True, "align": "center", "text_wrap": True}),
        "nation": add({**base, "bold": True, "align": "center"}),
        "motto": add({**base, "bold": True, "align": "center", "font_size": 13, "underline": 1}),
        "date": add({**base, "italic": True, "align": "center"}),
        "title": add({**base, "bold": True, "font_size": 14, "align": "center"}),
        "center": add({**base, "align": "center", "text_wrap": True}),
        "basis": add({**base, "italic": True, "font_size": 11}),
        "head": add({**cell, "bold": True, "align": "center", "bg_color": "#DDEBF7"}),
        "text": add(cell),
        "ctext": add({**cell, "align": "center"}),
        "num": add({**cell, "num_format": "0.00", "align": "center"}),
        "bold_num": add({**cell, "num_format": "0.00", "align": "center", "bold": True}),
        "group": add({**cell, "bold": True, "bg_color": "#F2F2F2"}),
        "group_num": add({**cell, "bold": True, "bg_color": "#F2F2F2", "num_format": "0.00", "align": "center"}),
        "grey": add({**cell, "italic": True, "font_color": "#7F7F7F"}),
        "sign": add({**base, "bold": True, "align": "center"}),
        "sign_hint": add({**base, "italic": True, "align": "center"}),
    }


def _page(ws, landscape: bool, header_row: int) -> None:
    ws.set_paper(9)
    ws.set_landscape() if landscape else ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=30 * MM, right=15 * MM, top=20 * MM, bottom=20 * MM)
    ws.repeat_rows(header_row)
    ws.set_footer("&CTrang &P/&N")
    ws.freeze_panes(header_row + 1, 2)


def _summary_sheet(ws, f, ranking: Ranking, today: date) -> None:
    bloc, table = ranking.bloc, ranking.table
    groups = bloc.criteria.base_groups()
    columns = [T.SUMMARY_COLUMNS["order"], T.SUMMARY_COLUMNS["name"],
               *[T.GROUP_COLUMN.format(code=g.code, max=f"{g.max_points:g}") for g in groups],
               *[T.SUMMARY_COLUMNS[k] for k in ("base", "bonus", "penalty", "total", "grade", "rank", "note")]]
    last = len(columns) - 1
    half = max(2, last // 2)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 40)
    ws.set_column(2, last - 1, 10)
    ws.set_column(last, last, 24)
    ws.merge_range(0, 0, 1, half - 1, bloc.name.upper(), f["issuer"])
    ws.merge_range(0, half, 0, last, T.NATION, f["nation"])
    ws.merge_range(1, half, 1, last, T.MOTTO, f["motto"])
    ws.merge_range(2, half, 2, last, T.DATE_LINE.format(place=bloc.place, day=today.day,
                                                        month=today.month, year=today.year), f["date"])
    ws.merge_range(4, 0, 4, last, T.SUMMARY_TITLE, f["title"])
    ws.merge_range(5, 0, 5, last, T.SUMMARY_SUBTITLE.format(
        period=T.period_title(bloc.period, bloc.year), bloc=bloc.name), f["center"])
    row = 6
    for line in bloc.legal_basis:
        ws.merge_range(row, 0, row, last, line, f["basis"])
        row += 1
    header = row + 1
    ws.write_row(header, 0, columns, f["head"])
    ws.set_row(header, 36)
    _page(ws, landscape=True, header_row=header)
    first = header + 1
    for i, (unit, r) in enumerate(table.iterrows()):
        _summary_row(ws, f, first + i, r, len(groups))
    _signatures(ws, f, first + len(table) + 1, last, bloc)


def _summary_row(ws, f, row: int, r: pd.Series, n_groups: int) -> None:
    ws.write_number(row, 0, int(r["order"]), f["ctext"])
    ws.write_string(row, 1, str(r["name"]), f["text"])
    col = 2
    if not r["counted"]:
        for c in range(col, col + n_groups + 6):
            ws.write_blank(row, c, None, f["text"])
        ws.write_string(row, col + n_groups + 6, str(r["note"]), f["grey"])
        return
    group_values = [float(v) for v in r.iloc[2:2 + n_groups]]
    for value in group_values:
        ws.write_number(row, col, value, f["num"])
        col += 1
    first_group, last_group = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, col - 1)
    ws.write_formula(row, col, f"=SUM({first_group}:{last_group})", f["num"], float(r["base"]))
    ws.write_number(row, col + 1, float(r["bonus"]), f["num"])
    ws.write_number(row, col + 2, float(r["penalty"]), f["num"])
    base, bonus, penalty = (xl_rowcol_to_cell(row, c) for c in (col, col + 1, col + 2))
    ws.write_formula(row, col + 3, f"={base}+{bonus}-{penalty}", f["bold_num"], float(r["total"]))
    ws.write_string(row, col + 4, str(r["grade"]), f["ctext"])
    ws.write_string(row, col + 5, rank_label(r["rank"], bool(r["tied"])), f["ctext"])
    ws.write_string(row, col + 6, str(r["note"]), f["text"])


def _signatures(ws, f, row: int, last: int, bloc) -> None:
    kind = T.BLOC_KINDS[bloc.kind].upper()
    half = max(2, last // 2)
    ws.merge_range(row, 0, row, half - 1, T.SIGN_PREPARER, f["sign"])
    ws.merge_range(row, half, row, last, T.SIGN_CHAIR[0].format(kind_upper=kind), f["sign"])
    ws.merge_range(row + 1, half, row + 1, last, T.SIGN_CHAIR[1].format(kind_upper=kind), f["sign"])
    chair = bloc.chair_member
    if chair:
        ws.merge_range(row + 2, half, row + 2, last, chair.name, f["sign_hint"])


def _detail_sheet(ws, f, ranking: Ranking) -> None:
    bloc = ranking.bloc
    counted = [m for m in bloc.members if m.code in ranking.leaf_scores.index]
    ws.write_row(0, 0, [*T.DETAIL_COLUMNS, *[m.label for m in counted]], f["head"])
    ws.set_column(0, 0, 7)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2 + len(counted), 11)
    ws.set_row(0, 36)
    _page(ws, landscape=True, header_row=0)
    for i, c in enumerate(bloc.criteria, start=1):
        style, num = ("group", "group_num") if c.is_group else ("text", "num")
        ws.write_string(i, 0, c.code, f[style])
        ws.write_string(i, 1, c.text, f[style])
        maximum = bloc.rules.bonus_cap if c.is_group and c.depth == 0 and bloc.criteria.section(c.code) == "bonus" \
            else c.max_points
        ws.write(i, 2, maximum or "", f[num])
        source = ranking.groups if c.is_group else ranking.leaf_scores
        scores = source[c.code].reindex([m.code for m in counted]).tolist()
        for j, score in enumerate(scores, start=3):
            ws.write_number(i, j, float(score), f[num])


def _check_sheet(ws, f, ranking: Ranking, problems: list[Problem]) -> None:
    ws.write_row(0, 0, T.CHECK_COLUMNS, f["head"])
    for col, width in enumerate((28, 30, 16, 8, 10, 22, 80)):
        ws.set_column(col, col, width)
    _page(ws, landscape=True, header_row=0)
    names = {m.code: m.label for m in ranking.bloc.members}
    rows = [(names.get(p.unit, p.unit), p.file, p.sheet, p.cell, T.SEVERITY[p.severity], p.code, p.message)
            for p in problems]
    rows += [(names[u], "", "", "", T.SEVERITY["error"], "returns.missing", r["note"])
             for u, r in ranking.table.iterrows() if not r["counted"]]
    for i, values in enumerate(rows, start=1):
        for j, value in enumerate(values):
            ws.write_string(i, j, value, f["text"])
