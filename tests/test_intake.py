"""`thidua nhan`: returns fetched from a real IMAP server on loopback (tests/imap_server.py), with
messages built by the standard email package the way mail programs send them."""

from __future__ import annotations

import dataclasses

import email
import email.policy
import io
import json
import shutil
import ssl
import subprocess
import zipfile
from datetime import datetime, timedelta, timezone
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.imap_server import ImapServer, Mailbox
from toolkit.attachments import MAX_ATTACHMENT
from toolkit.bloc import DEFAULT_BLOC, builtin_bloc
from toolkit.cli import main
from toolkit.demo import fill_demo_returns
from toolkit.fileio import sha256_file
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.intake import IntakeError, receive_returns
from toolkit.credentials import IMAP_SERVICE, SMTP_SERVICE, get_password, service_for, set_password
from toolkit.mail import PASSWORD_ENV
from toolkit.paths import BlocFolder

PASSWORD = "Bi-mat-42!imap"
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
WHEN = datetime(2026, 12, 3, 9, 30, tzinfo=timezone(timedelta(hours=7)))


def _message(sender: str, subject: str, attachments=(), *, parts=()) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "truongkhoi@bacgiang.example", subject
    msg["Message-ID"] = email.utils.make_msgid(domain="test.example")
    msg.set_content("Kính gửi Trưởng khối, đơn vị gửi phiếu đã điền.")
    for name, data in attachments:
        maintype, subtype = XLSX if name.endswith(".xlsx") else ("application", "octet-stream")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    for part in parts:
        msg.add_attachment(part)  # a forwarded message: message/rfc822
    return msg


def _zip(entries: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, "../../khoi.xlsm")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    """The demo bloc's folder with forms made, its 11 filled returns set aside, and the demo's ranking."""
    root = tmp_path_factory.mktemp("demo")
    bloc = builtin_bloc(DEFAULT_BLOC)
    init_folder(root / "khoi", bloc)
    forms = make_forms(root / "khoi", bloc)
    returns = fill_demo_returns(bloc, forms, root / "filled")
    reference = root / "reference"
    shutil.copytree(root / "khoi", reference)
    for path in returns:
        shutil.copy(path, reference / "nhan" / path.name)
    return {"folder": root / "khoi", "bloc": bloc, "returns": returns,
            "ranking": consolidate(reference, bloc).ranking.table[["total", "rank", "counted"]]}


def _demo_mailbox(demo: dict) -> Mailbox:
    """The 11 returns as units send them (plain, forwarded, zipped, renamed in Vietnamese, with a
    non-form beside), plus the bad cases (a huge attachment, a malformed message)."""
    bloc, files = demo["bloc"], demo["returns"]
    box, members = Mailbox(), bloc.members
    data = [p.read_bytes() for p in files]
    msgs = [_message(Address(m.name, addr_spec=m.email), f"Gửi phiếu {m.label}", [(p.name, d)])
            for m, p, d in zip(members[:6], files[:6], data[:6])]
    msgs.append(_message(members[6].email, "Phiếu", [("Phiếu chấm điểm – Sở Tư pháp.xlsx", data[6]),
                                                     ("Báo cáo kèm theo.pdf", b"%PDF-1.4 ...")]))
    inner = _message(members[7].email, "Phiếu", [(files[7].name, data[7])])
    msgs.append(_message("van-thu@khac.example", "Fwd: Phiếu", parts=[inner]))
    msgs.append(_message(members[8].email, "Phiếu nén", [("phieu.zip", _zip({
        f"Thư mục/{files[8].name}": data[8], "ghi-chu.txt": b"x", "../../thoat-ra.xlsx": data[8]},
        links=("lien-ket.xlsx",)))]))
    msgs.append(_message(members[9].email, "Hai phiếu", [(files[9].name, data[9]), (files[10].name, data[10])]))
    huge = _message(members[0].email, "Tệp lớn", [("phieu-lon.xlsx", b"0" * (MAX_ATTACHMENT + 1))])
    for i, msg in enumerate(msgs + [huge]):
        box.add(msg.as_bytes(), WHEN + timedelta(minutes=i))
    box.add(_malformed(members[10].email, data[10]), WHEN + timedelta(hours=2))
    return box


def _malformed(sender: str, form: bytes) -> bytes:
    """A multipart message whose closing boundary never comes and whose second part's base64 is cut."""
    import base64
    body = base64.encodebytes(form).decode()
    return (f"From: {sender}\r\nSubject: =?utf-8?b?UGhp4bq/dQ==?=\r\nMessage-ID: <hong@test.example>\r\n"
            "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n"
            "--XYZ\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPhiếu đây\r\n"
            "--XYZ\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename*=utf-8''Phi%E1%BA%BFu%20l%E1%BA%A7n%202.xlsx\r\n\r\n"
            f"{body}\r\n--XYZ\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
            "Content-Disposition: attachment; filename=\"cut.xlsx\"\r\n\r\nUEsDB!!!\r\n").encode("utf-8")


def _folder_copy(demo: dict, tmp_path: Path) -> Path:
    folder = tmp_path / "khoi"
    shutil.copytree(demo["folder"], folder)
    return folder


def _receive(folder: Path, server: ImapServer, **kwargs):
    overrides = {"host": "127.0.0.1", "port": server.port, "security": "none", "user": "chair"}
    return receive_returns(folder, PASSWORD, overrides=overrides, **kwargs)


def _box_with_password(box: Mailbox) -> Mailbox:
    box.password = PASSWORD
    return box


def test_from_an_empty_inbox_nhan_then_consolidate_gives_the_demos_ranking_and_a_rerun_fetches_nothing(
        demo, tmp_path):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    _box_with_password(box)
    with ImapServer(box) as server:
        first = _receive(folder, server)
        second = _receive(folder, server)
    where = BlocFolder.at(folder)
    forms = sorted(p.name for p in where.returned())
    assert len(forms) == 13  # the 11 returns and the two attachments of the malformed message
    assert {sha256_file(p) for p in where.returned()} >= {sha256_file(p) for p in demo["returns"]}
    result = consolidate(folder, demo["bloc"])
    assert result.ranking.table[["total", "rank", "counted"]].equals(demo["ranking"])
    assert second.messages == [] and second.saved == [] and second.already == len(box.messages)
    assert sorted(p.name for p in where.returned()) == forms
    assert all(not m.flags for m in box.messages)  # never flagged, never deleted
    assert all("BODY.PEEK[]" in c for c in box.commands if "FETCH" in c and "BODY" in c)
    assert any(" EXAMINE " in c for c in box.commands)
    assert len(first.messages) == len(box.messages)
    assert len(list(where.originals.glob("*.eml"))) == len(box.messages)


def test_names_keep_the_senders_unit_and_the_received_time_and_the_original_is_kept(demo, tmp_path):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    with ImapServer(_box_with_password(box)) as server:
        report = _receive(folder, server)
    members = demo["bloc"].members
    by_uid = {m.uid: m for m in report.messages}
    first = by_uid[box.messages[0].uid]
    assert first.unit == members[0].code
    local = WHEN.astimezone()
    assert first.saved[0].name.startswith(f"{members[0].code.lower()}-{local:%Y%m%d-%H%M%S}-")
    assert first.original.read_bytes() == box.messages[0].data  # the message as the server stored it
    renamed = by_uid[box.messages[6].uid]
    assert [p.name for p in renamed.saved] == [
        f"{members[6].code.lower()}-{local + timedelta(minutes=6):%Y%m%d-%H%M%S}-phieu-cham-diem-so-tu-phap.xlsx"]
    assert renamed.ignored == ["Báo cáo kèm theo.pdf"]
    assert [p.code for p in renamed.problems] == ["intake.ignored"]
    forwarded = by_uid[box.messages[7].uid]
    assert forwarded.unit == members[7].code and forwarded.sender == "van-thu@khac.example"
    assert sha256_file(forwarded.saved[0]) == sha256_file(demo["returns"][7])
    assert len(by_uid[box.messages[9].uid].saved) == 2
    state = json.loads(BlocFolder.at(folder).intake_state.read_text(encoding="utf-8"))
    assert state["fetched"] == {str(box.uidvalidity): [m.uid for m in box.messages]}
    saved_under = {k: v["unit"] for k, v in state["files"].items()}
    assert saved_under[first.saved[0].relative_to(folder).as_posix()] == members[0].code


def test_a_zip_gives_its_forms_only_safely_and_huge_and_malformed_are_reported(demo, tmp_path):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    with ImapServer(_box_with_password(box)) as server:
        report = _receive(folder, server)
    by_uid = {m.uid: m for m in report.messages}
    zipped = by_uid[box.messages[8].uid]
    assert [sha256_file(p) for p in zipped.saved] == [sha256_file(demo["returns"][8])]
    assert zipped.saved[0].parent == BlocFolder.at(folder).inbox
    refused = {p.params["entry"]: p.code for p in zipped.problems}
    assert refused == {"../../thoat-ra.xlsx": "intake.zip_refused", "lien-ket.xlsx": "intake.zip_refused"}
    assert zipped.ignored == ["phieu.zip › ghi-chu.txt"]
    assert not (tmp_path / "thoat-ra.xlsx").exists() and not list(tmp_path.rglob("*thoat-ra*"))
    huge = by_uid[box.messages[10].uid]
    assert huge.saved == [] and [p.code for p in huge.problems] == ["intake.too_large"]
    broken = by_uid[box.messages[11].uid]
    assert broken.problems[0].code == "intake.malformed"
    assert sha256_file(broken.saved[0]) == sha256_file(demo["returns"][10])  # what could be read
    assert broken.saved[0].name.endswith("-phieu-lan-2.xlsx") and broken.saved[1].name.endswith("-cut.xlsx")


def test_a_connection_dropped_mid_fetch_saves_nothing_half_and_the_next_run_picks_up(demo, tmp_path):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    box.drop_on_fetch = 4
    with ImapServer(_box_with_password(box)) as server:
        cut = _receive(folder, server)
        where = BlocFolder.at(folder)
        after_cut = sorted(where.returned())
        assert [p.code for p in cut.problems] == ["intake.dropped"]
        assert len(cut.messages) == 3 and len(after_cut) == 3
        assert not list(where.inbox.rglob(".~*"))  # no temporary file left behind
        box.drop_on_fetch = 0
        rest = _receive(folder, server)
    assert [m.uid for m in rest.messages] == [m.uid for m in box.messages[3:]]
    assert rest.already == 3
    assert len(where.returned()) == 13


def test_a_message_seen_again_under_a_new_uidvalidity_is_recognised_by_its_message_id(demo, tmp_path):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    with ImapServer(_box_with_password(box)) as server:
        _receive(folder, server)
        box.uidvalidity += 1  # the server rebuilt its index: every UID is new
        again = _receive(folder, server)
    assert again.saved == [] and again.already == len(box.messages)


def test_only_messages_since_the_forms_were_sent_are_looked_at(demo, tmp_path):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    old = _message(demo["bloc"].members[0].email, "Kỳ trước", [("cu.xlsx", b"PK old")])
    box.messages.insert(0, type(box.messages[0])(50, old.as_bytes(), WHEN - timedelta(days=200)))
    log = BlocFolder.at(folder).mail_log
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("Thời điểm,Loại thư,Mã người nhận,Người nhận,Email,Tiêu đề,Tệp đính kèm,SHA-256 tệp đính kèm,"
                   "SHA-256 nội dung thư,Kết quả,Chi tiết\n"
                   "2026-12-01T08:00:00+07:00,Phiếu chấm điểm,DBQH,x,x,x,x,x,x,Đã gửi,\n", encoding="utf-8-sig")
    with ImapServer(_box_with_password(box)) as server:
        report = _receive(folder, server)
    assert report.since.isoformat() == "2026-12-01"
    assert any("SINCE 01-Dec-2026" in c for c in box.commands)
    assert 50 not in [m.uid for m in report.messages]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl is not installed; CI must have it for the TLS tests")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
                    "-out", str(cert), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_over_tls_the_returns_arrive_and_the_password_is_never_written(demo, tmp_path, certificate, security):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(*certificate)
    with ImapServer(_box_with_password(box), security, server_side) as server:
        report = receive_returns(folder, PASSWORD, overrides={
            "host": "127.0.0.1", "port": server.port, "security": security, "user": "chair"},
            ssl_context=ssl.create_default_context(cafile=str(certificate[0])))
    assert len(report.saved) == 13
    if security == "starttls":
        verbs = [c.split(" ")[1] for c in box.commands]
        assert verbs.index("STARTTLS") < verbs.index("LOGIN")
    written = b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())
    assert PASSWORD.encode() not in written


def test_a_wrong_password_or_no_server_is_one_plain_error(demo, tmp_path, monkeypatch):
    folder = _folder_copy(demo, tmp_path)
    box = Mailbox(password="khac")
    with ImapServer(box) as server:
        with pytest.raises(IntakeError, match="không cho đăng nhập"):
            _receive(folder, server)
        port = server.port
    with pytest.raises(IntakeError, match="Không kết nối được"):
        receive_returns(folder, PASSWORD, overrides={"host": "127.0.0.1", "port": port, "security": "none",
                                                     "user": "chair"})
    with pytest.raises(IntakeError, match="máy chủ nhận thư"):
        receive_returns(folder, PASSWORD)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(IntakeError, match=f"Chưa có mật khẩu cho hộp thư chair: đặt biến môi trường {PASSWORD_ENV}"):
        receive_returns(folder, overrides={"host": "127.0.0.1", "port": port, "user": "chair"})
    assert not BlocFolder.at(folder).returned()


def test_cli_nhan_prompts_for_the_password_lists_each_message_and_runs_twice(demo, tmp_path, monkeypatch):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with ImapServer(_box_with_password(box)) as server:
        args = ["nhan", str(folder), "--host", "127.0.0.1", "--port", str(server.port), "--security", "none",
                "--user", "chair"]
        first = CliRunner().invoke(main, args, input=PASSWORD + "\n")
        second = CliRunner().invoke(main, args)  # no prompt, no variable: the password kept in the store
    assert first.exit_code == 1, first.output  # problems met (the bad cases) -> 1
    assert "12 thư mới, 13 tệp đã lưu" in first.output
    assert "Tệp đính kèm “Báo cáo kèm theo.pdf” không phải phiếu" in first.output
    assert "0 thư mới, 0 tệp đã lưu" in second.output and "12 thư đã tải trước đó" in second.output
    assert second.exit_code == 0
    assert "Traceback" not in first.output + second.output
    assert get_password(service_for(IMAP_SERVICE, "127.0.0.1"), "chair") == PASSWORD
    assert not any(PASSWORD in p.read_text(errors="ignore") for p in folder.rglob("*") if p.is_file())


def test_the_mailbox_of_the_sending_account_uses_the_password_stored_for_sending(demo, tmp_path, monkeypatch):
    folder = _folder_copy(demo, tmp_path)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    bloc = dataclasses.replace(demo["bloc"], smtp_host="smtp.test.example", smtp_user="chair")
    set_password(service_for(SMTP_SERVICE, "smtp.test.example"), "chair", PASSWORD)
    with ImapServer(_box_with_password(_demo_mailbox(demo))) as server:
        got = receive_returns(folder, bloc=bloc, overrides={"host": "127.0.0.1", "port": server.port,
                                                            "security": "none"})
        other = dataclasses.replace(bloc, imap_user="hopthu-rieng")   # another account: not the SMTP password
        with pytest.raises(IntakeError, match="Chưa có mật khẩu cho hộp thư hopthu-rieng"):
            receive_returns(folder, bloc=other, overrides={"host": "127.0.0.1", "port": server.port,
                                                           "security": "none"})
    assert len(got.saved) == 13


def test_a_message_over_the_size_bound_is_reported_remembered_and_never_downloaded(demo, tmp_path, monkeypatch):
    folder = _folder_copy(demo, tmp_path)
    box = _demo_mailbox(demo)
    monkeypatch.setattr("toolkit.intake.MAX_MESSAGE", 5 * 1024 * 1024)  # below the huge attachment's message
    with ImapServer(_box_with_password(box)) as server:
        report = _receive(folder, server)
        again = _receive(folder, server)
    big = next(m for m in report.messages if m.uid == box.messages[10].uid)
    assert [p.code for p in big.problems] == ["intake.message_too_large"] and big.original is None
    assert box.body_fetches == len(box.messages) - 1  # its body was never asked for
    assert again.already == len(box.messages) and again.messages == []
