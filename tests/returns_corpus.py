"""Builders of damaged returns for the corpus tests: each takes a freshly generated and filled form and
writes a damaged copy, the way units damage them (openpyxl edits, zip/XML edits, raw bytes)."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Callable

import openpyxl

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.bloc import CriteriaTree
from toolkit.demo import fill_form
from toolkit.forms.layout import COL_EVIDENCE, COL_INPUT, form_layout

SHEET_PART = "xl/worksheets/sheet1.xml"  # the form sheet: written first by the form writer
GOOD_VALUES = {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1}
GOOD_EVIDENCE = {"I.1": "Báo cáo số 12/BC-UBND ngày 05/12/2026 của Sở Tài chính"}
Damage = Callable[[Path, Path], None]


def corpus_bloc(**overrides):
    """The small bloc with evidence required on I.1 (so missing evidence can be tested)."""
    bloc = small_bloc(**overrides)
    items = tuple(dataclasses.replace(c, evidence_required=True) if c.code == "I.1" else c
                  for c in bloc.criteria)
    return dataclasses.replace(bloc, criteria=CriteriaTree(items))


LAYOUT = form_layout(corpus_bloc().criteria)


def cell(column: str, code: str) -> str:
    return LAYOUT.cell(column, code)


def filled(values: dict | None = None, evidence: dict | None = None, *, form: str = "A") -> Callable:
    """A damage that fills the blank form of unit `form` with the good inputs, some replaced."""
    def damage(forms: dict[str, Path], dst: Path) -> None:
        fill_form(forms[form], dst, corpus_bloc(), {**GOOD_VALUES, **(values or {})},
                  {**GOOD_EVIDENCE, **(evidence or {})})
    return damage


def edit(fn: Callable) -> Callable:
    """A damage made with openpyxl on the good return: fn(workbook, form sheet)."""
    def damage(forms: dict[str, Path], dst: Path) -> None:
        filled()(forms, dst)
        wb = openpyxl.load_workbook(dst)
        fn(wb, wb[T.FORM_SHEET])
        wb.save(dst)
    return damage


def zipped(fn: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Callable:
    """A damage on the parts of the good return's zip: fn(parts) -> parts."""
    def damage(forms: dict[str, Path], dst: Path) -> None:
        filled()(forms, dst)
        with zipfile.ZipFile(dst) as zf:
            parts = {name: zf.read(name) for name in zf.namelist()}
        write_zip(dst, fn(parts))
    return damage


def raw(fn: Callable[[bytes], bytes]) -> Callable:
    """A damage on the good return's bytes."""
    def damage(forms: dict[str, Path], dst: Path) -> None:
        filled()(forms, dst)
        dst.write_bytes(fn(dst.read_bytes()))
    return damage


def write_zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


def replace_part(name: str, data: bytes) -> Callable:
    return zipped(lambda parts: {**parts, name: data})


def set_saved(path: Path, when: datetime, revision: int | None = None) -> None:
    """Set the form's own save time (and revision) in docProps/core.xml, as the saving program does."""
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    core = parts["docProps/core.xml"].decode()
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    core = re.sub(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)", rf"\g<1>{stamp}\g<2>", core)
    if revision is not None:
        core = re.sub(r"<cp:revision>[^<]*</cp:revision>", "", core)
        core = core.replace("</cp:coreProperties>", f"<cp:revision>{revision}</cp:revision></cp:coreProperties>")
    parts["docProps/core.xml"] = core.encode()
    write_zip(path, parts)


def set_text(ref: str, value: str) -> Callable:
    """Type `value` as a text cell (a leading '=' stays text, as Excel's ' prefix does)."""
    def fn(wb, ws):
        ws[ref] = value
        ws[ref].data_type = "s"
    return fn


def input_cell(code: str) -> str:
    return cell(COL_INPUT, code)


def evidence_cell(code: str) -> str:
    return cell(COL_EVIDENCE, code)
