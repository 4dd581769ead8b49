"""Implausible values in a unit's form (issue 13, item 2): bounded counts, dates/times/booleans that are
no numbers, quantitative results far above target, and a ranking that never sees a non-finite number.
The exact problem codes of each case are in the returns corpus (tests/test_returns_corpus.py)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from tests.helpers import small_bloc
from tests.returns_corpus import GOOD_VALUES, corpus_bloc, filled, input_cell
from toolkit import texts as T
from toolkit.bloc import CriteriaTree
from toolkit.bloc.model import MAX_COUNT, Rules
from toolkit.chairbook import load_bloc, write_bloc_workbook
from toolkit.forms import write_form
from toolkit.numformat import DATE, NUMBER, TIME, format_kind
from toolkit.problems import ProblemError
from toolkit.ranking import rank_bloc
from toolkit.returns import read_return
from toolkit.xlsx import open_workbook


@pytest.fixture(scope="module")
def form_a(tmp_path_factory):
    bloc = corpus_bloc()
    return {"A": write_form(bloc, bloc.members[0], tmp_path_factory.mktemp("f") / "A.xlsx")}


def _read(forms, tmp_path, values, bloc=None):
    path = tmp_path / "return.xlsx"
    filled(values)(forms, path)
    return read_return(path, bloc or corpus_bloc())


def test_a_date_is_named_as_a_date_not_as_its_serial(form_a, tmp_path):
    [p] = _read(form_a, tmp_path, {"IV.1": date(2026, 3, 13)}).problems
    assert p.code == "value.date" and "ô chứa ngày tháng (13/03/2026)" in p.message
    assert "46094" not in p.message and p.cell == input_cell("IV.1")


def test_a_time_and_a_boolean_are_named_in_the_units_words(form_a, tmp_path):
    [p] = _read(form_a, tmp_path, {"III.1": time(8, 30)}).problems
    assert p.code == "value.time" and "ô chứa giờ (08:30)" in p.message
    [p] = _read(form_a, tmp_path, {"IV.1": True}).problems
    assert p.code == "value.boolean" and "đúng/sai" in p.message and "True" not in p.message


def test_counts_are_bounded_by_the_stated_bound_not_by_the_cap(form_a, tmp_path):
    assert _read(form_a, tmp_path, {"III.1": 3}).ok  # 3 points a time, cap 6: honest, the points are capped
    [p] = _read(form_a, tmp_path, {"IV.1": 1e308}).problems
    assert p.code == "value.count_over" and f"tối đa {MAX_COUNT}" in p.message
    assert _read(form_a, tmp_path, {"IV.1": MAX_COUNT}).submission.values["IV.1"] == MAX_COUNT


def test_a_result_far_above_target_is_refused_with_the_multiple_and_target(form_a, tmp_path):
    [p] = _read(form_a, tmp_path, {"I.1": 1e308}).problems
    assert p.code == "value.implausible" and "10 lần chỉ tiêu 100" in p.message and "kiểm tra" in p.message


def test_the_multiple_is_the_chairs_rule(form_a, tmp_path):
    bloc = corpus_bloc(rules=Rules(bonus_cap=4, plausible_multiple=4))
    path = tmp_path / "r.xlsx"
    filled({"I.1": 401})(form_a, path)
    assert [p.code for p in read_return(path, bloc).problems] == ["value.implausible"]
    assert read_return(path, corpus_bloc()).ok  # 401 is within 10 × 100


def test_a_target_of_zero_bounds_nothing_and_scores_without_overflow(form_a, tmp_path):
    items = tuple(dataclasses.replace(c, target=0) if c.code == "I.1" else c for c in corpus_bloc().criteria)
    bloc = dataclasses.replace(corpus_bloc(), criteria=CriteriaTree(items))
    form = {"A": write_form(bloc, bloc.members[0], tmp_path / "A0.xlsx")}
    result = _read(form, tmp_path, {"I.1": 1e308}, bloc)
    assert result.ok and result.submission.values["I.1"] == 1e308
    ranking = rank_bloc(bloc, {"A": result.submission.values}, robustness=False)
    assert ranking.leaf_scores.loc["A", "I.1"] == 10  # any result above 0 earns the maximum


# --- the form's own validation ---------------------------------------------------------------------

def test_the_forms_validation_bounds_counts_and_results(form_a):
    ws = openpyxl.load_workbook(form_a["A"])[T.FORM_SHEET]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    for code, most in {"II.2": MAX_COUNT, "III.1": MAX_COUNT, "IV.1": MAX_COUNT}.items():
        dv = rules[input_cell(code)]
        assert (dv.type, dv.operator or "between", dv.formula1, dv.formula2) == ("whole", "between", "0", str(most))
        assert str(most) in dv.prompt and str(most) in dv.error
    actual = rules[input_cell("I.1")]
    assert (actual.type, actual.operator or "between", actual.formula1) == ("decimal", "between", "0")
    assert float(actual.formula2) == 1000
    assert "gấp 10 lần" in actual.prompt


# --- the ranking ---------------------------------------------------------------------------------------

HONEST = {"A": {"I.1": 120, "I.2": 9, "II.1": 1.0, "II.2": 1, "III.1": 1, "IV.1": 0},
          "B": {"I.1": 110, "I.2": 9, "II.1": 1.0, "II.2": 1, "III.1": 1, "IV.1": 0}}


def test_only_plausible_results_enter_the_blocs_best():
    bloc = small_bloc()
    honest = rank_bloc(bloc, HONEST, robustness=False).leaf_scores
    huge = rank_bloc(bloc, {**HONEST, "C": {**HONEST["B"], "I.1": 1e308}}, robustness=False).leaf_scores
    assert honest.loc["A", "I.1"] == huge.loc["A", "I.1"] == 10  # A stays the best: full points
    assert huge.loc["B", "I.1"] == honest.loc["B", "I.1"] == 7.5
    assert huge.loc["C", "I.1"] == 10  # never more than the maximum


def test_the_ranking_refuses_an_infinite_input_as_a_programming_error():
    with pytest.raises(ValueError, match="programming error"):
        rank_bloc(small_bloc(), {**HONEST, "C": {**HONEST["B"], "IV.1": float("inf")}}, robustness=False)


def test_huge_counts_given_straight_to_the_ranking_do_not_overflow():
    values = {**HONEST, "C": {**HONEST["B"], "IV.1": 1e308, "III.1": 1e308}}
    table = rank_bloc(small_bloc(), values, robustness=False).table
    assert np.isfinite(table["total"].astype(float)).all()


# --- the chair's rule --------------------------------------------------------------------------------

def test_the_multiple_round_trips_through_the_chairs_workbook_and_is_checked(tmp_path):
    path = tmp_path / "khoi.xlsx"
    bloc = small_bloc(rules=Rules(bonus_cap=4, plausible_multiple=3.5))
    write_bloc_workbook(path, bloc)
    assert load_bloc(path).rules.plausible_multiple == 3.5
    wb = openpyxl.load_workbook(path)
    ws = wb[T.SHEET_RULES]
    row = next(r for r in range(1, 40) if ws.cell(r, 1).value == T.rules.RULE_FIELDS["plausible_multiple"])
    ws.cell(row, 2).value = "0,5"
    wb.save(path)
    with pytest.raises(ProblemError) as info:
        load_bloc(path)
    [p] = info.value.problems
    assert (p.code, p.cell) == ("bloc.bad_value", f"B{row}") and "0,5" in p.message


# --- number formats ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("code", "kind"), [
    ("dd/mm/yyyy", DATE), ("d-mmm", DATE), ("mmm yy", DATE), ("m", DATE), ("[$-42A]dd/mm/yyyy", DATE),
    ("h:mm", TIME), ("[h]:mm:ss", TIME), ("mm:ss", TIME), ("hh:mm AM/PM", TIME), ("[mm]", TIME),
    ("General", NUMBER), ("0.00", NUMBER), ('0 "ngày"', NUMBER), ("#,##0\\ \\d", NUMBER),
    ("[Red]0;[Blue]-0", NUMBER), ("0.00E+00", NUMBER), ("0%", NUMBER), ("@", NUMBER), ("_-* #,##0_-", NUMBER),
])
def test_format_kinds(code, kind):
    assert format_kind(code) == kind


def test_good_values_still_read_clean(form_a, tmp_path):
    result = _read(form_a, tmp_path, {})
    assert result.ok and result.submission.values["I.1"] == GOOD_VALUES["I.1"]


# --- real writers: the number format read like openpyxl reads it --------------------------------------

EXCEL_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "excel-2007"


def _kind_differences(path: Path) -> tuple[list[str], int, int]:
    """Cells holding a number whose date-ness thidua and openpyxl (`is_date`) see differently; how many
    numbers and dates were compared."""
    wb, book = openpyxl.load_workbook(path), open_workbook(path)
    out, numbers, dated = [], 0, 0
    try:
        for ws in wb.worksheets:
            sheet = book.sheet(ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, bool) or not isinstance(c.value, (int, float, datetime, date, time)):
                        continue
                    numbers, dated = numbers + 1, dated + c.is_date
                    if (sheet.number_kind(c.coordinate) != NUMBER) != c.is_date:
                        out.append(f"{path.name} {ws.title}!{c.coordinate} {c.number_format!r}")
    finally:
        book.close()
    return out, numbers, dated


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")  # headers of some corpus files
def test_dates_and_times_in_workbooks_saved_by_excel_are_seen_as_openpyxl_sees_them():
    files = sorted(EXCEL_CORPUS.glob("*.xlsx"))
    if not files:
        pytest.skip(f"the corpus {EXCEL_CORPUS} is missing")
    differences, numbers, dated = [], 0, 0
    for path in files:
        found, count, dates = _kind_differences(path)
        differences, numbers, dated = differences + found, numbers + count, dated + dates
    assert differences == [] and numbers >= 100 and dated >= 3
