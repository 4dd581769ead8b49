"""Peer-scoring forms: generated per unit, filled like a unit (LibreOffice, openpyxl), read back
into cross scores, and used by consolidate when the bloc cross-scores."""

from __future__ import annotations

import dataclasses
import zipfile

import openpyxl
import pytest

from tests.helpers import small_bloc
from tests.returns_corpus import write_zip
from tests.rules_helpers import six_bloc
from toolkit import office
from toolkit import texts as T
from toolkit.demo import fill_form
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.meeting.model import CrossScore
from toolkit.peer import generate_peer_forms, peer_form_filename, read_peer_forms
from toolkit.paths import PEER_DIR
from toolkit.texts import returns as TR

R = T.rules
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
LAUGHS = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">'
          f'<!ENTITY c "&b;&b;&b;&b;&b;&b;">]><worksheet {NS}><sheetData><row r="2"><c r="A2" t="inlineStr">'
          f'<is><t>&c;</t></is></c></row></sheetData></worksheet>').encode()


def type_into(src, dst, cells: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(src)
    for cell, value in cells.items():
        wb[R.SHEET_CROSS][cell] = value
    wb.save(dst)


def test_a_peer_form_lists_every_other_unit_and_base_leaf_with_only_scores_editable(tmp_path):
    bloc = six_bloc(cross_scoring=True)
    paths = generate_peer_forms(bloc, tmp_path)
    assert [p.name for p in paths] == [peer_form_filename(m) for m in bloc.members]
    ws = openpyxl.load_workbook(paths[0])[R.SHEET_CROSS]
    rows = [[c.value for c in row][:5] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 5 * 3 and rows[0] == ["U1", "U2", "I.1", None, 10]
    assert {r[1] for r in rows} == {"U2", "U3", "U4", "U5", "U6"}
    assert ws.protection.sheet and ws["D2"].protection.locked is False and ws["A2"].protection.locked
    totals = generate_peer_forms(bloc, tmp_path / "tong", total_only=True)
    rows = [[c.value for c in row][:5] for row in openpyxl.load_workbook(totals[0])[R.SHEET_CROSS].iter_rows(min_row=2)]
    assert rows[0] == ["U1", "U2", R.CROSS_TOTAL, None, 30] and len(rows) == 5


@pytest.mark.office
def test_a_peer_form_filled_in_libreoffice_reads_back_and_locked_cells_refuse_input(soffice, tmp_path):
    bloc = six_bloc(cross_scoring=True)
    form = generate_peer_forms(bloc, tmp_path / "phieu")[1]                 # scored by U2
    results = office.run_jobs([
        {"type": "fill", "src": form, "dst": tmp_path / "ok.xlsx", "cells": {R.SHEET_CROSS: {"D2": 8, "D3": 9.5}}},
        {"type": "fill", "src": form, "dst": tmp_path / "no.xlsx", "cells": {R.SHEET_CROSS: {"A2": "U3"}}},
    ])
    assert results[0]["ok"] and not results[1]["ok"] and "locked" in results[1]["error"]
    meeting = read_peer_forms([tmp_path / "ok.xlsx"], bloc)
    assert meeting.cross == [CrossScore("U2", "U1", "I.1", 8.0), CrossScore("U2", "U1", "II.1", 9.5)]
    assert meeting.problems == []


def test_foreign_files_and_rows_in_another_units_name_are_reported(tmp_path):
    bloc = six_bloc(cross_scoring=True)
    form = generate_peer_forms(bloc, tmp_path)[2]                            # scored by U3
    type_into(form, tmp_path / "sua.xlsx", {"D2": 7, "A3": "U4", "D3": 10})
    other = generate_peer_forms(dataclasses.replace(bloc, year=2025), tmp_path / "cu")[0]
    meeting = read_peer_forms([tmp_path / "sua.xlsx", other, tmp_path / "khong-co.xlsx"], bloc)
    assert meeting.cross == [CrossScore("U3", "U1", "I.1", 7.0)]
    assert [(p.code, p.file) for p in meeting.problems] == [
        ("peer.other_scorer", "sua.xlsx"), ("peer.other_bloc", other.name), ("file.unreadable", "khong-co.xlsx")]


def test_consolidate_uses_returned_peer_forms_when_the_bloc_cross_scores(tmp_path):
    bloc = small_bloc()
    bloc = dataclasses.replace(bloc, rules=dataclasses.replace(bloc.rules, cross_scoring=True, weight_cross=1))
    init_folder(tmp_path, bloc)
    forms = make_forms(tmp_path, bloc)
    peer_forms = sorted((tmp_path / "phieu" / PEER_DIR).iterdir())
    assert [p.name for p in peer_forms] == sorted(peer_form_filename(m) for m in bloc.members)
    inputs = {"A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
              "B": {"I.1": 100, "I.2": 8, "II.1": T.FAIL, "II.2": 3, "III.1": 1, "IV.1": 0},
              "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0}}
    for m, form in zip(bloc.members, forms):
        fill_form(form, tmp_path / "nhan" / form_filename(m), bloc, inputs[m.code])
    returned = tmp_path / "nhan" / PEER_DIR
    returned.mkdir()
    by_unit = dict(zip((m.code for m in bloc.members), (tmp_path / "phieu" / PEER_DIR / peer_form_filename(m)
                                                          for m in bloc.members)))
    type_into(by_unit["B"], returned / "b.xlsx", {"D3": 7})                   # B scores A's I.2: 7
    type_into(by_unit["C"], returned / "c.xlsx", {"D3": 8})                   # C scores A's I.2: 8
    result = consolidate(tmp_path, bloc)
    ranking = result.ranking
    # A's I.2: self 9.5, cross mean(7, 8) = 7.5, final (9.5 + 7.5) / 2 = 8.5 -> total 30 − 1 = 29
    assert ranking.cross_scores.loc["A", "I.2"] == 7.5 and ranking.leaf_scores.loc["A", "I.2"] == 8.5
    assert ranking.table.loc["A", "total"] == 29 and ranking.table.loc["B", "total"] == 21
    assert ranking.cross.loc["A", "peers"] == 2 and not result.problems


def _damaged(form, dst, fn) -> None:
    """`form` with its zip parts changed by fn(parts) -> parts."""
    with zipfile.ZipFile(form) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    write_zip(dst, fn(parts))


def test_hostile_peer_files_are_reported_by_name_and_never_stop_the_others(tmp_path):
    bloc = six_bloc(cross_scoring=True)
    form = generate_peer_forms(bloc, tmp_path / "phieu")[2]                 # scored by U3
    type_into(form, tmp_path / "ok.xlsx", {"D2": 7})
    sheet = "xl/worksheets/sheet1.xml"                                      # the scores sheet, written first
    _damaged(tmp_path / "ok.xlsx", tmp_path / "bom.xlsx", lambda parts: {**parts, sheet: LAUGHS})
    _damaged(tmp_path / "ok.xlsx", tmp_path / "nen.xlsx",
             lambda parts: {**parts, "xl/media/bomb.bin": bytes(40 * 1024 * 1024)})
    data = (tmp_path / "ok.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[:len(data) // 2])
    last = 1_048_576                                                        # a row typed at the sheet's end
    type_into(form, tmp_path / "xa.xlsx", {f"A{last}": "U3", f"B{last}": "U1", f"C{last}": "II.1", f"D{last}": 5})
    names = ["bom.xlsx", "ok.xlsx", "nen.xlsx", "cut.xlsx", "xa.xlsx"]
    meeting = read_peer_forms([tmp_path / n for n in names], bloc)
    assert meeting.cross == [CrossScore("U3", "U1", "I.1", 7.0), CrossScore("U3", "U1", "II.1", 5.0)]
    assert [(p.code, p.file) for p in meeting.problems] == [
        ("file.unsafe", "bom.xlsx"), ("file.unsafe", "nen.xlsx"), ("file.corrupt", "cut.xlsx")]
    assert [p.params["reason"] for p in meeting.problems] == [
        TR.REASONS["xml-entities"], TR.REASONS["zip-bomb"], TR.REASONS["zip"]]


def test_a_workbook_that_is_not_a_peer_form_is_reported_not_read(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["U1", "U2", "I.1", 9])
    wb.save(tmp_path / "bang-tinh.xlsx")
    meeting = read_peer_forms([tmp_path / "bang-tinh.xlsx"], six_bloc(cross_scoring=True))
    assert meeting.cross == []
    assert [(p.code, p.file) for p in meeting.problems] == [("peer.not_a_peer_form", "bang-tinh.xlsx")]
