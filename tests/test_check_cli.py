"""`thidua check`: a readable per-file report, a machine-readable one (--json), feedback on request;
exit code 0 only when every file is valid; inputs untouched; never a traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.returns_corpus import corpus_bloc, filled, input_cell
from toolkit.chairbook import write_bloc_workbook
from toolkit.feedback import feedback_path, feedback_path_for_file
from toolkit.fileio import sha256_file
from toolkit.folder import init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.cli import main

ODD_NAME = "Phiếu Đơn vị Bình (bản cuối) #2.xlsx"


@pytest.fixture
def inbox(tmp_path):
    """A bloc folder: A over the maximum, B valid (odd file name), a corrupt file."""
    bloc = corpus_bloc()
    init_folder(tmp_path, None)
    write_bloc_workbook(tmp_path / "khoi.xlsx", bloc)
    forms = {m.code: p for m, p in zip(bloc.members, make_forms(tmp_path))}
    nhan = tmp_path / "nhan"
    filled({"I.2": 11}, form="A")(forms, nhan / form_filename(bloc.members[0]))
    filled(form="B")(forms, nhan / ODD_NAME)
    (nhan / "hỏng.xlsx").write_bytes(b"PK\x03\x04 not really")
    return tmp_path, bloc


def _hashes(folder):
    return {p.name: sha256_file(p) for p in folder.iterdir()}


def test_the_readable_report_names_file_sheet_cell_and_what_to_do(inbox):
    folder, bloc = inbox
    before = _hashes(folder / "nhan")
    result = CliRunner().invoke(main, ["check", str(folder / "nhan")])
    assert result.exit_code == 1, result.output
    out = result.output
    assert "Traceback" not in out
    assert f"✗ {form_filename(bloc.members[0])}: 1 lỗi" in out
    assert f"[Lỗi] Phiếu chấm điểm: Ô {input_cell('I.2')}: 11 vượt điểm tối đa" in out
    assert f"✓ {ODD_NAME}: hợp lệ (đơn vị B)" in out
    assert "✗ hỏng.xlsx" in out and "Tệp bị hỏng" in out
    assert "Tổng cộng: 1/3 tệp hợp lệ." in out
    assert _hashes(folder / "nhan") == before
    assert not (folder / "ket-qua" / "phan-hoi").exists()  # feedback only on request


def test_the_json_report_is_machine_readable(inbox):
    folder, bloc = inbox
    result = CliRunner().invoke(main, ["check", "--json", str(folder / "nhan")])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["ok"], report["total"]) == (1, 3)
    by_name = {f["file"].rsplit("/", 1)[-1]: f for f in report["files"]}
    a = by_name[form_filename(bloc.members[0])]
    assert a["unit"] == "A" and not a["ok"] and not a["used"] and a["errors"] == 1
    assert a["problems"][0]["code"] == "value.over_max" and a["problems"][0]["cell"] == input_cell("I.2")
    assert by_name[ODD_NAME]["ok"] and by_name[ODD_NAME]["used"] and by_name[ODD_NAME]["sha256"] == sha256_file(folder / "nhan" / ODD_NAME)
    assert by_name["hỏng.xlsx"]["problems"][0]["code"] == "file.corrupt"
    assert report["feedback"] == []


def test_check_writes_feedback_on_request(inbox):
    folder, bloc = inbox
    result = CliRunner().invoke(main, ["check", "--json", "--phan-hoi", str(folder / "nhan")])
    report = json.loads(result.output)
    expected = {feedback_path(folder, bloc.members[0]), feedback_path_for_file(folder, "hỏng.xlsx")}
    assert {str(p) for p in expected} == set(report["feedback"])
    assert all(p.is_file() for p in expected)
    text = CliRunner().invoke(main, ["check", "--phan-hoi", str(folder / "nhan")]).output
    assert f"Phiếu phản hồi: {feedback_path(folder, bloc.members[0])}" in text


def test_a_valid_file_alone_exits_zero(inbox):
    folder, _ = inbox
    result = CliRunner().invoke(main, ["check", str(folder / "nhan" / ODD_NAME)])
    assert result.exit_code == 0 and "hợp lệ" in result.output


def test_a_missing_file_is_a_user_error_not_a_traceback(inbox):
    folder, _ = inbox
    result = CliRunner().invoke(main, ["check", str(folder / "nhan" / "khong-co.xlsx")])
    assert result.exit_code == 2 and "Không tìm thấy" in result.output and "Traceback" not in result.output


def test_consolidate_reports_feedback_and_not_counted_units(inbox):
    folder, bloc = inbox
    result = CliRunner().invoke(main, ["consolidate", str(folder)])
    assert result.exit_code == 0, result.output
    assert f"Không tính: {bloc.members[0].label} — Phiếu không hợp lệ: " in result.output
    assert "phiếu phản hồi" in result.output
