"""The direct scan of sheet and shared-string parts (toolkit.xmlscan) gives exactly what the XML parser
gives, on files saved by real applications and on generated odd parts; and it declines (so the
parser reads the part) whenever it is not sure. No timing here: speed lives in bench/."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit import xlsx, xmlscan
from toolkit.demo import fill_form
from toolkit.forms import generate_forms
from toolkit.forms.layout import COL_EVIDENCE, COL_INPUT, form_layout
from toolkit.returns import read_return

MAIN = xmlscan.NS["m"]
INPUTS = {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1}
EVIDENCE = {"I.1": "Báo cáo số 12/BC-UBND & phụ lục <kèm theo>", "I.2": "  hai  dòng\nthứ hai "}


def _parts(path: Path) -> tuple[list[bytes], bytes | None]:
    with zipfile.ZipFile(path) as zf:
        sheets = [zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
        strings = zf.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in zf.namelist() else None
    return sheets, strings


def _assert_small_parts_scan_like_the_parser(path: Path, must_scan: bool) -> None:
    """workbook.xml, its relationships and core.xml: scanned like the parser reads them (openpyxl
    declares the relationship prefix on each <sheet>, which the scan leaves to the parser)."""
    with zipfile.ZipFile(path) as zf:
        workbook, rels, core = (zf.read(n) for n in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                                                    "docProps/core.xml"))
    scans = [(xmlscan.scan_elements(workbook, b"workbook", xmlscan.MAIN_DEFAULT_NS, "sheet", {"r:": xmlscan.R_DECL}),
              xlsx._workbook_sheets_tree(workbook)),
             (xmlscan.scan_elements(rels, b"Relationships", xmlscan.RELS_DEFAULT_NS, "Relationship", {}),
              xlsx._relationship_elements_tree(rels)),
             (xmlscan.scan_core(core), xlsx._parse_core(core))]
    for scanned, parsed in scans:
        if must_scan or scanned is not None:
            assert scanned == parsed


def _assert_scan_equals_parser(path: Path, small_parts_scanned: bool = True) -> None:
    _assert_small_parts_scan_like_the_parser(path, small_parts_scanned)
    sheets, strings_part = _parts(path)
    strings = []
    if strings_part is not None:
        strings = xmlscan.scan_shared_strings(strings_part)
        assert strings is not None, f"{path.name}: shared strings not scanned"
        assert strings == xlsx._parse_shared_strings_tree(strings_part)
    for data in sheets:
        scanned = xmlscan.scan_sheet(data, strings)
        assert scanned is not None, f"{path.name}: a sheet was not scanned"
        assert scanned == xlsx._parse_sheet_tree(data, strings)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    bloc = small_bloc()
    root = tmp_path_factory.mktemp("scan")
    forms = generate_forms(bloc, root / "phieu")
    filled = fill_form(forms[0], root / "openpyxl.xlsx", bloc, INPUTS, EVIDENCE)
    return bloc, root, forms[0], filled


def test_forms_written_by_xlsxwriter_and_saved_by_openpyxl_scan_like_the_parser(made):
    _, _, form, filled = made
    _assert_scan_equals_parser(form)
    _assert_scan_equals_parser(filled, small_parts_scanned=False)


@pytest.mark.office
def test_a_return_typed_and_saved_by_libreoffice_scans_like_the_parser(soffice, made, tmp_path):
    from toolkit.office import fill

    bloc, _, form, _ = made
    layout = form_layout(bloc.criteria)
    edits = {layout.cell(COL_INPUT, k): v for k, v in INPUTS.items()}
    edits.update({layout.cell(COL_EVIDENCE, k): v for k, v in EVIDENCE.items()})
    saved = fill(form, tmp_path / "lo.xlsx", {T.FORM_SHEET: edits})
    _assert_scan_equals_parser(saved)
    result = read_return(saved, bloc)
    assert result.ok, result.problems
    assert result.submission.evidence["I.1"] == EVIDENCE["I.1"]


def test_an_openpyxl_workbook_with_every_cell_type_scans_like_the_parser(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([1, 2.5, -3e-7, True, False, "chữ", "a & b < c", "=A1+B1", '=IF(A1>0,"có","không")'])
    ws.append([None, "", " ", "\u00a0", "x\r\ny", "=1/0", "=A1&\"&amp;\""])
    ws["A5"] = openpyxl.cell.rich_text.CellRichText(["Đậm ", openpyxl.cell.rich_text.TextBlock(
        openpyxl.cell.text.InlineFont(b=True), "nghiêng")])
    ws.protection.sheet = True
    wb.save(tmp_path / "types.xlsx")
    _assert_scan_equals_parser(tmp_path / "types.xlsx", small_parts_scanned=False)


# Generated parts: every accepted shape, and shapes the scan must decline ----------------------------

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",))
               | st.sampled_from(["&", "<", ">", '"', "'", "\t", "\n", "\r", "\x01", "\ufffe", "đ"]), max_size=12)
COLUMNS = st.sampled_from(["A", "B", "G", "AA", "XFD"])


@st.composite
def cells(draw) -> str:
    """One <c> element as some application could write it."""
    ref = f'{draw(COLUMNS)}{draw(st.integers(1, 1_048_576))}'
    kind = draw(st.sampled_from(["", "n", "s", "str", "b", "e", "inlineStr", "d"]))
    style = draw(st.sampled_from(["", ' s="3"']))
    extra = draw(st.sampled_from(["", ' cm="1"', ' ph="1"']))
    type_attr = f' t="{kind}"' if kind else ""
    attrs = draw(st.sampled_from([style + type_attr + extra, extra + type_attr + style, type_attr + style]))
    formula = draw(st.sampled_from(["", "<f>{}</f>", '<f t="shared" ref="A1:A9" si="0">{}</f>',
                                    '<f t="shared" si="0"/>', '<f aca="false">{}</f>', "<f></f>"]))
    formula = formula.format(escape(draw(TEXT))) if "{}" in formula else formula
    value = {"s": str(draw(st.integers(0, 4))), "b": draw(st.sampled_from(["0", "1", "true"])),
             "n": draw(st.sampled_from(["1", "2.5", "-1E-3", "x", ""])),
             "": draw(st.sampled_from(["7", "0.25", ""]))}.get(kind, escape(draw(TEXT)))
    v = draw(st.sampled_from(["<v>{}</v>", "<v/>", "<v />", ""])).format(value)
    inline = ""
    if kind == "inlineStr":
        inline = draw(st.sampled_from(["<is><t>{}</t></is>", '<is><t xml:space="preserve">{}</t></is>',
                                       "<is><r><t>{}</t></r><r><rPr><b/></rPr><t>x</t></r></is>",
                                       "<is><r><t>{}</t></r><rPh sb=\"0\" eb=\"1\"><t>ph</t></rPh></is>"]))
        inline, v = inline.format(escape(draw(TEXT))), ""
    body = formula + v + inline
    return f'<c r="{ref}"{attrs}/>' if not body and draw(st.booleans()) else f'<c r="{ref}"{attrs}>{body}</c>'


def _sheet(cell_xml: list[str], protection: str, spacing: str = "") -> bytes:
    rows = "".join(f'<row r="{i + 1}">{spacing}{c}{spacing}</row>' for i, c in enumerate(cell_xml))
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<worksheet xmlns="{MAIN}" '
            f'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheetData>{rows}</sheetData>{protection}<pageMargins left="0.7"/></worksheet>').encode()


PROTECTIONS = st.sampled_from(["", '<sheetProtection sheet="1" objects="1"/>', '<sheetProtection sheet="0"/>',
                               '<sheetProtection password="CC3D" sheet="true"/>',
                               '<sheetCalcPr fullCalcOnLoad="1"/><sheetProtection sheet="1"/>'])
STRINGS = ["không", "a & b", "", " x ", "Đơn vị"]


@settings(max_examples=300, deadline=None)
@given(st.lists(cells(), max_size=8), PROTECTIONS, st.sampled_from(["", "\n  "]))
def test_generated_sheets_scan_like_the_parser_or_are_left_to_it(cell_xml, protection, spacing):
    data = _sheet(cell_xml, protection, spacing)
    _assert_same_or_declined(lambda: xmlscan.scan_sheet(data, STRINGS), lambda: xlsx._parse_sheet_tree(data, STRINGS))


def _assert_same_or_declined(scan, parse) -> None:
    """The scan gives what the parser gives, or declines; where the parser refuses, the scan declines."""
    try:
        expected = parse()
    except xlsx.XlsxError:
        assert scan() is None
        return
    scanned = scan()
    if scanned is not None:
        assert scanned == expected


@pytest.mark.parametrize("cell, scanned", [
    ('<c r="A1" s="1" t="s"><v>4</v></c>', True),
    ('<c r="A1" t="s" s="1"><v>4</v></c>', True),             # type before style
    ('<c r="A1" s="1"><f>SUM(B1:B9)</f><v>3</v></c>', True),
    ('<c r="A1" t="inlineStr"><is><t>x</t></is></c>', True),
    ('<c r="A1" t="str"><v>a &amp; b &#273;&#x1EA1;</v></c>', True),
    ('<c r="A1">\n<v>4</v>\n</c>', False),                    # pretty-printed content
    ('<c s="1" r="A1"><v>4</v></c>', False),                   # r not first
    ("<c r='A1'><v>4</v></c>", False),                         # single quotes
    ('<c t="n"><v>4</v></c>', False),                          # no reference
    ('<c r="A1"><v>a &nbsp; b</v></c>', False),                # an entity XML does not know
    ('<c r="A1" t="str"><v>&#0;</v></c>', False),              # a character XML forbids
    ('<c r="A1"><extLst/><v>4</v></c>', False),                # a child the scan does not know
])
def test_the_scan_declines_every_shape_it_does_not_know(cell, scanned):
    data = _sheet([cell], "")
    assert (xmlscan.scan_sheet(data, STRINGS) is not None) is scanned
    if scanned:
        assert xmlscan.scan_sheet(data, STRINGS) == xlsx._parse_sheet_tree(data, STRINGS)


@pytest.mark.parametrize("data", [
    b'<worksheet xmlns:x="%s"><x:sheetData><x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row></x:sheetData>'
    b'</worksheet>' % MAIN.encode(),                                            # prefixed names
    ('<?xml version="1.0" encoding="UTF-16"?><worksheet xmlns="%s"><sheetData/></worksheet>' % MAIN)
    .encode("utf-16"),                                                          # another encoding
    b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "1">]><worksheet xmlns="%s"><sheetData><row r="1">'
    b'<c r="A1"><v>&e;</v></c></row></sheetData></worksheet>' % MAIN.encode(),  # a DTD
    b'<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>' % MAIN.encode(),
])
def test_parts_that_are_not_plain_are_left_to_the_parser(data):
    assert xmlscan.scan_sheet(data, STRINGS) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(
    TEXT.map(lambda t: f"<si><t>{escape(t)}</t></si>"),
    TEXT.map(lambda t: f'<si><t xml:space="preserve">{escape(t)}</t></si>'),
    TEXT.map(lambda t: f"<si><r><t>{escape(t)}</t></r><r><rPr><i/></rPr><t>{escape(t)}</t></r></si>"),
    TEXT.map(lambda t: f'<si><t>{escape(t)}</t><rPh sb="0" eb="1"><t>x</t></rPh><phoneticPr fontId="1"/></si>'),
    TEXT.map(lambda t: f'<si><t>{escape(t)}</t><phoneticPr fontId="1"/></si>'),
    st.just("<si/>"), st.just("<si></si>")), max_size=6))
def test_generated_shared_strings_scan_like_the_parser(items):
    data = (f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="{len(items)}">'
            + "".join(items) + "</sst>").encode()
    _assert_same_or_declined(lambda: xmlscan.scan_shared_strings(data), lambda: xlsx._parse_shared_strings_tree(data))
    if "<si/>" not in items and not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "".join(items)):
        assert xmlscan.scan_shared_strings(data) is not None


@pytest.mark.parametrize("workbook, scanned", [
    (f'<workbook xmlns="{MAIN}" xmlns:r="{xmlscan.NS["r"]}"><sheets><sheet name="A &amp; B" sheetId="1" '
     'state="veryHidden" r:id="rId1"/><sheet name="C" sheetId="2" r:id="rId2"/></sheets></workbook>', True),
    (f'<workbook xmlns="{MAIN}" xmlns:x="{xmlscan.NS["r"]}"><sheets><sheet name="A" sheetId="1" x:id="rId1"/>'
     "</sheets></workbook>", False),                                       # the relationship prefix is not r
    (f'<workbook xmlns="{MAIN}" xmlns:r="{xmlscan.NS["r"]}"><sheets><sheet name=\'A\' sheetId="1" r:id="rId1"/>'
     "</sheets></workbook>", False),                                       # single quotes
    (f'<workbook xmlns="{MAIN}" xmlns:r="{xmlscan.NS["r"]}"><sheets><sheet name="A" sheetId="1" r:id="rId1">'
     "</sheet></sheets></workbook>", False),                               # not an empty element
])
def test_workbook_sheets_scan_like_the_parser_or_are_left_to_it(workbook, scanned):
    data = workbook.encode()
    found = xmlscan.scan_elements(data, b"workbook", xmlscan.MAIN_DEFAULT_NS, "sheet", {"r:": xmlscan.R_DECL})
    assert (found is not None) is scanned
    assert xlsx._workbook_sheets(data) == xlsx._workbook_sheets_tree(data)


@pytest.mark.parametrize("core, scanned", [
    ('<cp:coreProperties xmlns:cp="{cp}" xmlns:dcterms="{dc}" xmlns:xsi="x"><dcterms:modified '
     'xsi:type="dcterms:W3CDTF">2026-12-01T08:00:00Z</dcterms:modified><cp:revision>3</cp:revision>'
     "</cp:coreProperties>", True),
    ('<cp:coreProperties xmlns:cp="{cp}" xmlns:dcterms="{dc}"></cp:coreProperties>', True),
    ('<c:coreProperties xmlns:c="{cp}" xmlns:d="{dc}"><d:modified>2026-12-01T08:00:00Z</d:modified>'
     "<c:revision>3</c:revision></c:coreProperties>", False),              # other prefixes
    ('<cp:coreProperties xmlns:cp="{cp}" xmlns:dcterms="{dc}"><cp:revision>3<!-- x --></cp:revision>'
     "</cp:coreProperties>", False),                                       # markup inside
])
def test_core_properties_scan_like_the_parser_or_are_left_to_it(core, scanned):
    data = core.format(cp=xmlscan.NS["cp"], dc=xmlscan.NS["dcterms"]).encode()
    assert (xmlscan.scan_core(data) is not None) is scanned
    assert (xmlscan.scan_core(data) or xlsx._parse_core(data)) == xlsx._parse_core(data)


def test_a_sheet_name_with_markup_characters_is_read(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "A&B <1>"
    wb.active["A1"] = quoteattr("x")
    wb.save(tmp_path / "name.xlsx")
    book = xlsx.open_workbook(tmp_path / "name.xlsx")
    assert book.sheet_names == ["A&B <1>"] and book.sheet("A&B <1>").value("A1") == '"x"'


# Members inflated straight from the zip in memory ---------------------------------------------------

def _members_equal_zipfile(path: Path) -> None:
    import io
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for info in zf.infolist():
            assert xlsx._plain_member(zf, info)
            assert xlsx._inflate(zf, info) == zf.read(info.filename), info.filename


def test_members_inflated_directly_equal_zipfiles_reading(made, tmp_path):
    _, _, form, filled = made
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(form) as zin, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info), zipfile.ZIP_STORED)
    for path in (form, filled, stored):
        _members_equal_zipfile(path)
    assert xlsx.open_workbook(stored).sheet(T.FORM_SHEET).value("A4") == xlsx.open_workbook(form).sheet(
        T.FORM_SHEET).value("A4")


@pytest.mark.parametrize("damage", ["crc", "deflate", "offset"])
def test_a_damaged_member_is_a_corrupt_file_not_a_crash(made, tmp_path, damage):
    import io
    bloc, _, _, filled = made
    data = bytearray(filled.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        name_length, extra_length = xlsx._LOCAL_HEADER.unpack_from(data, info.header_offset)[1:]
        start = info.header_offset + 30 + name_length + extra_length
    if damage == "crc":
        data[start + info.compress_size // 2] ^= 0x01            # inflates, to the wrong bytes
    elif damage == "deflate":
        data[start:start + 8] = b"\xff" * 8                     # not deflate data at all
    else:
        data[info.header_offset:info.header_offset + 4] = b"XXXX"  # the local header is gone
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(bytes(data))
    result = read_return(broken, bloc)
    assert [p.code for p in result.problems] == ["file.corrupt"]
