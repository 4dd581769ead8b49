"""Read a whole inbox: one bad file never stops the rest; several files of one unit: newest wins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from toolkit.bloc.model import Bloc
from toolkit.problems import Problem, problem
from toolkit.returns.parallel import read_returns
from toolkit.returns.reader import ReadResult, Submission

IGNORED_PREFIXES = (".", "~$", ".~lock")


@dataclass
class Returns:
    """Every file read, the submission used per unit, and the problems of the set."""

    results: list[ReadResult]
    submissions: dict[str, Submission]
    problems: list[Problem] = field(default_factory=list)

    def missing(self, bloc: Bloc) -> list[str]:
        """Codes of members with no usable submission, in founding order."""
        return [m.code for m in bloc.members if m.code not in self.submissions]

    def all_problems(self) -> list[Problem]:
        return [p for r in self.results for p in r.problems] + self.problems


def inbox_files(folder: Path) -> list[Path]:
    """The files of an inbox folder a unit may have sent (lock and hidden files skipped)."""
    return sorted(p for p in Path(folder).iterdir()
                  if p.is_file() and not p.name.startswith(IGNORED_PREFIXES))


def collect_returns(paths: list[Path], bloc: Bloc, workers: int | None = None) -> Returns:
    """Read every file (on several cores when there are many; `workers=1`: in this process)."""
    results = read_returns(paths, bloc, workers)
    by_unit: dict[str, list[Submission]] = {}
    for r in results:
        if r.submission is not None:
            by_unit.setdefault(r.submission.unit_code, []).append(r.submission)
    chosen, problems = {}, []
    for unit, subs in by_unit.items():
        subs.sort(key=_recency, reverse=True)
        chosen[unit] = subs[0]
        if len(subs) > 1:
            used = subs[0]
            problems.append(problem(
                "returns.superseded", file=used.path.name, unit=unit, count=len(subs),
                used=used.path.name, used_time=_when(used),
                others=", ".join(s.path.name for s in subs[1:])))
    return Returns(results, chosen, problems)


def _recency(sub: Submission) -> tuple:
    saved = sub.saved_at or datetime.min.replace(tzinfo=timezone.utc)
    if saved.tzinfo is None:
        saved = saved.replace(tzinfo=timezone.utc)
    return saved, sub.revision, sub.path.name


def _when(sub: Submission) -> str:
    return sub.saved_at.strftime("%d/%m/%Y %H:%M") if sub.saved_at else "?"
