"""What the `thidua` command line prints: the ranking, problems, checks, history, sends and the province
run, as lines built from the report rows (toolkit.report). The commands themselves are in toolkit.cli."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import click

from toolkit import texts as T
from toolkit.paths import BlocFolder
from toolkit.report import FileRow, file_rows, problem_row, problem_rows, send_counts, send_row, unit_rows
from toolkit.sendlog import SendResult, SendStatus as S
from toolkit.texts import issued as TI
from toolkit.texts import mail as MAIL
from toolkit.texts import province as TP

if TYPE_CHECKING:
    from pathlib import Path

    from toolkit.province import BlocOutcome
    from toolkit.ranking import Ranking
    from toolkit.returns import Returns

C = T.cli


def print_history(frame) -> None:
    import pandas as pd

    from toolkit.history import period_label

    periods = list(dict.fromkeys(frame.columns.get_level_values("period")))
    if not periods:
        click.echo(T.rules.HISTORY_NONE)
        return
    labels = [period_label(p) for p in periods]
    widths = (34, *[max(12, text_width(label)) for label in labels])
    click.echo(T.rules.HISTORY_TITLE)
    click.echo("  ".join(pad(h, w) for h, w in zip((C.RANKING_HEAD[1], *labels), widths)))
    for unit, row in frame.iterrows():
        cells = [str(unit)[:34]] + [
            "" if pd.isna(row[("rank", p)]) else f"{int(row[('rank', p)])} ({row[('total', p)]:.2f})".replace(".", ",")
            for p in periods]
        click.echo("  ".join(pad(c, w) for c, w in zip(cells, widths)))
def text_width(text: str) -> int:
    """Columns a text takes in a terminal (combining marks take none)."""
    return sum(0 if unicodedata.combining(ch) else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - text_width(text))
    return space + text if right else text + space


def print_ranking(ranking: Ranking) -> None:
    bloc = ranking.bloc
    click.echo("")
    click.echo(C.RANKING_TITLE.format(title=f"{bloc.name} — {T.period_title(bloc.period, bloc.year)}"))
    widths = (4, 22, 10, 17, 16, 30)
    click.echo("  ".join(pad(h, w) for h, w in zip(C.RANKING_HEAD, widths)).rstrip())
    rows = unit_rows(ranking)
    for r in (r for r in rows if r.counted):
        cells = (str(r.number), r.label[:22], f"{r.total:.2f}".replace(".", ","), r.grade, r.rank, r.proposal)
        line = "  ".join(pad(c, w, right=i in (0, 2)) for i, (c, w) in enumerate(zip(cells, widths)))
        click.echo(line.rstrip())
        if r.note:
            click.echo(C.NOTE_LINE.format(note=r.note))
    for r in (r for r in rows if not r.counted):
        click.echo(C.NOT_COUNTED_LINE.format(name=r.label, reason=r.note))
    click.echo("")


def print_problems(problems) -> None:
    if not problems:
        return
    errors = sum(p.is_error for p in problems)
    click.echo(C.PROBLEMS_TITLE.format(errors=errors, warnings=len(problems) - errors))
    for p in problem_rows(problems):
        click.echo(f"  [{p.level}] {p.location}: {p.message}")


def print_check(files: list[FileRow], set_problems) -> None:
    for f in files:
        if f.set_aside:
            click.echo(TI.FILE_SET_ASIDE.format(file=f.path.name, unit=f.unit, reason=f.set_aside))
        elif f.errors:
            click.echo(C.FILE_BAD.format(file=f.path.name, count=f.errors))
        elif f.problems:
            click.echo(C.FILE_WARN.format(file=f.path.name, count=len(f.problems), unit=f.unit))
        else:
            click.echo(C.FILE_OK.format(file=f.path.name, unit=f.unit))
        for p in f.problems:
            click.echo(f"    [{p.level}] {p.lead}{p.message}")
    for p in problem_rows(set_problems):
        click.echo(f"  [{p.level}] {p.unit}: {p.message}")
    click.echo(C.CHECK_TOTAL.format(ok=sum(f.ok for f in files), total=len(files)))


def check_json(returns: Returns) -> dict:
    files = file_rows(returns)
    return {"files": [f.as_dict() for f in files], "ok": sum(f.ok for f in files), "total": len(files),
            "problems": [problem_row(p).as_dict() for p in returns.problems]}


def print_sent(results: list[SendResult], where: BlocFolder, dry_run: bool) -> None:
    for r in map(send_row, results):
        click.echo(MAIL.LINE.format(mark=r.mark, kind=r.kind, name=r.name, to=r.to, result=r.result,
                                    detail=f" — {r.detail}" if r.detail else ""))
    count = send_counts(results)
    click.echo(MAIL.TOTAL.format(sent=count[S.SENT], drafted=count[S.DRAFTED], already=count[S.ALREADY_SENT],
                                 failed=count[S.FAILED], skipped=count[S.SKIPPED]))
    if dry_run:
        click.echo(MAIL.DRAFTS_WRITTEN.format(path=where.mail))
    click.echo(MAIL.LOG_WRITTEN.format(path=where.mail_log))


def consolidate_province_printed(folder: Path) -> None:
    """Every bloc of a province folder, with a progress bar on stderr, then the province summary."""
    from toolkit.province import bloc_folders, consolidate_province

    lines: list[str] = []
    stderr = click.get_text_stream("stderr")
    with click.progressbar(length=len(bloc_folders(folder)), label=TP.PROGRESS, file=stderr) as bar:
        def step(outcome: BlocOutcome) -> None:
            lines.append(outcome_line(outcome))
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


def outcome_line(o: BlocOutcome) -> str:
    if o.consolidation is None:
        return TP.BLOC_FAILED.format(folder=o.folder.name, reason=o.error)
    if o.leader is None:
        return TP.BLOC_NO_LEADER.format(bloc=o.bloc.name)
    return TP.BLOC_DONE.format(bloc=o.bloc.name, count=len(o.bloc.members),
                               leader=o.bloc.member(o.leader).label,
                               total=f"{o.row['total']:.2f}".replace(".", ","))
