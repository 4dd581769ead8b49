"""The button's entry point run by xlwings' own remote engine, without Excel.

The book is `xw.Book(json=...)` built from the real generated khoi.xlsm; the assertions read the
actions the entry point sends back to the workbook (`book.json()`), as Excel would receive them.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import openpyxl
import pytest
import xlwings as xw

import toolkit
from tests.button_json import book_json, remote_book, set_values
from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.chairbook import book as chairbook_book
from toolkit.chairbook.control import CONTROL_ROWS
from toolkit.chairbook.meeting import PRESENT_CELL, VOTE_HEADER
from toolkit.demo import fill_form
from toolkit.excel.button import ButtonError, run
from toolkit.excel.vba import vba_modules
from toolkit.folder import init_folder, load_folder_bloc, make_forms
from toolkit.forms import form_filename

B = T.button
ACTION_CELL = f"B{CONTROL_ROWS['action'] + 1}"
STATUS_ROW0 = CONTROL_ROWS["status"]          # 0-based, as in the actions
RESULTS_ROW0 = CONTROL_ROWS["results"] + 1
REPO = Path(toolkit.__file__).resolve().parents[1]

# Inputs whose ranking was computed by hand in test_pipeline: A 30, C 22.5, B 21.
INPUTS = {
    "A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
    "B": {"I.1": 100, "I.2": 8, "II.1": T.FAIL, "II.2": 3, "III.1": 1, "IV.1": 0},
    "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0},
}


@pytest.fixture
def remote_engine(monkeypatch):
    """xlwings registers its remote engine at import only when a licence key is set; the key
    `noncommercial` (PolyForm Noncommercial) covers government institutions."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


@pytest.fixture
def bloc_folder(tmp_path):
    """A bloc folder made by `thidua init` with the three units' returns in nhan/."""
    folder = tmp_path / "khối thử"
    init_folder(folder, small_bloc(), macros=True)
    bloc = load_folder_bloc(folder)          # as `thidua forms` does: the bloc as the workbook says
    make_forms(folder, bloc)
    for m in bloc.members:
        name = form_filename(m)
        fill_form(folder / "phieu" / name, folder / "nhan" / name, bloc, INPUTS[m.code])
    return folder


def _action(label: str) -> dict:
    return {B.SHEET_CONTROL: {ACTION_CELL: label}}


def _final_status(book) -> str:
    writes = [a for a in set_values(book) if a["start_row"] == STATUS_ROW0 and a["start_column"] == 1]
    return writes[-1]["values"][0][0]


def _results(book) -> list[list]:
    writes = [a for a in set_values(book) if a["start_row"] == RESULTS_ROW0 and a["start_column"] == 0]
    assert len(writes) == 1
    return writes[0]["values"]


def test_consolidate_writes_the_ranking_and_the_status(remote_engine, bloc_folder):
    book = remote_book(bloc_folder / "khoi.xlsm", _action(B.ACTIONS["consolidate"]))
    run(book, bloc_folder)
    funcs = [a["func"] for a in book.json()["actions"]]
    # status "working", save the chair's edits, clear the old results, write the table, final status
    assert funcs.index("save") < funcs.index("rangeClearContents") < len(funcs) - 1
    head, *rows = _results(book)
    assert head == list(B.RANKING_HEAD)
    assert [(r[1], r[2], r[4]) for r in rows] == [("An", 30, "1"), ("Cường", 22.5, "2"), ("Bình", 21, "3")]
    summary = next((bloc_folder / "ket-qua").glob("tong-hop-*.xlsx"))
    assert _final_status(book) == B.DONE_CONSOLIDATE.format(counted=3, members=3,
                                                            summary=summary.relative_to(bloc_folder))
    assert set_values(book)[0]["values"] == [[B.WORKING.format(action=B.ACTIONS["consolidate"])]]


def test_a_renamed_chair_workbook_is_the_one_read_and_it_is_opened_once(remote_engine, bloc_folder, monkeypatch):
    renamed = bloc_folder / "Khối 2026 (bản của Trưởng khối).xlsm"
    (bloc_folder / "khoi.xlsm").rename(renamed)
    wb = openpyxl.load_workbook(renamed, keep_vba=True)    # the meeting voted: only in the renamed workbook
    ws = wb[T.rules.SHEET_VOTES]
    ws.cell(PRESENT_CELL[0] + 1, PRESENT_CELL[1] + 1, 3)
    ws.cell(VOTE_HEADER + 2, 3, 3)                         # A's row: 3 votes for
    wb.save(renamed)
    book = remote_book(renamed, _action(B.ACTIONS["consolidate"]))   # (the test's own reading of the book)
    opened = []
    load = chairbook_book.open_workbook  # how the chair's workbook is read
    monkeypatch.setattr(chairbook_book, "open_workbook", lambda path, *a, **k: opened.append(Path(path)) or load(path, *a, **k))
    run(book, bloc_folder)
    assert opened == [renamed]                             # bloc and meeting from the button's own workbook
    summary = next((bloc_folder / "ket-qua").glob("tong-hop-*.xlsx"))
    assert _final_status(book) == B.DONE_CONSOLIDATE.format(counted=3, members=3,
                                                            summary=summary.relative_to(bloc_folder))
    from toolkit.folder import consolidate
    assert consolidate(bloc_folder, chair=renamed).ranking.table.loc["A", "votes_pct"] == 100  # its vote counted


def test_folders_typed_on_the_control_sheet_are_used(remote_engine, bloc_folder):
    (bloc_folder / "nhan").rename(bloc_folder / "phiếu về")
    edits = _action(B.ACTIONS["consolidate"])
    edits[B.SHEET_CONTROL].update({f"B{CONTROL_ROWS['inbox'] + 1}": "phiếu về",
                                   f"B{CONTROL_ROWS['output'] + 1}": "báo cáo"})
    book = remote_book(bloc_folder / "khoi.xlsm", edits)
    run(book, bloc_folder)
    assert len(list((bloc_folder / "báo cáo").glob("tong-hop-*.xlsx"))) == 1
    assert [r[1] for r in _results(book)[1:]] == ["An", "Cường", "Bình"]


def test_check_lists_every_file_and_the_problems_of_a_bad_one(remote_engine, bloc_folder):
    bloc = load_folder_bloc(bloc_folder)
    bad = bloc_folder / "nhan" / "loi.xlsx"
    fill_form(bloc_folder / "phieu" / form_filename(bloc.members[1]), bad, bloc, {**INPUTS["B"], "I.2": 12})
    (bloc_folder / "nhan" / "ghi-chu.txt").write_text("không phải phiếu", encoding="utf-8")
    book = remote_book(bloc_folder / "khoi.xlsm", _action(B.ACTIONS["check"]))
    outcome = run(book, bloc_folder)
    head, *rows = _results(book)
    assert head == list(B.CHECK_HEAD)
    by_file = {}
    for r in rows:
        by_file.setdefault(r[0], []).append(r)
    assert {r[2] for r in by_file["loi.xlsx"]} == {T.SEVERITY["error"]}
    assert any("12" in r[1] and "10" in r[1] for r in by_file["loi.xlsx"])      # over the maximum
    first = form_filename(bloc.members[0])
    assert by_file[first] == [[first, "", B.CHECK_OK, "", "An"]]
    assert "ghi-chu.txt" in by_file
    assert _final_status(book) == outcome.status == B.DONE_CHECK.format(
        total=5, inbox=Path("nhan"), ok=3, bad=2)


def test_a_missing_inbox_is_a_status_message(remote_engine, bloc_folder):
    edits = _action(B.ACTIONS["check"])
    edits[B.SHEET_CONTROL][f"B{CONTROL_ROWS['inbox'] + 1}"] = "khong-co"
    book = remote_book(bloc_folder / "khoi.xlsm", edits)
    run(book, bloc_folder)
    assert _final_status(book) == B.NO_INBOX.format(path=bloc_folder / "khong-co")


@pytest.mark.parametrize("action", ["check", "consolidate"])
def test_an_empty_inbox_is_a_status_message(remote_engine, bloc_folder, action):
    for path in (bloc_folder / "nhan").iterdir():
        path.unlink()
    book = remote_book(bloc_folder / "khoi.xlsm", _action(B.ACTIONS[action]))
    run(book, bloc_folder)
    assert _final_status(book) == B.NO_RETURNS.format(inbox=Path("nhan"))
    assert list((bloc_folder / "ket-qua").glob("tong-hop-*")) == []


def test_an_unknown_action_is_a_status_message(remote_engine, bloc_folder):
    book = remote_book(bloc_folder / "khoi.xlsm", _action("Xếp hạng giúp tôi"))
    run(book, bloc_folder)
    assert _final_status(book).startswith(B.UNKNOWN_ACTION.split("{")[0] + "Xếp hạng giúp tôi")
    assert "save" not in [a["func"] for a in book.json()["actions"]]


def test_a_broken_bloc_sheet_lists_its_problems_in_the_results(remote_engine, bloc_folder):
    path = bloc_folder / "khoi.xlsm"
    wb = openpyxl.load_workbook(path, keep_vba=True)      # the chair deletes the chair's code
    ws = wb[T.SHEET_INFO]
    row = next(c.row for c in ws["A"] if c.value == T.INFO_FIELDS["chair"])
    ws.cell(row, 2).value = None
    wb.save(path)
    book = remote_book(path, _action(B.ACTIONS["consolidate"]))
    run(book, bloc_folder)
    head, *rows = _results(book)
    assert head == list(B.PROBLEM_HEAD)
    assert rows == [[T.SEVERITY["error"],
                     T.problems.CATALOG["bloc.missing_field"].template.format(field=T.INFO_FIELDS["chair"]),
                     f"{T.SHEET_INFO} › B{row}"]]
    assert _final_status(book) == B.BLOC_INVALID.format(count=1)


def test_pdf_failure_becomes_a_status_message(remote_engine, bloc_folder, monkeypatch):
    from toolkit import office

    monkeypatch.setattr(office, "find_office", lambda: None)     # a machine without LibreOffice
    book = remote_book(bloc_folder / "khoi.xlsm", _action(B.ACTIONS["pdf"]))
    run(book, bloc_folder)
    assert _final_status(book).startswith(B.OFFICE_FAILED.split("{")[0])


@pytest.mark.office
def test_pdf_is_printed_by_libreoffice_and_the_ranking_shown(remote_engine, bloc_folder, soffice):
    book = remote_book(bloc_folder / "khoi.xlsm", _action(B.ACTIONS["pdf"]))
    outcome = run(book, bloc_folder)
    pdfs = list((bloc_folder / "ket-qua").glob("tong-hop-*.pdf"))
    assert len(pdfs) == 1 and pdfs[0].read_bytes().startswith(b"%PDF")
    assert _final_status(book) == outcome.status == B.DONE_PDF.format(pdf=pdfs[0].relative_to(bloc_folder))
    head, *rows = _results(book)
    assert head == list(B.RANKING_HEAD)
    assert [(r[1], r[2]) for r in rows] == [("An", 30), ("Cường", 22.5), ("Bình", 21)]


def test_email_without_a_mail_server_set_is_a_status_message(remote_engine, bloc_folder):
    from toolkit.folder import consolidate

    consolidate(bloc_folder)
    book = remote_book(bloc_folder / "khoi.xlsm", _action(B.ACTIONS["send_summary"]))
    outcome = run(book, bloc_folder)           # the small bloc has no SMTP server set
    assert _final_status(book) == outcome.status
    assert outcome.status == T.mail.NO_HOST.format(label=T.INFO_FIELDS["smtp_host"])


def test_email_sends_the_summary_from_the_chosen_output_folder_through_a_real_smtp_server(remote_engine,
                                                                                          tmp_path):
    from aiosmtpd.controller import Controller

    from tests.smtp_server import Recorder, free_port
    from toolkit.folder import consolidate

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        folder = tmp_path / "khoi-thu"
        bloc = small_bloc(smtp_host="127.0.0.1", smtp_port=controller.port, smtp_security="none",
                          sender_email="truongkhoi@test.example", board_email="ban-tdkt@test.example")
        init_folder(folder, bloc, macros=True)
        make_forms(folder, bloc)
        for m in bloc.members:
            name = form_filename(m)
            fill_form(folder / "phieu" / name, folder / "nhan" / name, bloc, INPUTS[m.code])
        summary = consolidate(folder, output=folder / "báo cáo").summary_path  # a folder the chair chose
        edits = _action(B.ACTIONS["send_summary"])
        edits[B.SHEET_CONTROL][f"B{CONTROL_ROWS['output'] + 1}"] = "báo cáo"
        book = remote_book(folder / "khoi.xlsm", edits)
        outcome = run(book, folder)
    finally:
        controller.stop()
    assert outcome.status == B.DONE_EMAIL.format(sent=1, total=1) == _final_status(book)
    [sent] = recorder.messages
    assert sent["rcpt_tos"] == ["ban-tdkt@test.example"]
    [attachment] = [p for p in sent["message"].iter_attachments()]
    assert attachment.get_content() == summary.read_bytes()
    head, *rows = _results(book)
    assert head == list(B.SEND_HEAD) and rows[0][2] == "ban-tdkt@test.example"


def test_without_the_control_sheet_run_raises_a_message(remote_engine, bloc_folder):
    data = book_json(bloc_folder / "khoi.xlsm")
    data["sheets"] = [s for s in data["sheets"] if s["name"] != B.SHEET_CONTROL]
    with pytest.raises(ButtonError, match=B.SHEET_CONTROL):
        run(xw.Book(json=data), bloc_folder)


# --- the command line the VBA runs on Windows ------------------------------------------------------

def windows_run_command(workbook: Path, interpreter: str) -> str:
    """What xlwings' VBA (SampleCall -> RunPython -> ExecuteWindows) passes to cmd.exe, after the
    `cd` into the interpreter's folder and before the `2> log` redirection."""
    module = workbook.stem
    python_command = f"import {module};{module}.main()"
    # AddExcelDir; ActiveFullName; ThisFullName; OneDrive consumer/commercial, SharePoint, PYTHONPATH
    pythonpath = ";".join(["true", str(workbook), str(workbook), "", "", "", ""])
    pythonpath = pythonpath.replace("&", "^&").replace("\\", "\\\\")
    run_command = (f'"{interpreter}" -B -c "import xlwings.utils;xlwings.utils.prepare_sys_path(\\"'
                   f'{pythonpath}\\"); {python_command}" ')
    app = "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE"
    return f'{run_command} --wb="{workbook.name}" --from_xl=1 --app="{app}" --hwnd="65552"'


def test_the_reproduced_command_follows_the_workbooks_vba(bloc_folder):
    code = "\n".join(vba_modules(bloc_folder / "khoi.xlsm").values())
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in code
    assert ('" -B -c ""import xlwings.utils;xlwings.utils.prepare_sys_path(\\""" & PYTHONPATH & '
            '"\\""); " & PythonCommand & """ "') in code
    assert 'PYTHONPATH = AddExcelDir & ";" & ActiveFullName & ";" & ThisFullName & ";" & ' \
           'GetConfig("ONEDRIVE_CONSUMER_WIN")' in code
    assert '" --wb=" & """" & ThisWorkbook.Name & """ --from_xl=1"' in code


def _command_env(extra: dict[str, str] | None = None, pythonpath: list[Path] = ()) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "XLWINGS"))}
    env["PYTHONPATH"] = os.pathsep.join(map(str, [*pythonpath, REPO]))
    return {**env, **(extra or {})}


@pytest.mark.parametrize("where", ["interpreter", "workbook"])
def test_the_windows_command_imports_the_shim_and_reaches_the_entry_point(bloc_folder, where):
    command = windows_run_command(bloc_folder / "khoi.xlsm", sys.executable)
    # The VBA changes into the interpreter's folder (there only prepare_sys_path finds khoi.py);
    # with INTERPRETER_WIN "python" it stays in Excel's folder, e.g. the workbook's.
    cwd = Path(sys.executable).parent if where == "interpreter" else bloc_folder
    done = subprocess.run(shlex.split(command), cwd=cwd, env=_command_env(),
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith(B.NO_EXCEL.split("(")[0])     # toolkit.excel.button.main ran


def test_the_windows_command_runs_the_button_end_to_end_with_a_mock_caller(bloc_folder, tmp_path):
    """Same command; a sitecustomize makes xlwings' Book.caller() return a remote-engine book built
    from the workbook (xlwings' set_mock_caller), and dumps the actions the button sent back."""
    import json

    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "book.json").write_text(json.dumps(book_json(bloc_folder / "khoi.xlsm")), encoding="utf-8")
    (site / "sitecustomize.py").write_text(textwrap.dedent(f"""
        import atexit, json
        import xlwings as xw
        book = xw.Book(json=json.load(open({str(tmp_path / 'book.json')!r}, encoding="utf-8")))
        book.set_mock_caller()
        atexit.register(lambda: json.dump(book.json(), open({str(tmp_path / 'actions.json')!r}, "w")))
    """), encoding="utf-8")
    command = windows_run_command(bloc_folder / "khoi.xlsm", sys.executable)
    done = subprocess.run(shlex.split(command), cwd=Path(sys.executable).parent, capture_output=True,
                          env=_command_env({"XLWINGS_LICENSE_KEY": "noncommercial"}, [site]),
                          text=True, encoding="utf-8", timeout=120)
    assert done.returncode == 0, done.stderr
    actions = json.loads((tmp_path / "actions.json").read_text())["actions"]
    table = next(a["values"] for a in actions if a["func"] == "setValues" and a["start_row"] == RESULTS_ROW0)
    assert [r[1] for r in table[1:]] == ["An", "Cường", "Bình"]
    final = [a for a in actions if a["func"] == "setValues" and a["start_row"] == STATUS_ROW0][-1]
    assert re.match(B.DONE_CONSOLIDATE.split("{")[0], final["values"][0][0])


def test_the_shim_says_in_the_status_cell_when_thidua_is_missing(remote_engine, bloc_folder, monkeypatch):
    import importlib.util

    book = remote_book(bloc_folder / "khoi.xlsm")
    monkeypatch.setattr(xw.Book, "_mock_caller", book, raising=False)     # xlwings' set_mock_caller
    monkeypatch.setitem(sys.modules, "toolkit.excel.button", None)      # as if thidua were not installed
    spec = importlib.util.spec_from_file_location("khoi", bloc_folder / "khoi.py")
    shim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shim)
    shim.main()
    assert _final_status(book) == B.SHIM_NO_THIDUA.format(python=sys.executable, folder=bloc_folder)


def test_any_user_error_becomes_the_status_message(remote_engine, bloc_folder, monkeypatch):
    from toolkit.excel import button
    from toolkit.problems import UserError

    def refuse(*args):
        raise UserError("Không dùng được thư mục này.")

    monkeypatch.setitem(button.ACTIONS, "check", refuse)
    book = remote_book(bloc_folder / "khoi.xlsm", _action(B.ACTIONS["check"]))
    assert run(book, bloc_folder).status == "Không dùng được thư mục này."
    assert _final_status(book) == "Không dùng được thư mục này."
