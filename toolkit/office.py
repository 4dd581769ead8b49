"""Drive a real headless LibreOffice: recalculate, fill, read back, export PDF.

UNO only works with the Python that LibreOffice is built for: Debian's
/usr/bin/python3 (python3-uno) on Linux, the Python LibreOffice ships on Windows
(``<install>\\program\\python.exe``) and macOS (``LibreOffice.app/Contents/Resources/python``).
So the work is done by ``_uno_worker.py`` run as a subprocess under that interpreter
(``toolkit.office_install`` finds both). One ``run_jobs`` call starts soffice once,
whatever the number of jobs.

Job dicts (paths may be ``str`` or ``Path``):

* ``{"type": "recalc", "src": ..., "dst": ...}`` -- xlsx, or ods if dst ends .ods
* ``{"type": "fill", "src": ..., "dst": ..., "cells": {sheet: {"E12": value}}}``
* ``{"type": "values", "src": ..., "sheets": [names] or None}``
* ``{"type": "pdf", "src": ..., "dst": ...}``
* ``{"type": "save", "src": ..., "dst": ..., "filter": FILTERS[...], "password": None}`` -- Save As
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Union

from toolkit.office_install import OfficeInstall, find_office, install_hint, no_uno_python

WORKER = Path(__file__).with_name("_uno_worker.py")
SHUTDOWN_GRACE = 90.0  # start-up (up to 60 s in the worker) plus shutdown
WORKER_ERRORS = {
    3: "UNO is not importable by {python}",
    4: "LibreOffice could not be started or reached",
    5: "LibreOffice jobs did not finish",
}

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "xlsm": "Calc MS Excel 2007 VBA XML", "xls": "MS Excel 97",
           "ods": "calc8", "csv": "Text - txt - csv (StarCalc)"}

CellValue = Union[int, float, str, None]
Edits = Mapping[str, Mapping[str, CellValue]]


class OfficeError(Exception):
    """LibreOffice is missing, failed, or a job could not be done."""


def find_soffice() -> str | None:
    """Path of the soffice executable, or None if LibreOffice is not installed."""
    found = find_office()
    return None if found is None else str(found.soffice)


def _require_office() -> OfficeInstall:
    found = find_office()
    if found is None:
        raise OfficeError(install_hint())
    if not found.python.is_file():
        raise OfficeError(no_uno_python(found))
    return found


def _worker_failure(returncode: int, stderr: str, python: Path) -> OfficeError:
    what = WORKER_ERRORS.get(returncode, f"UNO worker failed with exit code {returncode}").format(python=python)
    detail = stderr.strip()
    return OfficeError(f"{what}: {detail}" if detail else what)


def _run_worker(args: list, timeout: float) -> tuple[int, str]:
    """Run the worker; on timeout or interrupt, SIGTERM it so it kills soffice."""
    with subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        try:
            _, stderr = proc.communicate(timeout=timeout)
        except BaseException as exc:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
            if isinstance(exc, subprocess.TimeoutExpired):
                raise OfficeError(f"UNO worker did not exit within {timeout:.0f} s") from exc
            raise
    return proc.returncode, stderr


def run_jobs(jobs: list[dict], timeout: float = 300) -> list[dict]:
    """Run jobs in one LibreOffice; return one ``{"ok": bool, ...}`` result per job.

    A job that fails gets ``{"ok": False, "error": message}``; OfficeError is
    raised only when LibreOffice itself is missing, fails or times out.
    """
    if not jobs:
        return []
    found = _require_office()
    with tempfile.TemporaryDirectory(prefix="thidua-office-") as tmp:
        jobs_file, results_file = Path(tmp, "jobs.json"), Path(tmp, "results.json")
        jobs_file.write_text(json.dumps(jobs, default=os.fspath), encoding="utf-8")
        args = [found.python, WORKER, found.soffice, str(timeout), jobs_file, results_file]
        returncode, stderr = _run_worker(args, timeout + SHUTDOWN_GRACE)
        if returncode != 0:
            raise _worker_failure(returncode, stderr, found.python)
        results = json.loads(results_file.read_text(encoding="utf-8"))
    if len(results) != len(jobs):
        raise OfficeError(f"UNO worker returned {len(results)} results for {len(jobs)} jobs")
    return results


def _run_one(job: dict) -> dict:
    result = run_jobs([job])[0]
    if not result["ok"]:
        raise OfficeError(f"{job['type']} of {job['src']} failed: {result['error']}")
    return result


def recalculate(src: Path, dst: Path) -> Path:
    """Recalculate every formula of src and save it to dst (xlsx, or ods by suffix)."""
    _run_one({"type": "recalc", "src": Path(src).resolve(), "dst": Path(dst).resolve()})
    return Path(dst)


def fill(src: Path, dst: Path, edits: Edits) -> Path:
    """Type values into cells (``{sheet: {"E12": value}}``), recalculate, save xlsx.

    Numbers are entered as numbers, strings as text, None clears the cell.
    Like a user, this refuses locked cells of a protected sheet.
    """
    job = {"type": "fill", "src": Path(src).resolve(), "dst": Path(dst).resolve(), "cells": edits}
    _run_one(job)
    return Path(dst)


def read_values(src: Path, sheets: Iterable[str] | None = None) -> dict[str, Any]:
    """Recalculated contents: ``{"values": {sheet: {cell: v}}, "formulas": {sheet: {cell: "=..."}}}``.

    Values are float or str (error cells as their text, e.g. "#DIV/0!"),
    empty cells are left out; formulas are in Excel (xlsx) syntax.
    All sheets, hidden ones included, when sheets is None or empty.
    """
    job = {"type": "values", "src": Path(src).resolve(), "sheets": list(sheets or [])}
    result = _run_one(job)
    return {"values": result["values"], "formulas": result["formulas"]}


def to_pdf(src: Path, dst: Path, sheet: str | None = None) -> Path:
    """Export src to a PDF file at dst (with `sheet`: that sheet of a workbook alone)."""
    job = {"type": "pdf", "src": Path(src).resolve(), "dst": Path(dst).resolve()}
    _run_one({**job, "sheet": sheet} if sheet else job)
    return Path(dst)


def _page_number(png: Path) -> int:
    return int(re.search(r"-(\d+)\.png$", png.name).group(1))


def pdf_to_png(
    pdf: Path,
    out_dir: Path,
    dpi: int = 80,
    first_page: int | None = None,
    last_page: int | None = None,
) -> list[Path]:
    """Render PDF pages to ``out_dir/<pdf stem>-<page>.png`` with poppler; return them in page order."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise OfficeError("pdftoppm not found: install poppler-utils")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    args = [pdftoppm, "-png", "-r", str(dpi)]
    if first_page is not None:
        args += ["-f", str(first_page)]
    if last_page is not None:
        args += ["-l", str(last_page)]
    with tempfile.TemporaryDirectory(dir=out_dir) as tmp:
        done = subprocess.run([*args, pdf, Path(tmp, Path(pdf).stem)], capture_output=True, text=True)
        if done.returncode != 0:
            raise OfficeError(f"pdftoppm failed on {pdf}: {done.stderr.strip()}")
        pages = sorted(Path(tmp).glob("*.png"), key=_page_number)
        return [page.replace(out_dir / page.name) for page in pages]
