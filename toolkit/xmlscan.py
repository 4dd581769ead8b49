"""The direct scan of SpreadsheetML parts written plainly: cells, shared strings, element attributes.

One regular-expression pass over a part's text instead of an element tree: a cell is `<c r="..">` with,
in schema order, an optional `<f>`, `<v>` and `<is>`; a shared string is an `<si>`. Every function here
returns None when it is not sure — a DTD or another encoding, prefixed names, an attribute or child it
does not know, a cell it did not match, an entity XML does not define, a character XML forbids — and the
caller (toolkit.xlsx) then parses the part with the XML parser, which the scan must agree with
(tests/test_direct_scan.py).
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as FastET
from typing import Iterator

# One cell: (value, formula). The value is str, float, bool or None; the formula its text with its "=",
# "" when the cell has none. A plain tuple: a sheet makes hundreds of them per file.
Cell = tuple

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
_T, _R = _M + "t", _M + "r"
_XML_DECL_ENCODING = re.compile(rb'^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._-]+)["\']')
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_PLAIN_ENCODINGS = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}


def without_dtd(data: bytes) -> bool:
    """True when `data` is UTF-8/ASCII XML with no DOCTYPE. Entities can only be declared in a DTD, so
    such a document can be parsed by the plain (C) parser as safely as by defusedxml, and faster.
    Anything else (UTF-16, other declared encodings, any DOCTYPE) takes the defusedxml path."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return False
    declared = _XML_DECL_ENCODING.match(data[:200])
    if declared and declared.group(1).lower() not in _PLAIN_ENCODINGS:
        return False
    return b"<!DOCTYPE" not in _prolog(data)


def _prolog(data: bytes) -> bytes:
    """What comes before the root element, where a DOCTYPE must be (anywhere after, it is a syntax
    error for any parser). Unless that is only the XML declaration, the whole part: a comment or a
    processing instruction could hide what looks like the root."""
    root = _ELEMENT_START.search(data)
    head = data[:root.start()] if root else data
    declaration = head.removeprefix(b"\xef\xbb\xbf")
    rest = declaration[declaration.find(b"?>") + 2:] if declaration.startswith(b"<?xml") else declaration
    return head if not rest.strip() else data


R_DECL = b'xmlns:r="%s"' % NS["r"].encode()
RELS_DEFAULT_NS = b'xmlns="%s"' % NS["pr"].encode()
_ATTRIBUTE = re.compile(r'\s([A-Za-z_][\w.:-]*)="([^"<]*)"')


@functools.lru_cache(maxsize=None)
def _element_patterns(element: str) -> tuple[re.Pattern, re.Pattern]:
    """Every empty <element .../> (its attributes), and every start of an <element> of any form."""
    return re.compile(r"<%s(\s[^<>]*?)/>" % element), re.compile(r"<%s[\s>/]" % element)


def scan_elements(data: bytes, root: bytes, default_ns: bytes, element: str,
                   prefixes: dict[str, bytes]) -> list[dict[str, str]] | None:
    """The attributes of every empty <element .../> of a small part whose root declares `default_ns`
    (and, for each prefix used in attribute names, its declaration); None when the part needs the parser."""
    if _plain_root(data, root, (default_ns, *prefixes.values())) is None:
        return None
    empty, any_start = _element_patterns(element)
    try:
        text = xml_chars(data)
        found = empty.findall(text)
        if len(found) != len(any_start.findall(text)):
            return None
        elements = []
        for attrs in found:
            pairs = _ATTRIBUTE.findall(attrs)
            if len(pairs) != attrs.count("=") or any(":" in k and k[:k.index(":") + 1] not in prefixes
                                                     for k, _ in pairs):
                return None
            elements.append({k: _xml_text(v) for k, v in pairs})
        return elements
    except ValueError:
        return None


def string_item(el) -> str:
    """Text of an <si>/<is>: its plain <t> and the <t> of each rich-text run <r>, in order (a plain part
    may be followed by runs), without phonetic runs <rPh>."""
    parts = []
    for child in el:
        if child.tag == _T:
            parts.append(child.text or "")
        elif child.tag == _R:
            parts.extend(t.text or "" for t in child.findall(_T))
    return "".join(parts)


MAIN_DEFAULT_NS = b'xmlns="' + NS["m"].encode() + b'"'
_SCAN_CELL = re.compile(  # ref, type, other attributes; a lone value, a plain formula and its value, or else
    r'<c r="([A-Z]{1,3}[0-9]{1,7})"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?([^<>/]*)'  # the whole content
    r'(?:/>|>(?:<v>([^<]*)</v>|<f>([^<]+)</f>(?:<v>([^<]*)</v>|<v ?/>)?|(.*?))</c>)', re.S)
_CELL_CONTENT = re.compile(  # in schema order: formula (closed or with text), value, inline string
    r'(?:<f\b[^<>/]*(/>|>([^<]*)</f>))?(?:<v>([^<]*)</v>|<v ?/>)?(?:<is>(.*?)</is>)?', re.S)
_CELL_START = re.compile(r"<c[\s/>]")
_TYPE_ATTR = re.compile(r'\st="([^"]*)"')
_STYLE_ATTR = re.compile(r'\ss="([0-9]+)"')
_SHEET_PROTECTION = re.compile(rb'\s*(?:<sheetCalcPr\b[^<>]*/>\s*)?<sheetProtection\b([^<>]*)/>')
_PROTECTED_ATTR = re.compile(rb'\ssheet="(?:1|true)"')
_PLAIN_T = re.compile(r'<t(?: xml:space="preserve")?>([^<]*)</t>')
_SCAN_SI = re.compile(r'<si>(?:<t(?: xml:space="preserve")?>([^<]*)</t>|(.*?))</si>', re.S)
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9A-Fa-f]{1,6}));")
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_NAMED_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def scan_sheet(data: bytes, strings: list[str], number=float) -> tuple[dict[str, Cell], bool, dict[str, int]] | None:
    """(cells, protected, styles) read straight from a worksheet part, or None when the part needs the
    parser. `styles`: the style index (`s`) of each cell kept in `cells`, when it is not 0. `number`:
    what a number's text becomes (ValueError: kept as text)."""
    body = _plain_root(data, b"worksheet", (MAIN_DEFAULT_NS,))
    if body is None:
        return None
    start = data.find(b"<sheetData>", body)
    end = data.find(b"</sheetData>", start)
    if start < 0 or end < 0:
        return None
    styles: dict[str, int] = {}
    try:
        cells = _scan_cells(xml_chars(data[start + 11:end]), strings, styles, number)
    except (ValueError, IndexError, OverflowError, FastET.ParseError):
        return None
    if cells is None:
        return None
    protection = _SHEET_PROTECTION.match(data, end + 12)
    return cells, bool(protection and _PROTECTED_ATTR.search(protection.group(1))), styles


def xml_chars(raw: bytes) -> str:
    """UTF-8 text holding only characters XML allows raw; ValueError otherwise (the parser decides)."""
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw) or b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw:
        raise ValueError("a character XML does not allow")
    return raw.decode("utf-8")


def _plain_root(data: bytes, root: bytes, declarations: tuple[bytes, ...]) -> int | None:
    """Where the content of a DTD-free, UTF-8 part starts when its first element is <root ...> with
    each of `declarations` (namespace declarations, exactly as written) and the part ends with its end
    tag; None when the part is anything else (prefixed names, another encoding, a DTD, truncated)."""
    if not without_dtd(data):
        return None
    first = data.find(b"<", data.find(b"?>") + 1 if data.startswith((b"<?xml", b"\xef\xbb\xbf<?xml")) else 0)
    close = data.find(b">", first)
    tag = data[first:close]
    if not tag.startswith(b"<" + root) or tag[len(root) + 1:len(root) + 2] not in (b" ", b"\t", b"\n", b"\r"):
        return None
    if any(d not in tag for d in declarations) or not data[-256:].rstrip().endswith(b"</" + root + b">"):
        return None
    return close + 1


def _scan_cells(region: str, strings: list[str], styles: dict[str, int], number=float) -> dict[str, Cell] | None:
    """The cells of a sheetData region; each kept cell's style index (not 0) goes into `styles`."""
    found = _SCAN_CELL.findall(region)
    if len(found) != _cell_starts(region):
        return None
    cells: dict[str, Cell] = {}
    count = len(strings)
    for ref, style, kind, attrs, value, formula, formula_value, content in found:
        if not (value or formula or content):
            continue  # an empty cell (<c .../>, <c ...></c>, an empty <v>)
        if not (content or attrs):  # the usual cases: a shared string, a number, a plain formula
            if kind == "s" and value:
                index = int(value)
                cells[ref] = (strings[index] if 0 <= index < count else None, "")
                _keep_style(styles, ref, style)
                continue
            if not kind:
                cells[ref] = (_number(formula_value if formula else value, number),
                              "=" + _xml_text(formula) if formula else "")
                _keep_style(styles, ref, style)
                continue
        if formula:
            content = f"<f>{formula}</f><v>{formula_value}</v>"
        cell = _scanned_cell(kind, attrs, value, content, strings, number)
        if cell is None:
            return None
        if cell[0] is not None or cell[1]:
            cells[ref] = cell
            later = _STYLE_ATTR.search(attrs) if not style and 's="' in attrs else None  # s after another
            _keep_style(styles, ref, later.group(1) if later else style)
    return cells


def _keep_style(styles: dict[str, int], ref: str, style: str) -> None:
    """Note the style index of a kept cell (0, the default, is not noted)."""
    if style and int(style):
        styles[ref] = int(style)
    else:
        styles.pop(ref, None)


def _cell_starts(region: str) -> int:
    """How many <c> elements start in `region`, whatever follows the name (a cell without r, a line
    break); str.count unless another element's name starts with c (a rich-text run's <color>)."""
    starts = region.count("<c ")
    return starts if region.count("<c") == starts else len(_CELL_START.findall(region))


def _scanned_cell(kind: str, attrs: str, value: str, content: str, strings: list[str], number=float) -> Cell | None:
    """A cell with a formula, an inline string, other attributes or another type; None when its
    content is not the schema's f, v, is sequence."""
    formula = inline = ""
    if content:
        parts = _CELL_CONTENT.fullmatch(content)
        if parts is None:
            return None
        closed, formula_text, value, inline = parts.groups("")
        if closed:
            formula = "=" + _xml_text(formula_text) if formula_text else "=…"
    if 't="' in attrs:  # the type after an attribute other than s
        kind = _TYPE_ATTR.search(attrs).group(1)
    if kind == "s" and value:
        index = int(value)
        return strings[index] if 0 <= index < len(strings) else None, formula
    return (_typed_value(kind, value, inline, number) if kind else _number(value, number)), formula


def _number(value: str, number=float):
    """A cell of the default type n: its number; a non-number as its text, None when empty."""
    if not value:
        return None
    try:
        return number(value)
    except ValueError:
        return _xml_text(value)


def _typed_value(kind: str, value: str, inline: str, number=float):
    """The value of a cell with an explicit type, exactly as `_cell_value` gives it for the element."""
    if kind == "inlineStr":
        return _inline_text(inline) if inline else ""
    if not value or kind == "s":
        return None
    if kind in ("str", "e"):
        return _xml_text(value)
    if kind == "b":
        return value in ("1", "true")
    return _number(value, number)


def _inline_text(inline: str) -> str:
    plain = _PLAIN_T.fullmatch(inline)
    if plain:
        return _xml_text(plain.group(1))
    return _string_fragment("is", inline)


def _string_fragment(tag: str, content: str) -> str:
    """The text of an <is>/<si> whose content has runs: parsed on its own (the part has no DTD)."""
    xml = f'<{tag} xmlns="{NS["m"]}">{content}</{tag}>'
    return string_item(FastET.fromstring(xml))


def _xml_text(text: str) -> str:
    """Character data as the parser would give it: line ends normalised, references resolved;
    ValueError for anything a parser would refuse (an unknown entity, a bare "&", a forbidden char)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "&" not in text:
        return text
    resolved, count = _ENTITY.subn(_entity_char, text)
    if count != text.count("&"):
        raise ValueError("bare ampersand")
    return resolved


def _entity_char(m: re.Match) -> str:
    if m.group(1):
        return _NAMED_ENTITIES[m.group(1)]
    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return chr(code)
    raise ValueError("character not allowed in XML")


def scan_shared_strings(data: bytes) -> list[str] | None:
    """The shared strings read straight from the part, or None when it needs the parser."""
    if _plain_root(data, b"sst", (MAIN_DEFAULT_NS,)) is None:
        return None
    try:
        text = xml_chars(data)
        found = _SCAN_SI.findall(text)
        if len(found) != text.count("<si"):
            return None
        if "&" not in text and "\r" not in text and not any(runs for _, runs in found):
            return [plain for plain, _ in found]  # plain texts only, nothing to resolve
        return [_string_fragment("si", runs) if runs else _xml_text(plain) for plain, runs in found]
    except (ValueError, FastET.ParseError):
        return None


_CORE_DECLS = (b'xmlns:cp="%s"' % NS["cp"].encode(), b'xmlns:dcterms="%s"' % NS["dcterms"].encode())
_MODIFIED = re.compile(r"<dcterms:modified\b[^<>]*>([^<]*)</dcterms:modified>")
_REVISION = re.compile(r"<cp:revision>([^<]*)</cp:revision>")


def scan_core(data: bytes) -> tuple[str, str] | None:
    """(modified, revision) texts of core.xml as Excel, LibreOffice and XlsxWriter write it, or None."""
    if _plain_root(data, b"cp:coreProperties", _CORE_DECLS) is None:
        return None
    try:
        text = xml_chars(data)
    except ValueError:
        return None
    if text.count("<dcterms:modified") > 1 or text.count("<cp:revision") > 1:
        return None
    modified, revision = _MODIFIED.search(text), _REVISION.search(text)
    if (modified is None) != ("<dcterms:modified" not in text) or (revision is None) != ("<cp:revision" not in text):
        return None
    try:
        return (_xml_text(modified.group(1)) if modified else "", _xml_text(revision.group(1)) if revision else "")
    except ValueError:
        return None


# --- the parser's path: where a cell is when its `r` is left out --------------------------------

def placed_cells(root) -> Iterator[tuple[str, FastET.Element]]:
    """Each cell with its reference: its `r`, or else (the standard allows leaving it out) the column
    after the previous cell's in its row, in its row's `r` or the row after the previous row's."""
    row_number = 0
    for row in root.iter(_M + "row"):
        number = row.get("r", "")
        row_number = int(number) if number.isdigit() else row_number + 1
        previous = ""
        for el in row.iter(_M + "c"):
            previous = el.get("r") or next_column(previous) + str(row_number)
            yield previous, el


def column_number(letters: str) -> int:
    """A column's upper-case letters as its 1-based number ("A" -> 1, "AA" -> 27; "" -> 0)."""
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return column


def next_column(ref: str) -> str:
    """The column letters after those of `ref` ("" -> A, "Z7" -> AA)."""
    letters, column = "", column_number(ref.rstrip("0123456789").upper()) + 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
