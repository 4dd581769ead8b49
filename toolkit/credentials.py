"""Passwords in the system's credential store, through the `keyring` package.

Windows Credential Manager, macOS Keychain, Secret Service (GNOME Keyring, KWallet) on Linux: whichever
keyring finds. A password is never written to the workbook nor to any file of thidua's own. `keyring` is
imported only when a password is actually needed (it is slow to import and probes the system).
"""

from __future__ import annotations

SMTP_SERVICE = "thidua-smtp"
IMAP_SERVICE = "thidua-imap"


class CredentialError(Exception):
    """The system has no usable credential store, or it refused the operation."""


def service_for(kind: str, host: str) -> str:
    """The store's service name for a server: one entry per (kind, host, user), e.g. "thidua-smtp/smtp.x.vn"."""
    return f"{kind}/{host.strip().lower()}" if host.strip() else kind


def get_password(service: str, user: str) -> str | None:
    """The stored password, or None when there is none or no credential store can be used."""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(service, user) or None
    except (KeyringError, RuntimeError, OSError):
        return None


def set_password(service: str, user: str, password: str) -> None:
    """Store (or replace) a password; CredentialError when there is no usable store."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(service, user, password)
    except (KeyringError, RuntimeError, OSError) as exc:
        raise CredentialError(str(exc) or type(exc).__name__) from exc


def delete_password(service: str, user: str) -> bool:
    """Forget a stored password; False when there was none (or no store)."""
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(service, user)
    except (PasswordDeleteError, KeyringError, RuntimeError, OSError):
        return False
    return True


def store_name() -> str | None:
    """The credential store keyring would use (e.g. "Windows Credential Manager"), None when there is none."""
    import keyring
    from keyring.backends import fail

    try:
        backend = keyring.get_keyring()
    except (RuntimeError, OSError):
        return None
    if isinstance(backend, fail.Keyring):
        return None
    return str(getattr(backend, "name", None) or type(backend).__name__)
