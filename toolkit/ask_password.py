"""Asking the chair for a server password at the command line (hidden prompt) and keeping it in the
system's credential store (toolkit.credentials), for `thidua send` and `thidua doctor`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from toolkit.credentials import CredentialError, get_password, set_password, store_name
from toolkit.folder import FolderError, load_folder_bloc
from toolkit.mail import SmtpSettings, smtp_service, smtp_settings
from toolkit.problems import UserError
from toolkit.texts import button as B
from toolkit.texts import mail as MAIL


def ask_and_store(service: str, user: str) -> str:
    """Ask for `user`'s password on `service` (not echoed), store it, say where; return it."""
    password = click.prompt(MAIL.PASSWORD_PROMPT.format(user=user), hide_input=True,
                            default="", show_default=False, prompt_suffix="")
    if not password:
        raise FolderError(MAIL.PASSWORD_EMPTY)
    try:
        set_password(service, user, password)
    except CredentialError as exc:
        click.echo(MAIL.PASSWORD_NOT_STORED.format(reason=exc))
    else:
        click.echo(MAIL.PASSWORD_STORED.format(user=user, store=store_name()))
    return password


def ask_smtp_password(settings: SmtpSettings) -> str:
    """The SMTP account's password, asked once and kept in the credential store."""
    return ask_and_store(smtp_service(settings), settings.user)


def doctor_password(folder: Path, ask: bool) -> None:
    """The bloc's SMTP password in `thidua doctor`: say where it is kept, or ask for it (when missing
    and someone is at the keyboard, or always when `ask`)."""
    try:
        settings = smtp_settings(load_folder_bloc(folder))
    except UserError:  # no or a broken chair's workbook: the checks before said so
        return
    if not settings.user:
        return
    if not ask and get_password(smtp_service(settings), settings.user):
        line = MAIL.DOCTOR_PASSWORD_OK.format(user=settings.user, store=store_name())
        click.echo(f"  {B.DOCTOR_OK} {line}")
    elif ask or sys.stdin.isatty():
        ask_smtp_password(settings)
    else:
        line = MAIL.DOCTOR_PASSWORD_MISSING.format(user=settings.user, folder=folder)
        click.echo(f"  {B.DOCTOR_WARN} {line}")
