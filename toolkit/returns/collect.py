"""Read a whole inbox: one bad file never stops the rest; several files of one unit: the newest issue
of the form wins, then the newest save; files of different forms are never set aside silently."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from toolkit.bloc.model import Bloc, slugify
from toolkit.forms.writer import form_filename
from toolkit.issued import definition_problems
from toolkit.problems import Problem, problem
from toolkit.texts import returns as TR
from toolkit.returns.parallel import read_returns
from toolkit.returns.reader import ReadResult, Submission
from toolkit.seal import Custody, secret_path
from toolkit.texts import seal as TS


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

    def not_counted(self) -> dict[str, str]:
        """Unit code -> why it is not counted, for units that returned only files with errors."""
        out = {}
        for r in sorted(self.results, key=_recency, reverse=True):
            if r.unit_code and r.unit_code not in self.submissions and r.unit_code not in out:
                out[r.unit_code] = not_counted_reason(r)
        return out

    def files_by_unit(self) -> dict[str, list[ReadResult]]:
        """Each identified unit's files in reading order (one pass, for callers that visit every unit)."""
        out: dict[str, list[ReadResult]] = {}
        for r in self.results:
            if r.unit_code:
                out.setdefault(r.unit_code, []).append(r)
        return out

    def unit_problems(self, unit: str, files: list[ReadResult] | None = None) -> list[Problem]:
        """The problems to tell a unit: those of the file used (or of its newest file), of any newer
        file that could not be used, and of the set. `files`: the unit's files, see `files_by_unit`."""
        own = sorted(self._own(unit, files), key=_recency, reverse=True)
        main = self.unit_file(unit, own)
        told = own[: [r.path for r in own].index(main) + 1] if main else []
        return [p for r in told for p in r.problems] + [p for p in self.problems if p.unit == unit]

    def unit_file(self, unit: str, files: list[ReadResult] | None = None) -> Path | None:
        """The file that stands for a unit: the one used, else its newest file."""
        if unit in self.submissions:
            return self.submissions[unit].path
        own = self._own(unit, files)
        return max(own, key=_recency).path if own else None

    def _own(self, unit: str, files: list[ReadResult] | None) -> list[ReadResult]:
        return [r for r in self.results if r.unit_code == unit] if files is None else files


def not_counted_reason(result: ReadResult) -> str:
    """A short note for the summary: the first error of the file, and how many more there are (or why
    a file without errors is set aside)."""
    if result.set_aside:
        return result.set_aside
    errors = [p for p in result.problems if p.is_error]
    if not errors:
        return TR.NOT_COUNTED_REASON.format(message="")
    first = errors[0]
    message = f"{first.cell}: {first.message}" if first.cell and first.cell not in first.message else \
        first.message
    more = TR.NOT_COUNTED_MORE.format(count=len(errors) - 1) if len(errors) > 1 else ""
    return TR.NOT_COUNTED_REASON.format(message=message) + more


def collect_returns(paths: list[Path], bloc: Bloc, workers: int | None = None,
                    custody: Custody | None = None, folder: Path | None = None) -> Returns:
    """Read every file (on several cores when there are many; `workers=1`: in this process).
    `custody`: the chair's ledger and seal secret (of the bloc folder `folder`) to check forms against."""
    results = [_attributed(r, bloc) for r in read_returns(paths, bloc, workers, custody)]
    by_unit: dict[str, list[Submission]] = {}
    for r in results:
        if r.submission is not None:
            by_unit.setdefault(r.submission.unit_code, []).append(r.submission)
    files_of: dict[str, list[ReadResult]] = {}  # grouped once: no scan of every file per unit
    for r in results:
        files_of.setdefault(r.unit_code, []).append(r)
    chosen, problems = {}, _custody_problems(custody, folder) if results else []
    if results and custody is not None:  # said once, to the chair: never a unit's problem
        problems += definition_problems(custody.issued, bloc, sum(bool(r.set_aside) for r in results))
    for unit, subs in by_unit.items():
        subs.sort(key=lambda s: (custody.rank(s.form_id) if custody else 0, *_recency(s)), reverse=True)
        used = chosen[unit] = subs[0]
        others = [r.path.name for r in files_of.get(unit, []) if r.path != used.path]
        if len({(s.form_id, s.seal) for s in subs}) > 1:
            reason = TS.CHOSEN_NEWEST_ISSUE if custody and custody.issues is not None else TS.CHOSEN_NEWEST_SAVE
            problems.append(problem(
                "returns.forms_differ", file=used.path.name, unit=unit, count=len(others) + 1,
                used=used.path.name, reason=reason, others=", ".join(others)))
        elif others:
            problems.append(problem(
                "returns.superseded", file=used.path.name, unit=unit, count=len(others) + 1,
                used=used.path.name, used_time=_when(used), others=", ".join(others)))
        for newer in (r for r in files_of.get(unit, []) if not r.ok and _recency(r) > _recency(used)):
            problems.append(problem(
                "returns.newer_invalid", file=newer.path.name, unit=unit, newer=newer.path.name,
                newer_time=_when(newer), used=used.path.name, used_time=_when(used)))
    return Returns(results, chosen, problems)


def _custody_problems(custody: Custody | None, folder: Path | None) -> list[Problem]:
    """Warnings to the chair when the returns cannot be checked against the ledger or the seal."""
    if custody is None:
        return []
    if custody.issues is None:
        return [problem("returns.no_ledger")]
    if custody.secret is None:
        return [problem("returns.no_secret", path=secret_path(folder or Path(".")))]
    return []


def _attributed(result: ReadResult, bloc: Bloc) -> ReadResult:
    """A file whose metadata could not be read is attributed to a unit by the form's file name it kept
    ("01-a-an (1).xls"), only so the unit is told and the summary says why it is not counted. A link
    is the chair's own (a unit sends files): it is never attributed, so no unit is told about it."""
    if result.unit_code or result.ok or result.path.is_symlink():
        return result
    name = slugify(result.path.stem)
    stems = {m.code: slugify(Path(form_filename(m)).stem) for m in bloc.members}
    matches = [code for code, stem in stems.items() if name == stem or name.startswith(stem + "-")]
    if not matches:
        return result
    unit = max(matches, key=lambda code: len(stems[code]))
    result.unit_code = unit
    result.problems = [dataclasses.replace(p, unit=unit) for p in result.problems]
    return result


def _recency(item: Submission | ReadResult) -> tuple:
    """Order by the form's own save time, then its revision number, then the file name."""
    saved = item.saved_at or datetime.min.replace(tzinfo=timezone.utc)
    if saved.tzinfo is None:
        saved = saved.replace(tzinfo=timezone.utc)
    return saved, item.revision, item.path.name


def _when(item: Submission | ReadResult) -> str:
    return item.saved_at.strftime("%d/%m/%Y %H:%M") if item.saved_at else "?"
