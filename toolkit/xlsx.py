"""A small, safe reader of .xlsx files as returned by units (Excel, LibreOffice, WPS).

It reads the zip and the sheet XML directly: values, formulas (present or not), sheet state,
sheet protection, custom document properties and save time. It never evaluates anything, never
resolves XML entities (defusedxml) and bounds decompressed sizes, so a hostile file cannot hurt.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import xml.etree.ElementTree as FastET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from xml.parsers import expat

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 96 * 1024 * 1024
MAX_RATIO = 150  # a part expanding more than this (and over 1 MB) is treated as a zip bomb

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dcterms": "http://purl.org/dc/terms/",
    "cu": "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
    "vt": "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
}
_M = "{%s}" % NS["m"]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class XlsxError(Exception):
    """The file cannot be read as an xlsx. `kind`: not_xlsx, encrypted, corrupt, too_large, unsafe."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


@dataclass(frozen=True)
class Cell:
    value: str | float | bool | None
    formula: bool = False


@dataclass
class Sheet:
    name: str
    state: str  # visible | hidden | veryHidden
    cells: dict[str, Cell]
    protected: bool

    def value(self, ref: str):
        cell = self.cells.get(ref)
        return None if cell is None else cell.value

    def has_formula(self, ref: str) -> bool:
        cell = self.cells.get(ref)
        return bool(cell and cell.formula)


@dataclass
class Workbook:
    path: Path
    sheet_names: list[str]
    sheet_states: dict[str, str]
    custom: dict[str, str]
    modified: datetime | None
    revision: int
    has_macros: bool
    _zip: zipfile.ZipFile = field(repr=False)
    _parts: dict[str, str] = field(repr=False)
    _strings: list[str] | None = field(default=None, repr=False)

    def sheet(self, name: str) -> Sheet:
        data = _read_part(self._zip, self._parts[name])
        return _parse_sheet(name, self.sheet_states[name], data, self._shared_strings(), self._parts[name])

    def _shared_strings(self) -> list[str]:
        if self._strings is None:
            self._strings = _parse_shared_strings(self._zip)
        return self._strings

    def close(self) -> None:
        self._zip.close()


def sniff_format(head: bytes, name: str) -> str:
    """Name the format of a file that is not an xlsx zip, from its first bytes."""
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK"):
        return "zip"
    suffix = Path(name).suffix.lower()
    return {".csv": "csv", ".ods": "ods", ".xls": "xls", ".xlsb": "xlsb"}.get(suffix, suffix or "?")


def open_workbook(path: Path) -> Workbook:
    """Open an xlsx/xlsm safely; raise XlsxError naming what is wrong."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise XlsxError("too_large", str(size))
    with open(path, "rb") as fh:
        head = fh.read(8)
    kind = sniff_format(head, path.name)
    if kind == "ole":
        raise XlsxError("encrypted" if _ole_is_encrypted(path) else "not_xlsx", "xls")
    if kind != "zip":
        raise XlsxError("not_xlsx", kind)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxError("corrupt", str(exc)) from None
    try:
        return _open_zip(path, zf)
    except XlsxError:
        zf.close()
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError) as exc:
        zf.close()
        raise XlsxError("corrupt", type(exc).__name__) from None


def _ole_is_encrypted(path: Path) -> bool:
    """Encrypted OOXML is an OLE file holding an 'EncryptionInfo' stream (UTF-16 name)."""
    data = path.read_bytes()[: 1 << 20]
    return "EncryptionInfo".encode("utf-16-le") in data


def _check_sizes(zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > 1 << 20 and ratio > MAX_RATIO):
            raise XlsxError("unsafe", "zip-bomb")
    if total > MAX_TOTAL_BYTES:
        raise XlsxError("unsafe", "zip-bomb")


def _open_zip(path: Path, zf: zipfile.ZipFile) -> Workbook:
    names = set(zf.namelist())
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
        raise XlsxError("not_xlsx", "ods")
    if "xl/workbook.bin" in names:
        raise XlsxError("not_xlsx", "xlsb")
    if "xl/workbook.xml" not in names:
        raise XlsxError("not_xlsx", "zip")
    _check_sizes(zf)
    wb_xml = _read_xml(zf, "xl/workbook.xml")
    rels = _relationships(zf, "xl/_rels/workbook.xml.rels", "xl")
    sheet_names, states, parts = [], {}, {}
    for el in wb_xml.iter(_M + "sheet"):
        name = el.get("name", "")
        target = rels.get(el.get("{%s}id" % NS["r"], ""))
        if target is None or target not in names:
            continue
        sheet_names.append(name)
        states[name] = el.get("state", "visible")
        parts[name] = target
    custom = _custom_properties(zf) if "docProps/custom.xml" in names else {}
    modified, revision = _core_properties(zf) if "docProps/core.xml" in names else (None, 0)
    return Workbook(path, sheet_names, states, custom, modified, revision,
                    "xl/vbaProject.bin" in names, zf, parts)


def _read_part(zf: zipfile.ZipFile, part: str) -> bytes:
    try:
        with zf.open(part) as fh:
            data = fh.read(MAX_PART_BYTES + 1)
    except KeyError:
        raise XlsxError("corrupt", f"missing {part}") from None
    if len(data) > MAX_PART_BYTES:
        raise XlsxError("unsafe", "zip-bomb")
    return data


_XML_DECL_ENCODING = re.compile(rb'^\s*<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']')
_PLAIN_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def _without_dtd(data: bytes) -> bool:
    """True when `data` is UTF-8/ASCII XML with no DOCTYPE. Entities can only be declared in a DTD, so
    such a document can be parsed by the plain (C) parser as safely as by defusedxml, and faster.
    Anything else (UTF-16, other declared encodings, any DOCTYPE) takes the defusedxml path."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return False
    declared = _XML_DECL_ENCODING.match(data[:200])
    if declared and declared.group(1).lower() not in _PLAIN_ENCODINGS:
        return False
    return b"<!DOCTYPE" not in data


def _read_xml(zf: zipfile.ZipFile, part: str):
    data = _read_part(zf, part)
    try:
        if _without_dtd(data):
            return FastET.fromstring(data)
        return SafeET.fromstring(data)
    except DefusedXmlException:
        raise XlsxError("unsafe", "xml-entities") from None
    except (SafeET.ParseError, FastET.ParseError) as exc:
        raise XlsxError("corrupt", f"xml {part}: {exc}") from None


def _relationships(zf: zipfile.ZipFile, rels_part: str, base: str) -> dict[str, str]:
    root = _read_xml(zf, rels_part)
    out = {}
    for rel in root.iter("{%s}Relationship" % NS["pr"]):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
        out[rel.get("Id", "")] = path
    return out


def _parse_shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    root = _read_xml(zf, "xl/sharedStrings.xml")
    return [_string_item(si) for si in root.iter(_M + "si")]


def _string_item(el) -> str:
    """Text of an <si>/<is>: plain <t> or the runs' <t>, without phonetic runs."""
    direct = el.find(_M + "t")
    if direct is not None:
        return direct.text or ""
    return "".join((t.text or "") for r in el.findall(_M + "r") for t in r.findall(_M + "t"))


class _SheetEnd(Exception):
    """Raised by the sheet parser once everything it needs has been read."""


# Children of <worksheet> that may come before the cells' end in schema order; the first other one
# after <sheetData> ends the parse (data validations, conditional formats... are not read).
_UNTIL_PROTECTION = {"sheetData", "sheetCalcPr", "sheetProtection"}


def _parse_sheet(name: str, state: str, data: bytes, strings: list[str], part: str = "") -> Sheet:
    """Cells (value, has formula) and protection of one worksheet, read with expat callbacks.

    Refuses DTDs and entities like defusedxml; stops after <sheetProtection>, which the schema puts
    right after <sheetData>, so the large validation blocks of a form are never parsed."""
    cells: dict[str, Cell] = {}
    protected = False
    stack: list[str] = []
    cell: list = [None, "n", False]  # ref, type, has formula
    texts: list[str] = []
    collecting = False
    seen_data = False

    def start(tag: str, attrs: dict) -> None:
        nonlocal protected, collecting, seen_data
        local = tag[tag.find(":") + 1:]
        depth = len(stack)
        stack.append(local)
        if local == "c":
            cell[0], cell[1], cell[2] = attrs.get("r"), attrs.get("t", "n"), False
            texts.clear()
        elif local == "v" or (local == "t" and stack[-2] in ("is", "r") and "is" in stack[-3:-1]):
            collecting = True
        elif local == "f":
            cell[2] = True
        elif depth == 1:
            if local == "sheetProtection":
                protected = attrs.get("sheet", "0") in ("1", "true")
            elif seen_data and local not in _UNTIL_PROTECTION:
                raise _SheetEnd

    def end(tag: str) -> None:
        nonlocal collecting, seen_data
        local = stack.pop()
        if local in ("v", "t"):
            collecting = False
        elif local == "c":
            if cell[0]:
                cells[cell[0]] = Cell(_value(cell[1], texts, strings), cell[2])
        elif local == "sheetData":
            seen_data = True

    def chars(text: str) -> None:
        if collecting:
            texts.append(text)

    parser = _safe_expat()
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = chars
    try:
        parser.Parse(data, True)
    except _SheetEnd:
        pass
    except expat.ExpatError as exc:
        raise XlsxError("corrupt", f"xml {part}: {exc}") from None
    return Sheet(name, state, cells, protected)


def _refuse(*_args) -> None:
    raise XlsxError("unsafe", "xml-entities")


def _safe_expat():
    """An expat parser that refuses DTDs, entity declarations and external entities (as defusedxml)."""
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    return parser


def _value(kind: str, texts: list[str], strings: list[str]):
    """A cell's value from its type and the text of its <v> (or of its inline string)."""
    if kind == "inlineStr":
        return "".join(texts)
    if not texts:
        return None
    text = "".join(texts)
    if kind == "s":
        try:
            index = int(text)
        except ValueError:
            return None
        return strings[index] if 0 <= index < len(strings) else None
    if kind in ("str", "e"):
        return text
    if kind == "b":
        return text in ("1", "true")
    try:
        return float(text)
    except ValueError:
        return text


def _custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    root = _read_xml(zf, "docProps/custom.xml")
    out = {}
    for prop in root.iter("{%s}property" % NS["cu"]):
        value = next(iter(prop), None)
        out[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return out


def _core_properties(zf: zipfile.ZipFile) -> tuple[datetime | None, int]:
    root = _read_xml(zf, "docProps/core.xml")
    modified = root.find("{%s}modified" % NS["dcterms"])
    revision = root.find("{%s}revision" % NS["cp"])
    when = None
    if modified is not None and modified.text:
        try:
            when = datetime.fromisoformat(modified.text.strip().replace("Z", "+00:00"))
        except ValueError:
            when = None
    rev = int(revision.text) if revision is not None and (revision.text or "").isdigit() else 0
    return when, rev
