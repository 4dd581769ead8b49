"""Feedback workbooks and consolidation of a messy inbox: one bad file never stops the others, units not
counted carry a reason, inputs stay byte-identical, user text never becomes a formula."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import openpyxl
import pytest

from tests.returns_corpus import corpus_bloc, evidence_cell, filled, input_cell, set_saved
from toolkit import office
from toolkit import texts as T
from toolkit.bloc import Member
from toolkit.feedback import feedback_path, feedback_path_for_file
from toolkit.fileio import sha256_file
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.texts import returns as TR

FORMULA_LIKE_NAME = "=HYPERLINK(\"http://x\",\"Bình\")"
CSV_NAME = "=SUM(1) rác của đơn vị.csv"  # a file name that looks like a formula


def messy_bloc():
    """The corpus bloc whose unit B has a name that looks like a formula."""
    bloc = corpus_bloc()
    b = bloc.members[1]
    members = (bloc.members[0], dataclasses.replace(b, name=FORMULA_LIKE_NAME, short_name="=Bình"), bloc.members[2])
    return dataclasses.replace(bloc, members=members)


def _text_cell(path: Path, ref: str, value: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[T.FORM_SHEET]
    ws[ref] = value
    ws[ref].data_type = "s"
    wb.save(path)


@pytest.fixture
def messy(tmp_path):
    """A bloc folder whose inbox has: A over the maximum (evidence '=1+1' as text), B valid with a
    decimal comma, C valid, a CSV file and a macro-enabled copy of C."""
    bloc = messy_bloc()
    init_folder(tmp_path, bloc)
    forms = {m.code: p for m, p in zip(bloc.members, make_forms(tmp_path, bloc))}
    inbox = tmp_path / "nhan"
    names = {m.code: form_filename(m) for m in bloc.members}
    filled({"I.2": 11}, form="A")(forms, inbox / names["A"])
    _text_cell(inbox / names["A"], evidence_cell("I.1"), "=1+1")
    filled({"I.2": "9,5"}, form="B")(forms, inbox / names["B"])
    filled(form="C")(forms, inbox / names["C"])
    (inbox / CSV_NAME).write_text("a;b\n1;2\n", encoding="utf-8")
    return tmp_path, bloc


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir())}


def _texts(ws) -> list:
    return [c for row in ws.iter_rows() for c in row if c.value is not None]


def test_consolidation_writes_feedback_per_unit_and_leaves_inputs_untouched(messy):
    folder, bloc = messy
    inbox = folder / "nhan"
    before = _hashes(inbox)
    result = consolidate(folder, bloc)
    assert _hashes(inbox) == before  # byte-identical, nothing added to nhan/
    a, b, c = bloc.members
    expected = {feedback_path(folder, a), feedback_path(folder, b),
                feedback_path_for_file(folder, CSV_NAME)}
    assert set(result.feedback_paths) == expected
    assert all(p.is_file() for p in expected)
    assert feedback_path(folder, a) == folder / "ket-qua" / "phan-hoi" / f"phan-hoi-{form_filename(a)}"
    assert not list((folder / "ket-qua" / "phan-hoi").glob(".~*"))  # atomic: no temporary left
    table = result.ranking.table
    assert not table.loc["A", "counted"] and table.loc["B", "counted"] and table.loc["C", "counted"]
    assert table.loc["A", "note"].startswith(TR.NOT_COUNTED_REASON.format(message="")) \
        and input_cell("I.2") in table.loc["A", "note"] and "vượt điểm tối đa" in table.loc["A", "note"]


def test_feedback_highlights_the_offending_cells_and_lists_the_problems(messy):
    folder, bloc = messy
    consolidate(folder, bloc)
    wb = openpyxl.load_workbook(feedback_path(folder, bloc.members[0]))
    assert TR.FEEDBACK_SHEET in wb.sheetnames and T.FORM_SHEET in wb.sheetnames
    ws = wb[T.FORM_SHEET]
    bad = ws[input_cell("I.2")]
    assert bad.fill.fgColor.rgb.endswith("FFC7CE")
    assert "vượt điểm tối đa" in bad.comment.text
    assert ws[input_cell("I.2")].value == 11  # the unit's own value is shown, not changed
    listing = wb[TR.FEEDBACK_SHEET]
    rows = [[c.value for c in row] for row in listing.iter_rows(min_row=5)]
    over = [r for r in rows if r[5] == "value.over_max"]
    assert over and over[0][1].endswith(f"{T.FORM_SHEET} › {input_cell('I.2')}")
    assert "vượt điểm tối đa" in over[0][3] and not over[0][3].startswith("Ô ")  # the location shows the cell
    assert over[0][4] == TR.FEEDBACK_TODO["error"]  # the message names no action: the usual one
    assert "CHƯA được tính điểm" in listing["A2"].value
    warned = openpyxl.load_workbook(feedback_path(folder, bloc.members[1]))
    assert warned[T.FORM_SHEET][input_cell("I.2")].fill.fgColor.rgb.endswith("FFEB9C")
    assert "được tính điểm" in warned[TR.FEEDBACK_SHEET]["A2"].value


def test_feedback_of_an_unreadable_file_holds_the_list_only(messy):
    folder, bloc = messy
    consolidate(folder, bloc)
    wb = openpyxl.load_workbook(feedback_path_for_file(folder, CSV_NAME))
    assert wb.sheetnames == [TR.FEEDBACK_SHEET]
    assert "file.not_xlsx" in [c.value for c in _texts(wb[TR.FEEDBACK_SHEET])]


def test_text_beginning_with_equals_stays_text_in_feedback_and_summary(messy):
    folder, bloc = messy
    result = consolidate(folder, bloc)
    feedback = feedback_path(folder, bloc.members[0])
    evidence = openpyxl.load_workbook(feedback)[T.FORM_SHEET][evidence_cell("I.1")]
    assert evidence.value == "=1+1" and evidence.data_type == "s"
    with zipfile.ZipFile(feedback) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    assert not any("<f>1+1</f>" in xml for xml in sheets)
    summary = openpyxl.load_workbook(result.summary_path)
    named = [c for ws in summary.worksheets for c in _texts(ws) if c.value in (FORMULA_LIKE_NAME, "=Bình")]
    assert named and all(c.data_type == "s" for c in named)
    listing = openpyxl.load_workbook(feedback_path_for_file(folder, CSV_NAME))[TR.FEEDBACK_SHEET]
    file_cells = [c for c in _texts(listing) if c.value == CSV_NAME]
    assert file_cells and all(c.data_type == "s" for c in file_cells)


def test_units_not_counted_carry_a_reason_in_the_check_sheet(messy):
    folder, bloc = messy
    result = consolidate(folder, bloc)
    ws = openpyxl.load_workbook(result.summary_path)[T.CHECK_SHEET]
    texts = [str(c.value) for c in _texts(ws)]
    assert any(t.startswith(TR.NOT_COUNTED_REASON.format(message="")) and "vượt điểm tối đa" in t for t in texts)
    assert "file.not_xlsx" in texts and "value.decimal_comma" in texts


def test_stale_feedback_is_removed_once_the_unit_sends_a_good_form(messy):
    folder, bloc = messy
    a = bloc.members[0]
    consolidate(folder, bloc)
    assert feedback_path(folder, a).is_file()
    forms = {m.code: folder / "phieu" / form_filename(m) for m in bloc.members}
    filled(form="A")(forms, folder / "nhan" / form_filename(a))
    result = consolidate(folder, bloc)
    assert not feedback_path(folder, a).exists() and feedback_path(folder, a) not in result.feedback_paths
    assert result.ranking.table.loc["A", "counted"]


def test_a_macro_enabled_return_is_read_and_its_feedback_has_no_macros(messy):
    folder, bloc = messy
    c = bloc.members[2]
    path = folder / "nhan" / form_filename(c)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xlsm = path.with_suffix(".xlsm")
    with zipfile.ZipFile(xlsm, "w") as zf:
        for name, data in {**parts, "xl/vbaProject.bin": b"never run"}.items():
            zf.writestr(name, data)
    path.unlink()
    result = consolidate(folder, bloc)
    assert result.ranking.table.loc["C", "counted"]
    assert "file.macros" in {p.code for p in result.problems}
    with zipfile.ZipFile(feedback_path(folder, c)) as zf:
        assert "xl/vbaProject.bin" not in zf.namelist()


def test_every_bad_inbox_still_gives_a_summary(tmp_path):
    bloc = corpus_bloc()
    init_folder(tmp_path, bloc)
    make_forms(tmp_path, bloc)
    (tmp_path / "nhan" / "a.xlsx").write_bytes(b"PK\x03\x04 broken")
    result = consolidate(tmp_path, bloc)
    assert result.summary_path.is_file() and not result.ranking.table["counted"].any()
    assert result.feedback_paths == [feedback_path_for_file(tmp_path, "a.xlsx")]


def test_feedback_for_a_unit_member_is_named_by_the_contract(tmp_path):
    member = Member(7, "X.1", "Sở Tư pháp", "Tư pháp", "")
    assert feedback_path(tmp_path, member).name == f"phan-hoi-{form_filename(member)}"


def test_an_unreadable_file_keeping_the_form_name_is_attributed_to_its_unit(messy):
    folder, bloc = messy
    a = bloc.members[0]
    inbox = folder / "nhan"
    (inbox / form_filename(a)).unlink()
    encrypted = inbox / f"{Path(form_filename(a)).stem} (1).xlsx"
    encrypted.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le"))
    result = consolidate(folder, bloc)
    note = result.ranking.table.loc["A", "note"]
    assert not result.ranking.table.loc["A", "counted"] and "mật khẩu" in note
    assert feedback_path(folder, a) in result.feedback_paths
    assert {p.unit for p in result.problems if p.file == encrypted.name} == {"A"}


def test_a_unit_is_told_why_its_newer_file_was_not_used(messy):
    folder, bloc = messy
    c = bloc.members[2]
    inbox = folder / "nhan"
    forms = {m.code: folder / "phieu" / form_filename(m) for m in bloc.members}
    newer = inbox / "C-sua-lai.xlsx"
    filled({"I.2": 9.3}, form="C")(forms, newer)
    set_saved(inbox / form_filename(c), datetime(2026, 12, 1, tzinfo=timezone.utc))
    set_saved(newer, datetime(2026, 12, 3, tzinfo=timezone.utc))
    result = consolidate(folder, bloc)
    assert result.returns.submissions["C"].path.name == form_filename(c)
    wb = openpyxl.load_workbook(feedback_path(folder, c))
    codes = [r[5] for r in wb[TR.FEEDBACK_SHEET].iter_rows(min_row=5, values_only=True)]
    assert {"value.step", "returns.newer_invalid", "returns.superseded"} <= set(codes)
    # the copy is of the file used; the newer file's bad cell is listed, not painted on the wrong file
    assert wb[T.FORM_SHEET][input_cell("I.2")].comment is None


@pytest.mark.office
def test_libreoffice_opens_the_feedback_workbook(soffice, messy):
    folder, bloc = messy
    path = consolidate(folder, bloc).feedback_paths[0]
    read = office.read_values(path, [TR.FEEDBACK_SHEET, T.FORM_SHEET])
    listed = read["values"][TR.FEEDBACK_SHEET]
    assert "value.over_max" in listed.values()
    assert read["values"][T.FORM_SHEET][input_cell("I.2")] == 11
    assert not read["formulas"][TR.FEEDBACK_SHEET]  # nothing on the list became a formula
