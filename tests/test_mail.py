"""Sending forms, feedback and the summary, against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import os
import shutil
import ssl
import subprocess
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from tests.helpers import small_bloc
from tests.smtp_server import Recorder, free_port as _free_port
from toolkit import texts as T
from toolkit.chairbook import load_bloc, write_bloc_workbook
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.fileio import sha256_file
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.mail import PASSWORD_ENV, MailError, feedback_path, send_documents
from toolkit.problems import ProblemError
from toolkit.texts import mail as M

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REFUSED = "b-refused@test.example"
PASSWORD = "Bi-mat-42!xyz"


# --- a real SMTP server on loopback ----------------------------------------------------------------

def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"chair" \
        and auth_data.password == PASSWORD.encode("utf-8")
    return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)


@pytest.fixture
def server():
    """Plain SMTP on 127.0.0.1 that refuses REFUSED; yields (recorder, port)."""
    recorder = Recorder(refuse=(REFUSED,))
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield recorder, controller.port
    controller.stop()


@pytest.fixture(scope="session")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command line."""
    openssl = shutil.which("openssl")
    if openssl is None:
        if os.environ.get("CI"):
            pytest.fail("openssl is not installed; CI must have it for the TLS tests")
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def _tls_server(certificate, implicit: bool):
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    recorder = Recorder(refuse=(REFUSED,))
    # aiosmtpd does not count implicit TLS as TLS for AUTH: allow it there, require it with STARTTLS
    options = ({"ssl_context": context, "auth_require_tls": False} if implicit
               else {"tls_context": context, "require_starttls": True, "auth_require_tls": True})
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port(), authenticator=_authenticator,
                            **options)
    controller.start()
    return recorder, controller


# --- a bloc folder ---------------------------------------------------------------------------------

def _bloc(**overrides):
    members = small_bloc().members
    values = dict(
        members=(members[0], members[1].__class__(2, "B", "Đơn vị Bình", "Bình", REFUSED), members[2]),
        board_name="Ban Thi đua - Khen thưởng tỉnh Thử", board_email="ban@test.example",
        smtp_host="127.0.0.1", smtp_security="none", sender_email="truongkhoi@test.example",
        sender_name="Văn phòng Đơn vị An")
    values.update(overrides)
    return small_bloc(**values)


def _folder(tmp_path: Path, **overrides) -> Path:
    folder = tmp_path / "khoi"
    init_folder(folder, _bloc(**overrides))
    make_forms(folder)
    return folder


def _attachments(message) -> dict[str, tuple[str, str]]:
    """filename -> (content type, sha256 of the decoded bytes)."""
    return {part.get_filename(): (part.get_content_type(), hashlib.sha256(part.get_content()).hexdigest())
            for part in message.iter_attachments()}


def _log(folder: Path) -> list[dict]:
    with open(folder / "ket-qua" / "thu" / "nhat-ky-gui.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- tests -----------------------------------------------------------------------------------------

def test_forms_go_to_each_unit_with_its_exact_workbook_and_a_refused_one_does_not_stop_the_others(
        tmp_path, server):
    recorder, port = server
    folder = _folder(tmp_path)
    bloc = load_bloc(folder / "khoi.xlsx")
    results = send_documents(folder, "forms", overrides={"port": port})

    assert [(r.code, r.status) for r in results] == [("A", "sent"), ("B", "failed"), ("C", "sent")]
    assert results[1].problem.code == "mail.refused" and REFUSED in results[1].detail
    assert len(recorder.messages) == 2
    for member in (bloc.member("A"), bloc.member("C")):
        [got] = recorder.to(member.email)
        message = got["message"]
        assert got["rcpt_tos"] == [member.email] and got["mail_from"] == "truongkhoi@test.example"
        assert not got["tls"] and got["login"] is None  # security "none", no user
        assert message["To"].addresses[0].display_name == member.name
        assert message["From"].addresses[0].display_name == "Văn phòng Đơn vị An"
        assert message["Subject"] == (f"[Khối thi đua thử nghiệm] Phiếu tự chấm điểm thi đua "
                                      f"Tổng kết năm 2026 — {member.label}")
        body = message.get_body(("plain",)).get_content()
        assert f"Kính gửi: {member.name}" in body and "trước ngày 10/12/2026" in body
        assert "ô màu vàng" in body and "TRƯỞNG KHỐI" in body
        form = folder / "phieu" / form_filename(member)
        assert _attachments(message) == {form.name: (XLSX_TYPE, sha256_file(form))}

    log = _log(folder)
    assert [(r["Mã người nhận"], r["Kết quả"]) for r in log] == [
        ("A", M.RESULTS["sent"]), ("B", M.RESULTS["failed"]), ("C", M.RESULTS["sent"])]
    assert log[0]["SHA-256 tệp đính kèm"] == sha256_file(folder / "phieu" / form_filename(bloc.member("A")))
    assert "550" in log[1]["Chi tiết"]


def test_a_rerun_sends_only_what_was_not_sent_and_resend_forces(tmp_path, server):
    recorder, port = server
    folder = _folder(tmp_path)
    send_documents(folder, "forms", overrides={"port": port})
    assert len(recorder.messages) == 2

    again = send_documents(folder, "forms", overrides={"port": port})
    assert [r.status for r in again] == ["already_sent", "failed", "already_sent"]
    assert len(recorder.messages) == 2  # B was tried again (and refused again), A and C not resent

    forced = send_documents(folder, "forms", overrides={"port": port}, resend=True, only=("a",))
    assert [(r.code, r.status) for r in forced] == [("A", "sent")]
    assert len(recorder.to("a@test.example")) == 2

    bloc = load_bloc(folder / "khoi.xlsx")
    form_c = folder / "phieu" / form_filename(bloc.member("C"))
    before = sha256_file(form_c)
    make_forms(folder)  # new forms (new form ids): a changed attachment is sent again
    assert sha256_file(form_c) != before
    changed = send_documents(folder, "forms", overrides={"port": port}, only=("C",))
    assert [r.status for r in changed] == ["sent"]
    [_, latest] = recorder.to("c@test.example")
    assert _attachments(latest["message"])[form_c.name][1] == sha256_file(form_c)


def test_starttls_with_login_and_the_password_is_never_written(tmp_path, certificate):
    recorder, controller = _tls_server(certificate, implicit=False)
    try:
        folder = _folder(tmp_path, smtp_security="starttls", smtp_port=controller.port, smtp_user="chair",
                         members=small_bloc().members)
        client = ssl.create_default_context(cafile=str(certificate[0]))
        results = send_documents(folder, "forms", password=PASSWORD, ssl_context=client)
    finally:
        controller.stop()
    assert [r.status for r in results] == ["sent"] * 3
    assert all(m["tls"] for m in recorder.messages)
    assert {m["login"] for m in recorder.messages} == {b"chair"}
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PASSWORD.encode("utf-8") not in data, path


def test_implicit_ssl_sends_the_summary_to_the_board_with_the_exact_workbook(tmp_path, certificate):
    folder = _folder(tmp_path, members=small_bloc().members)
    bloc = load_bloc(folder / "khoi.xlsx")
    for member in bloc.members:
        form = folder / "phieu" / form_filename(member)
        fill_form(form, folder / "nhan" / form.name, bloc, {"I.1": 100, "I.2": 8, "II.1": T.PASS, "II.2": 1,
                                                             "III.1": 0, "IV.1": 0})
    summary = consolidate(folder).summary_path
    pdf = summary.with_suffix(".pdf")
    pdf.write_bytes(b"%PDF-1.4 test\n")  # a PDF beside the summary goes along
    recorder, controller = _tls_server(certificate, implicit=True)
    try:
        results = send_documents(folder, "summary", password=PASSWORD, ssl_context=ssl.create_default_context(
            cafile=str(certificate[0])), overrides={"security": "ssl", "port": controller.port, "user": "chair"})
    finally:
        controller.stop()
    assert [(r.code, r.status) for r in results] == [(M.BOARD_CODE, "sent")]
    [got] = recorder.messages
    message = got["message"]
    assert got["rcpt_tos"] == ["ban@test.example"] and got["tls"]
    assert message["To"].addresses[0].display_name == "Ban Thi đua - Khen thưởng tỉnh Thử"
    assert "Bảng tổng hợp" in message["Subject"] and "Tổng kết năm 2026" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Kính gửi: Ban Thi đua - Khen thưởng tỉnh Thử" in body and "3 đơn vị" in body
    assert _attachments(message) == {summary.name: (XLSX_TYPE, sha256_file(summary)),
                                     pdf.name: ("application/pdf", sha256_file(pdf))}


def test_a_wrong_password_fails_every_message_once_and_sends_nothing(tmp_path, certificate):
    recorder, controller = _tls_server(certificate, implicit=False)
    try:
        folder = _folder(tmp_path, smtp_security="starttls", smtp_port=controller.port, smtp_user="chair")
        results = send_documents(folder, "forms", password="sai",
                                 ssl_context=ssl.create_default_context(cafile=str(certificate[0])))
    finally:
        controller.stop()
    assert [r.status for r in results] == ["failed"] * 3
    assert {r.problem.code for r in results} == {"mail.login_failed"}
    assert recorder.messages == []
    assert [r["Kết quả"] for r in _log(folder)] == [M.RESULTS["failed"]] * 3


def test_a_password_smtplib_cannot_send_is_reported_not_raised(tmp_path):
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port(), authenticator=_authenticator,
                            auth_require_tls=False)
    controller.start()
    try:
        folder = _folder(tmp_path, smtp_port=controller.port, smtp_user="chair")
        results = send_documents(folder, "forms", password="mật khẩu")
    finally:
        controller.stop()
    assert {(r.status, r.problem.code) for r in results} == {("failed", "mail.login_failed")}
    assert M.NON_ASCII_LOGIN in results[0].detail and recorder.messages == []


def test_feedback_lists_each_units_problems_and_attaches_its_feedback_workbook(tmp_path, server):
    recorder, port = server
    folder = _folder(tmp_path, members=small_bloc().members)
    bloc = load_bloc(folder / "khoi.xlsx")
    ok = {"I.1": 100, "I.2": 8, "II.1": T.PASS, "II.2": 1, "III.1": 0, "IV.1": 0}
    for code, values in (("A", ok), ("B", {**ok, "I.2": "mười"})):  # B: not a number; C: nothing
        form = folder / "phieu" / form_filename(bloc.member(code))
        fill_form(form, folder / "nhan" / form.name, bloc, values)
    workbook = feedback_path(folder, bloc.member("B"))
    workbook.parent.mkdir(parents=True)
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Phản hồi"
    wb.save(workbook)
    wb.save(feedback_path(folder, bloc.member("A")))  # stale: A's form is valid now, so it is not attached

    results = send_documents(folder, "feedback", overrides={"port": port})
    assert [(r.code, r.status) for r in results] == [("A", "sent"), ("B", "sent"), ("C", "sent")]
    body = {code: recorder.to(bloc.member(code).email)[0]["message"] for code in "ABC"}
    text = {code: m.get_body(("plain",)).get_content() for code, m in body.items()}
    assert M.FEEDBACK_OK in text["A"] and not list(body["A"].iter_attachments())
    assert "chưa hợp lệ" in text["B"] and "“mười” không phải là số" in text["B"]
    assert form_filename(bloc.member("B")) in text["B"]
    assert _attachments(body["B"]) == {workbook.name: (XLSX_TYPE, sha256_file(workbook))}
    assert "chưa nhận được phiếu" in text["C"]
    assert "Kết quả kiểm tra phiếu" in body["B"]["Subject"]

    # nothing changed: nothing is sent again; C sends its form: C gets new feedback
    assert [r.status for r in send_documents(folder, "feedback", overrides={"port": port})] == ["already_sent"] * 3
    form_c = folder / "phieu" / form_filename(bloc.member("C"))
    fill_form(form_c, folder / "nhan" / form_c.name, bloc, ok)
    again = send_documents(folder, "feedback", overrides={"port": port})
    assert [r.status for r in again] == ["already_sent", "already_sent", "sent"]
    assert M.FEEDBACK_OK in recorder.to("c@test.example")[-1]["message"].get_body(("plain",)).get_content()


def test_dry_run_writes_eml_drafts_that_parse_back_with_the_standard_library(tmp_path):
    folder = _folder(tmp_path, smtp_host="", members=small_bloc().members[:2] + (
        small_bloc().members[2].__class__(3, "C", "Đơn vị Cường", "Cường", ""),))
    results = send_documents(folder, "forms", dry_run=True)
    assert [(r.code, r.status) for r in results] == [("A", "drafted"), ("B", "drafted"), ("C", "skipped")]
    assert results[2].problem.code == "mail.no_email"
    bloc = load_bloc(folder / "khoi.xlsx")
    for result in results[:2]:
        member = bloc.member(result.code)
        raw = result.eml.read_bytes()
        assert result.eml.parent == folder / "ket-qua" / "thu" and b"\r\n" in raw
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["X-Unsent"] == "1"
        assert message["To"].addresses[0].addr_spec == member.email
        assert message["To"].addresses[0].display_name == member.name
        assert message["Subject"].endswith(f"— {member.label}")
        assert f"Kính gửi: {member.name}" in message.get_body(("plain",)).get_content()
        form = folder / "phieu" / form_filename(member)
        assert _attachments(message) == {form.name: (XLSX_TYPE, sha256_file(form))}
    assert [r["Kết quả"] for r in _log(folder)] == [M.RESULTS["drafted"]] * 2 + [M.RESULTS["skipped"]]


def test_a_vietnamese_attachment_name_is_encoded_per_rfc_2231(tmp_path):
    folder = _folder(tmp_path, key="khối-thử")  # a bloc key typed with diacritics names the summary
    summary = folder / "ket-qua" / "tong-hop-khối-thử-2026-tong-ket.xlsx"
    shutil.copy(folder / "phieu" / form_filename(small_bloc().members[0]), summary)
    [result] = send_documents(folder, "summary", dry_run=True)
    raw = result.eml.read_bytes()
    assert b"filename*=utf-8''tong-hop-kh%E1%BB%91i-th%E1%BB%AD-2026-tong-ket.xlsx" in raw
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert _attachments(message) == {summary.name: (XLSX_TYPE, sha256_file(summary))}


def test_missing_settings_and_missing_summary_are_user_errors(tmp_path):
    folder = _folder(tmp_path, smtp_host="")
    with pytest.raises(MailError, match="Máy chủ gửi thư"):
        send_documents(folder, "forms")
    with pytest.raises(MailError, match="thidua consolidate"):
        send_documents(folder, "summary", dry_run=True)
    with pytest.raises(MailError, match="thidua doctor .*THIDUA_SMTP_PASSWORD"):
        send_documents(folder, "forms", overrides={"host": "127.0.0.1", "user": "chair"})


def test_smtp_settings_round_trip_and_bad_values_are_pinned(tmp_path):
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, _bloc(smtp_host="smtp.test.example", smtp_port=465, smtp_security="ssl",
                                    smtp_user="chair"))
    bloc = load_bloc(path)
    assert (bloc.smtp_host, bloc.smtp_port, bloc.smtp_security, bloc.smtp_user, bloc.sender_email,
            bloc.sender_name) == ("smtp.test.example", 465, "ssl", "chair", "truongkhoi@test.example",
                                  "Văn phòng Đơn vị An")
    labels = [str(c.value) for c in openpyxl.load_workbook(path)[T.SHEET_INFO]["A"]]
    assert not any("mật khẩu" in label.lower() or "password" in label.lower() for label in labels)

    wb = openpyxl.load_workbook(path)
    ws = wb[T.SHEET_INFO]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1)}
    for key, value in (("smtp_port", "năm trăm"), ("smtp_security", "TLS"), ("sender_email", "truongkhoi"),
                       ("board_email", "ban@")):
        ws.cell(rows[T.INFO_FIELDS[key]], 2).value = value
    wb[T.SHEET_MEMBERS]["E3"] = "khong-phai-email"
    wb.save(path)
    with pytest.raises(ProblemError) as caught:
        load_bloc(path)
    pinned = {(p.sheet, p.cell) for p in caught.value.problems if p.code == "bloc.bad_value"}
    expected = {(T.SHEET_INFO, f"B{rows[T.INFO_FIELDS[k]]}")
                for k in ("smtp_port", "smtp_security", "sender_email", "board_email")}
    assert pinned == expected | {(T.SHEET_MEMBERS, "E3")}


def test_cli_send_prompts_for_the_password_and_reports_each_recipient(tmp_path, certificate, monkeypatch):
    recorder, controller = _tls_server(certificate, implicit=True)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the system trust store, as the CLI uses it
    try:
        folder = _folder(tmp_path)
        args = ["send", "forms", str(folder), "--security", "ssl", "--port", str(controller.port),
                "--user", "chair"]
        done = CliRunner().invoke(main, args, input=PASSWORD + "\n")
    finally:
        controller.stop()
    assert done.exit_code == 1, done.output  # B's address is refused
    assert PASSWORD not in done.output
    assert "Mật khẩu email của chair" in done.output
    assert f"✗ {M.KINDS['forms']} → Đơn vị Bình <{REFUSED}>: {M.RESULTS['failed']}" in done.output
    assert "Tổng cộng: 2 đã gửi" in done.output
    assert sorted(m["rcpt_tos"][0] for m in recorder.messages) == ["a@test.example", "c@test.example"]


def test_an_address_that_cannot_be_sent_to_fails_only_that_unit_and_a_cell_may_hold_two(tmp_path):
    folder = _folder(tmp_path)
    a, b, c = small_bloc().members
    bloc = _bloc(members=(a, b.__class__(2, "B", "Đơn vị Bình", "Bình", "bình@test.example"),
                          c.__class__(3, "C", "Đơn vị Cường", "Cường", "c@test.example; c2@test.example")))
    results = send_documents(folder, "forms", dry_run=True, bloc=bloc)
    assert [(r.code, r.status) for r in results] == [("A", "drafted"), ("B", "failed"), ("C", "drafted")]
    assert results[1].problem.code == "mail.bad_address" and "bình@test.example" in results[1].detail
    message = email.message_from_bytes(results[2].eml.read_bytes(), policy=email.policy.default)
    assert [x.addr_spec for x in message["To"].addresses] == ["c@test.example", "c2@test.example"]


def test_cli_dry_run_never_asks_for_a_password_and_lists_the_drafts(tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    folder = _folder(tmp_path, smtp_user="chair")
    done = CliRunner().invoke(main, ["send", "forms", str(folder), "--dry-run"], input="")
    assert done.exit_code == 0, done.output
    assert "Mật khẩu" not in done.output
    assert "Tổng cộng: 0 đã gửi, 3 tệp .eml" in done.output
    assert sorted(p.name for p in (folder / "ket-qua" / "thu").glob("*.eml")) == [
        "forms-01-a.eml", "forms-02-b.eml", "forms-03-c.eml"]


def test_a_missing_form_fails_only_its_unit_and_names_the_file(tmp_path):
    folder = _folder(tmp_path)
    missing = folder / "phieu" / form_filename(small_bloc().member("C"))
    missing.unlink()
    results = send_documents(folder, "forms", dry_run=True)
    assert [(r.code, r.status) for r in results] == [("A", "drafted"), ("B", "drafted"), ("C", "failed")]
    assert results[2].problem.code == "mail.no_attachment" and missing.name in results[2].detail


def test_no_mail_server_listening_fails_every_message_with_the_host_and_port(tmp_path):
    port = _free_port()  # nothing listens there
    folder = _folder(tmp_path)
    results = send_documents(folder, "forms", overrides={"port": port})
    assert {(r.status, r.problem.code) for r in results} == {("failed", "mail.connect_failed")}
    assert f"127.0.0.1:{port}" in results[0].detail


class _Rejecting(Recorder):
    """Accepts every recipient, then rejects the message itself (554 at DATA)."""

    async def handle_DATA(self, server, session, envelope):
        return "554 5.7.1 Message rejected"


def test_a_server_rejecting_a_message_and_one_refused_address_of_two(tmp_path, server):
    recorder, port = server
    a, b, c = _bloc().members
    two = _bloc(members=(a, b.__class__(2, "B", "Đơn vị Bình", "Bình", f"b@test.example; {REFUSED}"), c))
    folder = _folder(tmp_path)
    results = send_documents(folder, "forms", overrides={"port": port}, bloc=two)
    assert [(r.code, r.status) for r in results] == [("A", "sent"), ("B", "sent"), ("C", "sent")]
    assert results[1].problem.code == "mail.partly_refused" and REFUSED in results[1].detail
    assert [m["rcpt_tos"] for m in recorder.to("b@test.example")] == [["b@test.example"]]

    controller = Controller(_Rejecting(), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        failed = send_documents(folder, "forms", overrides={"port": controller.port}, only=("A",), resend=True)
    finally:
        controller.stop()
    assert [(r.code, r.status, r.problem.code) for r in failed] == [("A", "failed", "mail.failed")]
    assert "554" in failed[0].detail


def test_cli_send_stores_the_password_once_and_then_uses_the_store(tmp_path, monkeypatch, keyring_store):
    from toolkit import credentials

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=_free_port(), authenticator=_authenticator,
                            auth_require_tls=False)
    controller.start()
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    try:
        folder = _folder(tmp_path, smtp_port=controller.port, members=small_bloc().members)
        drafts = CliRunner().invoke(main, ["send", "forms", str(folder), "--user", "chair", "--dry-run"])
        assert drafts.exit_code == 0 and M.PASSWORD_PROMPT.format(user="chair") not in drafts.output
        assert not Path(keyring_store.file_path).exists()            # drafts never ask for a password
        args = ["send", "forms", str(folder), "--user", "chair"]
        first = CliRunner().invoke(main, args, input=PASSWORD + "\n")
        assert first.exit_code == 0, first.output
        again = CliRunner().invoke(main, args + ["--resend"], input="")
    finally:
        controller.stop()
    assert M.PASSWORD_PROMPT.format(user="chair") in first.output and PASSWORD not in first.output
    assert credentials.get_password("thidua-smtp/127.0.0.1", "chair") == PASSWORD
    assert again.exit_code == 0, again.output
    assert M.PASSWORD_PROMPT.format(user="chair") not in again.output
    assert len(recorder.messages) == 6 and {m["login"] for m in recorder.messages} == {b"chair"}
