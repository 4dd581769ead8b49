"""The seal of a form and the custody checks of a returned form against the chair's records.

A seal is HMAC-SHA256 over the form's identity (bloc key, unit, year and period, form id, criteria
fingerprint), keyed with a secret made at `thidua init` that stays with the chair: it lives in the
bloc's folder at .thidua/khoa-niem-phong (owner-only), is never written into a form and never mailed.
A unit cannot make the seal of another unit's form, nor keep its own seal valid after editing the
form's identity.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from toolkit.chairbook.ledger import Issue, LedgerError, read_ledger
from toolkit.issued import IssuedForms, load_issued
from toolkit.paths import BlocFolder
from toolkit.vntext import match_key

SEAL_VERSION = "thidua-seal/1"


def secret_path(folder: Path) -> Path:
    return BlocFolder.at(folder).secret


def load_secret(folder: Path) -> bytes | None:
    """The bloc's seal secret, None when the folder has none (made before seals, or not handed over)."""
    try:
        text = secret_path(folder).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text.encode("ascii") if text else None


def ensure_secret(folder: Path) -> bytes:
    """The bloc's seal secret, created (owner-only, never replaced) when the folder has none."""
    existing = load_secret(folder)
    if existing:
        return existing
    path = secret_path(folder)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return load_secret(folder) or b""


def form_seal(secret: bytes, meta: dict[str, str]) -> str:
    """The seal of a form whose metadata is `meta` (keys as in toolkit.forms.layout.META_KEYS)."""
    fields = (SEAL_VERSION, meta.get("bloc_key", ""), meta.get("unit_code", ""), meta.get("year", ""),
              meta.get("period", ""), meta.get("form_id", ""), meta.get("fingerprint", ""))
    return hmac.new(secret, "\x1f".join(fields).encode("utf-8"), hashlib.sha256).hexdigest()


def seal_matches(secret: bytes, meta: dict[str, str]) -> bool:
    return hmac.compare_digest(meta.get("seal", "").strip().lower(), form_seal(secret, meta))


@dataclass(frozen=True)
class Custody:
    """What the chair keeps: the ledger of issued forms (None: an older folder without one) and the
    seal secret (None: not found). A return is checked against both. `issued`: the definitions the
    forms were issued with (None: not recorded), to read each return against its own."""

    issues: tuple[Issue, ...] | None
    secret: bytes | None
    issued: IssuedForms | None = None

    def check(self, meta: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
        """Problems (catalog code, parameters) of a form claiming the identity `meta`."""
        if self.issues is None:
            return []
        claimed = meta.get("unit_name") or meta.get("unit_code", "")
        form_id = meta.get("form_id", "")
        issued = [i for i in self.issues if i.form_id == form_id]
        if not issued:
            return [("form.not_issued", {"claimed": claimed, "form_id": form_id or "?"})]
        owner = issued[-1]
        if match_key(owner.unit) != match_key(meta.get("unit_code", "")):
            return [("form.issued_to_other", {"claimed": claimed, "form_id": form_id,
                                              "issued": owner.unit_name or owner.unit})]
        if self.secret is not None and not seal_matches(self.secret, meta):
            return [("form.seal_invalid", {"claimed": claimed})]
        latest = self.latest(owner.unit)
        if latest is not None and latest.form_id != form_id:
            return [("form.older_issue", {"issued_time": owner.when(), "latest_time": latest.when()})]
        return []

    def latest(self, unit: str) -> Issue | None:
        """The newest issue to `unit`."""
        key = match_key(unit)
        return next((i for i in reversed(self.issues or ()) if match_key(i.unit) == key), None)

    def rank(self, form_id: str) -> int:
        """How recent the issue of `form_id` is (its position in the ledger; -1 when not issued)."""
        ids = [i.form_id for i in self.issues or ()]
        return len(ids) - 1 - ids[::-1].index(form_id) if form_id in ids else -1

    def issue(self, form_id: str) -> Issue | None:
        return next((i for i in reversed(self.issues or ()) if i.form_id == form_id), None)


def folder_custody(folder: Path, chair: Path | None = None) -> Custody:
    """The chair's ledger (in `chair`, default the folder's workbook), the bloc folder's seal secret and
    the definitions its forms were issued with, to check returns against."""
    chair = chair if chair is not None and Path(chair).is_file() else BlocFolder.at(folder).chair
    try:
        issues = read_ledger(chair) if chair else None
    except LedgerError:
        issues = None
    return Custody(tuple(issues) if issues is not None else None, load_secret(folder), load_issued(folder))
