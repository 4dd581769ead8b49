"""One value for a bloc's folder (toolkit.paths), one report layer (toolkit.report), one user-error base."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from toolkit import cli
from toolkit import texts as T
from toolkit.demo import fill_form
from toolkit.excel.button import ButtonError
from toolkit.folder import FolderError, consolidate, init_folder, load_folder_bloc, make_forms
from toolkit.forms import form_filename
from toolkit.mail import MailError, _problem_line
from toolkit.paths import BlocFolder, inbox_files
from toolkit.problems import ProblemError, UserError, problem
from toolkit.report import problem_row, send_counts, send_row, unit_rows
from toolkit.sendlog import SendResult, SendStatus
from toolkit.texts import mail as M

# The hand-computed ranking of test_pipeline: A 30, C 22.5, B 21.
INPUTS = {
    "A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
    "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0},
}


def test_the_folder_value_names_every_path_of_the_layout(tmp_path):
    f = BlocFolder.at(tmp_path)
    assert (f.forms, f.peer_forms) == (tmp_path / "phieu", tmp_path / "phieu" / "cham-cheo")
    assert (f.inbox, f.peer_inbox) == (tmp_path / "nhan", tmp_path / "nhan" / "cham-cheo")
    assert (f.output, f.feedback) == (tmp_path / "ket-qua", tmp_path / "ket-qua" / "phan-hoi")
    assert f.mail_log == tmp_path / "ket-qua" / "thu" / "nhat-ky-gui.csv"
    assert (f.chair_xlsm.name, f.chair_xlsx.name) == ("khoi.xlsm", "khoi.xlsx")


def test_inbox_and_output_overrides_move_only_what_they_name(tmp_path):
    f = BlocFolder.at(tmp_path, inbox=tmp_path / "vao", output=tmp_path / "ra")
    assert (f.inbox, f.peer_inbox, f.output) == (tmp_path / "vao", tmp_path / "vao" / "cham-cheo", tmp_path / "ra")
    assert f.feedback == tmp_path / "ket-qua" / "phan-hoi"      # the feedback the mail stage sends
    assert f.forms == tmp_path / "phieu"


def test_the_chair_workbook_is_the_xlsm_first_and_none_when_missing(tmp_path):
    f = BlocFolder.at(tmp_path)
    assert f.chair is None
    f.chair_xlsx.write_bytes(b"x")
    assert f.chair == tmp_path / "khoi.xlsx"
    f.chair_xlsm.write_bytes(b"x")
    assert f.chair == tmp_path / "khoi.xlsm"


def test_the_inbox_lists_sent_files_only_and_a_missing_inbox_is_empty(tmp_path):
    assert inbox_files(tmp_path / "khong-co") == []
    for name in ("b.xlsx", "a.xls", ".an.xlsx", "~$b.xlsx", ".~lock.a.xls#"):
        (tmp_path / name).write_bytes(b"x")
    (tmp_path / "cham-cheo").mkdir()
    assert inbox_files(tmp_path) == [tmp_path / "a.xls", tmp_path / "b.xlsx"]


def test_a_problem_row_places_the_problem_once():
    p = problem("value.over_max", file="a.xlsx", sheet=T.FORM_SHEET, cell="E12", value=11, max=10, code="I.2")
    row = problem_row(p)
    assert row.location == f"a.xlsx › {T.FORM_SHEET} › E12"
    assert row.where == f"{T.FORM_SHEET} › E12"
    assert row.lead == f"{T.FORM_SHEET}: "              # the message says "Ô E12: ..." already
    assert (row.level, row.is_error) == (T.SEVERITY["error"], True)
    assert row.as_dict() == p.as_dict()
    bare = problem_row(problem("file.unreadable", file="b.xlsx", reason="?"))
    assert (bare.where, bare.lead) == ("b.xlsx", "")


def test_the_mail_body_uses_the_same_row():
    p = problem("value.over_max", file="a.xlsx", sheet=T.FORM_SHEET, cell="E12", value=11, max=10, code="I.2")
    assert _problem_line(p) == M.FEEDBACK_PROBLEM.format(severity=T.SEVERITY["error"],
                                                         where=f"{T.FORM_SHEET}: ", message=p.message)


def test_unit_rows_list_the_ranked_units_then_those_not_counted(tmp_path):
    init_folder(tmp_path, small_bloc())
    bloc = load_folder_bloc(tmp_path)
    make_forms(tmp_path, bloc)
    for m in bloc.members:
        if m.code in INPUTS:                                   # B sends nothing
            fill_form(tmp_path / "phieu" / form_filename(m), tmp_path / "nhan" / form_filename(m), bloc,
                      INPUTS[m.code])
    rows = unit_rows(consolidate(tmp_path, bloc).ranking)
    assert [(r.code, r.counted, r.total, r.rank) for r in rows] == [
        ("A", True, 30, "1"), ("C", True, 22.5, "2"), ("B", False, None, "")]
    assert rows[2].note and rows[2].label == bloc.member("B").label


def _result(status: SendStatus, why=None) -> SendResult:
    return SendResult("forms", "A", "An", ("a@x.vn", "b@x.vn"), "", (), status, why)


def test_send_rows_and_counts_use_the_typed_status():
    why = problem("mail.failed", unit="A", reason="550")
    row = send_row(_result(SendStatus.FAILED, why))
    assert (row.mark, row.result, row.to, row.detail) == (M.MARKS["failed"], M.RESULTS["failed"],
                                                          "a@x.vn, b@x.vn", why.message)
    counts = send_counts([_result(SendStatus.SENT), _result(SendStatus.SENT), _result(SendStatus.DRAFTED)])
    assert counts == {"sent": 2, "drafted": 1, "already_sent": 0, "skipped": 0, "failed": 0}
    assert SendStatus.SENT == "sent" and _result(SendStatus.ALREADY_SENT).ok
    assert not _result(SendStatus.SKIPPED).ok


@pytest.mark.parametrize("error", [FolderError, MailError, ProblemError, ButtonError])
def test_every_user_error_shares_one_base(error):
    assert issubclass(error, UserError)


def test_the_cli_shows_any_user_error_without_a_traceback(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise UserError("Thư mục này không dùng được.")

    monkeypatch.setattr(cli, "consolidate", refuse)
    result = CliRunner().invoke(cli.main, ["consolidate", str(tmp_path)])
    assert result.exit_code == 2
    assert "Thư mục này không dùng được." in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_folder_path_is_not_spelled_out_anywhere_else():
    """The layout's names are written in toolkit/paths.py only."""
    import ast

    import toolkit

    names = {"phieu", "nhan", "ket-qua", "cham-cheo", "phan-hoi", "thu", "khoi.xlsm", "khoi.xlsx"}
    package = Path(toolkit.__file__).parent
    found = [f"{p.relative_to(package)}:{n.lineno}" for p in package.rglob("*.py") if p.name != "paths.py"
             for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
             if isinstance(n, ast.Constant) and n.value in names]
    assert found == []
