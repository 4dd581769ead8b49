""""Tình hình nộp phiếu": one row per unit — received or not, which files, when, late or not, valid /
with warnings / not counted and the first problem, superseded files. The CLI (`thidua status`) and the
summary's sheet show these same rows (toolkit.report style: rows here, shown by each shell).

A file belongs to the unit its form names; a file that is not a readable form is listed under the unit
whose address it came from (`thidua nhan` remembers it), so a unit that sent a broken file is not shown
as silent. When a file came is when it was received (from the mailbox), else when it was saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from toolkit.bloc.model import Bloc, Member
from toolkit.intake_state import FetchState
from toolkit.paths import BlocFolder
from toolkit.problems import FolderError, Problem
from toolkit.returns import Returns, collect_returns
from toolkit.seal import folder_custody
from toolkit.returns.reader import ReadResult
from toolkit.texts import intake as TI

TIME_FORMAT = "%d/%m/%Y %H:%M"


@dataclass(frozen=True)
class StatusRow:
    order: int
    code: str
    label: str
    received: bool
    files: tuple[str, ...]
    when: str  # when the newest file came, dd/mm/yyyy hh:mm
    late: bool
    state_key: str  # a key of TI.STATE
    first_problem: str
    superseded: tuple[str, ...]

    @property
    def state(self) -> str:
        return TI.STATE[self.state_key]

    def cells(self) -> tuple:
        """The row as the status sheet's columns (TI.STATUS_COLUMNS)."""
        return (self.order, self.code, self.label, TI.YES if self.received else TI.NO, "; ".join(self.files),
                self.when, TI.LATE if self.late else "", self.state, self.first_problem, "; ".join(self.superseded))


def status_rows(folder: Path, bloc: Bloc, returns: Returns | None = None,
                today: date | None = None) -> list[StatusRow]:
    """The status of every member in founding order; `returns` when already read (else nhan/ is read)."""
    where = BlocFolder.at(folder)
    if returns is None:
        returns = collect_returns(where.returned(), bloc, custody=folder_custody(folder), folder=folder)
    try:
        state = FetchState.load(where.intake_state)
    except FolderError:
        state = FetchState(where.intake_state)
    by_unit = returns.files_by_unit()
    hinted = _hinted(returns, state, where)
    today = today or date.today()
    return [_row(m, by_unit.get(m.code, []), hinted.get(m.code, []), returns, bloc, state, where, today)
            for m in bloc.members]


def _hinted(returns: Returns, state: FetchState, where: BlocFolder) -> dict[str, list[ReadResult]]:
    """Files no form identifies, by the unit of the address they came from."""
    out: dict[str, list[ReadResult]] = {}
    for r in returns.results:
        unit = state.files.get(_relative(r.path, where), {}).get("unit", "") \
            if state.files and not r.unit_code else ""
        if unit:
            out.setdefault(unit, []).append(r)
    return out


def _row(m: Member, own: list[ReadResult], hinted: list[ReadResult], returns: Returns, bloc: Bloc,
         state: FetchState, where: BlocFolder, today: date) -> StatusRow:
    files = own + hinted
    times = {r.path: received_at(r.path, state, where) for r in files}
    latest = max(times.values()) if times else None
    late = bool(bloc.deadline and latest and latest.date() > bloc.deadline)
    used = returns.unit_file(m.code, own) if own else None
    problems = returns.unit_problems(m.code, own) if own else [p for r in hinted for p in r.problems]
    return StatusRow(m.order, m.code, m.label, bool(files), tuple(r.path.name for r in files),
                     latest.strftime(TIME_FORMAT) if latest else "", late,
                     _state(m, files, returns, problems, bloc, today), _first(problems),
                     tuple(r.path.name for r in own if used and r.path != used))


def _state(m: Member, files: list[ReadResult], returns: Returns, problems: list[Problem], bloc: Bloc,
           today: date) -> str:
    if m.code in returns.submissions:
        return "warnings" if problems else "valid"
    if files:
        return "not_counted"
    return "overdue" if bloc.deadline and today > bloc.deadline else "missing"


def _first(problems: list[Problem]) -> str:
    first = next((p for p in problems if p.is_error), problems[0] if problems else None)
    return first.message if first else ""


def received_at(path: Path, state: FetchState, where: BlocFolder) -> datetime:
    """When the file came: as `thidua nhan` received it, else when it was last saved."""
    return (state.files and state.received_at(_relative(path, where))) or \
        datetime.fromtimestamp(Path(path).lstat().st_mtime).astimezone()


def _relative(path: Path, where: BlocFolder) -> str:
    try:
        return Path(path).resolve().relative_to(where.root.resolve()).as_posix()
    except ValueError:
        return ""


def status_totals(rows: list[StatusRow]) -> dict[str, int]:
    """How many units received, valid (with or without warnings), not counted, missing."""
    return {"received": sum(r.received for r in rows),
            "valid": sum(r.state_key in ("valid", "warnings") for r in rows),
            "not_counted": sum(r.state_key == "not_counted" for r in rows),
            "missing": sum(not r.received for r in rows)}
