"""A seed bloc with every section of every workbook filled, for printing tests: the demo bloc (cross
scoring on) in a province folder, its forms returned as units fill them, one return with errors, a file
that is not a workbook, reviews, cross scores, votes and a disqualifier typed into the chair's
workbook, and last year's summary in ket-qua/lich-su/; then the bloc and the province consolidated, and
each ranked unit's own result written."""

from __future__ import annotations

import dataclasses
import os
import shutil
from datetime import date, datetime
from pathlib import Path

import openpyxl

from toolkit import texts as T
from toolkit.bloc import builtin_bloc
from toolkit.bloc.model import Bloc
from toolkit.chairbook.meeting import PRESENT_CELL, VOTE_HEADER
from toolkit.demo import fill_demo_returns, fill_form, plausible_inputs
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.paths import BlocFolder
from toolkit.province import consolidate_province
from toolkit.ranking import rank_bloc
from toolkit.returns.reader import PASS_CHOICES
from toolkit.summary import bloc_summary_filename, write_summary
from toolkit.unit_result import write_unit_results
from toolkit.xlsx import open_workbook

R = T.rules
TODAY = date(2026, 12, 10)
BAD_FILE = "bao-cao-don-vi.csv"
BROKEN_BLOC = "khoi-hong"
PROVINCE_COPIES = 4


def seed_bloc() -> Bloc:
    bloc = builtin_bloc("dien-bien")
    return dataclasses.replace(bloc, rules=dataclasses.replace(bloc.rules, cross_scoring=True))


def type_meeting(chair: Path, bloc: Bloc) -> None:
    """Type the meeting's decisions into the chair's workbook as a chair does (macros kept)."""
    wb = openpyxl.load_workbook(chair, keep_vba=True)
    leaf = bloc.criteria.leaves()[0]
    a, b = bloc.members[0], bloc.members[1]
    wb[R.SHEET_REVIEW].append([a.code, leaf.code, leaf.max_points, leaf.max_points - 1,
                               "Hồ sơ minh chứng chưa đầy đủ theo hướng dẫn của Ban Thi đua - Khen thưởng tỉnh",
                               "Đơn vị bổ sung biên bản kiểm tra", leaf.max_points - 0.5, "Chấp nhận một phần"])
    wb[R.SHEET_CROSS].append([a.code, b.code, R.CROSS_TOTAL, 90])
    votes = wb[R.SHEET_VOTES]
    votes.cell(PRESENT_CELL[0] + 1, PRESENT_CELL[1] + 1, len(bloc.members))
    for row in range(VOTE_HEADER + 2, VOTE_HEADER + 2 + len(bloc.members)):
        votes.cell(row, 3, len(bloc.members) - 1)
        votes.cell(row, 4, R.VOTE_FORMS[1])
    wb[R.SHEET_CONDITIONS].cell(2 + len(bloc.members) - 1, 3, T.YES)
    wb.save(chair)
    wb.vba_archive.close()  # openpyxl's in-memory copy of the macro parts, left open by load and save


def last_years_summary(folder: Path, bloc: Bloc) -> Path:
    """The bloc's summary of the year before, as thidua wrote it, where `thidua init --tu` puts it."""
    last = dataclasses.replace(bloc, year=bloc.year - 1)
    values = {m.code: {k: PASS_CHOICES.get(x, x) for k, x in plausible_inputs(last, m, seed=last.year)[0].items()}
              for m in last.members}
    where = BlocFolder.at(folder).history
    where.mkdir(parents=True, exist_ok=True)
    ranking = rank_bloc(last, values)
    return write_summary(where / bloc_summary_filename(last), ranking, [], TODAY.replace(year=last.year))


def seed_province(root: Path) -> Path:
    """Write the province folder: the consolidated bloc, four copies of it and a bloc folder that cannot
    be read, consolidated; return the bloc folder."""
    bloc = seed_bloc()
    folder = root / "tinh" / "khoi-dien-bien"
    chair = init_folder(folder, bloc, macros=True)
    forms = make_forms(folder, bloc)
    inbox = BlocFolder.at(folder).inbox
    returned = fill_demo_returns(bloc, forms, inbox)
    leaves = bloc.criteria.leaves()
    fill_form(returned[2], returned[2], bloc, {leaves[0].code: leaves[0].max_points + 5, leaves[1].code: "nhiều"})
    (inbox / BAD_FILE).write_text("đơn vị;điểm\n1;2\n", encoding="utf-8")
    _fill_status_sheet(returned, inbox)
    type_meeting(chair, bloc)
    last_years_summary(folder, bloc)
    write_unit_results(consolidate(folder, today=TODAY).ranking, BlocFolder.at(folder).unit_results, TODAY)
    for copy in range(2, 2 + PROVINCE_COPIES):  # five bloc leaders: a quota of one Government flag
        shutil.copytree(folder, folder.with_name(f"{folder.name}-{copy}"))
    broken = root / "tinh" / BROKEN_BLOC
    broken.mkdir()
    (broken / "khoi.xlsx").write_bytes(b"not a workbook")  # the province table's row of a failed bloc
    consolidate_province(root / "tinh", today=TODAY)
    return folder


def _fill_status_sheet(returned: list[Path], inbox: Path) -> None:
    """Every column of the status sheet used: a return replaced by a newer one, a late return, a
    unit that returned nothing."""
    earlier = inbox / f"0-ban-dau-{returned[5].name}"
    shutil.copyfile(returned[5], earlier)
    stamp = returned[5].stat().st_mtime
    os.utime(earlier, (stamp - 3600, stamp - 3600))
    late = datetime.combine(TODAY, datetime.min.time()).timestamp() + 86400
    os.utime(returned[3], (late, late))
    returned[4].unlink()


def written_workbooks(folder: Path) -> dict[str, Path]:
    """One of each kind of workbook the toolkit wrote for the seed bloc, by kind."""
    where = BlocFolder.at(folder)
    return {"chair": where.chair, "form": sorted(where.forms.glob("*.xlsx"))[0],
            "peer": sorted(where.peer_forms.glob("*.xlsx"))[0],
            "summary": next(where.output.glob("tong-hop-*.xlsx")),
            **{f"feedback-{i}": p for i, p in enumerate(sorted(where.feedback.glob("*.xlsx")))},
            "province": next((folder.parent / "ket-qua").glob("tong-hop-tinh-*.xlsx")),
            "unit-result": sorted(where.unit_results.glob("*.xlsx"))[0]}  # the reviewed unit's


def visible_sheets(path: Path) -> list[str]:
    book = open_workbook(path)
    try:
        return [name for name in book.sheet_names if book.sheet_states[name] == "visible"]
    finally:
        book.close()
