"""`thidua nhan` against a real IMAP server: Debian's Dovecot, started privately on loopback
(tests/dovecot.py) with the demo's returns and the bad cases that tests/test_intake.py builds delivered
into its Maildir. What Dovecot cannot stage (a connection dropped mid-fetch) stays with
tests/imap_server.py."""

from __future__ import annotations

import imaplib
import os
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from tests.dovecot import USER, Dovecot, dovecot_binary, start_dovecot
from tests.imap_server import Mailbox
from tests.test_intake import PASSWORD, _demo_mailbox, _folder_copy, demo  # noqa: F401  (demo: a fixture)
from toolkit.cli import main
from toolkit.fileio import sha256_file
from toolkit.folder import consolidate
from toolkit.intake import receive_returns
from toolkit.mail import PASSWORD_ENV
from toolkit.paths import BlocFolder

pytestmark = pytest.mark.dovecot


@pytest.fixture()
def dovecot(demo) -> Iterator[tuple[Dovecot, Mailbox]]:  # noqa: F811
    """A private dovecot whose INBOX holds the demo's 11 returns as units send them and the bad cases
    (a huge attachment, a malformed message), each with its received time; and those messages."""
    if dovecot_binary() is None:
        if os.environ.get("CI"):
            pytest.fail("dovecot is not installed; CI must install dovecot-imapd")
        pytest.skip("dovecot is not installed (apt package dovecot-imapd)")
    server = start_dovecot(PASSWORD)
    try:
        box = _demo_mailbox(demo)
        for stored in box.messages:
            server.deliver(stored.data, stored.received)
        yield server, box
    finally:
        server.stop()


def _lf(data: bytes) -> bytes:
    """A message with LF line ends: IMAP sends CRLF whatever the Maildir file holds."""
    return data.replace(b"\r\n", b"\n")


def _seen_by_imap(server: Dovecot) -> list[bytes]:
    """Every message's FLAGS as dovecot reports them to a fresh read-only session."""
    imap = imaplib.IMAP4("127.0.0.1", server.port)
    try:
        imap.login(USER, PASSWORD)
        imap.select("INBOX", readonly=True)
        status, data = imap.uid("FETCH", "1:*", "(FLAGS)")
        assert status == "OK"
        return [line for line in data if line]
    finally:
        imap.logout()


def test_from_an_empty_inbox_nhan_then_consolidate_gives_the_demos_ranking_and_nothing_is_fetched_twice(
        demo, dovecot, tmp_path, monkeypatch):  # noqa: F811
    server, box = dovecot
    count = len(box.messages)
    folder = _folder_copy(demo, tmp_path)
    where = BlocFolder.at(folder)
    assert not where.returned()
    first = receive_returns(folder, PASSWORD, overrides={"host": "127.0.0.1", "port": server.port,
                                                         "security": "none", "user": USER})
    forms = sorted(p.name for p in where.returned())
    assert len(first.messages) == count == 12
    assert {m.received for m in first.messages} == {m.received for m in box.messages}  # INTERNALDATE
    assert {_lf(m.original.read_bytes()) for m in first.messages} == {_lf(m.data) for m in box.messages}
    assert len(forms) == 13  # the 11 returns and the two attachments of the malformed message
    assert {sha256_file(p) for p in where.returned()} >= {sha256_file(p) for p in demo["returns"]}
    assert consolidate(folder, demo["bloc"]).ranking.table[["total", "rank", "counted"]].equals(demo["ranking"])

    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    second = CliRunner().invoke(main, ["nhan", str(folder), "--host", "127.0.0.1", "--port", str(server.port),
                                       "--security", "none", "--user", USER], input=PASSWORD + "\n")
    assert second.exit_code == 0, second.output
    assert "0 thư mới, 0 tệp đã lưu" in second.output and f"{count} thư đã tải trước đó" in second.output
    assert sorted(p.name for p in where.returned()) == forms
    assert len(list(where.originals.glob("*.eml"))) == count

    flags = server.flags()
    assert len(flags) == count and all("S" not in letters for letters in flags.values()), flags
    fetched = _seen_by_imap(server)
    assert len(fetched) == count and not any(b"\\Seen" in line for line in fetched), fetched
