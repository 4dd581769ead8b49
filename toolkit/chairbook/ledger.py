"""The ledger of issued forms: a protected sheet of the chair's workbook ("Phiếu đã phát").

`thidua forms` appends one row per form it writes and keeps every earlier issue. The chair's workbook
is usually khoi.xlsm with VBA and a form-control button, which openpyxl would lose: the sheet's part is
written here directly into the existing zip package (inline strings, no shared strings or styles) and
every other part is copied unchanged. Its cells take the Times New Roman styles the workbook already
has (its table header and table cell), so styles.xml is not touched either.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from toolkit.fileio import atomic_path, sha256_file
from toolkit.texts import seal as TS
from toolkit.xlsx import XlsxError, open_workbook

SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET_TYPE = REL_NS + "/worksheet"
WORKSHEET_CONTENT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
COLUMN_WIDTHS = (6, 12, 36, 36, 18, 26, 36, 68)
# A4 landscape, fit to the page width (sheetPr's fitToPage goes first in the sheet: see ledger_xml)
PRINT = ('<pageMargins left="1.18" right="0.59" top="0.79" bottom="0.79" header="0.3" footer="0.3"/>'
         '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
SERIF = "Times New Roman"
LOCK_NAMES = (".~lock.{name}#", "~${name}")  # LibreOffice's and Excel's marks of an open file


class LedgerError(Exception):
    """The ledger cannot be written or read (message already in Vietnamese)."""


@dataclass(frozen=True)
class Issue:
    """One issued form: for which unit, its id, the criteria it was made from, when, and its file."""

    unit: str
    unit_name: str
    form_id: str
    fingerprint: str
    issued_at: str  # ISO 8601 with offset, as written
    file: str
    sha256: str

    def row(self) -> tuple[str, ...]:
        return (self.unit, self.unit_name, self.form_id, self.fingerprint, self.issued_at, self.file,
                self.sha256)

    def when(self) -> str:
        """The issue time as the chair reads it (dd/mm/yyyy HH:MM)."""
        try:
            return datetime.fromisoformat(self.issued_at).strftime("%d/%m/%Y %H:%M")
        except ValueError:
            return self.issued_at


def issue_of(form: Path, issued_at: datetime | None = None) -> Issue:
    """The ledger row of a form just written: its identity read back from the file itself."""
    book = open_workbook(form)
    try:
        meta = {k.removeprefix("thidua_"): v for k, v in book.custom.items()}
    finally:
        book.close()
    moment = (issued_at or datetime.now().astimezone()).isoformat(timespec="seconds")
    return Issue(meta["unit_code"], meta["unit_name"], meta["form_id"], meta["fingerprint"], moment,
                 form.name, sha256_file(form))


def read_ledger(workbook: Path) -> list[Issue] | None:
    """Every issue recorded in the chair's workbook, oldest first; None when it has no ledger sheet."""
    try:
        book = open_workbook(Path(workbook))
    except XlsxError as exc:
        raise LedgerError(TS.LEDGER_UNREADABLE.format(path=workbook, reason=exc.kind)) from None
    try:
        if TS.LEDGER_SHEET not in book.sheet_names:
            return None
        sheet = book.sheet(TS.LEDGER_SHEET)
    finally:
        book.close()
    issues, row = [], 2
    while sheet.value(f"C{row}") not in (None, ""):
        cells = [sheet.value(f"{col}{row}") for col in "BCDEFGH"]
        issues.append(Issue(*("" if v is None else str(v) for v in cells)))
        row += 1
    return issues


def record_issues(workbook: Path, issues: list[Issue]) -> None:
    """Append `issues` to the ledger sheet of `workbook` (created when missing), atomically."""
    workbook = Path(workbook)
    ensure_writable(workbook)
    rows = (read_ledger(workbook) or []) + list(issues)
    package = workbook.read_bytes()
    data = with_sheet(package, TS.LEDGER_SHEET, ledger_xml(rows, *serif_styles(package)))
    try:
        with atomic_path(workbook) as tmp:
            tmp.write_bytes(data)
    except PermissionError:
        raise LedgerError(TS.LEDGER_LOCKED.format(path=workbook)) from None


def ensure_writable(workbook: Path) -> None:
    """Raise LedgerError when the chair's workbook is open in Excel or LibreOffice (or read-only)."""
    workbook = Path(workbook)
    marks = [workbook.with_name(n.format(name=workbook.name)) for n in LOCK_NAMES]
    if any(m.exists() for m in marks) or not _can_write(workbook):
        raise LedgerError(TS.LEDGER_LOCKED.format(path=workbook))


def _can_write(path: Path) -> bool:
    try:
        with open(path, "r+b"):
            return True
    except OSError:
        return False


def serif_styles(package: bytes) -> tuple[int | None, int | None]:
    """Indexes of the package's cell formats for a table header (bold Times New Roman on a fill)
    and a table cell (plain Times New Roman, bordered, no fill, general number format); None when
    the workbook has none such (the cells then take the workbook's default)."""
    with zipfile.ZipFile(io.BytesIO(package)) as zin:
        if "xl/styles.xml" not in zin.namelist():
            return None, None
        styles = zin.read("xl/styles.xml").decode("utf-8")
    fonts = re.findall(r"<font\b[^>]*?(?:/>|>(.*?)</font>)", _element(styles, "fonts"), re.S)
    serif = {i: ("<b/>" in f, "<i/>" in f) for i, f in enumerate(fonts) if f'val="{SERIF}"' in f}
    xfs = [dict(re.findall(r'(\w+)="([^"]*)"', attrs))
           for attrs in re.findall(r"<xf\b([^>]*?)/?>", _element(styles, "cellXfs"))]

    def first(bold: bool, fill: bool) -> int | None:
        return next((i for i, xf in enumerate(xfs) if serif.get(int(xf.get("fontId", -1))) == (bold, False)
                     and xf.get("numFmtId", "0") == "0" and xf.get("borderId", "0") != "0"
                     and (xf.get("fillId", "0") != "0") == fill), None)
    return first(True, True), first(False, False)


def _element(xml: str, name: str) -> str:
    m = re.search(rf"<{name}\b.*?</{name}>", xml, re.S)
    return m.group(0) if m else ""


def ledger_xml(issues: list[Issue], head: int | None = None, body: int | None = None) -> bytes:
    """The ledger sheet: a header row, one row per issue, protected against accidental edits;
    `head` and `body`: the styles.xml cell formats of the header and of the other cells."""
    rows = [_row_xml(1, [text_cell(f"{_column(i)}1", t, head) for i, t in enumerate(TS.LEDGER_COLUMNS)])]
    for n, issue in enumerate(issues, start=1):
        r = n + 1
        cells = [f'<c r="A{r}"{style_attr(body)}><v>{n}</v></c>']
        cells += [text_cell(f"{_column(i + 1)}{r}", v, body) for i, v in enumerate(issue.row())]
        rows.append(_row_xml(r, cells))
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                   for i, w in enumerate(COLUMN_WIDTHS, start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<worksheet xmlns="{SHEET_NS}" xmlns:r="{REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
            f'<sheetData>{"".join(rows)}</sheetData>'
            '<sheetProtection sheet="1" objects="1" scenarios="1"/>' + PRINT + '</worksheet>').encode("utf-8")


def _column(index: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[index]


def style_attr(index: int | str | None) -> str:
    """A cell's style attribute (' s="3"'), none without a style."""
    return "" if index is None else f' s="{index}"'


def text_cell(ref: str, text: str, style: int | str | None = None) -> str:
    """A text cell written in line (no shared-strings part to change), whitespace kept."""
    from xml.sax.saxutils import escape  # writing only: it imports urllib.request, slow for a start-up

    return f'<c r="{ref}"{style_attr(style)} t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def _row_xml(r: int, cells: list[str]) -> str:
    return f'<row r="{r}">{"".join(cells)}</row>'


# The package: add or replace one worksheet part, copy every other part unchanged -------------------

def with_sheet(package: bytes, name: str, sheet_xml: bytes) -> bytes:
    """`package` (an xlsx/xlsm zip) with the worksheet called `name` set to `sheet_xml`."""
    with zipfile.ZipFile(io.BytesIO(package)) as zin:
        book_part = _office_document(zin)
        rels_part = _rels_of(book_part)
        book, rels = zin.read(book_part).decode("utf-8"), zin.read(rels_part).decode("utf-8")
        part = _sheet_part(book, rels, book_part, name)
        changed: dict[str, bytes] = {}
        if part is None:
            part = _free_part(zin.namelist())
            rid = _free_id(rels)
            changed[book_part] = _add_sheet(book, name, rid).encode("utf-8")
            changed[rels_part] = _add_relationship(rels, rid, _relative(book_part, part)).encode("utf-8")
            types = zin.read("[Content_Types].xml").decode("utf-8")
            changed["[Content_Types].xml"] = _add_override(types, part).encode("utf-8")
        changed[part] = sheet_xml
        return _rezip(zin, changed)


def sheet_xml(package: bytes, name: str) -> bytes | None:
    """The worksheet part of the sheet called `name` in `package`, None when there is no such sheet."""
    with zipfile.ZipFile(io.BytesIO(package)) as zin:
        book_part = _office_document(zin)
        book, rels = zin.read(book_part).decode("utf-8"), zin.read(_rels_of(book_part)).decode("utf-8")
        part = _sheet_part(book, rels, book_part, name)
        return None if part is None else zin.read(part)


def _rezip(zin: zipfile.ZipFile, changed: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = changed.pop(info.filename, None)
            zout.writestr(info, zin.read(info) if data is None else data, compress_type=info.compress_type)
        for part, data in changed.items():  # the new worksheet part
            zout.writestr(part, data)
    return out.getvalue()


def _office_document(zin: zipfile.ZipFile) -> str:
    rels = zin.read("_rels/.rels").decode("utf-8")
    for attrs in re.findall(r"<Relationship\b([^>]*)>", rels):
        if _attr(attrs, "Type").endswith("/officeDocument"):
            return _attr(attrs, "Target").lstrip("/")
    return "xl/workbook.xml"


def _rels_of(part: str) -> str:
    folder, _, file = part.rpartition("/")
    return f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"


def _attr(attrs: str, key: str) -> str:
    """The value of attribute `key` in an element's attribute text (unescaped), '' when absent."""
    m = re.search(rf'(?:^|\s){re.escape(key)}\s*=\s*(["\'])(.*?)\1', attrs, re.S)
    if not m:
        return ""
    return m.group(2).replace("&quot;", '"').replace("&apos;", "'").replace("&lt;", "<") \
        .replace("&gt;", ">").replace("&amp;", "&")


def _sheet_part(book: str, rels: str, book_part: str, name: str) -> str | None:
    """The zip part of the sheet called `name`, None when the workbook has no such sheet."""
    rid = next((_relationship_attr(a) for a in re.findall(r"<(?:\w+:)?sheet\b([^>]*)>", book)
                if _attr(a, "name") == name), None)
    if rid is None:
        return None
    for attrs in re.findall(r"<Relationship\b([^>]*)>", rels):
        if _attr(attrs, "Id") == rid:
            return _resolve(book_part, _attr(attrs, "Target"))
    return None


def _relationship_attr(attrs: str) -> str:
    m = re.search(r'\b\w+:id\s*=\s*["\']([^"\']*)["\']', attrs)
    return m.group(1) if m else ""


def _resolve(book_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return f"{book_part.rpartition('/')[0]}/{target}".lstrip("/")


def _relative(book_part: str, part: str) -> str:
    folder = book_part.rpartition("/")[0]
    return part[len(folder) + 1:] if folder and part.startswith(folder + "/") else "/" + part


def _free_part(names: list[str]) -> str:
    taken = set(names)
    n = 1
    while f"xl/worksheets/sheet{n}.xml" in taken:
        n += 1
    return f"xl/worksheets/sheet{n}.xml"


def _free_id(rels: str) -> str:
    taken = {_attr(a, "Id") for a in re.findall(r"<Relationship\b([^>]*)>", rels)}
    n = len(taken) + 1
    while f"rId{n}" in taken:
        n += 1
    return f"rId{n}"


def _add_sheet(book: str, name: str, rid: str) -> str:
    from xml.sax.saxutils import quoteattr

    prefix = re.search(rf'xmlns:(\w+)\s*=\s*["\']{re.escape(REL_NS)}["\']', book)
    declare = "" if prefix else f' xmlns:r={quoteattr(REL_NS)}'
    ids = [int(i) for i in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bsheetId\s*=\s*["\'](\d+)', book)]
    end = re.search(r"</(\w+:)?sheets>", book)
    element = (f'<{end.group(1) or ""}sheet name={quoteattr(name)} sheetId="{max(ids, default=0) + 1}"'
               f'{declare} {prefix.group(1) if prefix else "r"}:id="{rid}"/>')
    return book[:end.start()] + element + book[end.start():]


def _add_relationship(rels: str, rid: str, target: str) -> str:
    from xml.sax.saxutils import quoteattr

    element = f'<Relationship Id="{rid}" Type="{WORKSHEET_TYPE}" Target={quoteattr(target)}/>'
    end = rels.rindex("</Relationships>")
    return rels[:end] + element + rels[end:]


def _add_override(types: str, part: str) -> str:
    element = f'<Override PartName="/{part}" ContentType="{WORKSHEET_CONTENT}"/>'
    end = types.rindex("</Types>")
    return types[:end] + element + types[end:]
