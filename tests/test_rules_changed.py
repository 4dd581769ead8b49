"""Issue 13, item 3: the chair changes the bloc's rules or criteria after the forms went out.

Said once, to the chair; a change that does not alter what the units typed is applied with a warning;
a changed criteria table sets the old forms' returns aside (an error, exit 1); units are never blamed
and never sent feedback for it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from tests.seal_helpers import HONEST
from toolkit import office
from toolkit import texts as T
from toolkit.bloc import CriteriaTree, GradeBand, Rules
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.seal import folder_custody
from toolkit.forms import form_layout
from toolkit.forms.layout import COL_INPUT, COL_MAX
from toolkit.issued import load_issued
from toolkit.paths import BlocFolder
from toolkit.ranking import rank_bloc
from toolkit.returns import collect_returns
from toolkit.texts import issued as TI

CHANGED, CRITERIA_CHANGED = "rules.changed_after_issue", "rules.criteria_changed_after_issue"
VALUES = {**HONEST, "A": {**HONEST["A"], "III.1": 4}}  # A earns 4 × 3 = 12 bonus points: above every cap


def cap_bloc(cap: float = 10):
    """The small bloc with a bonus criterion worth up to 12 points and the bonus cap `cap`."""
    bloc = small_bloc(rules=Rules(bonus_cap=cap))
    items = tuple(dataclasses.replace(c, max_points=12) if c.code == "III.1" else c for c in bloc.criteria)
    return dataclasses.replace(bloc, criteria=CriteriaTree(items))


def with_criterion(bloc, code: str, **changes):
    items = tuple(dataclasses.replace(c, **changes) if c.code == code else c for c in bloc.criteria)
    return dataclasses.replace(bloc, criteria=CriteriaTree(items))


def issue_and_return(folder: Path, bloc) -> list[Path]:
    """Forms issued from the chair's workbook (khoi.xlsx) and returned filled by openpyxl."""
    init_folder(folder, bloc)
    forms = make_forms(folder)
    return [fill_form(f, folder / "nhan" / f.name, bloc, VALUES[m.code]) for m, f in zip(bloc.members, forms)]


def edit_chair(folder: Path, sheet: str, key: str, column: int, value) -> None:
    """The chair edits the cell in `column` of the row whose first cell is `key` (as in Excel)."""
    path = BlocFolder.at(folder).chair
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)
    ws.cell(row, column).value = value
    wb.save(path)


def lower_cap(folder: Path) -> None:
    edit_chair(folder, T.SHEET_RULES, T.RULE_FIELDS["bonus_cap"], 2, 8)


def consolidate_cli(folder: Path):
    return CliRunner().invoke(main, ["consolidate", str(folder)])


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def assert_cap_applied_once(folder: Path) -> None:
    """The cap lowered from 10 to 8: one chair-level warning, every return counted with cap 8,
    no unit blamed nor sent feedback, the CLI's closing warning and exit code 0."""
    run = consolidate_cli(folder)
    assert run.exit_code == 0, run.output
    assert TI.CLI_CHANGED_WARNING in run.output
    result = consolidate(folder)
    chair = [p for p in result.problems if p.code == CHANGED]
    assert len(chair) == 1 and not chair[0].unit and not chair[0].file
    assert "Điểm thưởng tối đa: 10 → 8" in chair[0].message
    assert result.problems == chair  # nothing per unit: no form.max_changed
    assert set(result.returns.submissions) == {"A", "B", "C"}
    assert result.ranking.table.loc["A", "bonus"] == 8
    assert result.feedback_paths == [] and not list(BlocFolder.at(folder).feedback.glob("*.xlsx"))
    assert run.output.count(chair[0].message) == 1
    check = openpyxl.load_workbook(result.summary_path)[T.CHECK_SHEET]
    texts = [c.value for row in check.iter_rows() for c in row if isinstance(c.value, str)]
    assert sum(chair[0].message in t for t in texts) == 1


def test_bonus_cap_lowered_after_the_forms_went_out_is_applied_with_one_warning(tmp_path):
    issue_and_return(tmp_path, cap_bloc(10))
    lower_cap(tmp_path)
    assert_cap_applied_once(tmp_path)


@pytest.mark.office
def test_bonus_cap_lowered_with_returns_saved_by_libreoffice(tmp_path, soffice):
    bloc = cap_bloc(10)
    init_folder(tmp_path, bloc)
    forms = make_forms(tmp_path)
    layout = form_layout(bloc.criteria)
    jobs = [{"type": "fill", "src": str(f), "dst": str(tmp_path / "nhan" / f.name),
             "cells": {T.FORM_SHEET: {layout.cell(COL_INPUT, k): v for k, v in VALUES[m.code].items()}}}
            for m, f in zip(bloc.members, forms)]
    assert all(r["ok"] for r in office.run_jobs(jobs))
    lower_cap(tmp_path)
    assert_cap_applied_once(tmp_path)


def test_check_says_the_cap_change_once_and_exits_0(tmp_path):
    returned = issue_and_return(tmp_path, cap_bloc(10))
    lower_cap(tmp_path)
    run = CliRunner().invoke(main, ["check", *map(str, returned), "--phan-hoi"])
    assert run.exit_code == 0, run.output
    assert run.output.count("Điểm thưởng tối đa: 10 → 8") == 1
    assert not BlocFolder.at(tmp_path).feedback.exists() or not list(BlocFolder.at(tmp_path).feedback.iterdir())


def test_grade_band_and_quota_change_is_applied_with_a_warning(tmp_path):
    bloc = cap_bloc(10)
    returned = issue_and_return(tmp_path, bloc)
    bands = bloc.rules.grade_bands[:2] + (GradeBand(T.GRADE_NAMES[2], 25, 0.7),)
    changed = dataclasses.replace(bloc, rules=dataclasses.replace(bloc.rules, grade_bands=bands, flag_quota=2))
    result = consolidate(tmp_path, changed)
    [chair] = [p for p in result.problems if p.code == CHANGED]
    assert f"Xếp loại “{T.GRADE_NAMES[2]}”: tổng từ 70, mỗi nhóm từ 70 % → tổng từ 25, mỗi nhóm từ 70 %" \
        in chair.message
    assert "Số Cờ thi đua được đề nghị: 1 → 2" in chair.message and not chair.is_error
    values = {u: s.values for u, s in collect_returns(returned, bloc).submissions.items()}
    assert result.ranking.table.loc["A", "grade"] == T.GRADE_NAMES[2] \
        == rank_bloc(changed, values, {}).table.loc["A", "grade"] != rank_bloc(bloc, values, {}).table.loc["A", "grade"]
    assert set(result.returns.submissions) == {"A", "B", "C"} and result.feedback_paths == []


def test_criterion_maximum_changed_sets_the_returns_aside_without_blaming_units(tmp_path):
    issue_and_return(tmp_path, cap_bloc(10))
    edit_chair(tmp_path, T.SHEET_CRITERIA, "I", 3, 18)
    edit_chair(tmp_path, T.SHEET_CRITERIA, "I.2", 3, 8)
    run = consolidate_cli(tmp_path)
    assert run.exit_code == 1, run.output
    assert TI.CLI_CHANGED_ERROR in run.output
    result = consolidate(tmp_path)
    [chair] = result.problems
    assert chair.code == CRITERIA_CHANGED and chair.is_error and not chair.unit
    assert "“I” Điểm tối đa: 20 → 18; “I.2” Điểm tối đa: 10 → 8" in chair.message
    assert "3 phiếu" in chair.message and "thidua forms" in chair.message
    assert result.returns.submissions == {} and all(r.problems == [] for r in result.returns.results)
    assert result.returns.not_counted() == {u: TI.SET_ASIDE for u in "ABC"}
    assert result.feedback_paths == [] and not list(BlocFolder.at(tmp_path).feedback.glob("*.xlsx"))
    assert run.output.count(chair.message) == 1
    check = CliRunner().invoke(main, ["check", str(tmp_path / "nhan"), "--phan-hoi"])
    assert check.exit_code == 1 and check.output.count(TI.SET_ASIDE) == 3
    assert not list(BlocFolder.at(tmp_path).feedback.glob("*.xlsx"))


def test_new_forms_issued_after_the_change_end_the_chair_message_and_old_returns_are_the_units(tmp_path):
    bloc = cap_bloc(10)
    issue_and_return(tmp_path, bloc)
    changed = with_criterion(with_criterion(bloc, "I", max_points=18), "I.2", max_points=8)
    make_forms(tmp_path, changed)  # the chair issues new forms; the units' files are of the old ones
    result = consolidate(tmp_path, changed)
    assert codes(result.problems) == ["form.old_criteria"] * 3
    assert all(p.unit for p in result.problems) and len(result.feedback_paths) == 3


def test_return_of_an_older_issue_with_another_cap_is_read_as_issued(tmp_path):
    bloc = cap_bloc(10)
    old = issue_and_return(tmp_path, bloc)
    lower_cap(tmp_path)
    new = make_forms(tmp_path)  # reissued with cap 8: no chair message; A still sends its old form
    fill_form(new[1], old[1], bloc, VALUES["B"])
    fill_form(new[2], old[2], bloc, VALUES["C"])
    result = consolidate(tmp_path)
    assert codes(result.problems) == ["form.older_issue"]
    assert result.ranking.table.loc["A", "bonus"] == 8
    assert load_issued(tmp_path).latest_definition.rules.bonus_cap == 8


def test_no_change_no_message(tmp_path):
    issue_and_return(tmp_path, cap_bloc(10))
    run = consolidate_cli(tmp_path)
    assert run.exit_code == 0 and TI.CLI_CHANGED_WARNING not in run.output and TI.CLI_CHANGED_ERROR not in run.output
    result = consolidate(tmp_path)
    assert result.problems == [] and result.ranking.table.loc["A", "bonus"] == 10


def test_a_unit_that_edits_the_cap_on_its_form_is_still_told(tmp_path):
    bloc = cap_bloc(10)
    returned = issue_and_return(tmp_path, bloc)
    wb = openpyxl.load_workbook(returned[0])
    ref = form_layout(bloc.criteria).cell(COL_MAX, "III")
    wb[T.FORM_SHEET][ref] = 20
    wb.save(returned[0])
    result = collect_returns(returned, bloc, custody=folder_custody(tmp_path), folder=tmp_path)
    assert codes(result.all_problems()) == ["form.max_changed"]
    assert result.all_problems()[0].unit == "A"


def test_the_buttons_sheet_says_it_in_its_status_and_check_rows(tmp_path):
    from toolkit.excel.button import check, consolidate_and_rank
    issue_and_return(tmp_path, cap_bloc(10))
    edit_chair(tmp_path, T.SHEET_CRITERIA, "I", 3, 18)
    edit_chair(tmp_path, T.SHEET_CRITERIA, "I.2", 3, 8)
    where = BlocFolder.at(tmp_path)
    outcome = consolidate_and_rank(where.chair, where.inbox, where.output)
    assert "“I.2” Điểm tối đa: 10 → 8" in outcome.status
    rows = check(where.chair, where.inbox, where.output).rows
    assert [r[1] for r in rows].count(TI.SET_ASIDE) == 3
    assert sum("“I.2” Điểm tối đa: 10 → 8" in r[1] for r in rows) == 1
