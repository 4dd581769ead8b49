"""toolkit.office against the real headless LibreOffice."""

import getpass
import importlib.util
import socket
import re
import sys
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Protection

from toolkit import office

FORM = "Chấm điểm"
SUMMARY = "Tổng hợp"
UNIT = "Văn phòng Đoàn ĐBQH tỉnh Đắk Nông"


def make_form(path: Path) -> Path:
    """A protected scoring sheet with unlocked inputs, plus a hidden summary sheet.

    openpyxl stores formulas without cached values, so any number read back
    was computed by LibreOffice.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = FORM
    ws["A1"], ws["B1"] = "Đơn vị", None
    ws["B2"], ws["B3"] = 10, 20.5
    ws["B4"] = "=SUM(B2:B3)"
    ws["B5"] = "=IF(B4>30,B4*2,0)"
    ws["B6"] = "=B2/0"
    ws["E12"] = 1
    ws["F12"] = "=E12*3+B4"
    ws["C1"] = "=LEN(B1)"
    for cell in ("B1", "E12"):
        ws[cell].protection = Protection(locked=False)
    ws.protection.sheet = True
    ws.protection.password = "thidua"
    summary = wb.create_sheet(SUMMARY)
    summary["A1"] = f"='{FORM}'!F12+1"
    summary.sheet_state = "hidden"
    wb.save(path)
    return path


def with_stale_cache(src: Path, dst: Path) -> Path:
    """Copy src, giving the B4 formula a wrong cached value (999) as a stale file would."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                # an empty cached value: <v /> (openpyxl alone) or <v></v> (openpyxl with lxml)
                stale = re.sub(rb"<f>SUM\(B2:B3\)</f><v ?(?:/>|></v>)", b"<f>SUM(B2:B3)</f><v>999</v>", data)
                assert stale != data, "openpyxl output changed; update with_stale_cache"
                data = stale
            zout.writestr(item, data)
    assert computed(dst, FORM, "B4") == 999
    return dst


def computed(path: Path, sheet: str, cell: str):
    """The cached value LibreOffice stored in an xlsx, read without recalculating."""
    return openpyxl.load_workbook(path, data_only=True)[sheet][cell].value


@pytest.fixture
def form(tmp_path: Path) -> Path:
    return make_form(tmp_path / "form.xlsx")


@pytest.mark.office
def test_recalculate_stores_computed_values(soffice, form, tmp_path):
    assert computed(form, FORM, "B4") is None  # openpyxl wrote no cached value

    out = office.recalculate(form, tmp_path / "out" / "recalc.xlsx")

    assert computed(out, FORM, "B4") == pytest.approx(30.5)
    assert computed(out, FORM, "B5") == pytest.approx(61)
    assert computed(out, FORM, "F12") == pytest.approx(33.5)
    assert computed(out, SUMMARY, "A1") == pytest.approx(34.5)
    assert computed(out, FORM, "B6") == "#DIV/0!"
    kept = openpyxl.load_workbook(out)
    assert kept[FORM]["B4"].value == "=SUM(B2:B3)"
    assert kept[FORM].protection.sheet
    assert kept[SUMMARY].sheet_state == "hidden"


@pytest.mark.office
def test_fill_unlocked_cell_on_protected_sheet_recomputes(soffice, form, tmp_path):
    out = office.fill(form, tmp_path / "filled.xlsx", {FORM: {"E12": 4}})

    assert computed(out, FORM, "E12") == 4
    assert computed(out, FORM, "F12") == pytest.approx(42.5)
    assert computed(out, SUMMARY, "A1") == pytest.approx(43.5)
    wb = openpyxl.load_workbook(out)
    assert wb[FORM].protection.sheet
    assert wb[FORM]["E12"].protection.locked is False


@pytest.mark.office
def test_fill_refuses_locked_cell_like_a_user(soffice, form, tmp_path):
    with pytest.raises(office.OfficeError, match="locked on a protected sheet"):
        office.fill(form, tmp_path / "filled.xlsx", {FORM: {"B2": 99}})
    assert not (tmp_path / "filled.xlsx").exists()


@pytest.mark.office
def test_vietnamese_text_round_trips_nfc(soffice, form, tmp_path):
    assert unicodedata.is_normalized("NFC", UNIT)

    out = office.fill(form, tmp_path / "filled.xlsx", {FORM: {"B1": UNIT}})

    stored = computed(out, FORM, "B1")
    assert stored == UNIT
    assert unicodedata.is_normalized("NFC", stored)
    assert computed(out, FORM, "C1") == len(UNIT)
    assert office.read_values(out, [FORM])["values"][FORM]["B1"] == UNIT


@pytest.mark.office
def test_read_values_recomputes_and_lists_formulas(soffice, form):
    result = office.read_values(form)

    values, formulas = result["values"], result["formulas"]
    assert set(values) == {FORM, SUMMARY}  # hidden sheets included
    assert values[FORM]["B4"] == pytest.approx(30.5)
    assert values[FORM]["F12"] == pytest.approx(33.5)
    assert values[FORM]["B6"] == "#DIV/0!"
    assert values[FORM]["A1"] == "Đơn vị"
    assert "B1" not in values[FORM]  # empty cells are left out
    assert values[SUMMARY] == {"A1": pytest.approx(34.5)}
    assert formulas[FORM]["B5"] == "=IF(B4>30,B4*2,0)"
    assert formulas[SUMMARY]["A1"] == f"='{FORM}'!F12+1"
    assert "B2" not in formulas[FORM]


@pytest.mark.office
def test_to_pdf_renders_pages(soffice, form, tmp_path):
    pdf = office.to_pdf(form, tmp_path / "form.pdf")

    assert pdf.read_bytes().startswith(b"%PDF")
    pages = office.pdf_to_png(pdf, tmp_path / "png", dpi=40, first_page=1, last_page=1)
    assert [page.name for page in pages] == ["form-1.png"]
    assert pages[0].read_bytes().startswith(b"\x89PNG") and pages[0].stat().st_size > 0


@pytest.mark.office
def test_batch_runs_in_one_office_and_reports_errors_per_job(soffice, form, tmp_path):
    jobs = [
        {"type": "fill", "src": form, "dst": tmp_path / "a.xlsx", "cells": {FORM: {"E12": 2, "B1": None}}},
        {"type": "recalc", "src": form, "dst": tmp_path / "b.ods"},
        {"type": "values", "src": form, "sheets": [SUMMARY]},
        {"type": "values", "src": tmp_path / "missing.xlsx"},
        {"type": "fill", "src": form, "dst": tmp_path / "c.xlsx", "cells": {"Không có": {"A1": 1}}},
        {"type": "pdf", "src": form, "dst": tmp_path / "d.pdf"},
    ]

    results = office.run_jobs(jobs)

    assert [r["ok"] for r in results] == [True, True, True, False, False, True]
    assert computed(tmp_path / "a.xlsx", FORM, "F12") == pytest.approx(36.5)
    assert (tmp_path / "b.ods").read_bytes()[:2] == b"PK"
    assert results[2]["values"] == {SUMMARY: {"A1": pytest.approx(34.5)}}
    assert "no such file" in results[3]["error"]
    assert "no sheet named" in results[4]["error"]
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.office
def test_stale_cached_values_are_recomputed(soffice, form, tmp_path):
    stale = with_stale_cache(form, tmp_path / "stale.xlsx")

    results = office.run_jobs(
        [
            {"type": "values", "src": stale, "sheets": [FORM]},
            {"type": "recalc", "src": stale, "dst": tmp_path / "fresh.xlsx"},
        ]
    )

    assert results[0]["values"][FORM]["B4"] == pytest.approx(30.5)
    assert computed(tmp_path / "fresh.xlsx", FORM, "B4") == pytest.approx(30.5)


@pytest.mark.office
def test_stale_lock_file_neither_blocks_nor_is_added(soffice, form, tmp_path):
    lock = tmp_path / f".~lock.{form.name}#"
    # what a killed soffice of this user on this machine leaves behind
    owner = f",{getpass.getuser()},{socket.gethostname()},01.01.2026 08:00,file:///tmp/gone;"
    lock.write_text(owner, encoding="utf-8")

    out = office.fill(form, tmp_path / "filled.xlsx", {FORM: {"E12": 2}})

    assert computed(out, FORM, "F12") == pytest.approx(36.5)
    assert sorted(p.name for p in tmp_path.glob(".~lock*")) == [lock.name]


@pytest.mark.office
def test_timeout_raises_office_error(soffice, form):
    with pytest.raises(office.OfficeError, match="timed out"):
        office.run_jobs([{"type": "values", "src": form}], timeout=0.2)


def test_missing_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(office, "find_office", lambda: None)
    with pytest.raises(office.OfficeError) as raised:
        office.run_jobs([{"type": "values", "src": "x.xlsx"}])
    assert str(raised.value) == office.install_hint()


def test_libreoffice_without_its_python_is_a_clear_error(monkeypatch, tmp_path):
    found = office.OfficeInstall(Path("/bin/false"), tmp_path / "no-python")
    monkeypatch.setattr(office, "find_office", lambda: found)
    with pytest.raises(office.OfficeError, match="python3-uno"):
        office.run_jobs([{"type": "values", "src": "x.xlsx"}])


@pytest.mark.skipif(importlib.util.find_spec("uno") is not None, reason="this Python has uno")
def test_python_without_uno_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(office, "find_office", lambda: office.OfficeInstall(Path("/bin/false"), Path(sys.executable)))
    with pytest.raises(office.OfficeError, match=f"UNO is not importable by {sys.executable}"):
        office.run_jobs([{"type": "values", "src": "x.xlsx"}])


@pytest.mark.office
def test_a_failed_save_leaves_neither_a_partial_file_nor_a_temporary_one(soffice, form, tmp_path):
    out = tmp_path / "out"
    results = office.run_jobs([
        {"type": "save", "src": str(form), "dst": str(out / "bad.xlsx"), "filter": "No Such Filter"},
        {"type": "pdf", "src": str(form), "dst": str(out / "ok.pdf")},
    ])
    assert [r["ok"] for r in results] == [False, True]
    assert sorted(p.name for p in out.iterdir()) == ["ok.pdf"]
