"""Issue 14 through the real writers: sealed forms filled and saved by LibreOffice (and Gnumeric's
ssconvert when installed) still verify; forgeries saved by LibreOffice are rejected with their message."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import small_bloc
from tests.seal_helpers import HONEST, forge, issued_to_other, meta_of, not_issued, seal_invalid
from toolkit import office
from toolkit import texts as T
from toolkit.bloc import BUILTIN_BLOCS, builtin_bloc
from toolkit.chairbook.ledger import read_ledger
from toolkit.demo import fill_demo_returns
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.seal import folder_custody
from toolkit.forms import form_layout
from toolkit.forms.layout import COL_INPUT
from toolkit.returns import collect_returns

pytestmark = pytest.mark.office
CUSTODY_ERRORS = {"form.not_issued", "form.issued_to_other", "form.seal_invalid"}


def _fill_job(bloc, form: Path, dst: Path, unit: str) -> dict:
    layout = form_layout(bloc.criteria)
    cells = {layout.cell(COL_INPUT, code): value for code, value in HONEST[unit].items()}
    return {"type": "fill", "src": str(form), "dst": str(dst), "cells": {T.FORM_SHEET: cells}}


def _recalc(src: Path, dst: Path) -> dict:
    return {"type": "recalc", "src": str(src), "dst": str(dst)}


@pytest.fixture(scope="module")
def office_world(tmp_path_factory, soffice):
    """A bloc folder (khoi.xlsm) whose units filled their forms in LibreOffice, another chair's folder
    of the same bloc, and every seed bloc's returns opened and saved by LibreOffice: one soffice start."""
    root = tmp_path_factory.mktemp("seal-lo")
    bloc = small_bloc()
    here, other = root / "here", root / "other"
    for folder in (here, other):
        init_folder(folder, bloc, macros=True)
    forms = make_forms(here, bloc)
    jobs = [_fill_job(bloc, f, here / "nhan" / f.name, m.code) for m, f in zip(bloc.members, forms)]
    stray = root / "stray" / "01-a-an.xlsx"
    jobs.append(_fill_job(bloc, make_forms(other, bloc)[0], stray, "A"))
    jobs.append({"type": "values", "src": str(here / "khoi.xlsm"), "sheets": [T.seal.LEDGER_SHEET]})
    seeds = {}
    for name in sorted(BUILTIN_BLOCS):
        folder = root / name
        seed = builtin_bloc(name)
        init_folder(folder, seed, macros=True)
        typed = fill_demo_returns(seed, make_forms(folder, seed), root / f"{name}-openpyxl")
        jobs += [_recalc(p, folder / "nhan" / p.name) for p in typed]
        seeds[name] = (folder, seed)
    results = office.run_jobs(jobs)
    assert all(r["ok"] for r in results), [r for r in results if not r["ok"]]
    return bloc, here, stray, results[len(bloc.members) + 1], seeds


def test_libreoffice_filled_sealed_forms_are_counted_without_custody_problems(office_world):
    bloc, here, *_ = office_world
    result = consolidate(here, bloc)
    assert set(result.returns.submissions) == {"A", "B", "C"}
    assert [p.message for p in result.problems if p.code.startswith(("form.", "returns."))] == []


def test_libreoffice_reads_the_ledger_sheet_of_the_xlsm(office_world):
    _, here, _, ledger_values, _ = office_world
    cells = ledger_values["values"][T.seal.LEDGER_SHEET]
    ledger = read_ledger(here / "khoi.xlsm")
    assert cells["D2"] == ledger[0].form_id and cells["B4"] == "C" and cells["A1"] == "STT"


@pytest.mark.parametrize("name", sorted(BUILTIN_BLOCS))
def test_every_seed_blocs_returns_saved_by_libreoffice_verify(office_world, name):
    folder, seed = office_world[4][name]
    result = consolidate(folder, seed)
    assert set(result.returns.submissions) == {m.code for m in seed.members}
    assert not [p for p in result.problems if p.code in CUSTODY_ERRORS | {"returns.no_ledger"}]


def test_forgeries_saved_by_libreoffice_are_rejected_with_their_message(office_world, tmp_path):
    bloc, here, stray, *_ = office_world
    own = here / "nhan" / "03-c-cuong.xlsx"
    own_id, rival_id = meta_of(own)["form_id"], meta_of(here / "nhan" / "01-a-an.xlsx")["form_id"]
    made = tmp_path / "openpyxl"
    variants = {
        "full.xlsx": (forge(own, made / "full.xlsx", bloc, "A"), issued_to_other("Đơn vị An", own_id, "Đơn vị Cường")),
        "sheet.xlsx": (forge(own, made / "sheet.xlsx", bloc, "A", props=False),
                       issued_to_other("Đơn vị An", own_id, "Đơn vị Cường")),
        "props.xlsx": (forge(own, made / "props.xlsx", bloc, "A", delete_sheet=True),
                       issued_to_other("Đơn vị An", own_id, "Đơn vị Cường")),
        "rival-id.xlsx": (forge(own, made / "rival-id.xlsx", bloc, "A", form_id=rival_id), seal_invalid("Đơn vị An")),
        "other-bloc.xlsx": (stray, not_issued("Đơn vị An", meta_of(stray)["form_id"])),
    }
    saved = tmp_path / "libreoffice"
    results = office.run_jobs([_recalc(src, saved / name) for name, (src, _) in variants.items()])
    assert all(r["ok"] for r in results), results
    custody = folder_custody(here)
    for folder in (made, saved):
        files = [folder / n if (folder / n).exists() else src for n, (src, _) in variants.items()]
        returns = collect_returns(files, bloc, custody=custody, folder=here)
        for (name, (_, message)), r in zip(variants.items(), returns.results):
            assert [p.message for p in r.problems if p.is_error] == [message], (folder.name, name)
        assert returns.submissions == {}


@pytest.mark.skipif(shutil.which("ssconvert") is None, reason="Gnumeric's ssconvert is not installed")
def test_gnumeric_saved_sealed_forms_verify(office_world, tmp_path):
    bloc, here, *_ = office_world
    converted = []
    for src in sorted((here / "nhan").glob("*.xlsx")):
        dst = tmp_path / src.name
        subprocess.run(["ssconvert", str(src), str(dst)], check=True, capture_output=True, timeout=120)
        converted.append(dst)
    returns = collect_returns(converted, bloc, custody=folder_custody(here), folder=here)
    assert set(returns.submissions) == {"A", "B", "C"}
    assert [p.message for p in returns.all_problems() if p.is_error] == []
