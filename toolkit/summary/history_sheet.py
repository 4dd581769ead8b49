"""The summary's "Qua các kỳ" sheet: each unit's rank and total over the periods, oldest first — the
earlier summaries of the bloc (read by toolkit.history from ket-qua/lich-su/ or a folder the chair names)
and the current ranking — with a native line chart of the ranks (rank 1 at the top).

Units match by name across periods (as in toolkit.history); a unit new this period has blanks for the
earlier ones, a unit not counted in a period a blank for that period. An earlier summary of the current
period is replaced by the current ranking. There is NO sheet when no earlier summary was read (none
found, or only unreadable ones, which the caller lists on Kiểm tra): the summary is then as before.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from toolkit.docstyle import FONT, fit_row, page_setup, set_widths
from toolkit.history import history, period_label, period_order, summary_files
from toolkit.ranking import Ranking
from toolkit.texts import summary as S
from toolkit.vntext import clean

HEADER = 2  # the first of the two header rows (the measure, then the periods)
FIRST_ROW = HEADER + 2
NAME_WIDTHS = (5, 30)
PERIOD_WIDTH = 13
CHART_HEIGHT = 380
MEASURES = ("rank", "total")


def earlier_periods(paths: Iterable[Path]) -> pd.DataFrame:
    """toolkit.history.history of the summaries in `paths` (files or folders; missing ones skipped);
    the files that cannot be read are in `result.attrs["problems"]`."""
    return history(summary_files([p for p in map(Path, paths) if p.exists()]))


def over_periods(earlier: pd.DataFrame, ranking: Ranking) -> pd.DataFrame:
    """unit × (measure, period) as toolkit.history.history, with the current period's counted units
    added (replacing an earlier summary of the same period); units by current rank, then as read."""
    current = ranking.bloc.period_key
    ranked = ranking.ranked()
    names = pd.Index([clean(str(n)) for n in ranked["name"]], name="unit")
    now = pd.DataFrame({"rank": ranked["rank"].astype(float).to_numpy(),
                        "total": ranked["total"].astype(float).to_numpy()}, index=names)
    now = now[~now.index.duplicated()]
    if current in _periods(earlier):  # a unit only in that summary is in no period shown
        earlier = earlier.drop(columns=current, level="period").dropna(how="all")
    periods = sorted({*_periods(earlier), current}, key=period_order)
    units = list(dict.fromkeys([*now.index, *earlier.index]))
    columns = pd.MultiIndex.from_product([MEASURES, periods], names=["measure", "period"])
    table = earlier.astype(float).reindex(index=pd.Index(units, name="unit"), columns=columns)
    for measure in MEASURES:
        table[(measure, current)] = now[measure].reindex(units).to_numpy()
    for period in periods:
        table[("rank", period)] = table[("rank", period)].round().astype("Int64")
    return table


def _periods(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame.columns.get_level_values("period"))) if len(frame.columns) else []


def history_sheet(wb, f, earlier: pd.DataFrame, ranking: Ranking) -> None:
    """Add "Qua các kỳ" to the workbook when `earlier` (toolkit.history.history) holds a period other
    than the current one; else nothing."""
    current = ranking.bloc.period_key
    if not set(_periods(earlier)) - {current}:
        return
    table = over_periods(earlier, ranking)
    ws = wb.add_worksheet(S.HISTORY_SHEET)
    widths = _write_table(ws, f, table, current)
    _rank_chart(wb, ws, table, FIRST_ROW + len(table) + 2, widths)


def _write_table(ws, f, table: pd.DataFrame, current: str) -> list[float]:
    """Title, two header rows (measure over periods), one row per unit, the note; the column widths."""
    periods = list(table["rank"].columns)
    n = len(periods)
    labels = [S.HISTORY_CURRENT.format(period=period_label(p)) if p == current else period_label(p)
              for p in periods]
    widths = [*NAME_WIDTHS, *[PERIOD_WIDTH] * (2 * n)]
    last = len(widths) - 1
    set_widths(ws, widths)
    page_setup(ws, center=True, repeat_rows=(0, HEADER + 1), freeze=(FIRST_ROW, 2))
    ws.merge_range(0, 0, 0, last, S.HISTORY_TITLE, f["title"])
    for col, label in enumerate(S.HISTORY_COLUMNS):
        ws.merge_range(HEADER, col, HEADER + 1, col, label, f["head"])
    for block, label in enumerate((S.HISTORY_RANK, S.HISTORY_TOTAL)):
        first = len(NAME_WIDTHS) + block * n
        ws.merge_range(HEADER, first, HEADER, first + n - 1, label, f["head"])
        ws.write_row(HEADER + 1, first, labels, f["head"])
    fit_row(ws, HEADER + 1, [(label, PERIOD_WIDTH) for label in labels])
    for i, unit in enumerate(table.index):
        row = FIRST_ROW + i
        ws.write_number(row, 0, i + 1, f["ctext"])
        ws.write_string(row, 1, str(unit), f["text"])
        for block, (measure, style) in enumerate(zip(MEASURES, ("int", "num"))):
            for j, value in enumerate(table[measure].loc[unit]):
                col = len(NAME_WIDTHS) + block * n + j
                ws.write_blank(row, col, None, f[style]) if pd.isna(value) else \
                    ws.write_number(row, col, float(value), f[style])
    note = FIRST_ROW + len(table) + 1
    ws.merge_range(note, 0, note, last, S.HISTORY_NOTE, f["basis"])
    fit_row(ws, note, [(S.HISTORY_NOTE, sum(widths))])
    return widths


def _rank_chart(wb, ws, table: pd.DataFrame, row: int, widths: list[float]) -> None:
    """A line per unit of its rank over the periods, rank 1 at the top, as wide as the table, on a page of
    its own (a page break above it: a chart is never cut across pages)."""
    n = len(table["rank"].columns)
    sheet, font = S.HISTORY_SHEET, {"name": FONT, "size": 10}
    chart = wb.add_chart({"type": "line"})
    for i in range(len(table)):
        unit_row = FIRST_ROW + i
        chart.add_series({"name": [sheet, unit_row, 1],
                          "categories": [sheet, HEADER + 1, len(NAME_WIDTHS), HEADER + 1, len(NAME_WIDTHS) + n - 1],
                          "values": [sheet, unit_row, len(NAME_WIDTHS), unit_row, len(NAME_WIDTHS) + n - 1],
                          "marker": {"type": "circle", "size": 6}})
    lowest = int(table["rank"].max().max())
    chart.set_title({"name": S.HISTORY_CHART_TITLE, "name_font": {"name": FONT, "size": 13, "bold": True}})
    chart.set_x_axis({"num_font": font})
    chart.set_y_axis({"name": S.HISTORY_CHART_Y_AXIS, "name_font": font, "num_font": font, "reverse": True,
                      "min": 1, "max": max(lowest, 2), "major_unit": 1, "crossing": "max",
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"position": "right", "font": font})
    chart.show_blanks_as("gap")
    chart.set_size({"width": sum(int(w * 7 + 0.5) + 5 for w in widths), "height": CHART_HEIGHT})
    ws.set_h_pagebreaks([row])
    ws.insert_chart(row, 0, chart, {"object_position": 3, "y_offset": 6})
