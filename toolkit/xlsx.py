"""A small, safe reader of .xlsx files as returned by units (Excel, LibreOffice, WPS).

It reads the zip and the sheet XML directly: values, formulas (present or not), sheet state,
sheet protection, custom document properties and save time. A value is what the cell stores: a number
(a date or time too: its serial number) as float, a boolean, or text (error values included). It never
evaluates anything, never resolves XML entities (defusedxml) and bounds decompressed sizes, so a hostile
file cannot hurt.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
import xml.etree.ElementTree as FastET
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from toolkit.numformat import NUMBER, style_kinds
from toolkit.xmlscan import (MAIN_DEFAULT_NS, NS, R_DECL, RELS_DEFAULT_NS, Cell, placed_cells, scan_core,
                             scan_elements, scan_shared_strings, scan_sheet, string_item, without_dtd)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 96 * 1024 * 1024
MAX_RATIO = 150  # a part expanding more than this (and over 1 MB) is treated as a zip bomb

_M = "{%s}" % NS["m"]
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class XlsxError(Exception):
    """The file cannot be read as an xlsx. `kind`: not_xlsx, encrypted, corrupt, too_large, unsafe."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(f"{kind}: {detail}")
        self.kind, self.detail = kind, detail


@dataclass
class Sheet:
    name: str
    state: str  # visible | hidden | veryHidden
    cells: dict[str, Cell]
    protected: bool
    styles: dict[str, int] = field(default_factory=dict)  # ref -> style index, when not 0
    style_kinds: tuple[str, ...] = ()  # the workbook's numformat kind of each style index

    def number_kind(self, ref: str) -> str:
        """numformat.DATE or TIME when the cell's number format shows its number as such, else NUMBER."""
        index = self.styles.get(ref, 0)
        return self.style_kinds[index] if index < len(self.style_kinds) else NUMBER

    def value(self, ref: str):
        cell = self.cells.get(ref)
        return None if cell is None else cell[0]

    def has_formula(self, ref: str) -> bool:
        cell = self.cells.get(ref)
        return bool(cell and cell[1])

    def formula(self, ref: str) -> str:
        cell = self.cells.get(ref)
        return cell[1] if cell else ""


@dataclass
class Workbook:
    path: Path
    sheet_names: list[str]
    sheet_states: dict[str, str]
    modified: datetime | None
    revision: int
    has_macros: bool
    _zip: zipfile.ZipFile = field(repr=False)
    _parts: dict[str, str] = field(repr=False)
    _strings: list[str] | None = field(default=None, repr=False)
    _custom: dict[str, str] | None = field(default=None, repr=False)
    _kinds: tuple[str, ...] | None = field(default=None, repr=False)

    @property
    def custom(self) -> dict[str, str]:
        """The custom document properties (read on first use: a form's metadata sheet usually suffices)."""
        if self._custom is None:
            try:
                self._custom = _custom_properties(self._zip) if "docProps/custom.xml" in self._zip.NameToInfo \
                    else {}
            except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, RuntimeError):
                raise XlsxError("corrupt", "zip") from None
        return self._custom

    def sheet(self, name: str, number=float) -> Sheet:
        """Parse one sheet (`number`: what a number's text becomes); a damaged part raises
        XlsxError("corrupt"), never another exception."""
        try:
            data = self.part(sheet=name)
            sheet = _parse_sheet(name, self.sheet_states[name], data, self.shared_strings(), number)
            sheet.style_kinds = self._style_kinds() if sheet.styles else ()
            return sheet
        except XlsxError:
            raise
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError, OSError, RuntimeError):
            raise XlsxError("corrupt", "zip") from None

    def part(self, part: str = "", sheet: str = "") -> bytes:
        """A part's bytes, by its name or a sheet's; XlsxError when absent, damaged or too large."""
        return _read_part(self._zip, self._parts[sheet] if sheet else part)

    def shared_strings(self) -> list[str]:
        if self._strings is None:
            self._strings = _parse_shared_strings(self._zip)
        return self._strings

    def _style_kinds(self) -> tuple[str, ...]:
        if self._kinds is None:
            has_styles = "xl/styles.xml" in self._zip.NameToInfo
            self._kinds = _kinds_of_styles(_read_part(self._zip, "xl/styles.xml")) if has_styles else ()
        return self._kinds

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


def file_bytes(path: Path) -> bytes | None:
    """The whole file when it is small enough to be opened as a workbook, else None (too large)."""
    path = Path(path)
    return path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None


def open_workbook(path: Path, data: bytes | None = None) -> Workbook:
    """Open an xlsx/xlsm safely; raise XlsxError naming what is wrong. `data`: the file's bytes when
    the caller has read them already (see `file_bytes`); the file is read once, in memory."""
    path = Path(path)
    if data is None:
        data = file_bytes(path)
        if data is None:
            raise XlsxError("too_large", str(path.stat().st_size))
    if len(data) > MAX_FILE_BYTES:
        raise XlsxError("too_large", str(len(data)))
    kind = sniff_format(data[:8], path.name)
    if kind == "ole":
        raise XlsxError("encrypted" if _ole_is_encrypted(data) else "not_xlsx", "xls")
    if kind != "zip":
        raise _not_zip_error(kind, len(data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
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


def _ole_is_encrypted(data: bytes) -> bool:
    """Encrypted OOXML is an OLE file holding an 'EncryptionInfo' stream (UTF-16 name)."""
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
    _alias_backslash_names(zf)
    names = set(zf.NameToInfo)
    if "mimetype" in names and b"opendocument" in zf.read("mimetype")[:100]:
        raise XlsxError("not_xlsx", "ods")
    if "xl/workbook.bin" in names:
        raise XlsxError("not_xlsx", "xlsb")
    if "xl/workbook.xml" not in names:
        raise XlsxError("not_xlsx", "zip")
    _check_sizes(zf)
    rels = _relationships(zf, "xl/_rels/workbook.xml.rels", "xl")
    sheet_names, states, parts = [], {}, {}
    for sheet in _workbook_sheets(_read_part(zf, "xl/workbook.xml")):
        name = sheet.get("name", "")
        target = rels.get(sheet.get("r:id", ""))
        if target is None or target not in names:
            continue
        sheet_names.append(name)
        states[name] = sheet.get("state", "visible")
        parts[name] = target
    modified, revision = _core_properties(zf) if "docProps/core.xml" in names else (None, 0)
    return Workbook(path, sheet_names, states, modified, revision,
                    "xl/vbaProject.bin" in names, zf, parts)


def _alias_backslash_names(zf: zipfile.ZipFile) -> None:
    """Make members named with backslashes (`xl\\workbook.xml`, which Excel opens) reachable by their
    part names; a name that would then stand for two members is a corrupt package."""
    for info in zf.infolist():
        if "\\" in info.filename:
            name = info.filename.replace("\\", "/")
            if name in zf.NameToInfo:
                raise XlsxError("corrupt", "zip")
            zf.NameToInfo[name] = info


def _read_part(zf: zipfile.ZipFile, part: str) -> bytes:
    info = zf.NameToInfo.get(part)
    if info is None:
        raise XlsxError("corrupt", "part")
    data = _inflate(zf, info) if _plain_member(zf, info) else _read_member(zf, part)
    if len(data) > MAX_PART_BYTES:
        raise XlsxError("unsafe", "zip-bomb")
    return data


def _read_member(zf: zipfile.ZipFile, part: str) -> bytes:
    with zf.open(part) as fh:
        return fh.read(MAX_PART_BYTES + 1)


def _plain_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """A member of an in-memory zip, stored or deflated, not encrypted: what every xlsx holds."""
    return isinstance(zf.fp, io.BytesIO) and not info.flag_bits & 0x1 \
        and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)


_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the lengths of the name and the extra field


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, inflated straight from the zip in memory at the place zipfile's central
    directory gives (zipfile.open costs about twice the inflating of a small part). Size and CRC are
    checked as zipfile checks them; output stops one byte past the part limit."""
    raw = zf.fp.getvalue()
    try:
        signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(raw, info.header_offset)
        start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        packed = raw[start:start + info.compress_size]
        data = packed if info.compress_type == zipfile.ZIP_STORED else \
            zlib.decompressobj(-zlib.MAX_WBITS).decompress(packed, MAX_PART_BYTES + 1)
    except (struct.error, zlib.error):
        raise zipfile.BadZipFile("damaged member") from None
    if signature != b"PK\x03\x04":
        raise zipfile.BadZipFile("local header")
    if len(data) > MAX_PART_BYTES:
        return data  # refused by the caller as a zip bomb
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        raise zipfile.BadZipFile("CRC or size")
    return data


@lru_cache(maxsize=16)
def _kinds_of_styles(data: bytes) -> tuple[str, ...]:
    """Each cell style's number kind; a bloc's returns share one styles part: parsed once."""
    return style_kinds(parse_xml(data))


def parse_xml(data: bytes):
    """The root of a part's XML, parsed safely (defusedxml when it has a DTD)."""
    if without_dtd(data):
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
    out = {}
    for rel in _relationship_elements(_read_part(zf, rels_part)):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"{base}/{target}")
        out[rel.get("Id", "")] = path
    return out


def _workbook_sheets(data: bytes) -> list[dict[str, str]]:
    """The attributes of each <sheet> of workbook.xml (its relationship id under "r:id")."""
    scanned = scan_elements(data, b"workbook", MAIN_DEFAULT_NS, "sheet", {"r:": R_DECL})
    return scanned if scanned is not None else _workbook_sheets_tree(data)


def _workbook_sheets_tree(data: bytes) -> list[dict[str, str]]:
    r_id = "{%s}id" % NS["r"]
    return [{("r:id" if k == r_id else k): v for k, v in el.attrib.items()}
            for el in parse_xml(data).iter(_M + "sheet")]


def _relationship_elements(data: bytes) -> list[dict[str, str]]:
    scanned = scan_elements(data, b"Relationships", RELS_DEFAULT_NS, "Relationship", {})
    return scanned if scanned is not None else _relationship_elements_tree(data)


def _relationship_elements_tree(data: bytes) -> list[dict[str, str]]:
    return [dict(el.attrib) for el in parse_xml(data).iter("{%s}Relationship" % NS["pr"])]


def _parse_shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.NameToInfo:
        return []
    data = _read_part(zf, "xl/sharedStrings.xml")
    scanned = scan_shared_strings(data)
    return scanned if scanned is not None else _parse_shared_strings_tree(data)


def _parse_shared_strings_tree(data: bytes) -> list[str]:
    return [string_item(si) for si in parse_xml(data).iter(_M + "si")]


_VALUE, _FORMULA = _M + "v", _M + "f"
_PROTECTION = _M + "sheetProtection"
# The cells end with </sheetData>; the schema puts <sheetCalcPr/> and <sheetProtection/> right after it.
_CELLS_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?sheetData\s*>"
                        rb"(?:\s*<(?:[A-Za-z_][\w.-]*:)?sheetCalcPr\b[^<>]*/>)?"
                        rb"(?:\s*<(?:[A-Za-z_][\w.-]*:)?sheetProtection\b[^<>]*/>)?")
_ROOT_NAME = re.compile(rb"<([A-Za-z_][\w.:-]*)[\s>/]")


def _parse_sheet(name: str, state: str, data: bytes, strings: list[str], number=float) -> Sheet:
    """Cells (value, formula) and protection of a worksheet part. A cell with neither value nor
    formula is left out: `Sheet.value` gives None and `has_formula` False for it anyway.

    Parts written the way Excel, LibreOffice, WPS, openpyxl and XlsxWriter write them are scanned
    directly (`scan_sheet`); anything else, and anything the scan is unsure of, is parsed."""
    cells, protected, styles = scan_sheet(data, strings, number) or _parse_sheet_tree(data, strings, number)
    return Sheet(name, state, cells, protected, styles)


def _parse_sheet_tree(data: bytes, strings: list[str], number=float) -> tuple[dict[str, Cell], bool, dict[str, int]]:
    """(cells, protected, styles) by the XML parser: the reference the direct scan must agree with."""
    root = sheet_root(data)
    cells: dict[str, Cell] = {}
    styles: dict[str, int] = {}
    for ref, el in placed_cells(root):
        if len(el):  # an inline string has its <is> child
            f, value = el.find(_FORMULA), _cell_value(el, strings, number)
            if value is not None or f is not None:
                cells[ref] = (value, "" if f is None else "=" + (f.text or "…"))
                style = el.get("s", "")
                if style.isascii() and style.isdigit() and int(style):
                    styles[ref] = int(style)
                else:
                    styles.pop(ref, None)
    protection = root.find(_PROTECTION)
    return cells, protection is not None and protection.get("sheet", "0") in ("1", "true"), styles


def sheet_root(data: bytes):
    """The worksheet element, cut after <sheetProtection/> when the part allows it.

    A form's data validations take two thirds of its sheet XML and are never read, so a DTD-free part
    is cut after the cells and the protection and closed with the root's end tag (one C parse, no
    Python per element). When the part does not end with that tag (truncated) or the cut does not
    parse (unusual layout), the whole part is parsed;
    a part with a DTD goes through defusedxml, which refuses entities."""
    if not without_dtd(data):
        return _parse_untrusted(data)
    cells_end, root_name = _CELLS_END.search(data), _ROOT_NAME.search(data, data.find(b"<", data.find(b"?>") + 1))
    end_tag = b"</" + root_name.group(1) + b">" if root_name else b""
    if cells_end and end_tag and data[-256:].rstrip().endswith(end_tag):  # a truncated part is parsed whole
        try:
            return FastET.fromstring(data[:cells_end.end()] + end_tag)
        except FastET.ParseError:
            pass
    try:
        return FastET.fromstring(data)
    except FastET.ParseError:
        raise XlsxError("corrupt", "xml") from None


def _cell_value(c, strings: list[str], number=float):
    kind = c.get("t", "n")
    if kind == "inlineStr":
        is_el = c.find(_M + "is")
        return string_item(is_el) if is_el is not None else ""
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
        return number(text)
    except ValueError:
        return text


def _custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    root = parse_xml(_read_part(zf, "docProps/custom.xml"))
    out = {}
    for prop in root.iter("{%s}property" % NS["cu"]):
        value = next(iter(prop), None)
        out[prop.get("name", "")] = (value.text or "") if value is not None else ""
    return out


def _core_properties(zf: zipfile.ZipFile) -> tuple[datetime | None, int]:
    data = _read_part(zf, "docProps/core.xml")
    modified, revision = scan_core(data) or _parse_core(data)
    when = None
    if modified:
        try:
            when = datetime.fromisoformat(modified.strip().replace("Z", "+00:00"))
        except ValueError:
            when = None
    return when, int(revision) if revision.isdigit() else 0


def _parse_core(data: bytes) -> tuple[str, str]:
    root = parse_xml(data)
    modified = root.find("{%s}modified" % NS["dcterms"])
    revision = root.find("{%s}revision" % NS["cp"])
    return ((modified.text or "") if modified is not None else "",
            (revision.text or "") if revision is not None else "")
