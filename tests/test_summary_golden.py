"""Golden-file test: the summary of a fixed scenario (tests/summary_scenario.py, real inputs through
`rank_bloc`), cell by cell, against tests/golden/summary.xlsx. The test only compares.

After an intended change of the summary, regenerate the golden file with the separate command below,
look at it (LibreOffice, or `thidua pdf`-style rendering) and commit it:

    python3 -m tests.regold
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from tests.summary_scenario import GOLDEN, write_scenario_summary

MAX_REPORTED = 30


def _cell_key(cell, cached) -> tuple:
    font, fill, align = cell.font, cell.fill, cell.alignment
    return (cell.value, cached.value, font.name, bool(font.b), bool(font.i), font.u, font.sz,
            font.color.rgb if font.color is not None else None,
            fill.fgColor.rgb if fill.fill_type else None, cell.number_format, align.horizontal, bool(align.wrap_text))


def _sheet_key(ws) -> dict:
    setup, margins = ws.page_setup, ws.page_margins
    return {
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "page": (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight, setup.scale,
                 ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None),
        "margins": tuple(round(getattr(margins, s), 4) for s in ("left", "right", "top", "bottom")),
        "titles": (ws.print_title_rows, ws.print_title_cols),
        "freeze": ws.freeze_panes,
        "footer": ws.oddFooter.center.text,
        "widths": {k: round(d.width, 2) for k, d in ws.column_dimensions.items() if d.width},
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
        "charts": len(ws._charts),
    }


def compare_workbooks(expected: Path, actual: Path) -> list[str]:
    """Differences in sheets, cell values (formulas and cached results), key formats and print setup."""
    exp, act = openpyxl.load_workbook(expected), openpyxl.load_workbook(actual)
    exp_cached, act_cached = (openpyxl.load_workbook(p, data_only=True) for p in (expected, actual))
    if exp.sheetnames != act.sheetnames:
        return [f"sheets {exp.sheetnames} != {act.sheetnames}"]
    out = []
    for name in exp.sheetnames:
        e, a = exp[name], act[name]
        for key, value in _sheet_key(e).items():
            if _sheet_key(a)[key] != value:
                out.append(f"{name}: {key} {value} != {_sheet_key(a)[key]}")
        rows, cols = max(e.max_row, a.max_row), max(e.max_column, a.max_column)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                ek = _cell_key(e.cell(r, c), exp_cached[name].cell(r, c))
                ak = _cell_key(a.cell(r, c), act_cached[name].cell(r, c))
                if ek != ak:
                    out.append(f"{name}!{e.cell(r, c).coordinate}: {ek} != {ak}")
    return out[:MAX_REPORTED]


def test_summary_matches_the_golden_workbook(tmp_path):
    actual = write_scenario_summary(tmp_path / "summary.xlsx")
    assert compare_workbooks(GOLDEN, actual) == []


def test_the_golden_comparison_sees_a_changed_value_and_a_changed_font(tmp_path):
    changed = tmp_path / "changed.xlsx"
    wb = openpyxl.load_workbook(GOLDEN)
    ws = wb["Tổng hợp"]
    ws["B12"] = "Đơn vị khác"
    ws["A1"].font = openpyxl.styles.Font(name="Arial", bold=True)
    wb.save(changed)
    differences = compare_workbooks(GOLDEN, changed)
    assert any(d.startswith("Tổng hợp!B12") for d in differences)
    assert any(d.startswith("Tổng hợp!A1") and "Arial" in d for d in differences)
