"""The summary's Biểu đồ sheet: the counted units by rank (totals linked to Tổng hợp) and a bar chart."""

from __future__ import annotations

from toolkit import texts as T
from toolkit.docstyle import FONT, page_setup, set_widths
from toolkit.ranking import Ranking, rank_label

S = T.summary


def chart_sheet(wb, ws, f, ranking: Ranking, total_cells: dict[str, str]) -> None:
    """A small table of the counted units by rank (totals linked to Tổng hợp) and a native bar chart."""
    ws.write_row(0, 0, S.CHART_COLUMNS, f["head"])
    set_widths(ws, [9, 24, 10])
    page_setup(ws, center=True, repeat_rows=(0, 0))
    ranked = ranking.ranked()
    labels = {m.code: m.label for m in ranking.bloc.members}
    for i, (unit, rank, tied, total) in enumerate(zip(ranked.index, ranked["rank"], ranked["tied"],
                                                     ranked["total"]), start=1):
        ws.write_string(i, 0, rank_label(rank, bool(tied)), f["ctext"])
        ws.write_string(i, 1, labels[unit], f["text"])
        ws.write_formula(i, 2, f"='{T.SUMMARY_SHEET}'!{total_cells[unit]}", f["num"], float(total))
    if ranked.empty:
        return
    n = len(ranked)
    chart = wb.add_chart({"type": "column"})
    name = S.CHART_SHEET
    chart.add_series({
        "name": S.CHART_Y_AXIS,
        "categories": [name, 1, 1, n, 1],
        "values": [name, 1, 2, n, 2],
        "fill": {"color": "#2F5597"},
        "data_labels": {"value": True, "num_format": "0.00", "font": {"name": FONT, "size": 9}},
    })
    font = {"name": FONT, "size": 10}
    chart.set_title({"name": S.CHART_TITLE, "name_font": {"name": FONT, "size": 14, "bold": True}})
    chart.set_x_axis({"num_font": {**font, "rotation": -45}})
    chart.set_y_axis({"name": S.CHART_Y_AXIS, "name_font": font, "num_font": font, "min": 0,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 900, "height": 520})
    ws.insert_chart(0, 4, chart, {"object_position": 3})
