"""The `thidua` command line: a thin shell over toolkit.folder and the stage modules."""

from __future__ import annotations

import json
import sys
import unicodedata
from functools import wraps
from pathlib import Path

import click

from toolkit import texts as T
from toolkit.bloc import BUILTIN_BLOCS, DEFAULT_BLOC, load_bloc
from toolkit.demo import fill_demo_returns
from toolkit.folder import (INBOX_DIR, FolderError, builtin_or_empty, chair_workbook, consolidate,
                            find_bloc_folder, init_folder, load_folder_bloc, make_forms)
from toolkit.problems import ProblemError
from toolkit.province import BlocOutcome, bloc_folders, consolidate_province, is_province_folder
from toolkit.ranking import Ranking, rank_label
from toolkit.returns import ReadResult, collect_returns
from toolkit.returns.collect import inbox_files
from toolkit.texts import province as TP

C = T.cli
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def user_errors(func):
    """Turn user errors into Vietnamese messages and exit code 2 — never a traceback."""
    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ProblemError as exc:
            click.echo(C.BLOC_INVALID, err=True)
            for p in exc.problems:
                click.echo(f"  - {p.location()}: {p.message}", err=True)
        except FolderError as exc:
            click.echo(str(exc), err=True)
        except OSError as exc:
            click.echo(C.OS_ERROR.format(path=exc.filename or "", reason=exc.strerror or exc), err=True)
        sys.exit(2)
    return wrapper


@click.group(help=C.HELP, context_settings=CONTEXT)
def main() -> None:
    pass


@main.command(help=C.HELP_DEMO)
@click.argument("folder", type=click.Path(path_type=Path), default=Path("thidua-demo"))
@user_errors
def demo(folder: Path) -> None:
    bloc = builtin_or_empty(DEFAULT_BLOC)
    if chair_workbook(folder) is None:
        click.echo(C.CREATED_FOLDER.format(path=folder))
        init_folder(folder, bloc)
    bloc = load_folder_bloc(folder)
    click.echo(C.CHAIR_WORKBOOK.format(path=chair_workbook(folder)))
    forms = make_forms(folder, bloc)
    click.echo(C.FORMS_WRITTEN.format(count=len(forms), path=folder / "phieu"))
    filled = fill_demo_returns(bloc, forms, folder / INBOX_DIR)
    click.echo(C.RETURNS_FILLED.format(count=len(filled), path=folder / INBOX_DIR))
    result = consolidate(folder, bloc)
    _print_ranking(result.ranking)
    click.echo(C.SUMMARY_WRITTEN.format(path=result.summary_path))


@main.command(help=C.HELP_INIT)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--bloc", "bloc_name", default=DEFAULT_BLOC, show_default=True,
              help=C.HELP_BLOC.format(names=", ".join(BUILTIN_BLOCS)))
@user_errors
def init(folder: Path, bloc_name: str) -> None:
    try:
        bloc = builtin_or_empty(bloc_name)
    except KeyError:
        raise FolderError(C.UNKNOWN_BLOC.format(name=bloc_name, names=", ".join(BUILTIN_BLOCS))) from None
    path = init_folder(folder, bloc)
    click.echo(C.CREATED_FOLDER.format(path=folder))
    click.echo(C.CHAIR_WORKBOOK.format(path=path))


@main.command(help=C.HELP_FORMS)
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@user_errors
def forms(folder: Path) -> None:
    paths = make_forms(folder)
    click.echo(C.FORMS_WRITTEN.format(count=len(paths), path=folder / "phieu"))
    click.echo(C.NEXT_STEPS.format(path=folder))


@main.command(help=C.HELP_CHECK)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--khoi", type=click.Path(path_type=Path, exists=True), help=C.HELP_KHOI)
@click.option("--json", "as_json", is_flag=True, help=C.HELP_JSON)
@user_errors
def check(files: tuple[Path, ...], khoi: Path | None, as_json: bool) -> None:
    paths = _expand(files)
    if not paths:
        raise FolderError(C.NO_FILES.format(path=", ".join(map(str, files))))
    bloc = _bloc_for(khoi, paths[0])
    returns = collect_returns(paths, bloc)
    if as_json:
        click.echo(json.dumps(_check_json(returns.results, returns.problems), ensure_ascii=False, indent=2))
    else:
        _print_check(returns.results, returns.problems)
    sys.exit(0 if all(r.ok for r in returns.results) else 1)


@main.command(help=f"{C.HELP_CONSOLIDATE} {TP.HELP}")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@user_errors
def consolidate_cmd(folder: Path) -> None:
    if is_province_folder(folder):
        _consolidate_province(folder)
        return
    result = consolidate(folder)
    _print_ranking(result.ranking)
    _print_problems(result.problems)
    click.echo(C.SUMMARY_WRITTEN.format(path=result.summary_path))


consolidate_cmd.name = "consolidate"


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


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - _width(text))
    return space + text if right else text + space


def _print_ranking(ranking: Ranking) -> None:
    bloc = ranking.bloc
    click.echo("")
    click.echo(C.RANKING_TITLE.format(title=f"{bloc.name} — {T.period_title(bloc.period, bloc.year)}"))
    widths = (4, 34, 10, 18, 18)
    click.echo("  ".join(_pad(h, w) for h, w in zip(C.RANKING_HEAD, widths)))
    for _, r in ranking.ranked().iterrows():
        cells = (str(int(r["order"])), bloc.member(r.name).label[:34], f"{r['total']:.2f}".replace(".", ","),
                 r["grade"], rank_label(r["rank"], bool(r["tied"])))
        click.echo("  ".join(_pad(c, w, right=i in (0, 2)) for i, (c, w) in enumerate(zip(cells, widths))))
    for _, r in ranking.table[~ranking.table["counted"]].iterrows():
        click.echo(C.NOT_COUNTED_LINE.format(name=bloc.member(r.name).label, reason=r["note"]))
    click.echo("")


def _print_problems(problems) -> None:
    if not problems:
        return
    errors = sum(p.is_error for p in problems)
    click.echo(C.PROBLEMS_TITLE.format(errors=errors, warnings=len(problems) - errors))
    for p in problems:
        click.echo(f"  [{T.SEVERITY[p.severity]}] {p.location()}: {p.message}")


def _print_check(results: list[ReadResult], set_problems) -> None:
    for r in results:
        errors = [p for p in r.problems if p.is_error]
        if errors:
            click.echo(C.FILE_BAD.format(file=r.path.name, count=len(errors)))
        elif r.problems:
            click.echo(C.FILE_WARN.format(file=r.path.name, count=len(r.problems), unit=r.unit_code))
        else:
            click.echo(C.FILE_OK.format(file=r.path.name, unit=r.unit_code))
        for p in r.problems:
            where = " › ".join(x for x in (p.sheet, p.cell) if x)
            click.echo(f"    [{T.SEVERITY[p.severity]}] {where + ': ' if where else ''}{p.message}")
    for p in set_problems:
        click.echo(f"  [{T.SEVERITY[p.severity]}] {p.message}")
    click.echo(C.CHECK_TOTAL.format(ok=sum(r.ok for r in results), total=len(results)))


def _check_json(results: list[ReadResult], set_problems) -> dict:
    return {
        "files": [{"file": str(r.path), "sha256": r.sha256, "unit": r.unit_code, "ok": r.ok,
                   "problems": [p.as_dict() for p in r.problems]} for r in results],
        "problems": [p.as_dict() for p in set_problems],
    }


def _consolidate_province(folder: Path) -> None:
    """Every bloc of a province folder, with a progress bar on stderr, then the province summary."""
    lines: list[str] = []
    stderr = click.get_text_stream("stderr")
    with click.progressbar(length=len(bloc_folders(folder)), label=TP.PROGRESS, file=stderr) as bar:
        def step(outcome: BlocOutcome) -> None:
            lines.append(_outcome_line(outcome))
            bar.update(1)
        result = consolidate_province(folder, progress=step)
    for line in lines:
        click.echo(line)
    click.echo(TP.QUOTA_LINE.format(leaders=len(result.leaders), quota=result.quota,
                                    chosen=len(result.candidates)))
    for i, o in enumerate(result.candidates, start=1):
        click.echo(TP.CANDIDATE_LINE.format(order=i, name=o.bloc.member(o.leader).name, bloc=o.bloc.name,
                                            total=f"{o.row['total']:.2f}".replace(".", ",")))
    if not result.candidates:
        click.echo(TP.NO_CANDIDATE)
    click.echo(TP.SUMMARY_WRITTEN.format(count=len(result.outcomes), path=result.summary_path))


def _outcome_line(o: BlocOutcome) -> str:
    if o.consolidation is None:
        return TP.BLOC_FAILED.format(folder=o.folder.name, reason=o.error)
    if o.leader is None:
        return TP.BLOC_NO_LEADER.format(bloc=o.bloc.name)
    return TP.BLOC_DONE.format(bloc=o.bloc.name, count=len(o.bloc.members),
                               leader=o.bloc.member(o.leader).label,
                               total=f"{o.row['total']:.2f}".replace(".", ","))


if __name__ == "__main__":
    main()
