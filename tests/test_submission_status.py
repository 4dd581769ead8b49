""""Tình hình nộp phiếu" and reminders, on returns received through a real IMAP server on loopback."""

from __future__ import annotations

import email
import email.policy
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from tests.imap_server import ImapServer, Mailbox
from tests.test_intake import PASSWORD, _message
from toolkit import texts as T
from toolkit.bloc.model import Member
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.intake import receive_returns
from toolkit.mail import send_documents
from toolkit.status import status_rows, status_totals
from toolkit.texts import intake as TI
from toolkit.texts import mail as M

VN = timezone(timedelta(hours=7))
VALUES = {"I.1": 100, "I.2": 8, "II.1": T.PASS, "II.2": 1, "III.1": 0, "IV.1": 0}


def _bloc():
    base = small_bloc()
    extra = Member(4, "D", "Đơn vị Dũng", "Dũng", "d@test.example")
    return small_bloc(members=base.members + (extra,))


@pytest.fixture
def received(tmp_path) -> tuple[Path, object]:
    """A late, B twice (the second supersedes the first), C a file that is not a form, D nothing —
    all through the mailbox."""
    bloc = _bloc()
    folder = tmp_path / "khoi"
    init_folder(folder, bloc)
    forms = {f.name[:4]: f for f in make_forms(folder, bloc)}
    a, b = (fill_form(f, tmp_path / f.name, bloc, VALUES) for f in sorted(forms.values())[:2])
    b_again = fill_form(sorted(forms.values())[1], tmp_path / "b2.xlsx", bloc, {**VALUES, "I.2": 9})
    sheet = tmp_path / "khong-phai-phieu.xlsx"
    openpyxl.Workbook().save(sheet)
    box = Mailbox(password=PASSWORD)
    box.add(_message("b@test.example", "B", [(b.name, b.read_bytes())]).as_bytes(), datetime(2026, 12, 5, 8, tzinfo=VN))
    box.add(_message("c@test.example", "C", [("phieu C.xlsx", sheet.read_bytes())]).as_bytes(),
            datetime(2026, 12, 6, 8, tzinfo=VN))
    box.add(_message("b@test.example", "B lần 2", [(b.name, b_again.read_bytes())]).as_bytes(),
            datetime(2026, 12, 7, 8, tzinfo=VN))
    box.add(_message("a@test.example", "A", [(a.name, a.read_bytes())]).as_bytes(), datetime(2026, 12, 12, 9, tzinfo=VN))
    with ImapServer(box) as server:
        receive_returns(folder, PASSWORD, overrides={"host": "127.0.0.1", "port": server.port,
                                                     "security": "none", "user": "chair"})
    return folder, bloc


def test_each_unit_received_or_not_when_late_valid_or_not_and_superseded(received):
    folder, bloc = received
    rows = {r.code: r for r in status_rows(folder, bloc, today=date(2026, 12, 20))}
    a, b, c, d = (rows[k] for k in "ABCD")
    assert (a.received, a.late, a.state_key, a.superseded) == (True, True, "valid", ())
    assert a.when == datetime(2026, 12, 12, 9, tzinfo=VN).astimezone().strftime("%d/%m/%Y %H:%M")
    assert (b.received, b.late, b.state_key, len(b.files)) == (True, False, "warnings", 2)
    assert b.first_problem.startswith("Đơn vị gửi 2 tệp")  # the set's note on the superseded file
    assert b.superseded == (min(b.files),)  # the first file, received 05/12, is replaced by the 07/12 one
    assert (c.received, c.state_key) == (True, "not_counted")  # listed by its sender: no form says whose
    assert c.first_problem == T.problems.CATALOG["form.not_a_form"].template
    assert (d.received, d.files, d.state_key, d.state) == (False, (), "overdue", TI.STATE["overdue"])
    assert rows["D"].cells()[3] == TI.NO and rows["A"].cells()[6] == TI.LATE
    before = {r.code: r.state_key for r in status_rows(folder, bloc, today=date(2026, 12, 1))}
    assert before["D"] == "missing"
    assert status_totals(list(rows.values())) == {"received": 3, "valid": 2, "not_counted": 1, "missing": 1}


def test_reminders_go_to_the_unit_not_counted_and_the_unit_that_sent_nothing(received):
    folder, bloc = received
    results = send_documents(folder, "reminders", dry_run=True, bloc=bloc)
    assert [(r.code, r.status.value) for r in results] == [("C", "drafted"), ("D", "drafted")]
    c, d = (email.message_from_bytes(r.eml.read_bytes(), policy=email.policy.default) for r in results)
    c_body, d_body = (m.get_body(("plain",)).get_content() for m in (c, d))
    assert T.problems.CATALOG["form.not_a_form"].template in c_body and "10/12/2026" in c_body
    assert "chưa nhận được phiếu" in d_body and "10/12/2026" in d_body
    assert [p.get_filename() for p in d.iter_attachments()] == [r.attachments[0].name for r in results[1:]]
    assert list(c.iter_attachments()) == []
    assert str(c["Subject"]).startswith(f"[{bloc.name}] Nhắc nộp phiếu")


def test_cli_status_lists_every_unit_and_send_nhac_nho_is_accepted(received, monkeypatch):
    folder, bloc = received
    done = CliRunner().invoke(main, ["status", str(folder)])
    assert done.exit_code == 1, done.output  # C and D are not counted yet
    assert "Đã nộp 3/4 đơn vị; hợp lệ 2; chưa được tính 1; chưa nộp 1." in done.output
    assert f"Chưa nộp: {bloc.members[3].label}." in done.output
    assert TI.LATE in done.output and "bị thay thế" in done.output
    sent = CliRunner().invoke(main, ["send", "nhac-nho", str(folder), "--dry-run"])
    assert sent.exit_code == 0, sent.output
    assert sent.output.count(M.KINDS["reminders"]) == 2


def test_the_summary_has_the_status_sheet_with_the_same_rows(received):
    folder, bloc = received
    result = consolidate(folder, bloc, today=date(2026, 12, 20))
    ws = openpyxl.load_workbook(result.summary_path)[TI.STATUS_SHEET]
    assert [c.value for c in ws[3]] == list(TI.STATUS_COLUMNS)
    shown = [[c.value if c.value is not None else "" for c in row] for row in ws.iter_rows(min_row=4)]
    assert shown == [list(r.cells()) for r in status_rows(folder, bloc, today=date(2026, 12, 20))]
    assert shown[3][7] == TI.STATE["overdue"] and shown[0][6] == TI.LATE
