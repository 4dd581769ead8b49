"""The `thidua` command line: a thin shell over toolkit.folder and the stage modules."""

from __future__ import annotations

import json
import sys
from functools import wraps
from pathlib import Path

import click

from toolkit import texts as T
from toolkit.bloc import BUILTIN_BLOCS, DEFAULT_BLOC
from toolkit.chairbook import load_bloc
from toolkit.bloc.model import SMTP_SECURITY
from toolkit.folder import (FolderError, builtin_or_empty, chair_workbook, consolidate, find_bloc_folder,
                            init_folder, load_folder_bloc, make_forms)
from toolkit.console import (check_json, consolidate_province_printed, print_check, print_history,
                             print_problems, print_ranking, print_sent)
from toolkit.paths import OUTPUT_DIR, BlocFolder, inbox_files
from toolkit.problems import ProblemError, UserError
from toolkit.report import file_rows, problem_rows
from toolkit.returns import collect_returns
from toolkit.seal import folder_custody
from toolkit.texts import issued as TI
from toolkit.texts import mail as MAIL
from toolkit.texts import province as TP

# Commands import the stages that need pandas, numpy, openpyxl, XlsxWriter or xlwings where they run
# them: `thidua --help` and `thidua check` start without (tests/test_startup.py keeps it so).

C = T.cli
SEND_ALIASES = {**MAIL.KIND_ALIASES, OUTPUT_DIR: "results"}  # `thidua send ket-qua`: what ket-qua/don-vi/ holds
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _speak_vietnamese() -> None:
    """Route click's own messages (usage, help headings, parameter errors) through our catalog.

    click looks its texts up through a module-level gettext alias `_`; unknown ids stay as they are.
    """
    import click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types

    def translate(message: str) -> str:
        return C.CLICK_MESSAGES.get(message, message)

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser,
                   click.types):
        module._ = translate


_speak_vietnamese()


class ViCommand(click.Command):
    """A command whose usage line reads in Vietnamese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", C.OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)


class ViGroup(click.Group):
    command_class = ViCommand

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", C.OPTIONS_METAVAR)
        kwargs.setdefault("subcommand_metavar", C.SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)


def user_errors(func):
    """Turn user errors into Vietnamese messages and exit code 2 — never a traceback."""
    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ProblemError as exc:
            click.echo(C.BLOC_INVALID, err=True)
            for p in problem_rows(exc.problems):
                click.echo(f"  - {p.location}: {p.message}", err=True)
        except UserError as exc:
            click.echo(str(exc), err=True)
        except OSError as exc:
            click.echo(C.OS_ERROR.format(path=exc.filename or "", reason=exc.strerror or exc), err=True)
        sys.exit(2)
    return wrapper


@click.group(cls=ViGroup, help=C.HELP, context_settings=CONTEXT)
def main() -> None:
    pass


@main.command(help=C.HELP_DEMO)
@click.argument("folder", type=click.Path(path_type=Path), default=Path("thidua-demo"), metavar=C.FOLDER_METAVAR)
@user_errors
def demo(folder: Path) -> None:
    from toolkit.demo import fill_demo

    bloc, where = builtin_or_empty(DEFAULT_BLOC), BlocFolder.at(folder)
    if chair_workbook(folder) is None:
        click.echo(C.CREATED_FOLDER.format(path=folder))
        init_folder(folder, bloc, macros=True)
        where.demo_mark.parent.mkdir(parents=True, exist_ok=True)
        where.demo_mark.write_text("")
    elif not where.demo_mark.is_file():  # a chair's own folder: its returns and meeting are not the demo's
        raise UserError(C.DEMO_NOT_ITS_FOLDER.format(path=folder))
    bloc = load_folder_bloc(folder)
    click.echo(C.CHAIR_WORKBOOK.format(path=chair_workbook(folder)))
    forms = make_forms(folder, bloc)
    click.echo(C.FORMS_WRITTEN.format(count=len(forms), path=where.forms))
    filled = fill_demo(folder, bloc, forms)
    click.echo(C.RETURNS_FILLED.format(count=len(filled), path=where.inbox))
    result = consolidate(folder, bloc)
    print_ranking(result.ranking)
    click.echo(C.SUMMARY_WRITTEN.format(path=result.summary_path))


@main.command(help=C.HELP_INIT)
@click.argument("folder", type=click.Path(path_type=Path), metavar=C.FOLDER_METAVAR)
@click.option("--bloc", "bloc_name", default=DEFAULT_BLOC, show_default=True, metavar=C.NAME_METAVAR,
              help=C.HELP_BLOC.format(names=", ".join(BUILTIN_BLOCS)))
@click.option("--xlsx", "plain", is_flag=True, help=T.button.HELP_XLSX)
@click.option("--tu", "previous", type=click.Path(path_type=Path, exists=True, file_okay=False),
              metavar=T.papers.FROM_METAVAR, help=T.papers.HELP_FROM)
@user_errors
def init(folder: Path, bloc_name: str, plain: bool, previous: Path | None) -> None:
    if previous is not None:
        _roll_over(folder, previous, plain)
        return
    try:
        bloc = builtin_or_empty(bloc_name)
    except KeyError:
        raise FolderError(C.UNKNOWN_BLOC.format(name=bloc_name, names=", ".join(BUILTIN_BLOCS))) from None
    path = init_folder(folder, bloc, macros=not plain)
    click.echo(C.CREATED_FOLDER.format(path=folder))
    click.echo(C.CHAIR_WORKBOOK.format(path=path))


def _roll_over(folder: Path, previous: Path, plain: bool) -> None:
    from toolkit.rollover import roll_over

    done = roll_over(folder, previous, macros=not plain)
    bloc, P = done.bloc, T.papers
    vice = bloc.member(bloc.vice_chair)
    click.echo(C.CREATED_FOLDER.format(path=folder))
    click.echo(C.CHAIR_WORKBOOK.format(path=done.chair_workbook))
    click.echo(P.ROLLED_OVER.format(year=bloc.year, kind=P.KIND_WORD[bloc.kind].lower(), chair=bloc.chair_member.label if bloc.chair_member else P.NO_VICE,
                                    vice=vice.label if vice else P.NO_VICE, history=BlocFolder.at(folder).history))


@main.command(help=C.HELP_FORMS)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar=C.FOLDER_METAVAR)
@user_errors
def forms(folder: Path) -> None:
    paths = make_forms(folder)
    click.echo(C.FORMS_WRITTEN.format(count=len(paths), path=BlocFolder.at(folder).forms))
    click.echo(C.NEXT_STEPS.format(path=folder))


@main.command(help=C.HELP_CHECK)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar=C.FILES_METAVAR)
@click.option("--khoi", type=click.Path(path_type=Path, exists=True), metavar=C.PATH_METAVAR, help=C.HELP_KHOI)
@click.option("--json", "as_json", is_flag=True, help=C.HELP_JSON)
@click.option("--phan-hoi", "feedback", is_flag=True, help=C.HELP_FEEDBACK)
@user_errors
def check(files: tuple[Path, ...], khoi: Path | None, as_json: bool, feedback: bool) -> None:
    paths = _expand(files)
    if not paths:
        raise FolderError(C.NO_FILES.format(path=", ".join(map(str, files))))
    bloc, folder = _bloc_for(khoi, paths[0]), _folder_for(khoi, paths[0])
    returns = collect_returns(paths, bloc, custody=folder_custody(folder), folder=folder)
    written = []
    if feedback:
        from toolkit.feedback import write_unit_feedback
        written = write_unit_feedback(folder, bloc, returns)
    if as_json:
        report = {**check_json(returns), "feedback": [str(p) for p in written]}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_check(file_rows(returns), returns.problems)
        for path in written:
            click.echo(C.FEEDBACK_WRITTEN.format(path=path))
    sys.exit(0 if all(r.ok for r in returns.results) else 1)


@main.command(help=f"{C.HELP_CONSOLIDATE} {TP.HELP}")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar=C.FOLDER_METAVAR)
@click.option("--pdf", "with_pdf", is_flag=True, help=T.summary.HELP_CONSOLIDATE_PDF)
@click.option("--lich-su", "history", multiple=True, type=click.Path(path_type=Path, exists=True),
              help=T.summary.HELP_HISTORY_DIR)
@user_errors
def consolidate_cmd(folder: Path, with_pdf: bool, history: tuple[Path, ...]) -> None:
    if chair_workbook(folder) is None:  # a bloc's folder never pays for the province module (pandas)
        from toolkit.province import is_province_folder

        if is_province_folder(folder):
            if with_pdf or history:  # never ignored in silence: each bloc keeps its own lich-su/
                raise UserError(TP.OPTIONS_NOT_FOR_PROVINCE)
            consolidate_province_printed(folder)
            return
    result = consolidate(folder, history=history or None)
    print_ranking(result.ranking)
    print_problems(result.problems)
    click.echo(C.SUMMARY_WRITTEN.format(path=result.summary_path))
    if result.feedback_paths:
        click.echo(C.FEEDBACK_COUNT.format(count=len(result.feedback_paths),
                                           path=result.feedback_paths[0].parent))
    if with_pdf:
        _export_pdf(result.summary_path)
    mismatch = result.issued_mismatch
    if mismatch is not None:  # never a silent success: an unusable ranking exits 1
        click.echo(TI.CLI_CHANGED_ERROR if mismatch.is_error else TI.CLI_CHANGED_WARNING, err=True)
        if mismatch.is_error:
            sys.exit(1)


consolidate_cmd.name = "consolidate"


@main.command("giay-to", help=T.papers.HELP_PAPERS)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar=C.FOLDER_METAVAR)
@click.option("--pdf", "with_pdf", is_flag=True, help=T.papers.HELP_PAPERS_PDF)
@user_errors
def papers(folder: Path, with_pdf: bool) -> None:
    from toolkit.office import OfficeError
    from toolkit.papers import papers_pdf, write_papers

    result = consolidate(folder)
    print_problems(result.problems)
    where = BlocFolder.at(folder).papers
    paths = write_papers(result.ranking, where)
    if with_pdf:
        try:
            paths += papers_pdf(paths)
        except OfficeError as exc:
            click.echo(T.papers.PAPERS_PDF_FAILED.format(reason=exc), err=True)
    click.echo(T.papers.PAPERS_WRITTEN.format(count=len(paths), path=where))
    for path in paths:
        click.echo(T.papers.PAPER_LINE.format(path=path.name))


@main.command(help=T.rules.HELP_HISTORY, context_settings=CONTEXT)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@user_errors
def history_cmd(paths: tuple[Path, ...]) -> None:
    from toolkit.history import history, summary_files

    for path in paths:
        if not path.exists():
            raise FolderError(C.FILE_MISSING.format(path=path))
    frame = history(summary_files(paths))
    print_history(frame)
    print_problems(frame.attrs["problems"])


history_cmd.name = "history"


@main.command(help=T.button.HELP_DOCTOR)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), default=Path("."),
                metavar=C.FOLDER_METAVAR)
@click.option("--mat-khau", "ask_password", is_flag=True, help=MAIL.HELP_NEW_PASSWORD)
@user_errors
def doctor(folder: Path, ask_password: bool) -> None:
    from toolkit.ask_password import doctor_password
    from toolkit.excel import doctor as checkup

    B = T.button
    click.echo(B.DOCTOR_TITLE.format(folder=folder.resolve()))
    findings = checkup.doctor(folder)
    for f in findings:
        click.echo(f"  {checkup.MARKS[f.level]} {f.message}")
    doctor_password(folder, ask_password)
    bad = sum(f.level == checkup.BAD for f in findings)
    click.echo(B.DOCTOR_SUMMARY_BAD.format(count=bad) if bad else B.DOCTOR_SUMMARY_OK)
    sys.exit(1 if bad else 0)


def _expand(files: tuple[Path, ...]) -> list[Path]:
    out = []
    for f in files:
        if f.is_dir():
            out.extend(inbox_files(f))
        elif f.is_file():
            out.append(f)
        else:
            raise FolderError(C.FILE_MISSING.format(path=f))
    return out


def _bloc_for(khoi: Path | None, first_file: Path):
    if khoi is not None and khoi.is_file():
        return load_bloc(khoi)
    return load_folder_bloc(find_bloc_folder(khoi or first_file))


def _folder_for(khoi: Path | None, first_file: Path) -> Path:
    """The bloc folder whose ket-qua/phan-hoi/ receives feedback workbooks."""
    if khoi is not None and khoi.is_file():
        return khoi.resolve().parent
    return find_bloc_folder(khoi or first_file)


@main.command(help=MAIL.HELP_SEND)
@click.argument("what", type=click.Choice(tuple(MAIL.KINDS) + tuple(SEND_ALIASES)))
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar=C.FOLDER_METAVAR)
@click.option("--dry-run", is_flag=True, help=MAIL.HELP_DRY_RUN)
@click.option("--resend", is_flag=True, help=MAIL.HELP_RESEND)
@click.option("--host", help=MAIL.HELP_HOST)
@click.option("--port", type=click.IntRange(1, 65535), help=MAIL.HELP_PORT)
@click.option("--security", type=click.Choice(SMTP_SECURITY, case_sensitive=False), help=MAIL.HELP_SECURITY)
@click.option("--user", help=MAIL.HELP_USER)
@click.option("--sender", help=MAIL.HELP_SENDER)
@click.option("--sender-name", help=MAIL.HELP_SENDER_NAME)
@click.option("--only", multiple=True, help=MAIL.HELP_ONLY)
@user_errors
def send(what: str, folder: Path, dry_run: bool, resend: bool, only: tuple[str, ...], **options) -> None:
    from toolkit.ask_password import ask_smtp_password
    from toolkit.mail import send_documents, smtp_password, smtp_settings

    overrides = {"host": options["host"], "port": options["port"], "user": options["user"],
                 "security": options["security"] and options["security"].lower(),
                 "sender": options["sender"], "sender_name": options["sender_name"]}
    what = SEND_ALIASES.get(what, what)
    bloc = load_folder_bloc(folder)
    settings = smtp_settings(bloc, **overrides)
    password = None
    if settings.user and not dry_run and smtp_password(settings) is None:
        password = ask_smtp_password(settings)
    results = send_documents(folder, what, dry_run=dry_run, password=password, resend=resend,
                             overrides=overrides, only=only, bloc=bloc)
    print_sent(results, BlocFolder.at(folder), dry_run)
    sys.exit(0 if all(r.ok for r in results) else 1)


@main.command(help=T.intake.HELP_NHAN)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar=C.FOLDER_METAVAR)
@click.option("--host", help=T.intake.HELP_HOST)
@click.option("--port", type=click.IntRange(1, 65535), help=T.intake.HELP_PORT)
@click.option("--security", type=click.Choice(SMTP_SECURITY, case_sensitive=False), help=T.intake.HELP_SECURITY)
@click.option("--user", help=T.intake.HELP_USER)
@user_errors
def nhan(folder: Path, **options) -> None:
    from toolkit.intake_shell import run_nhan  # imaplib only when receiving
    options["security"] = options["security"] and options["security"].lower()
    sys.exit(run_nhan(folder, options))


@main.command(help=T.intake.HELP_STATUS)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar=C.FOLDER_METAVAR)
@user_errors
def status(folder: Path) -> None:
    from toolkit.intake_shell import run_status
    sys.exit(run_status(folder))


@main.command(help=T.summary.HELP_PDF)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False), metavar=C.FOLDER_METAVAR)
@user_errors
def pdf(folder: Path) -> None:
    from toolkit.summary import bloc_summary_filename

    bloc = load_folder_bloc(folder)
    path = BlocFolder.at(folder).output / bloc_summary_filename(bloc)
    if not path.is_file():
        raise FolderError(T.summary.PDF_NO_SUMMARY.format(path=path))
    _export_pdf(path)


def _export_pdf(summary_path: Path) -> None:
    from toolkit.office import OfficeError
    from toolkit.summary import summary_pdf

    try:
        click.echo(T.summary.PDF_WRITTEN.format(path=summary_pdf(summary_path)))
    except OfficeError as exc:
        raise FolderError(T.summary.PDF_FAILED.format(reason=exc)) from None


if __name__ == "__main__":
    main()
