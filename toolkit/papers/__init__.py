"""The meeting's papers (issue 18): ballots, tally sheet, minutes and proposal letter as .docx in the
format of Decree 30/2020, from the ranking and the chair's workbook; PDF through LibreOffice.

python-docx is imported here only (never by `thidua --help` or the other commands)."""

from __future__ import annotations

from pathlib import Path

from toolkit.bloc.model import Bloc
from toolkit.fileio import atomic_path
from toolkit.ranking import Ranking
from toolkit.texts import papers as P

KINDS = tuple(P.FILES)  # ballot, tally, minutes, proposal
FOR_BOARD = ("proposal", "minutes", "tally")  # what goes to the receiving board with the summary


def paper_filename(bloc: Bloc, kind: str) -> str:
    return f"{P.FILES[kind]}-{bloc.key}-{bloc.period_key}.docx"


def board_papers(folder: Path, bloc: Bloc) -> tuple[Path, ...]:
    """The papers for the board that exist in `folder` (each .docx, and its PDF when there is one)."""
    docs = [Path(folder) / paper_filename(bloc, kind) for kind in FOR_BOARD]
    return tuple(p for doc in docs for p in (doc, doc.with_suffix(".pdf")) if p.is_file())


def write_papers(ranking: Ranking, folder: Path) -> list[Path]:
    """Write the four papers into `folder` (atomically, one file each); their paths in KINDS order."""
    from toolkit.papers import documents, page
    from toolkit.papers.content import papers_of

    contents = papers_of(ranking)
    written = []
    for kind in KINDS:
        doc = page.new_document()
        getattr(documents, kind)(doc, contents)
        path = Path(folder) / paper_filename(ranking.bloc, kind)
        with atomic_path(path) as tmp:
            page.save(doc, tmp)
        written.append(path)
    return written


def papers_pdf(paths: list[Path]) -> list[Path]:
    """A PDF beside each paper, all in one LibreOffice run; OfficeError when LibreOffice fails."""
    from toolkit import office

    pdfs = [p.with_suffix(".pdf") for p in paths]
    results = office.run_jobs([{"type": "pdf", "src": p.resolve(), "dst": d.resolve()} for p, d in zip(paths, pdfs)])
    failed = [r["error"] for r in results if not r["ok"]]
    if failed:
        raise office.OfficeError("; ".join(failed))
    return pdfs
