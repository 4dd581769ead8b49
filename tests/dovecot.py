"""A private Dovecot IMAP server for tests: Debian's dovecot-imapd started as the current user on a free
loopback port with its own configuration in a temporary folder (no system configuration, no system
service), serving one Maildir INBOX for the user "chair" with a plain password over an unencrypted
connection. Dovecot's internal processes run as the current user too (default_internal_user); its
login processes, which dovecot will not run as root, run as the package's dovenull user when the tests
run as root (CI), else as the current user; and since dovecot refuses UID 0 for mail access, as root
the Maildir is given to (and read as) nobody.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

USER = "chair"
START_TIMEOUT_S = 15

CONFIG = """\
base_dir = {base}
state_dir = {state}
instance_name = thidua-test-{port}
log_path = {log}
info_log_path = {log}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {login_user}
first_valid_uid = {uid}
first_valid_gid = {gid}
mail_location = maildir:{maildir}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {users}
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {users}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
"""


def dovecot_binary() -> str | None:
    """Path of the dovecot master binary (package dovecot-imapd), or None."""
    return shutil.which("dovecot", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))


def _login_user(me: str) -> str:
    """Dovecot refuses to run its login processes as root: as root they run as dovenull (created by the
    package) or nobody; as anyone else, as that user."""
    if os.getuid() != 0:
        return me
    for name in ("dovenull", "nobody"):
        try:
            return pwd.getpwnam(name).pw_name
        except KeyError:
            continue
    raise RuntimeError("no unprivileged user for dovecot's login processes")


def _mail_user() -> pwd.struct_passwd:
    """Dovecot refuses UID 0 for mail access: as root the Maildir belongs to nobody, else to the user."""
    return pwd.getpwnam("nobody") if os.getuid() == 0 else pwd.getpwuid(os.getuid())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Dovecot:
    """One running private instance; `maildir` is the INBOX whose file names carry dovecot's flags."""

    root: Path
    port: int
    maildir: Path
    log: Path
    mail: pwd.struct_passwd  # the user dovecot reads the Maildir as
    process: subprocess.Popen

    def deliver(self, data: bytes, received: datetime) -> Path:
        """Put a message into the INBOX as already delivered and unread (cur/, no flags); its file's
        modification time is what dovecot reports as INTERNALDATE."""
        stamp = int(received.timestamp())
        name = f"{stamp}.M{len(list((self.maildir / 'cur').iterdir()))}P{os.getpid()}.thidua:2,"
        path = self.maildir / "cur" / name
        path.write_bytes(data)
        os.utime(path, (stamp, stamp))
        self.own(path)
        return path

    def own(self, path: Path) -> None:
        """Give `path` (and what is under it) to the mail user."""
        for item in [path, *path.rglob("*")]:
            os.chown(item, self.mail.pw_uid, self.mail.pw_gid)

    def flags(self) -> dict[str, str]:
        """Each message file's dovecot flags letters (after ':2,'), by the file's unique name."""
        files = [p for sub in ("new", "cur") for p in (self.maildir / sub).iterdir()]
        return {p.name.split(":")[0]: (p.name.split(":2,", 1)[1] if ":2," in p.name else "") for p in files}

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot(password: str) -> Dovecot:
    """Write the configuration, the password file and an empty Maildir into a new temporary folder,
    start dovecot in the foreground as a child process and wait until it accepts connections."""
    binary = dovecot_binary()
    if binary is None:
        raise FileNotFoundError("dovecot")
    me, mail, port = pwd.getpwuid(os.getuid()), _mail_user(), _free_port()
    root = Path(tempfile.mkdtemp(prefix="dc-"))  # short: unix socket paths are limited to 108 bytes
    root.chmod(0o755)  # the mail user (not root) must reach its Maildir
    maildir = root / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (maildir / sub).mkdir(parents=True)
    (root / "state").mkdir()
    users = root / "users"
    users.write_text(f"{USER}:{{PLAIN}}{password}:{mail.pw_uid}:{mail.pw_gid}::{root}::\n", encoding="utf-8")
    log, config = root / "dovecot.log", root / "dovecot.conf"
    config.write_text(CONFIG.format(
        base=root / "run", state=root / "state", port=port, log=log, user=me.pw_name,
        group=grp.getgrgid(me.pw_gid).gr_name, login_user=_login_user(me.pw_name),
        uid=mail.pw_uid, gid=mail.pw_gid, maildir=maildir, users=users), encoding="utf-8")
    with (root / "dovecot.out").open("wb") as out:  # what dovecot says before its log is open
        process = subprocess.Popen([binary, "-F", "-c", str(config)], stdout=out, stderr=subprocess.STDOUT)
    server = Dovecot(root, port, maildir, log, mail, process)
    server.own(maildir)
    _wait_listening(server)
    return server


def _wait_listening(server: Dovecot) -> None:
    """Return once the server accepts a connection; else stop it and raise with what it said."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline and server.process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    said = "".join(p.read_text(errors="replace") for p in (server.root / "dovecot.out", server.log) if p.exists())
    server.stop()
    raise RuntimeError(f"dovecot did not start on port {server.port}: {said[-2000:]}")
