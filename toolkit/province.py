"""Many blocs at once: a province folder holds bloc folders; each bloc is consolidated as usual and
one province summary lists every bloc's leader and the Government-flag candidates.

<province folder>/<bloc folder>/khoi.xlsx ...     each bloc as usual (its own ket-qua/)
<province folder>/ket-qua/tong-hop-tinh-<year>-<period>.xlsx

The Government emulation flag (Cờ thi đua của Chính phủ) goes to at most 20 % of the bloc leaders
(Công văn 5007/BNV-TĐKT): the quota is rounded down and never raised, so fewer than five leaders give no
candidate. Eligible leaders are those the bloc tags (`gov_flag_candidate` column when the rules
module provides it) or, without that column, those graded in the bloc's top band (Xuất sắc).
Candidates are chosen by total, then fewer penalty points, then more bonus, then bloc folder name.
"""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd
import xlsxwriter

from toolkit.bloc import Bloc
from toolkit.docstyle import (PROVINCE, WORKBOOK_OPTIONS, Header, document_formats, official_header,
                              page_setup, row_height, set_widths)
from toolkit.fileio import atomic_path
from toolkit.folder import Consolidation, FolderError, chair_workbook, consolidate
from toolkit.paths import BlocFolder
from toolkit import texts as T
from toolkit.problems import ProblemError, UserError
from toolkit.returns.parallel import worker_count
from toolkit.texts import province as TP

GOV_FLAG_SHARE = 0.20
MIN_BLOCS_PER_WORKER = 4  # fewer blocs per process and starting the processes costs more than it saves
WIDTHS = (5, 32, 9, 32, 10, 12, 22, 18, 30)  # columns of the province table, in characters


@dataclass
class BlocOutcome:
    """One bloc of the province: its consolidation (None when it failed) and its leader."""

    folder: Path
    consolidation: Consolidation | None = None
    leader: str | None = None  # unit code
    error: str = ""
    candidate: bool = False  # chosen for the Government flag

    @property
    def bloc(self) -> Bloc | None:
        return self.consolidation.bloc if self.consolidation else None

    @property
    def row(self) -> pd.Series | None:
        return None if self.leader is None else self.consolidation.ranking.table.loc[self.leader]

    @property
    def eligible(self) -> bool:
        """The bloc proposes its leader for the Government flag."""
        row = self.row
        if row is None:
            return False
        if "gov_flag_candidate" in row.index:
            return bool(row["gov_flag_candidate"])
        return row["grade"] == self.bloc.rules.grade_bands[0].name

    def sort_key(self) -> tuple:
        row = self.row
        return (-float(row["total"]), float(row["penalty"]), -float(row["bonus"]), self.folder.name)


@dataclass
class ProvinceResult:
    folder: Path
    outcomes: list[BlocOutcome]
    quota: int
    summary_path: Path

    @property
    def candidates(self) -> list[BlocOutcome]:
        return sorted((o for o in self.outcomes if o.candidate), key=BlocOutcome.sort_key)

    @property
    def leaders(self) -> list[BlocOutcome]:
        return [o for o in self.outcomes if o.leader is not None]


def bloc_folders(folder: Path) -> list[Path]:
    """Sub-folders holding a chair's workbook, by name."""
    return sorted(p for p in Path(folder).iterdir() if p.is_dir() and chair_workbook(p))


def is_province_folder(folder: Path) -> bool:
    """No chair's workbook here, but sub-folders that have one."""
    folder = Path(folder)
    return folder.is_dir() and chair_workbook(folder) is None and bool(bloc_folders(folder))


def gov_flag_quota(leaders: int) -> int:
    """At most 20 % of the bloc leaders, rounded down (5 leaders -> 1, 4 -> 0)."""
    return math.floor(leaders * GOV_FLAG_SHARE + 1e-9)


def choose_candidates(outcomes: list[BlocOutcome]) -> int:
    """Mark the best eligible leaders within the quota; returns the quota."""
    quota = gov_flag_quota(sum(o.leader is not None for o in outcomes))
    for o in outcomes:
        o.candidate = False
    for o in sorted((o for o in outcomes if o.eligible), key=BlocOutcome.sort_key)[:quota]:
        o.candidate = True
    return quota


def bloc_leader(consolidation: Consolidation) -> str | None:
    """The unit the bloc proposes for its flag (rules' `award`/`gov_flag_candidate` columns), else the
    unit ranked first (first in founding order on a full tie; disqualified units skipped)."""
    ranked = consolidation.ranking.ranked()
    if "gov_flag_candidate" in ranked.columns and ranked["gov_flag_candidate"].astype(bool).any():
        return str(ranked.index[ranked["gov_flag_candidate"].astype(bool)][0])
    if "disqualified" in ranked.columns:
        ranked = ranked[~ranked["disqualified"].fillna(False).astype(bool)]
    return None if ranked.empty else str(ranked.index[0])


def consolidate_province(folder: Path, today: date | None = None, workers: int | None = None,
                         progress: Callable[[BlocOutcome], None] | None = None) -> ProvinceResult:
    """Consolidate every bloc folder (each writes its own summary), then the province summary.

    `workers`: processes consolidating blocs side by side (default: one per idle core, when there are
    enough blocs to feed them); the outcomes come in folder order whatever the number."""
    folder = Path(folder)
    blocs = bloc_folders(folder)
    if not blocs:
        raise FolderError(TP.NO_BLOCS.format(path=folder))
    outcomes = []
    for outcome in _consolidate_all(blocs, today, workers):
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    quota = choose_candidates(outcomes)
    result = ProvinceResult(folder, outcomes, quota, Path())
    output = BlocFolder.at(folder).output
    result.summary_path = write_province_summary(output / province_filename(outcomes), result,
                                                 today or date.today())
    return result


def bloc_workers(blocs: int, workers: int | None = None) -> int:
    """`workers` when given (at least 1); else one per idle core, each with enough blocs."""
    return worker_count(blocs, workers, MIN_BLOCS_PER_WORKER)


def _consolidate_all(blocs: list[Path], today: date | None, workers: int | None) -> Iterator[BlocOutcome]:
    """Each bloc's outcome, in the order of `blocs`, as soon as it and those before it are done.
    Side by side, each bloc reads its few returns in its own process (no pool within a pool)."""
    count = bloc_workers(len(blocs), workers)
    if count <= 1:
        yield from (_consolidate_one(path, today, None) for path in blocs)
        return
    with ProcessPoolExecutor(count) as pool:
        yield from pool.map(_consolidate_one, blocs, repeat(today), repeat(1))


def _consolidate_one(path: Path, today: date | None, workers: int | None) -> BlocOutcome:
    try:
        done = consolidate(path, today=today, workers=workers)
    except ProblemError as exc:
        return BlocOutcome(path, error="; ".join(f"{p.location()}: {p.message}" for p in exc.problems))
    except (UserError, OSError) as exc:
        return BlocOutcome(path, error=str(exc))
    return BlocOutcome(path, done, bloc_leader(done))


def province_filename(outcomes: list[BlocOutcome]) -> str:
    bloc = next((o.bloc for o in outcomes if o.bloc), None)
    return f"tong-hop-tinh-{bloc.year}-{bloc.period}.xlsx" if bloc else "tong-hop-tinh.xlsx"


def write_province_summary(path: Path, result: ProvinceResult, today: date) -> Path:
    """The province table (one row per bloc) and the candidate list, written atomically."""
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        fmt = document_formats(wb)
        ws = wb.add_worksheet(TP.SHEET)
        _sheet(ws, fmt, result, today)
        wb.set_properties({"title": TP.TITLE, "author": "thidua"})
        wb.close()
    return Path(path)


def _sheet(ws, f, result: ProvinceResult, today: date) -> None:
    last = len(TP.COLUMNS) - 1
    set_widths(ws, WIDTHS)
    page_setup(ws, repeat_rows=(7, 7))
    place = next((o.bloc.place for o in result.outcomes if o.bloc and o.bloc.place), "")
    first = next((o.bloc for o in result.outcomes if o.bloc), None)
    period = T.period_title(first.period, first.year) if first else ""
    official_header(ws, f, Header(TP.ISSUER, place, today, TP.TITLE, period), last, split=4)
    ws.write_row(7, 0, TP.COLUMNS, f["head"])
    ws.set_row(7, 33)
    for i, o in enumerate(result.outcomes):
        _bloc_row(ws, f, 8 + i, i + 1, o)
    row = 8 + len(result.outcomes) + 1
    ws.merge_range(row, 0, row, last, TP.QUOTA_LINE.format(leaders=len(result.leaders), quota=result.quota,
                                                           chosen=len(result.candidates)), f["basis"])
    ws.merge_range(row + 1, 0, row + 1, last, TP.RULE_NOTE, f["basis"])
    row += 3
    ws.merge_range(row, 0, row, last, TP.CANDIDATES_TITLE, f["title"])
    _candidate_row(ws, row + 1, TP.CANDIDATE_COLUMNS, (f["head"],) * 4)
    for i, o in enumerate(result.candidates, start=1):
        cells = (i, o.bloc.member(o.leader).name, o.bloc.name, float(o.row["total"]))
        _candidate_row(ws, row + 1 + i, cells, (f["ctext"], f["text"], f["text"], f["num"]))


def _candidate_row(ws, row: int, cells: tuple, formats: tuple) -> None:
    """STT | unit (columns B-C) | bloc (D) | total (E), aligned with the bloc table's wide columns."""
    (order, unit, bloc, total), (f_order, f_unit, f_bloc, f_total) = cells, formats
    ws.write(row, 0, order, f_order)
    ws.merge_range(row, 1, row, 2, unit, f_unit)
    ws.write(row, 3, bloc, f_bloc)
    ws.write(row, 4, total, f_total)
    ws.set_row(row, row_height([(unit, WIDTHS[1] + WIDTHS[2]), (bloc, WIDTHS[3])], PROVINCE))


def _bloc_row(ws, f, row: int, order: int, o: BlocOutcome) -> None:
    ws.write_number(row, 0, order, f["ctext"])
    if o.consolidation is None:
        ws.write_string(row, 1, o.folder.name, f["text"])
        for col in range(2, 8):
            ws.write_blank(row, col, None, f["text"])
        ws.write_string(row, 8, TP.FAILED.format(reason=o.error), f["text"])
        return
    ws.write_string(row, 1, o.bloc.name, f["text"])
    ws.write_number(row, 2, len(o.bloc.members), f["ctext"])
    leader = o.bloc.member(o.leader).name if o.leader else ""
    note = _note(o) if o.leader else ""
    ws.set_row(row, row_height([(o.bloc.name, WIDTHS[1]), (leader, WIDTHS[3]), (note, WIDTHS[8])], PROVINCE))
    if o.leader is None:
        for col in range(3, 8):
            ws.write_blank(row, col, None, f["text"])
        ws.write_string(row, 8, TP.NO_LEADER, f["text"])
        return
    r = o.row
    award = str(r["award"]) if "award" in r.index and r["award"] else TP.PROVINCE_FLAG
    flag = TP.GOV_FLAG_YES if o.candidate else (TP.GOV_FLAG_OVER_QUOTA if o.eligible else "")
    ws.write_string(row, 3, o.bloc.member(o.leader).name, f["text"])
    ws.write_number(row, 4, float(r["total"]), f["num"])
    ws.write_string(row, 5, str(r["grade"]), f["ctext"])
    ws.write_string(row, 6, award, f["text"])
    ws.write_string(row, 7, flag, f["bold_ctext"] if o.candidate else f["ctext"])
    ws.write_string(row, 8, _note(o), f["text"])


def _note(o: BlocOutcome) -> str:
    table = o.consolidation.ranking.table
    if not o.row["tied"]:
        if o.eligible:
            return ""
        return TP.NOT_PROPOSED if "gov_flag_candidate" in table.columns else TP.NOT_EXCELLENT
    others = [o.bloc.member(u).label for u in table.index
              if u != o.leader and table.loc[u, "counted"] and table.loc[u, "rank"] == 1]
    return TP.TIED_LEADER.format(others=", ".join(others))
