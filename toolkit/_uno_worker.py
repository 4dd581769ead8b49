"""Run a batch of spreadsheet jobs in one headless LibreOffice.

Standalone script for Debian's /usr/bin/python3 (the only Python that has
the ``uno`` module); uses the standard library and ``uno`` only.

Usage: python3 _uno_worker.py SOFFICE TIMEOUT JOBS_JSON RESULTS_JSON

JOBS_JSON holds a list of jobs; RESULTS_JSON receives one result per job,
``{"ok": true, ...}`` or ``{"ok": false, "error": "..."}``.
Exit codes: 0 results written, 2 bad usage, 3 no ``uno`` module,
4 LibreOffice could not be started or reached, 5 timed out or terminated.
After TIMEOUT seconds, or on SIGTERM/SIGINT, soffice is killed at once.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

try:
    import uno
    from com.sun.star.beans import NamedValue, PropertyValue
    from com.sun.star.connection import NoConnectException
except ImportError as exc:  # pragma: no cover - depends on the machine
    sys.stderr.write("python3-uno is not importable: %s\n" % exc)
    sys.exit(3)

CONNECT_TIMEOUT = 60.0
HAS_SIGWAIT = hasattr(signal, "sigtimedwait")  # POSIX; not on Windows
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE
CLEAR_CONTENT = 1 | 2 | 4 | 16  # CellFlags VALUE | DATETIME | STRING | FORMULA
FORMULA_FLAG = 16  # CellFlags.FORMULA
XLSX_FILTER = "Calc MS Excel 2007 XML"
ODS_FILTER = "calc8"
PDF_FILTER = "calc_pdf_Export"
WRITER_PDF_FILTER = "writer_pdf_Export"  # a text document (the meeting's papers, .docx)


class WorkerError(Exception):
    """LibreOffice could not be started or reached."""


def props(**kwargs):
    """Build a tuple of PropertyValue from keyword arguments."""
    result = []
    for name, value in kwargs.items():
        prop = PropertyValue()
        prop.Name = name
        prop.Value = value
        result.append(prop)
    return tuple(result)


def file_url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


def start_office(soffice, profile_dir, pipe_name):
    """Start soffice in its own process group, listening on a named pipe."""
    args = [
        soffice,
        "--headless",
        "--invisible",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "-env:UserInstallation=" + file_url(profile_dir),
        "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name,
    ]
    return subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def connect(proc, pipe_name):
    """Return the Desktop of the office behind pipe_name, waiting for start-up."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe_name
    deadline = time.monotonic() + CONNECT_TIMEOUT
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except NoConnectException:
            if proc.poll() is not None:
                raise WorkerError("soffice exited with code %s during start-up" % proc.returncode)
            if time.monotonic() > deadline:
                raise WorkerError("no connection to soffice within %.0f s" % CONNECT_TIMEOUT)
            time.sleep(0.1)
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def stop_office(desktop, proc):
    """Ask the office to terminate, then kill its whole process group."""
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge dies with the office; that is expected
    if proc.poll() is None:
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    kill_office(proc)
    proc.wait()


def kill_office(proc):
    """Kill soffice with its whole process group (POSIX); on Windows, the process itself."""
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass


def load(desktop, path):
    """Load a document hidden, with macros disabled and links not updated.

    ReadOnly: API edits and storeToURL still work, but no .~lock file is made
    and a stale one (left by a killed office, or the file open on a desktop)
    does not make the load fail.
    """
    if not os.path.isfile(path):
        raise FileNotFoundError("no such file: %s" % path)
    doc = desktop.loadComponentFromURL(
        file_url(path),
        "_blank",
        0,
        props(
            Hidden=True,
            ReadOnly=True,
            MacroExecutionMode=NEVER_EXECUTE,
            UpdateDocMode=NO_UPDATE,
        ),
    )
    if doc is None:
        raise ValueError("LibreOffice could not load %s" % path)
    return doc


def store(doc, dst, filter_name, **extra):
    """Store to a temporary file beside `dst`, then rename it into place (never a half-written dst)."""
    folder, name = os.path.split(os.path.abspath(dst))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, ".~thidua-%d-%s" % (os.getpid(), name))
    try:
        doc.storeToURL(file_url(tmp), props(FilterName=filter_name, Overwrite=True, **extra))
        os.replace(tmp, dst)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def get_sheet(doc, name):
    sheets = doc.getSheets()
    if not sheets.hasByName(name):
        raise KeyError("no sheet named %r (sheets: %s)" % (name, list(sheets.getElementNames())))
    return sheets.getByName(name)


def set_cell(sheet, address, value):
    """Enter value the way a user would; refuse locked cells of a protected sheet."""
    cell = sheet.getCellRangeByName(address)
    if sheet.isProtected() and cell.CellProtection.IsLocked:
        raise PermissionError("cell %s!%s is locked on a protected sheet" % (sheet.Name, address))
    if value is None:
        cell.clearContents(CLEAR_CONTENT)
    elif isinstance(value, bool):
        raise TypeError("cell %s!%s: booleans are not supported" % (sheet.Name, address))
    elif isinstance(value, (int, float)):
        cell.setValue(value)
    elif isinstance(value, str):
        cell.setString(value)
    else:
        raise TypeError("cell %s!%s: unsupported value %r" % (sheet.Name, address, value))


def cell_name(col, row):
    """Zero-based column/row to an A1 address."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return "%s%d" % (letters, row + 1)


def sheet_values(sheet):
    """Non-empty cell values of the used area: floats and strings."""
    cursor = sheet.createCursor()
    cursor.gotoStartOfUsedArea(False)
    cursor.gotoEndOfUsedArea(True)
    start = cursor.getRangeAddress()
    values = {}
    for r, row in enumerate(cursor.getDataArray()):
        for c, value in enumerate(row):
            if value != "":
                values[cell_name(start.StartColumn + c, start.StartRow + r)] = value
    return values


def excel_formula_parser(doc):
    """A FormulaParser that prints formulas the way they are stored in xlsx."""
    mapper = doc.createInstance("com.sun.star.sheet.FormulaOpCodeMapper")
    parser = doc.createInstance("com.sun.star.sheet.FormulaParser")
    parser.OpCodeMap = mapper.getAvailableMappings(
        uno.getConstantByName("com.sun.star.sheet.FormulaLanguage.OOXML"),
        uno.getConstantByName("com.sun.star.sheet.FormulaMapGroup.ALL_EXCEPT_SPECIAL"),
    )
    parser.FormulaConvention = uno.getConstantByName(
        "com.sun.star.sheet.AddressConvention.XL_OOX"
    )
    return parser


def formula_cells(sheet):
    """Yield (A1 address, cell) for every formula cell of the sheet."""
    cells = sheet.queryContentCells(FORMULA_FLAG).getCells().createEnumeration()
    while cells.hasMoreElements():
        cell = cells.nextElement()
        address = cell.getCellAddress()
        yield cell_name(address.Column, address.Row), cell


def read_sheet(sheet, parser):
    """Values (error cells as their text, e.g. '#DIV/0!') and Excel-syntax formulas."""
    values = sheet_values(sheet)
    formulas = {}
    for name, cell in formula_cells(sheet):
        formulas[name] = "=" + parser.printFormula(cell.getTokens(), cell.getCellAddress())
        if cell.getError():
            values[name] = cell.getString()
    return values, formulas


def job_recalc(doc, job):
    doc.calculateAll()
    dst = job["dst"]
    store(doc, dst, ODS_FILTER if dst.lower().endswith(".ods") else XLSX_FILTER)
    return {}


def job_fill(doc, job):
    for sheet_name, cells in job["cells"].items():
        sheet = get_sheet(doc, sheet_name)
        for address, value in cells.items():
            set_cell(sheet, address, value)
    doc.calculateAll()
    store(doc, job["dst"], XLSX_FILTER)
    return {}


def job_values(doc, job):
    doc.calculateAll()
    names = job.get("sheets") or list(doc.getSheets().getElementNames())
    parser = excel_formula_parser(doc)
    values, formulas = {}, {}
    for name in names:
        values[name], formulas[name] = read_sheet(get_sheet(doc, name), parser)
    return {"values": values, "formulas": formulas}


def job_save(doc, job):
    """Save As with a filter name, optionally with a password to open (as a user would)."""
    extra = {}
    if job.get("password"):  # OOXML filters read EncryptionData, the others Password
        data = []
        for name, value in (("CryptoType", "Standard"), ("OOXPassword", job["password"])):
            item = NamedValue()
            item.Name, item.Value = name, value
            data.append(item)
        extra = {"Password": job["password"],
                 "EncryptionData": uno.Any("[]com.sun.star.beans.NamedValue", tuple(data))}
    store(doc, job["dst"], job["filter"], **extra)
    return {}


def job_pdf(doc, job):
    """Print to PDF; with "sheet", that sheet of a workbook alone (its print ranges, its page setup)."""
    if doc.supportsService("com.sun.star.text.TextDocument"):
        store(doc, job["dst"], WRITER_PDF_FILTER)
    elif job.get("sheet"):
        selection = props(Selection=get_sheet(doc, job["sheet"]))
        store(doc, job["dst"], PDF_FILTER, FilterData=uno.Any("[]com.sun.star.beans.PropertyValue", selection))
    else:
        store(doc, job["dst"], PDF_FILTER)
    return {}


JOBS = {"recalc": job_recalc, "fill": job_fill, "values": job_values, "pdf": job_pdf, "save": job_save}


def run_job(desktop, job):
    """Run one job; never raises, returns an ok/error result."""
    try:
        handler = JOBS[job["type"]]
    except KeyError:
        return {"ok": False, "error": "unknown job type %r" % job.get("type")}
    try:
        doc = load(desktop, job["src"])
    except Exception as exc:
        return {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
    try:
        result = handler(doc, job)
        result["ok"] = True
        return result
    except Exception as exc:
        return {"ok": False, "error": "%s: %s" % (type(exc).__name__, exc)}
    finally:
        try:
            doc.close(True)
        except Exception:
            pass  # a failed close must not hide the job's own result


class Watchdog(threading.Thread):
    """Kill soffice on timeout or SIGTERM/SIGINT, even while a UNO call blocks.

    The signals must be blocked in every other thread (see run_batch), so that
    only this thread receives them through sigtimedwait.
    """

    SIGNALS = {signal.SIGTERM, signal.SIGINT}

    def __init__(self, proc, timeout):
        super().__init__(daemon=True)
        self.proc = proc
        self.timeout = timeout
        self.fired = threading.Event()
        self.reason = ""

    def run(self):
        # Windows has no sigtimedwait: there only the timeout fires (the parent kills the worker itself)
        info = signal.sigtimedwait(self.SIGNALS, self.timeout) if HAS_SIGWAIT else time.sleep(self.timeout)
        if info is None:
            self.reason = "timed out after %g s" % self.timeout
        else:
            self.reason = "terminated by signal %d" % info.si_signo
        self.fired.set()
        kill_office(self.proc)


def run_all(proc, pipe_name, jobs, watchdog):
    """Connect, run the jobs, always stop soffice; return the results."""
    desktop = None
    try:
        desktop = connect(proc, pipe_name)
        results = []
        for job in jobs:
            if watchdog.fired.is_set():
                break
            results.append(run_job(desktop, job))
        return results
    finally:
        stop_office(desktop, proc)


def main(argv):
    if len(argv) != 5:
        sys.stderr.write("usage: %s SOFFICE TIMEOUT JOBS_JSON RESULTS_JSON\n" % argv[0])
        return 2
    soffice, timeout, jobs_path, results_path = argv[1:]
    with open(jobs_path, encoding="utf-8") as fh:
        jobs = json.load(fh)
    profile_dir = tempfile.mkdtemp(prefix="thidua-lo-profile-")
    try:
        return run_batch(soffice, float(timeout), profile_dir, jobs, results_path)
    finally:
        shutil.rmtree(profile_dir, ignore_errors=True)


def run_batch(soffice, timeout, profile_dir, jobs, results_path):
    """Start soffice under a watchdog, run the jobs, write the results."""
    pipe_name = "thidua_%d_%s" % (os.getpid(), uuid.uuid4().hex)
    try:
        proc = start_office(soffice, profile_dir, pipe_name)
    except OSError as exc:
        sys.stderr.write("LibreOffice: cannot start %s: %s\n" % (soffice, exc))
        return 4
    if HAS_SIGWAIT:
        signal.pthread_sigmask(signal.SIG_BLOCK, Watchdog.SIGNALS)
    watchdog = Watchdog(proc, timeout)
    watchdog.start()
    try:
        results = run_all(proc, pipe_name, jobs, watchdog)
    except WorkerError as exc:
        if not watchdog.fired.is_set():
            sys.stderr.write("LibreOffice: %s\n" % exc)
            return 4
    if watchdog.fired.is_set():
        sys.stderr.write("LibreOffice: %s\n" % watchdog.reason)
        return 5
    with open(results_path, "w", encoding="utf-8") as fh:
        json.dump(results, fh, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
