"""Issue 14: a return proves which unit sent it — the ledger of issued forms and the per-unit seal
(forgeries made with openpyxl; tests/test_seal_office.py does the same through the real LibreOffice)."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from tests.seal_helpers import (HONEST, META_SHEET_MISSING, forge, issued_to_other, meta_of,
                                not_issued, returned, seal_invalid)
from tests.returns_corpus import set_saved
from datetime import datetime
from toolkit import texts as T
from toolkit.chairbook.ledger import read_ledger
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.folder import FolderError, consolidate, init_folder, make_forms
from toolkit.seal import folder_custody
from toolkit.forms import generate_forms
from toolkit.returns import collect_returns
from toolkit.seal import load_secret, seal_matches, secret_path
from toolkit.summary import source_files

CUSTODY_CODES = {"form.not_issued", "form.issued_to_other", "form.seal_invalid", "form.older_issue",
                 "form.meta_sheet_missing", "returns.no_ledger", "returns.no_secret", "returns.forms_differ"}


def _fill(folder: Path, bloc, forms: list[Path]) -> None:
    for member, form in zip(bloc.members, forms):
        fill_form(form, folder / "nhan" / form.name, bloc, HONEST[member.code])


@pytest.fixture
def folder(tmp_path):
    bloc = small_bloc()
    init_folder(tmp_path, bloc)
    _fill(tmp_path, bloc, make_forms(tmp_path, bloc))
    return tmp_path, bloc


def _errors(result, name: str) -> list[str]:
    return [p.message for r in result.returns.results if r.path.name == name for p in r.problems if p.is_error]


def test_honest_returns_match_their_issued_forms_and_carry_a_valid_seal(folder):
    path, bloc = folder
    result = consolidate(path, bloc)
    assert set(result.returns.submissions) == {"A", "B", "C"}
    assert [p.code for p in result.problems if p.code in CUSTODY_CODES] == []
    secret = load_secret(path)
    for member in bloc.members:
        assert seal_matches(secret, meta_of(returned(path, bloc, member.code)))
    notes = [s.issued for s in source_files(result.returns, folder_custody(path))]
    assert all(n.startswith("Phiếu phát cho ") for n in notes) and len(notes) == 3


def test_the_forgery_of_a_rivals_return_is_rejected_and_the_real_return_is_used(folder):
    path, bloc = folder
    before = consolidate(path, bloc).ranking.table.loc["A", "total"]
    own = returned(path, bloc, "C")
    forged = forge(own, path / "nhan" / "01-a-an (2).xlsx", bloc, "A")
    result = consolidate(path, bloc)
    assert _errors(result, forged.name) == [issued_to_other("Đơn vị An", meta_of(own)["form_id"], "Đơn vị Cường")]
    assert result.returns.submissions["A"].path == returned(path, bloc, "A")
    assert result.ranking.table.loc["A", "total"] == before
    nguon = openpyxl.load_workbook(result.summary_path)["Nguồn"]
    rows = {r[1]: r[9] for r in nguon.iter_rows(min_row=4, values_only=True)}
    assert "CẢNH BÁO: mã phiếu này dùng cho 2 đơn vị (A, C)" in rows[forged.name]
    assert nguon["J3"].value == T.seal.SOURCES_ISSUED_COLUMN


@pytest.mark.parametrize("variant", ["sheet_only", "properties_only"])
def test_forgery_variants_are_rejected_naming_both_units(folder, variant):
    path, bloc = folder
    own = returned(path, bloc, "C")
    forged = forge(own, path / "nhan" / "forged.xlsx", bloc, "A", props=variant != "sheet_only",
                   delete_sheet=variant == "properties_only")
    result = consolidate(path, bloc)
    assert _errors(result, "forged.xlsx") == [issued_to_other("Đơn vị An", meta_of(own)["form_id"], "Đơn vị Cường")]
    warnings = [p.message for r in result.returns.results if r.path == forged for p in r.problems if not p.is_error]
    assert (META_SHEET_MISSING in warnings) == (variant == "properties_only")
    assert result.returns.submissions["A"].path == returned(path, bloc, "A")


def test_a_form_id_never_issued_is_rejected(folder):
    path, bloc = folder
    forge(returned(path, bloc, "C"), path / "nhan" / "forged.xlsx", bloc, "A", form_id="0" * 32)
    assert _errors(consolidate(path, bloc), "forged.xlsx") == [not_issued("Đơn vị An", "0" * 32)]


def test_the_rivals_real_form_id_without_its_seal_is_rejected(folder):
    """The form ids are on the summary's Nguồn sheet: knowing one is not enough, the seal is missing."""
    path, bloc = folder
    rival_id = meta_of(returned(path, bloc, "A"))["form_id"]
    forge(returned(path, bloc, "C"), path / "nhan" / "forged.xlsx", bloc, "A", form_id=rival_id)
    assert _errors(consolidate(path, bloc), "forged.xlsx") == [seal_invalid("Đơn vị An")]


def test_another_blocs_form_with_its_own_valid_seal_is_rejected(folder, tmp_path_factory):
    path, bloc = folder
    other = tmp_path_factory.mktemp("other-bloc")
    init_folder(other, bloc)  # the same bloc (same key and units) in another chair's folder
    form = make_forms(other, bloc)[0]
    stray = fill_form(form, path / "nhan" / "01-a-an (khac).xlsx", bloc, HONEST["A"])
    assert seal_matches(load_secret(other), meta_of(stray)) and not seal_matches(load_secret(path), meta_of(stray))
    result = consolidate(path, bloc)
    assert _errors(result, stray.name) == [not_issued("Đơn vị An", meta_of(stray)["form_id"])]
    assert result.returns.submissions["A"].path == returned(path, bloc, "A")


def test_a_form_from_an_earlier_issue_is_accepted_with_a_warning_and_the_newest_issue_preferred(folder):
    path, bloc = folder
    old_a = returned(path, bloc, "A")
    old_id = meta_of(old_a)["form_id"]
    forms = make_forms(path, bloc)  # reissue: new ids, the earlier ones stay in the ledger
    issues = read_ledger(path / "khoi.xlsx")
    assert len(issues) == 6 and old_id in [i.form_id for i in issues[:3]]
    result = consolidate(path, bloc)
    assert result.returns.submissions["A"].path == old_a
    first, latest = issues[0].when(), issues[3].when()
    warning = (f"Phiếu thuộc lần phát lúc {first}; Trưởng khối đã phát phiếu mới hơn lúc {latest}. "
               "Phiếu vẫn được tính; lần sau hãy dùng phiếu mới nhất.")
    assert warning in [p.message for p in result.problems if p.file == old_a.name]
    new_a = fill_form(forms[0], path / "nhan" / "01-a-an (moi).xlsx", bloc, HONEST["B"] | {"I.2": 7})
    set_saved(new_a, datetime(2026, 1, 1))  # saved long before the old one: the issue decides, not the time
    result = consolidate(path, bloc)
    assert result.returns.submissions["A"].path == new_a
    [differ] = [p for p in result.problems if p.code == "returns.forms_differ"]
    assert differ.message == (f"Đơn vị gửi 2 tệp thuộc các phiếu khác nhau (mã phiếu hoặc dấu niêm phong khác "
                              f"nhau); dùng {new_a.name} vì thuộc lần phát phiếu mới nhất của Trưởng khối; để "
                              f"riêng, không dùng: {old_a.name}. Hãy hỏi lại đơn vị tệp nào là phiếu của mình.")


def test_an_older_folder_without_a_ledger_gets_a_warning_not_a_rejection(tmp_path):
    bloc = small_bloc()
    init_folder(tmp_path, bloc)
    secret_path(tmp_path).unlink()
    _fill(tmp_path, bloc, generate_forms(bloc, tmp_path / "phieu"))  # forms made before the ledger
    result = consolidate(tmp_path, bloc)
    assert set(result.returns.submissions) == {"A", "B", "C"}
    assert [p.message for p in result.problems if p.code in CUSTODY_CODES] == [
        "Tệp khối chưa có sổ “Phiếu đã phát” (thư mục lập bằng phiên bản cũ) nên không đối chiếu được mã phiếu "
        "và dấu niêm phong. Hãy chạy “thidua forms” để phát lại phiếu có niêm phong."]
    make_forms(tmp_path, bloc)  # the first `thidua forms` after the upgrade makes the secret
    assert load_secret(tmp_path) and len(read_ledger(tmp_path / "khoi.xlsx")) == 3


def test_without_a_ledger_files_of_different_forms_are_not_silently_superseded(tmp_path):
    bloc = small_bloc()
    forms = generate_forms(bloc, tmp_path / "a") + generate_forms(bloc, tmp_path / "b")
    first = fill_form(forms[0], tmp_path / "nhan" / "1.xlsx", bloc, HONEST["A"])
    second = fill_form(forms[3], tmp_path / "nhan" / "2.xlsx", bloc, HONEST["A"])
    set_saved(second, datetime(2027, 1, 1))
    returns = collect_returns([first, second], bloc)
    [differ] = [p for p in returns.problems if p.code == "returns.forms_differ"]
    assert returns.submissions["A"].path == second
    assert "dùng 2.xlsx vì lưu muộn nhất theo thời gian do chính tệp ghi — thời gian này không đáng tin" in \
        differ.message and differ.message.endswith("để riêng, không dùng: 1.xlsx. Hãy hỏi lại đơn vị tệp nào là "
                                                   "phiếu của mình.")


def test_the_secret_is_owner_only_and_never_in_a_form(folder):
    path, bloc = folder
    secret = secret_path(path)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and stat.S_IMODE(secret.parent.stat().st_mode) == 0o700
    for form in (path / "phieu").glob("*.xlsx"):
        with zipfile.ZipFile(form) as zf:
            assert not any(load_secret(path) in zf.read(n) for n in zf.namelist())


def test_the_ledger_is_written_into_the_xlsm_package_keeping_every_other_part(tmp_path):
    bloc = small_bloc()
    chair = init_folder(tmp_path, bloc, macros=True)
    with zipfile.ZipFile(chair) as zf:
        before = {n: zf.read(n) for n in zf.namelist()}
    make_forms(tmp_path, bloc)
    first = read_ledger(chair)
    make_forms(tmp_path, bloc)
    with zipfile.ZipFile(chair) as zf:
        after = {n: zf.read(n) for n in zf.namelist()}
    changed = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    assert {n: d for n, d in before.items() if n not in changed} == \
        {n: d for n, d in after.items() if n in before and n not in changed}
    assert "xl/vbaProject.bin" in after and any(n.startswith("xl/drawings/") for n in after)
    [new_part] = set(after) - set(before)
    ledger = read_ledger(chair)
    assert len(ledger) == 6 and ledger[:3] == first
    assert [i.unit for i in ledger] == ["A", "B", "C"] * 2
    wb = openpyxl.load_workbook(chair, keep_vba=True)
    ws = wb[T.seal.LEDGER_SHEET]
    assert wb.sheetnames[-1] == T.seal.LEDGER_SHEET and ws.protection.sheet
    assert [c.value for c in ws[1]] == list(T.seal.LEDGER_COLUMNS) and ws["D7"].value == ledger[5].form_id
    # in the workbook's own Times New Roman styles (styles.xml kept): a bold header, plain cells
    assert {(c.font.name, c.font.b) for c in ws[1]} == {("Times New Roman", True)}
    assert {(c.font.name, c.font.b) for row in ws.iter_rows(min_row=2) for c in row} == {("Times New Roman", False)}
    assert new_part.startswith("xl/worksheets/")


def test_forms_refuses_when_the_chairs_workbook_is_open(tmp_path):
    bloc = small_bloc()
    chair = init_folder(tmp_path, bloc, macros=True)
    (tmp_path / ".~lock.khoi.xlsm#").write_text("x")
    with pytest.raises(FolderError) as raised:
        make_forms(tmp_path, bloc)
    assert str(raised.value) == (f"Tệp khối {chair} đang mở (hoặc bị khoá) nên không ghi được sổ “Phiếu đã "
                                 "phát”. Hãy đóng tệp trong Excel/LibreOffice rồi chạy lại “thidua forms”.")
    assert list((tmp_path / "phieu").iterdir()) == []


def test_check_cli_reports_the_forgery(folder):
    path, bloc = folder
    own = returned(path, bloc, "C")
    forged = forge(own, path / "nhan" / "forged.xlsx", bloc, "A")
    run = CliRunner().invoke(main, ["check", str(forged)])
    assert run.exit_code == 1
    assert issued_to_other("Đơn vị An", meta_of(own)["form_id"], "Đơn vị Cường") in " ".join(run.output.split())


def test_a_ledger_without_the_secret_warns_and_still_checks_the_form_ids(folder):
    path, bloc = folder
    secret_path(path).unlink()
    own = returned(path, bloc, "C")
    forge(own, path / "nhan" / "forged.xlsx", bloc, "A")
    result = consolidate(path, bloc)
    assert f"Không tìm thấy khoá niêm phong ({secret_path(path)})" in " ".join(p.message for p in result.problems)
    assert _errors(result, "forged.xlsx") == [issued_to_other("Đơn vị An", meta_of(own)["form_id"], "Đơn vị Cường")]
    assert set(result.returns.submissions) == {"A", "B", "C"}
