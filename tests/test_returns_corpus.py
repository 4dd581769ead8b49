"""A corpus of bad returns, each built by damaging a freshly generated and filled form, with the problem
code(s) the reader must report. Errors mean the file is not counted; warnings mean it is counted."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
import zipfile
from datetime import date, datetime, time, timezone
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.returns_corpus import (GOOD_EVIDENCE, LAYOUT, SHEET_PART, cell, corpus_bloc, edit, evidence_cell, filled,
                                  input_cell, raw, replace_part, set_saved, set_text, write_zip, zipped)
from toolkit import office
from toolkit import texts as T
from toolkit.bloc import Member
from toolkit.feedback import write_feedback
from toolkit.fileio import sha256_file
from toolkit.forms import write_form
from toolkit.forms.layout import COL_MAX, COL_SCORE, COL_TEXT, HEADER_ROW, META_SHEET
from toolkit.returns import collect_returns, read_return
from toolkit.returns.reader import _read_return
from toolkit.texts import returns as TR
from toolkit.vntext import TCVN3_ENCODE, VNI_ENCODE
from toolkit.xlsx import open_workbook

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
XXE = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>'
       f'</sheetData></worksheet>').encode()
LAUGHS = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
          f'<workbook {NS}><sheets/><definedNames><definedName name="x">&b;</definedName></definedNames>'
          f'</workbook>').encode()
EVIDENCE_TEXT = "Báo cáo số 12 của Sở Tài chính"


@pytest.fixture(scope="session")
def forms(tmp_path_factory) -> dict[str, Path]:
    """Blank forms: units A and B of the corpus bloc, and forms of other blocs/periods/tables/units."""
    out = tmp_path_factory.mktemp("forms")
    bloc = corpus_bloc()
    made = {m.code: write_form(bloc, m, out / f"{m.code}.xlsx") for m in bloc.members}
    others = {
        "other_bloc": corpus_bloc(name="Khối thi đua khác"),
        "other_period": corpus_bloc(year=2025),
        "old_criteria": dataclasses.replace(bloc, criteria=type(bloc.criteria)(tuple(
            dataclasses.replace(c, text=c.text + " (cũ)") if c.code == "I.2" else c for c in bloc.criteria))),
        "unknown_unit": corpus_bloc(),
    }
    stranger = Member(9, "Z", "Đơn vị lạ", "Lạ", "z@test.example")
    for key, other in others.items():
        member = stranger if key == "unknown_unit" else other.members[0]
        made[key] = write_form(other, member, out / f"{key}.xlsx")
    return made


def _legacy(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in text)


def _insert_row(wb, ws):
    ws.protection.sheet = False
    ws.insert_rows(int(input_cell("I.2")[1:]))


def _delete_row(wb, ws):
    ws.delete_rows(int(input_cell("I.2")[1:]))


def _swap_columns(wb, ws):
    for row in range(HEADER_ROW, HEADER_ROW + 12):
        e, g = ws[f"E{row}"], ws[f"G{row}"]
        e.value, g.value = g.value, e.value


def _drop_metadata(keep_custom: bool):
    def fn(wb, ws):
        del wb[META_SHEET]
        if not keep_custom:
            for name in [p.name for p in wb.custom_doc_props.props]:
                del wb.custom_doc_props[name]
    return fn


def _not_a_form(forms, dst):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Danh sách cán bộ"
    wb.save(dst)


def _rename_sheet(wb, ws):
    ws.title = "Sheet1"


def _zip_bomb(parts):
    return {**parts, "xl/media/bomb.bin": bytes(40 * 1024 * 1024)}


def _ratio_bomb(parts):
    return {**parts, "xl/styles.xml": parts["xl/styles.xml"] + b" " * (3 * 1024 * 1024)}


def _macros(parts):
    return {**parts, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake VBA project; never run"}


def _without(name):
    return lambda parts: {k: v for k, v in parts.items() if k != name}


def _ods(parts):
    return {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}


def _xlsb(parts):
    return {**{k: v for k, v in parts.items() if k != "xl/workbook.xml"}, "xl/workbook.bin": b"\x00"}


def _docx(parts):
    return {"[Content_Types].xml": parts["[Content_Types].xml"], "word/document.xml": b"<w/>"}


def _truncate(data):
    return data[: len(data) // 2]


def _ole(encrypted: bool):
    stream = "EncryptionInfo" if encrypted else "Workbook"
    return lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + stream.encode("utf-16-le") + bytes(1000)


def _big_file(forms, dst):
    filled()(forms, dst)
    with open(dst, "r+b") as fh:
        fh.truncate(50 * 1024 * 1024)  # a 50 MB file (sparse on disk)


def _csv(forms, dst):
    dst.write_text("Mã,Số liệu\nI.1,110\n", encoding="utf-8")


def _broken_sheet_xml(parts):
    return {**parts, SHEET_PART: parts[SHEET_PART][:-40]}


def _bad_string_index(parts):
    xml = parts[SHEET_PART].decode()
    ref = input_cell("I.2")
    start = xml.index(f'<c r="{ref}"')
    end = xml.index("</c>", start) + 4
    return {**parts, SHEET_PART: (xml[:start] + f'<c r="{ref}" t="s"><v>abc</v></c>' + xml[end:]).encode()}


def _formatted(code: str, value: float, number_format: str):
    """A number typed into an input cell that carries `number_format` (a cell formatted beforehand)."""
    def fn(wb, ws):
        ws[input_cell(code)] = value
        ws[input_cell(code)].number_format = number_format
    return fn


# (name, damage, the exact problem codes reported (each once), counted?)
CORPUS = [
    # --- the file as a file
    ("empty-file", raw(lambda data: b""), {"file.corrupt"}, False),
    ("truncated-zip", raw(_truncate), {"file.corrupt"}, False),
    ("random-bytes-named-xlsx", raw(lambda data: bytes(range(256)) * 40), {"file.corrupt"}, False),
    ("csv", _csv, {"file.not_xlsx"}, False),
    ("ods-zip", zipped(_ods), {"file.not_xlsx"}, False),
    ("xlsb-zip", zipped(_xlsb), {"file.not_xlsx"}, False),
    ("docx-zip", zipped(_docx), {"file.not_xlsx"}, False),
    ("xls-ole", raw(_ole(encrypted=False)), {"file.not_xlsx"}, False),
    ("encrypted-ooxml", raw(_ole(encrypted=True)), {"file.encrypted"}, False),
    ("zip-bomb-40mb-part", zipped(_zip_bomb), {"file.unsafe"}, False),
    ("zip-bomb-ratio", zipped(_ratio_bomb), {"file.unsafe"}, False),
    ("xxe-in-form-sheet", replace_part(SHEET_PART, XXE), {"file.unsafe"}, False),
    ("billion-laughs-workbook", replace_part("xl/workbook.xml", LAUGHS), {"file.unsafe"}, False),
    ("file-50mb", _big_file, {"file.too_large"}, False),
    ("broken-sheet-xml", zipped(_broken_sheet_xml), {"file.corrupt"}, False),
    ("bad-shared-string-index", zipped(_bad_string_index), {"file.corrupt"}, False),
    ("form-sheet-part-missing", zipped(_without(SHEET_PART)), {"form.sheet_missing"}, False),
    ("macro-enabled", zipped(_macros), {"file.macros"}, True),
    # --- whose form is it
    ("not-a-form", _not_a_form, {"form.not_a_form"}, False),
    ("metadata-removed", edit(_drop_metadata(keep_custom=False)), {"form.not_a_form"}, False),
    ("metadata-sheet-removed-properties-kept", edit(_drop_metadata(keep_custom=True)),
     {"form.meta_sheet_missing"}, True),
    ("other-bloc", filled(form="other_bloc"), {"form.other_bloc"}, False),
    ("other-period", filled(form="other_period"), {"form.other_period"}, False),
    ("older-criteria-table", filled(form="old_criteria"), {"form.old_criteria"}, False),
    ("unknown-unit", filled(form="unknown_unit"), {"form.unknown_unit"}, False),
    ("unit-line-of-another-unit", edit(set_text("A4", T.FORM_UNIT.format(name="Đơn vị Bình"))),
     {"form.owner_mismatch"}, False),
    # --- the form's structure
    ("row-inserted", edit(_insert_row), {"form.row_mismatch", "form.protection_removed"}, False),
    ("row-deleted", edit(_delete_row), {"form.row_mismatch"}, False),
    ("column-inserted", edit(lambda wb, ws: ws.insert_cols(3)), {"form.columns_moved"}, False),
    ("columns-swapped", edit(_swap_columns), {"form.columns_moved"}, False),
    ("sheet-renamed", edit(_rename_sheet), {"form.sheet_missing", "form.sheet_added"}, False),
    ("sheet-added", edit(lambda wb, ws: wb.create_sheet("Ghi chú")), {"form.sheet_added"}, True),
    ("score-formula-overwritten", edit(lambda wb, ws: ws.__setitem__(cell(COL_SCORE, "I.2"), 10)),
     {"form.formula_overwritten"}, True),
    ("total-formula-overwritten", edit(lambda wb, ws: ws.__setitem__(f"{COL_SCORE}{LAYOUT.grand_total_row}", 99)),
     {"form.formula_overwritten"}, True),
    ("max-points-edited", edit(lambda wb, ws: ws.__setitem__(cell(COL_MAX, "I.2"), 20)), {"form.max_changed"}, False),
    ("protection-removed", edit(lambda wb, ws: setattr(ws.protection, "sheet", False)),
     {"form.protection_removed"}, True),
    ("criterion-text-edited", edit(set_text(cell(COL_TEXT, "I.2"), "Chất lượng (đã sửa)")), {"form.locked_edited"}, True),
    # --- values typed by the unit
    ("over-max", filled({"I.2": 11}), {"value.over_max"}, False),
    ("negative", filled({"I.1": -5}), {"value.negative"}, False),
    ("not-a-step", filled({"I.2": 9.3}), {"value.step"}, False),
    ("text-in-number-cell", filled({"I.2": "chín"}), {"value.not_number"}, False),
    ("boolean-in-number-cell", filled({"I.1": True}), {"value.boolean"}, False),
    ("decimal-comma", filled({"I.2": "9,5"}), {"value.decimal_comma"}, True),
    ("missing-value", filled({"I.2": None}), {"value.missing"}, False),
    ("bad-choice", filled({"II.1": "Có"}), {"value.bad_choice"}, False),
    ("count-not-integer", filled({"II.2": 1.5}), {"value.not_integer"}, False),
    ("formula-in-input", filled({"I.2": "=9+0.5"}), {"value.formula"}, False),
    ("evidence-missing", filled(evidence={"I.1": None}), {"evidence.missing"}, False),
    # --- implausible values (issue 13): counts bounded, dates/times/booleans are no numbers
    ("penalty-1e308", filled({"IV.1": 1e308}), {"value.count_over"}, False),
    ("penalty-1000-the-bound", filled({"IV.1": 1000}), set(), True),
    ("penalty-1001", filled({"IV.1": 1001}), {"value.count_over"}, False),
    ("penalty-negative", filled({"IV.1": -1}), {"value.negative"}, False),
    ("penalty-2.5", filled({"IV.1": 2.5}), {"value.not_integer"}, False),
    ("bonus-more-times-than-the-cap-needs", filled({"III.1": 3}), set(), True),
    ("count-1001", filled({"II.2": 1001}), {"value.count_over"}, False),
    ("date-in-penalty", filled({"IV.1": date(2026, 3, 13)}), {"value.date"}, False),
    ("datetime-in-count", filled({"II.2": datetime(2026, 3, 13, 8, 30)}), {"value.date"}, False),
    ("time-in-bonus", filled({"III.1": time(8, 30)}), {"value.time"}, False),
    ("boolean-false-in-penalty", filled({"IV.1": False}), {"value.boolean"}, False),
    ("boolean-in-choice", filled({"II.1": True}), {"value.boolean"}, False),
    ("number-in-date-formatted-cell", edit(_formatted("IV.1", 2, "dd/mm/yyyy")), {"value.date"}, False),
    ("number-in-elapsed-time-cell", edit(_formatted("IV.1", 2, "[h]:mm")), {"value.time"}, False),
    ("number-with-quoted-d-in-format", edit(_formatted("IV.1", 2, '0 "ngày"')), set(), True),
    ("number-with-red-colour-format", edit(_formatted("IV.1", 2, "[Red]0;[Blue]-0")), set(), True),
    ("actual-1e308", filled({"I.1": 1e308}), {"value.implausible"}, False),
    ("actual-10x-target", filled({"I.1": 1000}), set(), True),
    ("actual-over-10x-target", filled({"I.1": 1000.5}), {"value.implausible"}, False),
    ("actual-text-9,5", filled({"I.1": "9,5"}), {"value.decimal_comma"}, True),
    ("actual-text-huge", filled({"I.1": "5000"}), {"value.implausible"}, False),
    ("evidence-tcvn3", filled(evidence={"I.1": _legacy(EVIDENCE_TEXT, TCVN3_ENCODE)}), {"text.repaired"}, True),
    ("evidence-vni", filled(evidence={"I.1": _legacy(EVIDENCE_TEXT, VNI_ENCODE)}), {"text.repaired"}, True),
    ("evidence-nfd", filled(evidence={"I.1": unicodedata.normalize("NFD", EVIDENCE_TEXT)}),
     {"text.nfd"}, True),
    ("evidence-starting-with-equals", edit(set_text(evidence_cell("I.1"), "=HYPERLINK(\"http://x\")")),
     set(), True),
]


@pytest.fixture(scope="session")
def corpus(forms, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("corpus")
    built = {}
    for name, damage, _, _ in CORPUS:
        suffix = ".csv" if name == "csv" else ".xlsx"
        built[name] = out / f"{name}{suffix}"
        damage(forms, built[name])
    return built


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40
    assert len({name for name, *_ in CORPUS}) == len(CORPUS)


def test_a_good_return_reads_clean(forms, tmp_path):
    path = tmp_path / "good.xlsx"
    filled()(forms, path)
    result = read_return(path, corpus_bloc())
    assert result.problems == [] and result.ok
    assert result.submission.values["I.2"] == 9.5 and result.submission.evidence == GOOD_EVIDENCE


@pytest.mark.parametrize(("name", "expected", "counted"), [(n, e, c) for n, _, e, c in CORPUS],
                         ids=[n for n, *_ in CORPUS])
def test_each_bad_return_is_caught_and_explained(corpus, name, expected, counted):
    path = corpus[name]
    before = sha256_file(path)
    result = read_return(path, corpus_bloc())
    codes = sorted(p.code for p in result.problems)
    assert codes == sorted(expected), [p.message for p in result.problems]
    assert result.ok == counted, [p.message for p in result.problems]
    for p in result.problems:
        assert p.file == path.name and p.message and "{" not in p.message
        if p.code.startswith(("value.", "text.", "evidence.", "form.max", "form.row", "form.columns")):
            assert p.sheet == T.FORM_SHEET and p.cell and p.cell in p.message
    assert sha256_file(path) == before


def test_repaired_and_converted_values_are_the_ones_used(corpus):
    bloc = corpus_bloc()
    for name in ("evidence-tcvn3", "evidence-vni", "evidence-nfd"):
        assert read_return(corpus[name], bloc).submission.evidence["I.1"] == EVIDENCE_TEXT
    assert read_return(corpus["decimal-comma"], bloc).submission.values["I.2"] == 9.5
    equals = read_return(corpus["evidence-starting-with-equals"], bloc).submission
    assert equals.evidence["I.1"] == '=HYPERLINK("http://x")'


def test_an_inserted_row_names_the_first_shifted_cell_and_what_to_do(corpus):
    result = read_return(corpus["row-inserted"], corpus_bloc())
    shifted = next(p for p in result.problems if p.code == "form.row_mismatch")
    assert shifted.cell == "A11" and "“I.2”" in shifted.message and "phiếu gốc" in shifted.message


def test_a_unit_sending_several_files_gets_the_newest_valid_one_and_is_told(forms, tmp_path):
    bloc = corpus_bloc()
    old, new, broken = tmp_path / "b-cu.xlsx", tmp_path / "a-moi.xlsx", tmp_path / "c-moi-nhat.xlsx"
    filled({"I.2": 8})(forms, old)
    filled({"I.2": 9})(forms, new)
    filled({"I.2": 99})(forms, broken)
    set_saved(old, datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc), revision=1)
    set_saved(new, datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc), revision=2)
    set_saved(broken, datetime(2026, 12, 7, 8, 0, tzinfo=timezone.utc), revision=3)
    returns = collect_returns([old, new, broken], bloc)
    assert returns.submissions["A"].path == new and returns.submissions["A"].values["I.2"] == 9
    assert len(returns.results) == 3  # every file kept and reported
    codes = {p.code: p for p in returns.problems}
    assert new.name in codes["returns.superseded"].message and old.name in codes["returns.superseded"].message
    assert broken.name in codes["returns.newer_invalid"].message


def test_same_save_time_falls_back_to_the_revision_number(forms, tmp_path):
    first, second = tmp_path / "z.xlsx", tmp_path / "a.xlsx"
    filled({"I.2": 7})(forms, first)
    filled({"I.2": 8})(forms, second)
    when = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
    set_saved(first, when, revision=1)
    set_saved(second, when, revision=4)
    assert collect_returns([first, second], corpus_bloc()).submissions["A"].path == second


def test_file_names_with_diacritics_spaces_and_odd_characters(forms, tmp_path):
    path = tmp_path / "Phiếu của Đơn vị An (bản cuối) #2 ~ 'x' & y.xlsx"
    filled()(forms, path)
    result = read_return(path, corpus_bloc())
    assert result.ok and result.submission.path == path


# --- real LibreOffice: a form filled and saved there, and its Save As to other formats -----------------

LO_TYPED = {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1}
LO_FILLS = {  # name: (inputs typed in LibreOffice over LO_TYPED, expected codes, counted)
    "lo-typed-decimal-comma.xlsx": ({"I.2": "9,5"}, {"value.decimal_comma"}, True),
    "lo-typed-over-max.xlsx": ({"I.2": 12}, {"value.over_max"}, False),
    "lo-typed-text.xlsx": ({"I.1": "một trăm"}, {"value.not_number"}, False),
    "lo-typed-huge-penalty.xlsx": ({"IV.1": 1e308}, {"value.count_over"}, False),
    "lo-typed-huge-actual.xlsx": ({"I.1": 1e308}, {"value.implausible"}, False),
    "lo-typed-negative-count.xlsx": ({"II.2": -1}, {"value.negative"}, False),
    "lo-typed-count-2.5.xlsx": ({"IV.1": 2.5}, {"value.not_integer"}, False),
    "lo-typed-9,5-text.xlsx": ({"I.2": "9,5"}, {"value.decimal_comma"}, True),
}
LO_CASES = {  # name: (filter, password, expected codes, counted)
    "lo-filled.xlsx": (None, None, set(), True),
    "lo-password.xlsx": ("xlsx", "mat-khau", {"file.encrypted"}, False),
    "lo-saved.ods": ("ods", None, {"file.not_xlsx"}, False),
    "lo-saved.xls": ("xls", None, {"file.not_xlsx"}, False),
    "lo-saved.csv": ("csv", None, {"file.not_xlsx"}, False),
    "lo-saved.xlsm": ("xlsm", None, set(), True),
}


@pytest.fixture(scope="session")
def lo_corpus(soffice, forms, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("lo")

    def typed(overrides: dict) -> dict:
        cells = {input_cell(code): value for code, value in {**LO_TYPED, **overrides}.items()}
        return {T.FORM_SHEET: {**cells, evidence_cell("I.1"): GOOD_EVIDENCE["I.1"]}}

    filled_path = out / "lo-filled.xlsx"
    jobs = [{"type": "fill", "src": forms["A"], "dst": filled_path, "cells": typed({})}]
    jobs += [{"type": "fill", "src": forms["A"], "dst": out / name, "cells": typed(overrides)}
             for name, (overrides, _, _) in LO_FILLS.items()]
    for name, (kind, password, _, _) in LO_CASES.items():
        if kind:
            jobs.append({"type": "save", "src": filled_path, "dst": out / name,
                         "filter": office.FILTERS[kind], "password": password})
    results = office.run_jobs(jobs)
    assert all(r["ok"] for r in results), results
    return {name: out / name for name in [*LO_CASES, *LO_FILLS]}


@pytest.mark.office
@pytest.mark.parametrize("name", sorted(LO_CASES))
def test_returns_saved_by_libreoffice(lo_corpus, name):
    _, _, expected, counted = LO_CASES[name]
    result = read_return(lo_corpus[name], corpus_bloc())
    codes = sorted(p.code for p in result.problems)
    assert codes == sorted(expected), [p.message for p in result.problems]
    assert result.ok == counted
    if counted:
        assert result.submission.values == {"I.1": 110, "I.2": 9.5, "II.1": 1.0, "II.2": 1, "III.1": 2,
                                            "IV.1": 1}


@pytest.mark.office
@pytest.mark.parametrize("name", sorted(LO_FILLS))
def test_values_typed_in_libreoffice(lo_corpus, name):
    _, expected, counted = LO_FILLS[name]
    result = read_return(lo_corpus[name], corpus_bloc())
    assert sorted(p.code for p in result.problems) == sorted(expected) and result.ok == counted


@pytest.mark.office
def test_libreoffice_keeps_the_metadata_sheet_only_hidden(lo_corpus):
    book = open_workbook(lo_corpus["lo-filled.xlsx"])
    try:
        assert book.sheet_states[META_SHEET] in ("hidden", "veryHidden")
    finally:
        book.close()


# --- property: random cell contents never crash the reader ----------------------------------------------
# These call the reader without its last guard (`read_return` turns any exception into file.unreadable,
# which would satisfy "ok or an error"), so an unforeseen exception fails the test with its traceback.

CELL_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
CELL_CONTENT = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                         st.floats(allow_nan=False, allow_infinity=False), CELL_TEXT,
                         CELL_TEXT.map(lambda t: "=" + t))


@pytest.fixture(scope="session")
def good_parts(forms, tmp_path_factory) -> dict[str, bytes]:
    path = tmp_path_factory.mktemp("good") / "good.xlsx"
    filled()(forms, path)
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.dictionaries(st.sampled_from([input_cell(c) for c in ("I.1", "I.2", "II.1", "II.2", "IV.1")]
                                             + [evidence_cell("I.1"), "A4", cell(COL_MAX, "I.2"), cell("A", "I.2")]),
                             st.tuples(st.sampled_from(["n", "s", "str", "b", "e", "inlineStr", "d", "zz"]),
                                       CELL_TEXT, st.booleans()),
                             max_size=6))
def test_random_cell_xml_never_crashes_the_reader(good_parts, tmp_path, cells):
    xml = good_parts[SHEET_PART].decode()
    for ref, (kind, text, formula) in cells.items():
        f = f"<f>{_escape(text)}</f>" if formula else ""
        body = f"<is><t>{_escape(text)}</t></is>" if kind == "inlineStr" else f"<v>{_escape(text)}</v>"
        new = f'<c r="{ref}" t="{kind}">{f}{body}</c>'
        xml = re.sub(rf'<c r="{ref}"(?: [^>]*?)?(?:/>|>.*?</c>)', lambda _: new, xml, count=1, flags=re.S)
    path = tmp_path / "random.xlsx"
    write_zip(path, {**good_parts, SHEET_PART: xml.encode()})
    result = _read_return(path, corpus_bloc())
    assert result.ok or any(p.is_error for p in result.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(["I.1", "I.2", "II.1", "II.2", "III.1", "IV.1"]), CELL_CONTENT,
                              max_size=6),
       note=st.one_of(st.none(), CELL_TEXT))
def test_random_typed_contents_never_crash_the_reader(forms, tmp_path, values, note):
    path = tmp_path / "typed.xlsx"
    filled(values, {"I.1": note})(forms, path)
    result = _read_return(path, corpus_bloc())
    assert result.ok or any(p.is_error for p in result.problems)
    if result.ok:
        assert all(v >= 0 for v in result.submission.values.values())


def test_a_feedback_workbook_can_be_written_for_every_bad_return(corpus, tmp_path):
    bloc = corpus_bloc()
    for name, path in corpus.items():
        result = read_return(path, bloc)
        if not result.problems:
            continue
        out = write_feedback(tmp_path / f"phan-hoi-{name}.xlsx", result.problems, path)
        wb = openpyxl.load_workbook(out)
        listed = [row[5] for row in wb[TR.FEEDBACK_SHEET].iter_rows(min_row=5, values_only=True)]
        assert sorted(listed) == sorted(p.code for p in result.problems), name
        readable = not any(p.code.startswith("file.") and p.is_error for p in result.problems)
        assert (T.FORM_SHEET in wb.sheetnames) == (readable and _has_form_sheet(path)), name


def _has_form_sheet(path: Path) -> bool:
    book = open_workbook(path)
    try:
        return T.FORM_SHEET in book.sheet_names
    finally:
        book.close()
