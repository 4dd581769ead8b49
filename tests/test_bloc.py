"""The chair's workbook: every seed bloc round-trips; bad definitions give pinned Vietnamese errors."""

from __future__ import annotations

import dataclasses
import unicodedata

import openpyxl
import pytest

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.bloc import BUILTIN_BLOCS, CriteriaTree, Criterion, builtin_bloc
from toolkit.chairbook import load_bloc, write_bloc_workbook
from toolkit.problems import ProblemError


@pytest.mark.parametrize("name", sorted(BUILTIN_BLOCS))
def test_seed_bloc_round_trips_through_the_chair_workbook(tmp_path, name):
    bloc = builtin_bloc(name)
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, bloc)
    assert load_bloc(path) == bloc
    assert bloc.criteria.base_max == 100
    assert 5 <= len(bloc.members) <= 20


def test_seed_blocs_have_the_members_of_the_seed_reports():
    assert len(builtin_bloc("bac-giang").members) == 11
    assert builtin_bloc("bac-giang").chair_member.name == "Cục Thuế tỉnh"
    names = [m.name for m in builtin_bloc("dien-bien").members]
    assert "Tỉnh đoàn Điện Biên" in names and len(names) == 6
    assert {m.code for m in builtin_bloc("mien-tay").members} >= {"CM", "KG"}


def _edit(path, sheet, edits):
    wb = openpyxl.load_workbook(path)
    for cell, value in edits.items():
        wb[sheet][cell] = value
    wb.save(path)


def _problems(path) -> list:
    with pytest.raises(ProblemError) as info:
        load_bloc(path)
    return info.value.problems


@pytest.fixture
def chair_book(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, builtin_bloc())
    return path


def test_children_not_adding_up_to_the_group_maximum_is_pinned(chair_book):
    _edit(chair_book, T.SHEET_CRITERIA, {"C3": 25})  # I.1: 30 -> 25, group I stays 50
    [p] = _problems(chair_book)
    assert (p.code, p.sheet, p.cell) == ("bloc.sum_mismatch", T.SHEET_CRITERIA, "C2")
    assert "45" in p.message and "50" in p.message


def test_duplicate_codes_unknown_kinds_and_bad_numbers_are_all_reported(chair_book):
    _edit(chair_book, T.SHEET_CRITERIA, {"A4": "I.1", "D5": "chấm bừa", "C6": "mười"})
    found = {(p.code, p.cell) for p in _problems(chair_book)}
    assert ("bloc.duplicate_code", "A4") in found
    assert ("bloc.unknown_kind", "D5") in found
    assert ("bloc.bad_value", "C6") in found


def test_unknown_chair_and_bad_year_are_pinned_to_the_info_sheet(chair_book):
    rows = {label: i for i, label in enumerate(T.INFO_FIELDS.values(), start=2)}
    _edit(chair_book, T.SHEET_INFO, {f"B{rows[T.INFO_FIELDS['chair']]}": "XYZ",
                                     f"B{rows[T.INFO_FIELDS['year']]}": "năm nay"})
    found = {(p.code, p.sheet, p.cell) for p in _problems(chair_book)}
    assert ("bloc.unknown_member", T.SHEET_INFO, f"B{rows[T.INFO_FIELDS['chair']]}") in found
    assert ("bloc.bad_value", T.SHEET_INFO, f"B{rows[T.INFO_FIELDS['year']]}") in found


def test_missing_sheet_and_unreadable_file(tmp_path, chair_book):
    wb = openpyxl.load_workbook(chair_book)
    wb[T.SHEET_MEMBERS].title = "Danh sách"
    wb.save(chair_book)
    [p] = _problems(chair_book)
    assert p.code == "bloc.missing_sheet" and p.sheet == T.SHEET_MEMBERS
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook")
    [p] = _problems(junk)
    assert p.code == "bloc.not_xlsx" and p.file == "junk.xlsx"


def test_nfd_text_typed_on_a_mac_is_read_as_nfc(chair_book):
    nfd = unicodedata.normalize("NFD", "Sở Tài chính tỉnh")
    _edit(chair_book, T.SHEET_MEMBERS, {"C5": nfd})
    bloc = load_bloc(chair_book)
    assert bloc.member("STC").name == "Sở Tài chính tỉnh"
    assert unicodedata.is_normalized("NFC", bloc.member("STC").name)


def test_empty_template_loads_with_the_missing_fields_named(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, None)
    codes = {p.code for p in _problems(path)}
    assert "bloc.no_members" in codes and "bloc.missing_field" in codes


def test_every_catalog_message_is_nfc_vietnamese():
    from toolkit.texts.problems import CATALOG
    for code, entry in CATALOG.items():
        severity, template = entry.severity, entry.template
        assert severity in ("error", "warning"), code
        assert unicodedata.is_normalized("NFC", template), code


def _criteria_problems(tmp_path, criteria) -> list[tuple[str, str]]:
    """(code, cell) of the problems of a chair's workbook written with these criteria."""
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, dataclasses.replace(small_bloc(), criteria=CriteriaTree(tuple(criteria))))
    return [(p.code, p.cell) for p in _problems(path)]


def test_bad_criteria_trees_are_pinned_to_the_criterion_row(tmp_path):
    C = Criterion
    base = list(small_bloc().criteria)  # rows 2..11: I, I.1, I.2, II, II.1, II.2, III, III.1, IV, IV.1
    assert _criteria_problems(tmp_path, base + [C("V.1", "Không có nhóm V", 0, "bonus", points=1)]) == [
        ("bloc.orphan", "A12")]
    assert _criteria_problems(tmp_path, base + [C("V", "Nhóm không có tiêu chí")]) == [("bloc.empty_group", "A12")]
    graded_group = [dataclasses.replace(c, kind="graded", step=0.5) if c.code == "I" else c for c in base]
    assert _criteria_problems(tmp_path, graded_group) == [("bloc.leaf_with_children", "D2")]
    mixed = base[:6] + [C("II.3", "Điểm thưởng trong nhóm II", 2, "bonus", points=1)] + base[6:]
    assert _criteria_problems(tmp_path, mixed) == [("bloc.mixed_section", "A5")]


def test_a_criteria_sheet_without_criteria_is_reported(tmp_path):
    assert ("bloc.no_criteria", "") in _criteria_problems(tmp_path, [])


def test_an_unknown_tie_break_step_is_pinned_and_lists_the_allowed_steps(chair_book):
    wb = openpyxl.load_workbook(chair_book)
    cell = next(row[1] for row in wb[T.SHEET_RULES].iter_rows() if row[0].value == T.RULE_FIELDS["tie_break"])
    cell.value = "Theo cảm tính"
    wb.save(chair_book)
    [p] = _problems(chair_book)
    assert (p.code, p.sheet, p.cell) == ("bloc.bad_tie_break", T.SHEET_RULES, cell.coordinate)
    assert "“Theo cảm tính”" in p.message and "Ít điểm trừ hơn" in p.message
