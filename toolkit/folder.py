"""A bloc's folder and the steps a chair runs on it; the CLI, the button and the API share these.

<folder>/khoi.xlsx (or khoi.xlsm)   chair's workbook
<folder>/phieu/                      generated forms, to send
<folder>/nhan/                       returned forms (never modified)
<folder>/ket-qua/                    summary and feedback workbooks
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from toolkit.bloc import Bloc, builtin_bloc, load_bloc, write_bloc_workbook
from toolkit.forms import generate_forms
from toolkit.problems import Problem
from toolkit.ranking import Ranking, rank_bloc
from toolkit.returns import Returns, collect_returns
from toolkit.returns.collect import inbox_files
from toolkit import texts as T
from toolkit.summary import summary_filename, write_summary

CHAIR_NAMES = ("khoi.xlsm", "khoi.xlsx")
FORMS_DIR, INBOX_DIR, OUTPUT_DIR = "phieu", "nhan", "ket-qua"


class FolderError(Exception):
    """A user error about folders (message already in Vietnamese)."""


@dataclass
class Consolidation:
    bloc: Bloc
    returns: Returns
    ranking: Ranking
    summary_path: Path

    @property
    def problems(self) -> list[Problem]:
        return self.returns.all_problems()


def chair_workbook(folder: Path) -> Path | None:
    return next((Path(folder) / n for n in CHAIR_NAMES if (Path(folder) / n).is_file()), None)


def find_bloc_folder(start: Path) -> Path:
    """The nearest folder at or above `start` that holds a chair's workbook."""
    start = Path(start).resolve()
    for folder in [start if start.is_dir() else start.parent, *start.parents]:
        if chair_workbook(folder):
            return folder
    raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=start))


def init_folder(folder: Path, bloc: Bloc | None) -> Path:
    """Create the folder layout and the chair's workbook; never overwrite an existing one."""
    folder = Path(folder)
    if chair_workbook(folder):
        raise FolderError(T.cli.FOLDER_EXISTS.format(path=folder))
    for sub in (FORMS_DIR, INBOX_DIR, OUTPUT_DIR):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    path = folder / "khoi.xlsx"
    write_bloc_workbook(path, bloc)
    return path


def load_folder_bloc(folder: Path) -> Bloc:
    path = chair_workbook(folder)
    if path is None:
        raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=folder))
    return load_bloc(path)


def make_forms(folder: Path, bloc: Bloc | None = None) -> list[Path]:
    bloc = bloc or load_folder_bloc(folder)
    return generate_forms(bloc, Path(folder) / FORMS_DIR)


def consolidate(folder: Path, bloc: Bloc | None = None, today: date | None = None,
                workers: int | None = None) -> Consolidation:
    """Read nhan/, rank the units whose forms are valid, write the summary into ket-qua/.
    `workers`: reading processes (default: one per core when there are many files)."""
    folder = Path(folder)
    bloc = bloc or load_folder_bloc(folder)
    inbox = folder / INBOX_DIR
    returns = collect_returns(inbox_files(inbox) if inbox.is_dir() else [], bloc, workers=workers)
    not_counted = {r.unit_code: T.NOT_COUNTED for r in returns.results
                   if r.unit_code and not r.ok and r.unit_code not in returns.submissions}
    ranking = rank_bloc(bloc, {u: s.values for u, s in returns.submissions.items()}, not_counted)
    path = write_summary(folder / OUTPUT_DIR / summary_filename(ranking), ranking,
                         returns.all_problems(), today)
    return Consolidation(bloc, returns, ranking, path)


def builtin_or_empty(name: str) -> Bloc | None:
    """A built-in bloc by name, or None for the empty template; KeyError when unknown."""
    if name.casefold() in T.cli.EMPTY_BLOC_NAMES:
        return None
    return builtin_bloc(name)
