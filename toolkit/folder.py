"""A bloc's folder and the steps a chair runs on it; the CLI, the button and the API share these.
The folder's layout (phieu/, nhan/, ket-qua/, the seal secret ...) is named once, in toolkit.paths."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from toolkit.bloc import Bloc, builtin_bloc
from toolkit.chairbook import ChairBook, load_bloc, read_chairbook, write_bloc_workbook, write_chair_xlsm
from toolkit.chairbook.ledger import LedgerError, ensure_writable, issue_of, record_issues
from toolkit.issued import MISMATCH_CODES, record_issued
from toolkit.meeting.model import Meeting
from toolkit.paths import INBOX_DIR, OUTPUT_DIR, BlocFolder
from toolkit.problems import FolderError, Problem
from toolkit.returns import Returns, collect_returns
from toolkit.seal import ensure_secret, folder_custody
from toolkit.status import status_rows
from toolkit import texts as T

if TYPE_CHECKING:
    from toolkit.ranking import Ranking

# The stages that need pandas, openpyxl or XlsxWriter (ranking, summary, feedback, forms, peer forms)
# are imported in the functions that run them: `thidua check` and `--help` start without them.

@dataclass
class Consolidation:
    bloc: Bloc
    returns: Returns
    ranking: Ranking
    summary_path: Path
    feedback_paths: list[Path] = field(default_factory=list)
    meeting_problems: list[Problem] = field(default_factory=list)
    history_problems: list[Problem] = field(default_factory=list)  # earlier summaries not readable

    @property
    def problems(self) -> list[Problem]:
        return self.returns.all_problems() + self.meeting_problems + self.history_problems

    @property
    def issued_mismatch(self) -> Problem | None:
        """The chair-level problem when the chair's workbook no longer matches the issued forms."""
        return next((p for p in self.returns.problems if p.code in MISMATCH_CODES), None)


def chair_workbook(folder: Path) -> Path | None:
    return BlocFolder.at(folder).chair


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
    where = BlocFolder.at(folder)
    if where.chair:
        raise FolderError(T.cli.FOLDER_EXISTS.format(path=folder))
    for sub in where.layout:
        sub.mkdir(parents=True, exist_ok=True)
    ensure_secret(folder)
    if macros:
        return write_chair_xlsm(where.chair_xlsm, bloc, INBOX_DIR, OUTPUT_DIR)
    path = where.chair_xlsx
    write_bloc_workbook(path, bloc)
    return path


def load_folder_bloc(folder: Path) -> Bloc:
    path = chair_workbook(folder)
    if path is None:
        raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=folder))
    return load_bloc(path)


def make_forms(folder: Path, bloc: Bloc | None = None) -> list[Path]:
    """Write the sealed forms into phieu/ and record each in the ledger of the chair's workbook
    (a folder made before seals gets its secret now)."""
    from toolkit.forms import generate_forms
    from toolkit.peer import generate_peer_forms

    bloc = bloc or load_folder_bloc(folder)
    where = BlocFolder.at(folder)
    chair = where.chair
    try:
        if chair:
            ensure_writable(chair)  # before any form is written: an unrecorded form is never valid
        secret = ensure_secret(folder)
        if bloc.rules.cross_scoring:
            generate_peer_forms(bloc, where.peer_forms)
        paths = generate_forms(bloc, where.forms, secret)
        issues = [issue_of(p) for p in paths]
        if chair:
            record_issues(chair, issues)
        record_issued(folder, bloc, [i.form_id for i in issues])
    except LedgerError as exc:
        raise FolderError(str(exc)) from None
    return paths


def consolidate(folder: Path, bloc: Bloc | None = None, today: date | None = None,
                inbox: Path | None = None, output: Path | None = None,
                workers: int | None = None, chair: Path | None = None,
                history: Sequence[Path] | None = None) -> Consolidation:
    """Read nhan/ (or `inbox`), rank the units whose forms are valid, write the summary into ket-qua/
    (or `output`). `workers`: reading processes (default: one per core when there are many files).
    `chair`: the chair's workbook to read (default: the folder's khoi.xlsm / khoi.xlsx).
    `history`: folders or files of earlier summaries (default: ket-qua/lich-su/) for Qua các kỳ."""
    from toolkit.ranking import rank_bloc
    from toolkit.summary import source_files, summary_filename, write_summary
    from toolkit.summary.history_sheet import earlier_periods

    folder = Path(folder)
    book = folder_chairbook(folder, bloc, chair)
    bloc = book.bloc
    where = BlocFolder.at(folder, inbox, output)
    custody = folder_custody(folder, chair)
    returns = collect_returns(where.returned(), bloc, workers=workers, custody=custody, folder=folder)
    with settled_heap():
        values = {u: s.values for u, s in returns.submissions.items()}
        meeting = folder_meeting(folder, book, where.inbox)
        ranking = rank_bloc(bloc, values, returns.not_counted(), **meeting.ranking_inputs())
        earlier = earlier_periods([where.history] if history is None else history)
        path = write_summary(where.output / summary_filename(ranking), ranking,
                             returns.all_problems() + meeting.problems + earlier.attrs["problems"], today,
                             self_scores=ranking.self_scores, sources=source_files(returns, custody),
                             status=status_rows(folder, bloc, returns, today), history=earlier)
        feedback = _unit_feedback(folder, bloc, returns)
    return Consolidation(bloc, returns, ranking, path, feedback, meeting.problems,
                         history_problems=earlier.attrs["problems"])


def _unit_feedback(folder: Path, bloc: Bloc, returns: Returns) -> list[Path]:
    """Write the units' feedback workbooks and prune stale ones; openpyxl, which writes them, is only
    imported when there is a problem to tell or an earlier feedback file to prune."""
    if not returns.all_problems() and not any(BlocFolder.at(folder).feedback.glob("*.xlsx")):
        return []
    from toolkit.feedback import write_unit_feedback

    return write_unit_feedback(folder, bloc, returns, prune=True)


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


def folder_chairbook(folder: Path, bloc: Bloc | None = None, chair: Path | None = None) -> ChairBook:
    """The chair's workbook of the folder (or `chair`), opened once: its bloc (or `bloc` when given)
    and the meeting's sheets; a given bloc without a chair's workbook has an empty meeting."""
    path = chair if chair is not None and Path(chair).is_file() else chair_workbook(folder)
    if path is not None:
        return read_chairbook(path, bloc)
    if bloc is None:
        raise FolderError(T.cli.NO_CHAIR_WORKBOOK.format(path=folder))
    return ChairBook(bloc, Meeting())


def folder_meeting(folder: Path, book: ChairBook, inbox: Path | None = None) -> Meeting:
    """The meeting's inputs: the chair's workbook sheets, plus the returned peer-scoring forms in
    nhan/cham-cheo/ (under `inbox` when given) when the bloc cross-scores."""
    bloc, meeting = book.bloc, book.meeting
    where = BlocFolder.at(folder, inbox)
    if bloc.rules.cross_scoring and where.peer_inbox.is_dir():
        from toolkit.peer import read_peer_forms

        peers = read_peer_forms(where.peer_returned(), bloc)
        meeting.cross += peers.cross
        meeting.problems += peers.problems
    return meeting


def builtin_or_empty(name: str) -> Bloc | None:
    """A built-in bloc by name, or None for the empty template; KeyError when unknown."""
    if name.casefold() in T.cli.EMPTY_BLOC_NAMES:
        return None
    return builtin_bloc(name)
