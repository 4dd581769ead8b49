"""One report layer: returns, a ranking and send results as plain rows.

Every shell shows the same rows its own way — the CLI's text and `--json`, the button's results sheet,
the mail bodies, the feedback list — so a problem's location, its severity word and a unit's rank are
worked out here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from toolkit import texts as T
from toolkit.bloc.model import Bloc
from toolkit.problems import ERROR, Problem
from toolkit.returns import Returns
from toolkit.texts import cli as C
from toolkit.sendlog import SendResult, SendStatus
from toolkit.texts import mail as M
from toolkit.texts import returns as TR

if TYPE_CHECKING:
    from toolkit.ranking import Ranking

SEP = " › "


@dataclass(frozen=True)
class ProblemRow:
    """One problem as shown: where it is, how bad (`severity` the catalog's key, `level` its word)."""

    file: str
    sheet: str
    cell: str
    severity: str
    level: str
    code: str
    message: str
    unit: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def location(self) -> str:
        """'file › sheet › cell' with the parts that are known."""
        return SEP.join(x for x in (self.file, self.sheet, self.cell) if x)

    @property
    def where(self) -> str:
        """'sheet › cell' inside the file, or the file itself when neither is known."""
        return SEP.join(x for x in (self.sheet, self.cell) if x) or self.file

    @property
    def lead(self) -> str:
        """The prefix of a one-line message: 'sheet › cell: ', the cell left out when the message
        names it already ("Ô E12: ..."); empty when nothing inside the file is known."""
        cell = "" if self.cell and self.cell in self.message else self.cell
        where = SEP.join(x for x in (self.sheet, cell) if x)
        return f"{where}: " if where else ""

    @property
    def wrong(self) -> str:
        """What is wrong: the message's first sentence, without the "Ô E12: " the location shows."""
        return _sentences(self.message, self.cell)[0]

    @property
    def todo(self) -> str:
        """What to do: the message's further sentences, else the severity's usual action."""
        return _sentences(self.message, self.cell)[1] or TR.FEEDBACK_TODO[self.severity]

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "file": self.file, "sheet": self.sheet, "cell": self.cell, "unit": self.unit}


def _sentences(message: str, cell: str) -> tuple[str, str]:
    """(first sentence, the rest) of a problem's message, a leading "Ô <cell>: " left out."""
    prefix = TR.CELL_PREFIX.format(cell=cell)
    text = message[len(prefix):] if cell and message.startswith(prefix) else message
    first, dot, rest = text.partition(". ")
    return first + dot.strip(), rest.strip()


def problem_row(p: Problem) -> ProblemRow:
    return ProblemRow(p.file, p.sheet, p.cell, p.severity, T.SEVERITY[p.severity], p.code, p.message, p.unit)


def problem_rows(problems: list[Problem]) -> list[ProblemRow]:
    return [problem_row(p) for p in problems]


@dataclass(frozen=True)
class FileRow:
    """One returned file: whose it is, whether it is valid and used, and its problems."""

    path: Path
    sha256: str
    unit: str
    unit_label: str
    ok: bool
    used: bool
    problems: tuple[ProblemRow, ...]
    set_aside: str = ""  # why a file without errors is not counted (the chair changed the criteria)

    @property
    def errors(self) -> int:
        return sum(p.is_error for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def as_dict(self) -> dict:
        return {"file": str(self.path), "sha256": self.sha256, "unit": self.unit, "ok": self.ok,
                "used": self.used, "set_aside": self.set_aside, "errors": self.errors, "warnings": self.warnings,
                "problems": [p.as_dict() for p in self.problems]}


def file_rows(returns: Returns, bloc: Bloc | None = None) -> list[FileRow]:
    """Every file read, in reading order; `bloc` names the units (else their codes)."""
    used = {s.path for s in returns.submissions.values()}
    return [FileRow(r.path, r.sha256, r.unit_code, _unit_label(bloc, r.unit_code), r.ok, r.path in used,
                    tuple(problem_rows(r.problems)), r.set_aside) for r in returns.results]


def _unit_label(bloc: Bloc | None, code: str) -> str:
    member = bloc.member(code) if bloc is not None else None
    return member.label if member else code


@dataclass(frozen=True)
class UnitRow:
    """One unit of a ranking; a unit not counted has no total, grade nor rank, only its note.
    `number`: its STT in the list (1, 2, 3, …); `order`: its founding order."""

    number: int
    order: int
    code: str
    label: str
    counted: bool
    total: float | None = None
    grade: str = ""
    rank: str = ""
    proposal: str = ""
    note: str = ""


def unit_rows(ranking: Ranking) -> list[UnitRow]:
    """The counted units in rank order, then the units not counted in founding order."""
    from toolkit.ranking import rank_label

    bloc, table = ranking.bloc, ranking.table
    rows = [UnitRow(i, int(r["order"]), code, bloc.member(code).label, True, float(r["total"]), r["grade"],
                    rank_label(r["rank"], bool(r["tied"])), _proposal(r), r["note"] or "")
            for i, (code, r) in enumerate(_records(ranking.ranked()), start=1)]
    rows += [UnitRow(i, int(r["order"]), code, bloc.member(code).label, False, note=r["note"] or "")
             for i, (code, r) in enumerate(_records(table[~table["counted"]]), start=len(rows) + 1)]
    return rows


def _records(frame) -> Iterator[tuple[str, dict]]:
    """(index, row as a dict) of a table: a dict per row instead of iterrows' Series (~20× less time
    at a country's 20,000 rows)."""
    return zip(frame.index, frame.to_dict("records"))


def _proposal(r) -> str:
    """The award proposed, tagged when it is a government-flag candidate or still awaits the vote."""
    proposal = r.get("award") or ""
    if proposal and r.get("gov_flag_candidate"):
        proposal += C.GOV_FLAG_TAG
    if proposal and r.get("vote_passed") is None:
        proposal += C.AWAITING_VOTE_TAG
    return proposal


@dataclass(frozen=True)
class SendRow:
    """One message sent (or not): to whom, the result in words, and why when it went wrong."""

    status: SendStatus
    mark: str
    kind: str
    name: str
    to: str
    result: str
    detail: str


def send_row(r: SendResult) -> SendRow:
    return SendRow(r.status, M.MARKS[r.status], M.KINDS[r.kind], r.name, ", ".join(r.to),
                   M.RESULTS[r.status], r.detail)


def send_counts(results: list[SendResult]) -> dict[SendStatus, int]:
    """How many messages ended in each status (every status present, zero when none)."""
    return {s: sum(r.status == s for r in results) for s in SendStatus}
