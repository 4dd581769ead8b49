"""The control sheet's "Nhận phiếu từ hộp thư" and "Tình hình nộp phiếu" actions, run by xlwings'
remote engine on the real generated khoi.xlsm, the mail coming from a real IMAP server on loopback."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.button_json import remote_book
from tests.helpers import small_bloc
from tests.imap_server import ImapServer, Mailbox
from tests.test_button_remote import INPUTS, _action, _final_status, _results
from tests.test_button_remote import remote_engine  # noqa: F401 (the fixture)
from tests.test_intake import PASSWORD, _message
from toolkit import texts as T
from toolkit.demo import fill_form
from toolkit.excel.button import run
from toolkit.folder import init_folder, load_folder_bloc, make_forms
from toolkit.mail import PASSWORD_ENV

B = T.button


def test_receive_then_status_from_the_control_sheet(remote_engine, tmp_path, monkeypatch):  # noqa: F811
    box = Mailbox(password=PASSWORD)
    with ImapServer(box) as server:
        folder = tmp_path / "khoi"
        init_folder(folder, small_bloc(imap_host="127.0.0.1", imap_port=server.port, imap_security="none",
                                       imap_user="chair"), macros=True)
        bloc = load_folder_bloc(folder)
        forms = make_forms(folder, bloc)
        filled = fill_form(forms[0], tmp_path / forms[0].name, bloc, INPUTS["A"])
        box.add(_message("a@test.example", "Phiếu", [(filled.name, filled.read_bytes())]).as_bytes(),
                datetime(2026, 12, 2, 10, tzinfo=timezone(timedelta(hours=7))))
        monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
        book = remote_book(folder / "khoi.xlsm", _action(B.ACTIONS["receive"]))
        received = run(book, folder)
    assert received.status == B.DONE_RECEIVE.format(new=1, files=1, already=0, problems=0) == _final_status(book)
    head, *rows = _results(book)
    assert head == list(B.RECEIVE_HEAD) and rows[0][0] == "a@test.example" and rows[0][3] == "A"
    book = remote_book(folder / "khoi.xlsm", _action(B.ACTIONS["status"]))
    status = run(book, folder)
    assert status.status == B.DONE_STATUS.format(received=1, total=3, valid=1, not_counted=0, missing=2)
    head, *rows = _results(book)
    assert head == list(B.STATUS_HEAD)
    assert [r[0] for r in rows] == [m.label for m in bloc.members]
    assert rows[0][1] == T.intake.STATE["valid"] and rows[0][4].startswith("a-20261202-")
