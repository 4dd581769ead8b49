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
from typing import NamedTuple

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

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


class Cell(NamedTuple):
    """One cell (immutable; a named tuple because a sheet makes hundreds of them per file)."""

    value: str | float | bool | None
    formula: str = ""  # the formula text with its "=", "" when the cell has none


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

    def formula(self, ref: str) -> str:
        cell = self.cells.get(ref)
        return cell.formula if cell else ""


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
        """Parse one sheet; a damaged part raises XlsxError("corrupt"), never another exception."""
        try:
            data = _read_part(self._zip, self._parts[name])
            return _parse_sheet(name, self.sheet_states[name], data, self._shared_strings())
        except XlsxError:
            raise
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, RuntimeError):
            raise XlsxError("corrupt", "zip") from None

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


def _not_zip_error(kind: str, size: int) -> XlsxError:
    """What to say about a file that is neither OLE nor zip: empty, a damaged xlsx, or another format."""
    if size == 0:
        return XlsxError("corrupt", "empty")
    if kind in (".xlsx", ".xlsm"):
        return XlsxError("corrupt", "not-zip")
    return XlsxError("not_xlsx", kind.lstrip("."))


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
        raise _not_zip_error(kind, size)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise XlsxError("corrupt", "zip") from None
    try:
        return _open_zip(path, zf)
    except XlsxError:
        zf.close()
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, RuntimeError):
        zf.close()  # RuntimeError: an encrypted zip entry
        raise XlsxError("corrupt", "zip") from None


def _ole_is_encrypted(path: Path) -> bool:
    """Encrypted OOXML is an OLE file holding an 'EncryptionInfo' stream (UTF-16 name)."""
    data = path.read_bytes()  # bounded by MAX_FILE_BYTES, checked before
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
        raise XlsxError("corrupt", "part") from None
    if len(data) > MAX_PART_BYTES:
        raise XlsxError("unsafe", "zip-bomb")
    return data


_XML_DECL_ENCODING = re.compile(rb'^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']')
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
    if _without_dtd(data):
        try:
            return FastET.fromstring(data)
        except FastET.ParseError:
            raise XlsxError("corrupt", "xml") from None
    return _parse_untrusted(data)


def _parse_untrusted(data: bytes):
    try:
        return SafeET.fromstring(data)
    except DefusedXmlException:
        raise XlsxError("unsafe", "xml-entities") from None
    except SafeET.ParseError:
        raise XlsxError("corrupt", "xml") from None


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


_CELL, _VALUE, _FORMULA = _M + "c", _M + "v", _M + "f"
_PROTECTION = _M + "sheetProtection"
# The cells end with </sheetData>; the schema puts <sheetCalcPr/> and <sheetProtection/> right after it.
_CELLS_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>"
                        rb"(?:\s*<(?:[A-Za-z_][\w.-]*:)?sheetCalcPr\b[^<>]*/>)?"
                        rb"(?:\s*<(?:[A-Za-z_][\w.-]*:)?sheetProtection\b[^<>]*/>)?")
_ROOT_NAME = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s>/]")


def _parse_sheet(name: str, state: str, data: bytes, strings: list[str]) -> Sheet:
    """Cells (value, has formula) and protection of a worksheet part. A cell with neither value nor
    formula is left out: `Sheet.value` gives None and `has_formula` False for it anyway."""
    root = _sheet_root(data)
    cells: dict[str, Cell] = {}
    for el in root.iter(_CELL):
        if len(el):  # an inline string has its <is> child
            ref = el.get("r")
            if ref:
                f = el.find(_FORMULA)
                cells[ref] = Cell(_cell_value(el, strings), "" if f is None else "=" + (f.text or "…"))
    protection = root.find(_PROTECTION)
    protected = protection is not None and protection.get("sheet", "0") in ("1", "true")
    return Sheet(name, state, cells, protected)


def _sheet_root(data: bytes):
    """The worksheet element, cut after <sheetProtection/> when the part allows it.

    A form's data validations take two thirds of its sheet XML and are never read, so a DTD-free part
    is cut after the cells and the protection and closed with the root's end tag (one C parse, no
    Python per element). When the part does not end with that tag (truncated) or the cut does not
    parse (unusual layout), the whole part is parsed;
    a part with a DTD goes through defusedxml, which refuses entities."""
    if not _without_dtd(data):
        return _parse_untrusted(data)
    cells_end, root_name = _CELLS_END.search(data), _ROOT_NAME.search(data, data.find(b"<", data.find(b"?>") + 1))
    end_tag = b"</" + root_name.group(1) + b">" if root_name else b""
    if cells_end and end_tag and data.rstrip().endswith(end_tag):  # a truncated part is parsed whole
        try:
            return FastET.fromstring(data[:cells_end.end()] + end_tag)
        except FastET.ParseError:
            pass
    try:
        return FastET.fromstring(data)
    except FastET.ParseError:
        raise XlsxError("corrupt", "xml") from None


def _cell_value(c, strings: list[str]):
    kind = c.get("t", "n")
    if kind == "inlineStr":
        is_el = c.find(_M + "is")
        return _string_item(is_el) if is_el is not None else ""
    v = c.find(_VALUE)
    if v is None or v.text is None:
        return None
    text = v.text
    if kind == "s":
        index = int(text)
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
