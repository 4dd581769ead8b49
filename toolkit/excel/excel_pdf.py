"""Print the summary through Excel itself, when the button runs inside Excel (Windows, macOS).

xlwings' `Book.to_pdf` is Excel's own "Save as PDF" (ExportAsFixedFormat): the summary's A4 page setup
as written, and no LibreOffice needed. The summary is opened read-only in the chair's Excel, printed
beside itself (same name, .pdf) and closed again unless the chair already had it open.
"""

from __future__ import annotations

import os
from pathlib import Path

from toolkit.fileio import atomic_path

PDF_MAGIC = b"%PDF"


def excel_can_print(book) -> bool:
    """True when `book` lives in a real Excel (xlwings' "excel" engine), not a remote or file reader."""
    try:
        return book.app.engine.name == "excel"
    except Exception:  # an engine without an app or a name cannot print
        return False


def excel_pdf(app, summary_path: Path) -> Path:
    """Export every sheet of the summary workbook to a PDF beside it through Excel; return the PDF."""
    summary_path = Path(summary_path).resolve()
    pdf = summary_path.with_suffix(".pdf")
    open_before = {_key(b.fullname) for b in app.books}
    summary = app.books.open(str(summary_path), update_links=False, read_only=True)
    try:
        with atomic_path(pdf) as tmp:
            summary.to_pdf(tmp)
            _check_pdf(tmp)
    finally:
        if _key(summary.fullname) not in open_before:
            summary.close()
    return pdf


def _check_pdf(path: Path) -> None:
    with open(path, "rb") as fh:
        if fh.read(len(PDF_MAGIC)) != PDF_MAGIC:
            raise OSError(f"Excel wrote no PDF to {path}")


def _key(fullname: str) -> str:
    return os.path.normcase(os.path.abspath(str(fullname)))
