"""A bloc's folder and the steps a chair runs on it; the CLI, the button and the API share these.

<folder>/khoi.xlsx (or khoi.xlsm)   chair's workbook
<folder>/phieu/                      generated forms, to send
<folder>/nhan/                       returned forms (never modified)
<folder>/ket-qua/                    summary and feedback workbooks
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from toolkit.bloc import Bloc, builtin_bloc
from toolkit.chairbook import ChairBook, load_bloc, read_chairbook, write_bloc_workbook, write_chair_xlsm
from toolkit.feedback import write_unit_feedback
from toolkit.forms import generate_forms
from toolkit.meeting.model import Meeting
from toolkit.meeting.peer import PEER_DIR, generate_peer_forms, read_peer_forms
from toolkit.problems import Problem
from toolkit.ranking import Ranking, rank_bloc
from toolkit.returns import Returns, collect_returns
from toolkit.returns.collect import inbox_files
from toolkit import texts as T
from toolkit.summary import source_files, summary_filename, write_summary

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
    feedback_paths: list[Path] = field(default_factory=list)
    meeting_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return self.returns.all_problems() + self.meeting_problems


def chair_workbook(folder: Path) -> Path | None:
    return next((Path(folder) / n for n in CHAIR_NAMES if (Path(folder) / n).is_file()), None)


def find_bloc_folder(start: Path) -> Path:
    """The nearest folder at or above `start` that holds a chair's workbook."""
    start = Path(start).resolve()
    for folder in [start if start.is_dir() else start.parent, *start.parents]:
        if chair_workbook(folder):
            return folder
    raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=start))


def init_folder(folder: Path, bloc: Bloc | None, macros: bool = False) -> Path:
    """Create the folder layout and the chair's workbook; never overwrite an existing one.

    With `macros` (the CLI's default), khoi.xlsm with the button and its shim khoi.py; else khoi.xlsx.
    """
    folder = Path(folder)
    if chair_workbook(folder):
        raise FolderError(T.cli.FOLDER_EXISTS.format(path=folder))
    for sub in (FORMS_DIR, INBOX_DIR, OUTPUT_DIR):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    if macros:
        return write_chair_xlsm(folder / "khoi.xlsm", bloc, INBOX_DIR, OUTPUT_DIR)
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
    if bloc.rules.cross_scoring:
        generate_peer_forms(bloc, Path(folder) / FORMS_DIR / PEER_DIR)
    return generate_forms(bloc, Path(folder) / FORMS_DIR)


def consolidate(folder: Path, bloc: Bloc | None = None, today: date | None = None,
                inbox: Path | None = None, output: Path | None = None,
                workers: int | None = None) -> Consolidation:
    """Read nhan/ (or `inbox`), rank the units whose forms are valid, write the summary into ket-qua/
    (or `output`). `workers`: reading processes (default: one per core when there are many files)."""
    folder = Path(folder)
    book = folder_chairbook(folder, bloc)
    bloc = book.bloc
    inbox = Path(inbox) if inbox else folder / INBOX_DIR
    output = Path(output) if output else folder / OUTPUT_DIR
    returns = collect_returns(inbox_files(inbox) if inbox.is_dir() else [], bloc, workers=workers)
    with settled_heap():
        values = {u: s.values for u, s in returns.submissions.items()}
        meeting = folder_meeting(folder, book, inbox)
        ranking = rank_bloc(bloc, values, returns.not_counted(), **meeting.ranking_inputs())
        path = write_summary(output / summary_filename(ranking), ranking,
                             returns.all_problems() + meeting.problems, today,
                             self_scores=ranking.self_scores, sources=source_files(returns))
        feedback = write_unit_feedback(folder, bloc, returns, prune=True)
    return Consolidation(bloc, returns, ranking, path, feedback, meeting.problems)


@contextmanager
def settled_heap() -> Iterator[None]:
    """Objects alive on entry (the returns read, the modules loaded) skip the garbage collector's
    scans until the block ends: the full collections that the summary's many small objects trigger
    would otherwise walk them all (about 0.1 s for 1,000 returns). A heap the caller froze stays so."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def folder_chairbook(folder: Path, bloc: Bloc | None = None) -> ChairBook:
    """The chair's workbook of the folder, opened once: its bloc (or `bloc` when given) and the
    meeting's sheets; a given bloc without a chair's workbook has an empty meeting."""
    path = chair_workbook(folder)
    if path is not None:
        return read_chairbook(path, bloc)
    if bloc is None:
        raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=folder))
    return ChairBook(bloc, Meeting())


def folder_meeting(folder: Path, book: ChairBook, inbox: Path | None = None) -> Meeting:
    """The meeting's inputs: the chair's workbook sheets, plus the returned peer-scoring forms in
    nhan/cham-cheo/ (under `inbox` when given) when the bloc cross-scores."""
    bloc, meeting = book.bloc, book.meeting
    peer_inbox = (Path(inbox) if inbox else Path(folder) / INBOX_DIR) / PEER_DIR
    if bloc.rules.cross_scoring and peer_inbox.is_dir():
        peers = read_peer_forms(inbox_files(peer_inbox), bloc)
        meeting.cross += peers.cross
        meeting.problems += peers.problems
    return meeting


def builtin_or_empty(name: str) -> Bloc | None:
    """A built-in bloc by name, or None for the empty template; KeyError when unknown."""
    if name.casefold() in T.cli.EMPTY_BLOC_NAMES:
        return None
    return builtin_bloc(name)
