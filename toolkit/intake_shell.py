"""The command-line side of receiving (`thidua nhan`) and of the submission status (`thidua status`):
the CLI imports this lazily, so starting `thidua` never loads imaplib."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.folder import load_folder_bloc
from toolkit.intake import Received, imap_settings, mailbox_password, mailbox_service, receive_returns
from toolkit.paths import BlocFolder
from toolkit.report import problem_row
from toolkit.status import StatusRow, status_rows, status_totals
from toolkit.texts import intake as TI


def run_nhan(folder: Path, overrides: dict) -> int:
    """Fetch, print one line per message and its problems, and the totals; exit code 1 on problems."""
    bloc = load_folder_bloc(folder)
    settings = imap_settings(bloc, **overrides)
    password = None
    if settings.host and settings.user and mailbox_password(settings, bloc) is None:
        from toolkit.ask_password import ask_and_store
        password = ask_and_store(mailbox_service(settings), settings.user)  # asked once, kept in the store
    report = receive_returns(folder, password, bloc=bloc, overrides=overrides)
    click.echo(TI.SINCE_LINE.format(since=report.since.strftime("%d/%m/%Y")) if report.since else TI.ALL_LINE)
    for got in report.messages:
        _print_message(got)
    for p in report.problems:
        click.echo(TI.PROBLEM_LINE.format(level=problem_row(p).level, message=p.message))
    problems = len(report.problems) + sum(len(m.problems) for m in report.messages)
    click.echo(TI.TOTAL.format(new=len(report.messages), files=len(report.saved),
                               inbox=BlocFolder.at(folder).inbox, already=report.already, problems=problems))
    click.echo(TI.DONE_HINT.format(folder=folder))
    return 1 if problems else 0


def _print_message(got: Received) -> None:
    errors = any(p.is_error for p in got.problems)
    mark = "✗" if errors else ("!" if got.problems else "✓")
    detail = TI.SAVED.format(files=", ".join(p.name for p in got.saved)) if got.saved else TI.NOTHING_SAVED
    when = got.received.strftime("%d/%m/%Y %H:%M") if got.received else ""
    click.echo(TI.MESSAGE_LINE.format(mark=mark, when=when, sender=got.sender or "?",
                                      unit=got.unit or TI.UNKNOWN_SENDER, detail=detail))
    for p in got.problems:
        click.echo(TI.PROBLEM_LINE.format(level=problem_row(p).level, message=p.message))


def run_status(folder: Path) -> int:
    """Print the submission status; exit code 1 while some unit is not counted."""
    bloc = load_folder_bloc(folder)
    rows = status_rows(folder, bloc)
    deadline = (TI.STATUS_DEADLINE.format(deadline=bloc.deadline.strftime("%d/%m/%Y")) if bloc.deadline
                else TI.STATUS_NO_DEADLINE)
    click.echo(TI.STATUS_TITLE.format(bloc=bloc.name, deadline=deadline))
    for row in rows:
        _print_row(row)
    totals = status_totals(rows)
    click.echo(TI.STATUS_TOTAL.format(**totals, total=len(rows)))
    missing = [r.label for r in rows if not r.received]
    if missing:
        click.echo(TI.STATUS_MISSING.format(units=", ".join(missing)))
    return 0 if totals["valid"] == len(rows) else 1


def _print_row(row: StatusRow) -> None:
    click.echo(TI.STATUS_LINE.format(order=row.order, label=row.label, state=row.state,
                                     when=f" — {row.when}" if row.when else "",
                                     late=f" — {TI.LATE}" if row.late else ""))
    for name in row.files:
        click.echo(TI.STATUS_FILE.format(file=name))
    if row.first_problem:
        click.echo(TI.STATUS_PROBLEM.format(problem=row.first_problem))
    if row.superseded:
        click.echo(TI.STATUS_SUPERSEDED.format(files=", ".join(row.superseded)))

