"""Every workbook thidua writes, in the real LibreOffice: opened, recalculated (forced), filled through
UNO as a unit types, read back, and printed to PDF.

Two soffice starts for the whole module (fill + read; then the summary), one more for the PDF.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from tests.summary_scenario import TODAY
from toolkit import office
from toolkit import texts as T
from toolkit.bloc.model import Bloc
from toolkit.cli import main
from toolkit.folder import Consolidation, chair_workbook, consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.forms.layout import COL_INPUT, COL_SCORE, form_layout
from toolkit.ranking import group_scores, score_leaves
from toolkit.returns import ReadResult, read_return

S = T.summary
# What each unit types into its form (pass/fail as the words in the drop-down).
TYPED = {
    "A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
    "B": {"I.1": 92, "I.2": 8, "II.1": T.FAIL, "II.2": 3, "III.1": 1, "IV.1": 0},
    "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 2},
}
ROOT = Path(__file__).resolve().parents[1]
ERROR_VALUE = re.compile(r"^(#[A-Z0-9/]+[!?]?|Err:\d+)$")


@dataclass
class Office:
    bloc: Bloc
    folder: Path
    jobs: list[dict]
    results: list[dict]
    read_back: dict[str, ReadResult]
    consolidation: Consolidation
    summary: dict

    def result(self, kind: str, src: Path) -> dict:
        return next(r for j, r in zip(self.jobs, self.results) if j["type"] == kind and Path(j["src"]) == src)


def _typed_value(value) -> float:
    return {T.PASS: 1.0, T.FAIL: 0.0}.get(value, value)


@pytest.fixture(scope="module")
def run(soffice, tmp_path_factory) -> Office:
    folder = tmp_path_factory.mktemp("bloc")
    bloc = small_bloc()
    init_folder(folder, bloc)
    forms = {m.code: f for m, f in zip(bloc.members, make_forms(folder, bloc))}
    layout = form_layout(bloc.criteria)
    inbox = folder / "nhan"
    inbox.mkdir(exist_ok=True)
    jobs = []
    for code, typed in TYPED.items():
        edits = {T.FORM_SHEET: {layout.cell(COL_INPUT, c): v for c, v in typed.items()}}
        jobs.append({"type": "fill", "src": forms[code], "dst": inbox / forms[code].name, "cells": edits})
    locked = {T.FORM_SHEET: {layout.cell(COL_SCORE, "I.2"): 10}}
    jobs.append({"type": "fill", "src": forms["A"], "dst": folder / "refused.xlsx", "cells": locked})
    jobs += [{"type": "values", "src": inbox / forms[c].name, "sheets": [T.FORM_SHEET]} for c in TYPED]
    jobs += [{"type": "values", "src": p, "sheets": None} for p in (chair_workbook(folder), forms["A"])]
    results = office.run_jobs(jobs)
    read_back = {c: read_return(inbox / forms[c].name, bloc) for c in TYPED}
    result = consolidate(folder, bloc, TODAY)
    summary = office.read_values(result.summary_path)
    return Office(bloc, folder, jobs, results, read_back, result, summary)


def _errors(values: dict) -> list[str]:
    return [f"{sheet}!{cell}={v}" for sheet, cells in values.items() for cell, v in cells.items()
            if isinstance(v, str) and ERROR_VALUE.match(v)]


@pytest.mark.office
def test_every_job_ran_except_typing_into_a_locked_score_cell(run):
    refused = [r for j, r in zip(run.jobs, run.results) if Path(j.get("dst", "")).name == "refused.xlsx"]
    assert len(refused) == 1 and not refused[0]["ok"] and "locked" in refused[0]["error"]
    assert not (run.folder / "refused.xlsx").exists()
    others = [r for r in run.results if r is not refused[0]]
    assert all(r["ok"] for r in others), [r.get("error") for r in others]


@pytest.mark.office
def test_chair_workbook_blank_form_and_filled_forms_recalculate_without_errors(run):
    for job, result in zip(run.jobs, run.results):
        if job["type"] == "values":
            assert result["values"], job["src"]
            assert _errors(result["values"]) == [], job["src"]
    blank = run.result("values", run.folder / "phieu" / form_filename(run.bloc.member("A")))
    assert T.FORM_TITLE in blank["values"][T.FORM_SHEET].values()


@pytest.mark.office
def test_forms_filled_through_uno_are_read_back_exactly(run):
    for code, typed in TYPED.items():
        result = run.read_back[code]
        assert result.ok, [p.message for p in result.problems]
        assert result.submission.unit_code == code
        assert result.submission.values == {c: _typed_value(v) for c, v in typed.items()}


def _provisional_leaves(bloc: Bloc) -> pd.DataFrame:
    """thidua's leaf scores, except quantitative leaves scored as the form does: half the maximum at or
    above target, pro rata below (the bloc's best is not known inside one form)."""
    values = {u: {c: _typed_value(v) for c, v in typed.items()} for u, typed in TYPED.items()}
    leaves = score_leaves(bloc, values)
    for c in bloc.criteria.leaves():
        if c.kind == "quantitative":
            for u in TYPED:
                leaves.loc[u, c.code] = c.max_points / 2 * min(values[u][c.code], c.target) / c.target
    return leaves


@pytest.mark.office
def test_libreoffice_self_scores_subtotals_and_totals_equal_thidua_s_own(run):
    bloc, layout = run.bloc, form_layout(run.bloc.criteria)
    leaves = _provisional_leaves(bloc)
    groups = group_scores(bloc, leaves)
    tree = bloc.criteria
    true_leaves = run.consolidation.ranking.leaf_scores
    for code in TYPED:
        sheet = run.result("values", run.folder / "nhan" / form_filename(bloc.member(code)))["values"][T.FORM_SHEET]
        for c in tree:
            got = sheet[layout.cell(COL_SCORE, c.code)]
            expected = groups.loc[code, c.code] if c.is_group else leaves.loc[code, c.code]
            assert got == pytest.approx(expected), (code, c.code)
            if not c.is_group and c.kind != "quantitative":
                assert got == pytest.approx(true_leaves.loc[code, c.code]), (code, c.code)
        tops = {s: sum(groups.loc[code, g.code] for g in tree.top_groups() if tree.section(g.code) == s)
                for s in ("base", "bonus", "penalty")}
        bonus = min(bloc.rules.bonus_cap, tops["bonus"])
        assert sheet[f"{COL_SCORE}{layout.base_total_row}"] == pytest.approx(tops["base"])
        assert sheet[f"{COL_SCORE}{layout.bonus_total_row}"] == pytest.approx(bonus)
        assert sheet[f"{COL_SCORE}{layout.penalty_total_row}"] == pytest.approx(tops["penalty"])
        assert sheet[f"{COL_SCORE}{layout.grand_total_row}"] == pytest.approx(tops["base"] + bonus - tops["penalty"])


def _summary_table(values: dict) -> tuple[int, dict[str, str], list[dict[str, object]]]:
    """Header row, header -> column letter, and one dict per table row, of the recalculated Tổng hợp."""
    sheet = values[T.SUMMARY_SHEET]
    head_row = next(int(re.sub(r"\D", "", cell)) for cell, v in sheet.items() if v == "STT")
    columns = {v: re.sub(r"\d", "", cell) for cell, v in sheet.items()
               if cell.endswith(str(head_row)) and re.fullmatch(r"[A-Z]+" + str(head_row), cell)}
    rows = []
    for r in range(head_row + 1, head_row + 10):
        name = sheet.get(f"{columns['Tên đơn vị']}{r}")
        if name is None:
            break
        rows.append({h: sheet.get(f"{col}{r}") for h, col in columns.items()})
    return head_row, columns, rows


@pytest.mark.office
def test_the_summary_recalculated_by_libreoffice_has_thidua_s_totals(run):
    table = run.consolidation.ranking.table
    assert _errors(run.summary["values"]) == []
    assert list(run.summary["values"]) == [T.SUMMARY_SHEET, T.DETAIL_SHEET, S.AWARD_SHEET, S.CHART_SHEET,
                                           T.CHECK_SHEET, S.SOURCES_SHEET, T.intake.STATUS_SHEET]
    head_row, columns, rows = _summary_table(run.summary["values"])
    by_name = {r["Tên đơn vị"]: r for r in rows}
    assert len(by_name) == len(run.bloc.members) == 3
    for unit, r in table.iterrows():
        got = by_name[r["name"]]
        assert got["Tổng điểm"] == pytest.approx(r["total"]) and got["Điểm cơ bản"] == pytest.approx(r["base"])
    formulas = run.summary["formulas"][T.SUMMARY_SHEET]
    first_total = f"{columns['Tổng điểm']}{head_row + 1}"
    assert formulas[first_total].startswith("=") and "-" in formulas[first_total]  # live, not a pasted value
    chart = run.summary["values"][S.CHART_SHEET]
    ranked = run.consolidation.ranking.ranked()
    assert [chart[f"C{i}"] for i in range(2, 2 + len(ranked))] == pytest.approx(list(ranked["total"]))


@pytest.mark.office
def test_thidua_pdf_prints_the_summary_on_a4_landscape_in_a_times_compatible_font(run, tmp_path):
    result = CliRunner().invoke(main, ["pdf", str(run.folder)])
    assert result.exit_code == 0, result.output
    pdf = run.consolidation.summary_path.with_suffix(".pdf")
    assert str(pdf) in result.output and pdf.stat().st_size > 0
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert pages >= 6 and (round(width), round(height)) == (842, 595)  # A4 landscape, one page per sheet
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-"], capture_output=True,
                          text=True, check=True).stdout
    for expected in (T.NATION, T.MOTTO, T.SUMMARY_TITLE, "TM. KHỐI THI ĐUA", "Người lập biểu", "Đơn vị Bình",
                     "Trang 1/"):
        assert expected in text
    fonts = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Times|LiberationSerif", fonts)  # Liberation Serif is Times New Roman's metric twin
    pngs = office.pdf_to_png(pdf, tmp_path, dpi=40)
    assert len(pngs) == pages and all(p.stat().st_size > 1000 for p in pngs)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


@pytest.mark.office
def test_the_readme_pictures_script_renders_a_form_the_feedback_the_summary_and_the_chart(soffice, tmp_path):
    spec = importlib.util.spec_from_file_location("make_images", ROOT / "docs" / "make_images.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    images = {p.stem: p for p in module.make_images(tmp_path)}
    assert set(images) == {"form", "feedback", "summary", "chart"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert all(f"(docs/images/{name}.png)" in readme for name in images)
    assert all(width > height for width, height in map(_png_size, images.values()))  # A4 landscape, cut
    assert all(10_000 < p.stat().st_size < 300_000 for p in images.values())
