"""The button's e-mail actions through xlwings' remote engine, against a real SMTP server (aiosmtpd) that
requires a login: the password comes from the credential store (a keyring backend in the test's folder,
see conftest.keyring_store), never from the workbook."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.button_json import remote_book, set_values
from tests.helpers import small_bloc
from tests.smtp_server import Recorder, free_port
from tests.test_button_remote import INPUTS, remote_engine  # noqa: F401  (fixture)
from toolkit import credentials
from toolkit import texts as T
from toolkit.chairbook.control import CONTROL_ROWS
from toolkit.demo import fill_form
from toolkit.excel.button import run
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.mail import PASSWORD_ENV
from toolkit.unit_result import unit_result_path

B = T.button
ACTION_CELL = f"B{CONTROL_ROWS['action'] + 1}"
PASSWORD = "Mat-khau-SMTP-7!"
USER = "truongkhoi"


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() \
        and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


@pytest.fixture
def smtp():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), authenticator=_authenticator,
                            auth_require_tls=False)
    controller.start()
    yield recorder, controller.port
    controller.stop()


@pytest.fixture
def folder(tmp_path, smtp, monkeypatch):
    """A bloc folder whose Thông tin names the test server and a login; returns in nhan/; consolidated."""
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    bloc = small_bloc(smtp_host="127.0.0.1", smtp_port=smtp[1], smtp_security="none", smtp_user=USER,
                      sender_email="truongkhoi@test.example", board_email="ban-tdkt@test.example")
    folder = tmp_path / "khối thư"
    init_folder(folder, bloc, macros=True)
    make_forms(folder, bloc)
    for m in bloc.members:
        name = form_filename(m)
        fill_form(folder / "phieu" / name, folder / "nhan" / name, bloc, INPUTS[m.code])
    consolidate(folder)
    return folder


def _press(folder, action: str):
    book = remote_book(folder / "khoi.xlsm", {B.SHEET_CONTROL: {ACTION_CELL: B.ACTIONS[action]}})
    outcome = run(book, folder)
    status = [a for a in set_values(book) if a["start_row"] == CONTROL_ROWS["status"] and a["start_column"] == 1]
    assert status[-1]["values"][0][0] == outcome.status
    return outcome


def _store_password():
    credentials.set_password(credentials.service_for(credentials.SMTP_SERVICE, "127.0.0.1"), USER, PASSWORD)


def test_control_sheet_lists_every_mail_action_and_drafts(remote_engine):
    assert {k for k in B.ACTIONS if k.startswith(("send_", "draft_"))} == {
        f"{how}_{kind}" for how in ("send", "draft")
        for kind in ("forms", "feedback", "summary", "reminders", "results")}


def test_without_a_stored_password_the_status_says_to_run_doctor(remote_engine, folder, smtp):
    outcome = _press(folder, "send_forms")
    assert outcome.status == T.mail.NO_PASSWORD.format(user=USER, folder=folder, env=PASSWORD_ENV)
    assert smtp[0].messages == []


def test_forms_feedback_and_summary_are_sent_with_the_stored_password(remote_engine, folder, smtp):
    _store_password()
    recorder = smtp[0]
    forms = _press(folder, "send_forms")
    assert forms.status == B.DONE_EMAIL.format(sent=3, total=3)
    assert sorted(m["rcpt_tos"][0] for m in recorder.messages) == ["a@test.example", "b@test.example",
                                                                   "c@test.example"]
    assert {m["login"] for m in recorder.messages} == {USER.encode()}
    attached = {m["rcpt_tos"][0]: [p.get_filename() for p in m["message"].iter_attachments()]
                for m in recorder.messages}
    assert attached["a@test.example"] == [form_filename(small_bloc().members[0])]

    feedback = _press(folder, "send_feedback")
    assert feedback.status == B.DONE_EMAIL.format(sent=3, total=3)
    assert len(recorder.messages) == 6
    feedback_subject = T.mail.SUBJECT["feedback"].split("] ")[1].split(" {")[0]
    assert all(feedback_subject in m["message"]["Subject"] for m in recorder.messages[3:])

    summary = _press(folder, "send_summary")
    assert summary.status == B.DONE_EMAIL.format(sent=1, total=1)
    assert recorder.messages[-1]["rcpt_tos"] == ["ban-tdkt@test.example"]
    assert summary.head == B.SEND_HEAD and summary.rows[0][2] == "ban-tdkt@test.example"
    for path in folder.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path


def test_drafts_are_written_as_eml_and_nothing_is_sent(remote_engine, folder, smtp):
    for kind, count in (("forms", 3), ("feedback", 3), ("summary", 1)):
        outcome = _press(folder, f"draft_{kind}")
        assert outcome.status == B.DONE_DRAFTS.format(done=count, total=count, folder=Path("ket-qua", "thu"))
    assert smtp[0].messages == []
    drafts = sorted((folder / "ket-qua" / "thu").glob("*.eml"))
    assert len(drafts) == 7
    board = [d for d in drafts if b"ban-tdkt@test.example" in d.read_bytes()]
    message = email.message_from_bytes(board[0].read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "ban-tdkt@test.example"


def test_a_workbook_made_before_the_split_still_sends_the_summary(remote_engine, folder, smtp):
    _store_password()
    book = remote_book(folder / "khoi.xlsm", {B.SHEET_CONTROL: {ACTION_CELL: "Gửi email"}})
    assert run(book, folder).status == B.DONE_EMAIL.format(sent=1, total=1)
    assert smtp[0].messages[0]["rcpt_tos"] == ["ban-tdkt@test.example"]


def test_each_unit_gets_its_own_result_and_drafts_of_them_are_written(remote_engine, folder, smtp):
    _store_password()
    recorder = smtp[0]
    drafts = _press(folder, "draft_results")
    assert drafts.status == B.DONE_DRAFTS.format(done=3, total=3, folder=Path("ket-qua", "thu"))
    assert recorder.messages == [] and len(list((folder / "ket-qua" / "thu").glob("results-*.eml"))) == 3

    sent = _press(folder, "send_results")
    assert sent.status == B.DONE_EMAIL.format(sent=3, total=3)
    assert [row[2] for row in sent.rows] == ["a@test.example", "b@test.example", "c@test.example"]
    for member in small_bloc().members:
        [got] = recorder.to(member.email)
        [part] = got["message"].iter_attachments()
        own = folder / "ket-qua" / "don-vi" / part.get_filename()
        assert part.get_filename() == unit_result_path(own.parent, member).name
        assert part.get_content() == own.read_bytes()
