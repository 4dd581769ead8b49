"""The chair's button: a thin xlwings layer over the same core as the CLI.

In Excel: xlwings' `SampleCall` macro runs `import khoi; khoi.main()`; the shim khoi.py calls
`main(__file__)`, which takes `xw.Book.caller()` and runs `run(book, folder)`. Without Excel (tests),
`run` takes a book of xlwings' remote engine, `xw.Book(json=...)`, and its actions are read back with
`book.json()`. `run` reads the control sheet, does the chosen action, and writes a status message and a
results table back; every failure ends as a Vietnamese status message, never as an error box.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from toolkit import texts as T
from toolkit.bloc import Bloc
from toolkit.chairbook import load_bloc
from toolkit.chairbook.control import CONTROL_LABELS, RESULT_COLUMNS
from toolkit.folder import FolderError, consolidate
from toolkit.seal import folder_custody
from toolkit.excel.excel_pdf import excel_can_print, excel_pdf
from toolkit.mail import KINDS as MAIL_KINDS
from toolkit.mail import send_documents
from toolkit.office import OfficeError
from toolkit.paths import INBOX_DIR, OUTPUT_DIR, BlocFolder, inbox_files
from toolkit.problems import Problem, ProblemError, UserError
from toolkit.ranking import Ranking
from toolkit.report import file_rows, problem_rows, send_row, unit_rows
from toolkit.returns import collect_returns
from toolkit.summary import summary_pdf
from toolkit.vntext import match_key

B = T.button
LABEL_SCAN = 40          # rows of column A searched for the control labels
RESULT_ROWS_CLEARED = 500


class ButtonError(UserError):
    """A failure the chair can act on; the message is the Vietnamese status."""


@dataclass
class Outcome:
    """What the button shows: the status message and a table for the results area."""

    status: str
    head: tuple[str, ...] = ()
    rows: list[list] = field(default_factory=list)


@dataclass
class Control:
    """The control sheet: 1-based rows of its labelled cells."""

    sheet: object
    rows: dict[str, int]

    def text(self, key: str) -> str:
        value = self.sheet.range((self.rows[key], 2)).value
        return "" if value is None else str(value).strip()


def main(shim_file: str) -> None:
    """Entry point the shim calls from Excel (RunPython)."""
    import xlwings as xw

    folder = Path(shim_file).resolve().parent
    try:
        book = xw.Book.caller()
    except Exception as exc:  # no Excel behind the call: say so instead of a traceback
        sys.exit(B.NO_EXCEL.format(reason=f"{type(exc).__name__}: {exc}"))
    try:
        run(book, folder)
    except ButtonError as exc:
        sys.exit(str(exc))


def run(book, folder: Path) -> Outcome:
    """Do the action chosen on the control sheet of `book`; `folder` holds the workbook and shim."""
    control = read_control(book)
    folder = Path(folder)
    action = _action(control.text("action"))
    _show(book, control, B.WORKING.format(action=B.ACTIONS.get(action, "")))
    try:
        if action is None:
            raise ButtonError(B.UNKNOWN_ACTION.format(value=control.text("action"),
                                                      allowed=", ".join(B.ACTIONS.values())))
        _save(book)
        outcome = ACTIONS[action](folder / book.name, _folder(folder, control.text("inbox"), INBOX_DIR),
                                  _folder(folder, control.text("output"), OUTPUT_DIR), book)
    except ProblemError as exc:
        outcome = Outcome(B.BLOC_INVALID.format(count=len(exc.problems)), B.PROBLEM_HEAD,
                          _problem_rows(exc.problems))
    except UserError as exc:
        outcome = Outcome(str(exc))
    except OSError as exc:
        outcome = Outcome(T.cli.OS_ERROR.format(path=exc.filename or "", reason=exc.strerror or exc))
    except Exception as exc:  # the last guard: log the details, show a plain message
        outcome = Outcome(_log_unexpected(exc, folder, control))
    _write_results(control, outcome)
    _show(book, control, outcome.status, done=True)
    return outcome


# --- the control sheet --------------------------------------------------------------------------

def read_control(book) -> Control:
    """Find the control sheet and its labelled rows (they survive rows inserted above)."""
    try:
        sheet = book.sheets[B.SHEET_CONTROL]
    except Exception:
        raise ButtonError(B.NO_CONTROL.format(label=B.SHEET_CONTROL)) from None
    labels = sheet.range((1, 1), (LABEL_SCAN, 1)).value
    found = {match_key(str(v)): i for i, v in enumerate(labels, start=1) if v is not None}
    rows = {}
    for key, label in CONTROL_LABELS.items():
        if match_key(label) not in found:
            raise ButtonError(B.NO_CONTROL.format(label=label))
        rows[key] = found[match_key(label)]
    return Control(sheet, rows)


def _action(text: str) -> str | None:
    keys = {match_key(label): key for key, label in B.ACTIONS.items()}
    keys.update({match_key(label): key for label, key in B.ACTION_ALIASES.items()})
    return keys.get(match_key(text)) if text else B.DEFAULT_ACTION


def _folder(folder: Path, text: str, default: str) -> Path:
    path = Path(text or default).expanduser()
    return path if path.is_absolute() else folder / path


def _show(book, control: Control, message: str, done: bool = False) -> None:
    """The status cell, and Excel's status bar while working (engines without one skip it)."""
    control.sheet.range((control.rows["status"], 2)).value = message
    try:
        book.app.status_bar = False if done else message
    except NotImplementedError:
        pass


def _save(book) -> None:
    """Save the chair's edits first: the core reads the workbook file, like the CLI does."""
    try:
        book.save()
    except Exception as exc:
        raise ButtonError(B.SAVE_FAILED.format(reason=exc)) from None


def _write_results(control: Control, outcome: Outcome) -> None:
    first = control.rows["results"] + 1
    control.sheet.range((first, 1), (first + RESULT_ROWS_CLEARED, RESULT_COLUMNS)).clear_contents()
    if outcome.head:
        table = [list(outcome.head)] + outcome.rows
        width = max(len(r) for r in table)
        control.sheet.range((first, 1)).value = [r + [""] * (width - len(r)) for r in table]


def _log_unexpected(exc: Exception, folder: Path, control: Control) -> str:
    log = _folder(folder, control.text("output"), OUTPUT_DIR) / B.LOG_NAME
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{traceback.format_exc()}\n")
    except OSError:
        log = Path("-")
    return B.UNEXPECTED.format(kind=type(exc).__name__, reason=exc, log=log)


# --- the actions: each takes (workbook, inbox, output, book) --------------------------------------

def _bloc(workbook: Path) -> Bloc:
    if not workbook.is_file():
        raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=workbook.parent))
    return load_bloc(workbook)


def _require_inbox(inbox: Path) -> None:
    if not inbox.is_dir():
        raise ButtonError(B.NO_INBOX.format(path=inbox))


def check(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
    """Kiểm tra phiếu: every file of the inbox, one row per problem (or one 'valid' row)."""
    bloc = _bloc(workbook)
    _require_inbox(inbox)
    files = inbox_files(inbox)
    if not files:
        return Outcome(B.NO_RETURNS.format(inbox=_shown(inbox, workbook.parent)))
    returns = collect_returns(files, bloc, custody=folder_custody(workbook.parent, workbook),
                              folder=workbook.parent)
    rows = []
    for f in file_rows(returns, bloc):
        rows += [[f.path.name, p.message, p.level, p.where, f.unit_label] for p in f.problems]
        if f.ok and not f.problems:
            rows.append([f.path.name, "", B.CHECK_OK, "", f.unit_label])
        elif f.set_aside:
            rows.append([f.path.name, f.set_aside, "", "", f.unit_label])
    rows += [["", p.message, p.level, p.where, p.unit] for p in problem_rows(returns.problems)]
    ok = sum(r.ok for r in returns.results)
    status = B.DONE_CHECK.format(total=len(files), inbox=_shown(inbox, workbook.parent), ok=ok, bad=len(files) - ok)
    return Outcome(status, B.CHECK_HEAD, rows)


def consolidate_and_rank(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
    """Tổng hợp và xếp hạng: the same `consolidate` as the CLI; the ranking goes to the sheet."""
    result = _consolidate(workbook, inbox, output)
    status = B.DONE_CONSOLIDATE.format(counted=int(result.ranking.table["counted"].sum()),
                                       members=len(result.bloc.members),
                                       summary=_shown(result.summary_path, workbook.parent))
    errors = sum(p.is_error for p in result.problems)
    if result.problems:
        status += B.DONE_CONSOLIDATE_PROBLEMS.format(errors=errors, warnings=len(result.problems) - errors)
    if result.issued_mismatch is not None:  # the chair's own change, said on the sheet itself
        status += " " + result.issued_mismatch.message
    return Outcome(status, B.RANKING_HEAD, _ranking_rows(result.ranking))


def export_pdf(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
    """Xuất PDF: consolidate (so the PDF shows the returns as they are now), then the summary's PDF:
    printed by Excel itself when the button runs inside Excel, else by LibreOffice."""
    result = _consolidate(workbook, inbox, output)
    if book is not None and excel_can_print(book):
        try:
            pdf = excel_pdf(book.app, result.summary_path)
        except Exception as exc:  # Excel's COM/AppleScript errors have no common base class
            return Outcome(B.EXCEL_PDF_FAILED.format(reason=exc))
    else:
        try:
            pdf = summary_pdf(result.summary_path)
        except OfficeError as exc:
            return Outcome(B.OFFICE_FAILED.format(reason=exc))
    return Outcome(B.DONE_PDF.format(pdf=_shown(pdf, workbook.parent)), B.RANKING_HEAD, _ranking_rows(result.ranking))


def mail_action(kind: str, draft: bool):
    """The action that e-mails `kind` ("forms", "feedback", "summary", "reminders", "results") through the
    mail stage, or writes the messages as .eml drafts (results: ranked from the control sheet's inbox, written
    under its output). Its user errors (MailError is a UserError) become the status."""
    def action(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
        results = send_documents(workbook.parent, kind, dry_run=draft, output=output, inbox=inbox)
        rows = [[r.name, r.detail or r.result, r.to] for r in map(send_row, results)]
        done = sum(r.ok for r in results)
        if draft:
            drafts = _shown(BlocFolder.at(workbook.parent).mail, workbook.parent)
            return Outcome(B.DONE_DRAFTS.format(done=done, total=len(results), folder=drafts), B.SEND_HEAD, rows)
        return Outcome(B.DONE_EMAIL.format(sent=done, total=len(results)), B.SEND_HEAD, rows)

    action.__name__ = f"{'draft' if draft else 'send'}_{kind}"
    return action


def write_meeting_papers(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
    """Soạn giấy tờ cuộc họp: consolidate, then the meeting's papers into the output's giay-to/."""
    from toolkit.papers import write_papers

    result = _consolidate(workbook, inbox, output)
    paths = write_papers(result.ranking, BlocFolder.at(workbook.parent, output=output).papers)
    return Outcome(B.DONE_PAPERS.format(count=len(paths), folder=_shown(paths[0].parent, workbook.parent)),
                   B.PAPERS_HEAD, [[p.name] for p in paths])


def next_year_folder(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
    """Tạo thư mục năm sau: the next period's folder beside this one (the year in its name advanced)."""
    from toolkit.rollover import next_bloc, roll_over

    folder, bloc = workbook.parent, _bloc(workbook)
    old, new = bloc.year, next_bloc(bloc).year
    name = folder.name.replace(str(old), str(new)) if str(old) in folder.name else f"{folder.name}-{new}"
    done = roll_over(folder.parent / name, folder, bloc=bloc)
    return Outcome(B.DONE_NEXT_YEAR.format(year=done.bloc.year, folder=done.chair_workbook.parent))


def receive_mail(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
    """Nhận phiếu từ hộp thư: `thidua nhan` (into the folder's nhan/), one row per new message."""
    from toolkit.intake import receive_returns  # imaplib only when receiving
    report = receive_returns(workbook.parent, bloc=_bloc(workbook))
    rows = [[m.sender, "; ".join(p.name for p in m.saved) or "; ".join(p.message for p in m.problems),
             m.received.strftime("%d/%m/%Y %H:%M") if m.received else "", m.unit] for m in report.messages]
    rows += [["", p.message, "", ""] for p in report.problems]
    problems = len(report.problems) + sum(len(m.problems) for m in report.messages)
    return Outcome(B.DONE_RECEIVE.format(new=len(report.messages), files=len(report.saved),
                                         already=report.already, problems=problems), B.RECEIVE_HEAD, rows)


def submission_status(workbook: Path, inbox: Path, output: Path, book=None) -> Outcome:
    """Tình hình nộp phiếu: the status rows of the inbox chosen on the control sheet."""
    from toolkit.status import status_rows, status_totals
    bloc = _bloc(workbook)
    _require_inbox(inbox)
    returns = collect_returns(inbox_files(inbox), bloc, custody=folder_custody(workbook.parent, workbook),
                              folder=workbook.parent)
    rows = status_rows(workbook.parent, bloc, returns)
    shown = [[r.label, f"{r.state}: {r.first_problem}" if r.first_problem else r.state, r.when,
              T.intake.LATE if r.late else "", "; ".join(r.files), "; ".join(r.superseded)] for r in rows]
    return Outcome(B.DONE_STATUS.format(**status_totals(rows), total=len(rows)), B.STATUS_HEAD, shown)


ACTIONS = {"check": check, "consolidate": consolidate_and_rank, "pdf": export_pdf,
           **{f"send_{kind}": mail_action(kind, draft=False) for kind in MAIL_KINDS},
           **{f"draft_{kind}": mail_action(kind, draft=True) for kind in MAIL_KINDS},
           "papers": write_meeting_papers, "next_year": next_year_folder,
           "receive": receive_mail, "status": submission_status}


def _consolidate(workbook: Path, inbox: Path, output: Path):
    """Consolidate with the bloc and the meeting read from the button's own workbook, opened once."""
    if not workbook.is_file():
        raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=workbook.parent))
    _require_inbox(inbox)
    if not inbox_files(inbox):
        raise ButtonError(B.NO_RETURNS.format(inbox=_shown(inbox, workbook.parent)))
    return consolidate(workbook.parent, inbox=inbox, output=output, chair=workbook)


def _shown(path: Path, folder: Path) -> Path:
    """A path as the chair finds it: relative to the bloc folder when inside it."""
    try:
        return path.relative_to(folder)
    except ValueError:
        return path


def _ranking_rows(ranking: Ranking) -> list[list]:
    return [[r.number, r.label, round(r.total, 2) if r.counted else "", r.grade, r.rank, r.note]
            for r in unit_rows(ranking)]


def _problem_rows(problems: list[Problem]) -> list[list]:
    return [[p.level, p.message, p.where] for p in problem_rows(problems)]
