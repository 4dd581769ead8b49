"""The next period's bloc folder from this one (`thidua init NEW --tu OLD`).

Members, criteria, rules and legal basis carry over; the period advances (Sơ kết → Tổng kết of the same
year, Tổng kết → Tổng kết of the next year, the deadline moved with it); a new year gets the chair and
vice-chair the meeting elected (Thông tin) or, by default, the next members in founding order. The
meeting's sheets start empty. The previous summaries are copied into ket-qua/lich-su/ so that
`thidua history NEW` shows them at once.

The seal secret is NOT copied: the new folder gets a new one (`init_folder`). A new year's forms are new
forms (the seal covers the year and period), so no old form can ever pass as a new one, and the old
secret stays with the old folder and the outgoing chair.
"""

from __future__ import annotations

import dataclasses
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit.bloc.model import Bloc, MeetingInfo, Member
from toolkit.folder import init_folder, load_folder_bloc
from toolkit.history import summary_files
from toolkit.paths import BlocFolder


@dataclass(frozen=True)
class RolledOver:
    bloc: Bloc
    chair_workbook: Path
    history: tuple[Path, ...]  # the summaries copied into ket-qua/lich-su/


def next_bloc(bloc: Bloc) -> Bloc:
    """The bloc of the next period, its meeting's fields empty."""
    new_year = bloc.period == "tong-ket"
    year = bloc.year + 1 if new_year else bloc.year
    chair, vice = next_chairs(bloc) if new_year else (bloc.chair, bloc.vice_chair)
    return dataclasses.replace(bloc, year=year, period="tong-ket", chair=chair, vice_chair=vice,
                               deadline=_moved(bloc.deadline, year), meeting_info=MeetingInfo())


def next_chairs(bloc: Bloc) -> tuple[str, str]:
    """(chair, vice-chair) codes for the next year: as elected on Thông tin, else the members after the
    current chair in founding order (the vice-chair after the new chair)."""
    info = bloc.meeting_info
    chair = info.next_chair or _after(bloc.members, bloc.chair)
    vice = info.next_vice_chair or _after(bloc.members, chair, skip=chair)
    return chair, vice


def _after(members: tuple[Member, ...], code: str, skip: str = "") -> str:
    """The member after `code` in founding order, wrapping around (the first when `code` is no member)."""
    codes = [m.code for m in members]
    start = codes.index(code) + 1 if code in codes else 0
    ring = codes[start:] + codes[:start]
    return next((c for c in ring if c != skip), "")


def _moved(deadline: date | None, year: int) -> date | None:
    if deadline is None:
        return None
    try:
        return deadline.replace(year=year)
    except ValueError:  # 29 February
        return deadline.replace(year=year, day=28)


def roll_over(new: Path, old: Path, macros: bool = True, bloc: Bloc | None = None) -> RolledOver:
    """Create the next period's folder `new` from the bloc folder `old` (never overwriting a bloc);
    `bloc`: old's bloc when already read (the button's own workbook, whatever its name)."""
    bloc = next_bloc(bloc or load_folder_bloc(old))
    path = init_folder(new, bloc, macros=macros)
    target = BlocFolder.at(new).history
    copied = []
    for summary in summary_files([BlocFolder.at(old).output]):
        target.mkdir(parents=True, exist_ok=True)
        copied.append(Path(shutil.copy2(summary, target / summary.name)))
    return RolledOver(bloc, path, tuple(copied))
