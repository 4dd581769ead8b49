"""Start-up: `thidua --help` and `thidua check` of one file import no heavy library (issue 20).

Not timed (times drift with the machine): the modules a fresh `python -X importtime -m toolkit` loads
are listed, and pandas, numpy, openpyxl, xlwings and XlsxWriter must not be among them (the chair's
workbook is read by toolkit.xlsx, not openpyxl). The bench (bench/run.py) measures what the gain is worth.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.bloc import DEFAULT_BLOC, builtin_bloc
from toolkit.demo import fill_demo_returns, strength_order
from toolkit.folder import init_folder, make_forms

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"pandas", "numpy", "openpyxl", "xlwings", "xlsxwriter"}


def imported(*args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run `python -X importtime -m toolkit *args` fresh; its result and the top-level packages loaded."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "toolkit", *args], env=env,
                          capture_output=True, text=True, timeout=120)
    names = {line.split("|")[-1].strip().split(".")[0]
             for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "toolkit" in names, done.stderr[-2000:]  # the listing itself works
    return done, names


@pytest.fixture(scope="module")
def one_return(tmp_path_factory) -> Path:
    """A bloc folder (default bloc, plain chair's workbook) with one valid return in nhan/."""
    folder = tmp_path_factory.mktemp("bloc")
    bloc = builtin_bloc(DEFAULT_BLOC)
    init_folder(folder, bloc)
    forms = make_forms(folder, bloc)
    [path] = fill_demo_returns(bloc, forms[:1], folder / "nhan")
    return path


@pytest.fixture(scope="module")
def clean_bloc(tmp_path_factory) -> Path:
    """The demo's bloc folder (khoi.xlsm) with every unit's return valid: nothing to feed back."""
    folder = tmp_path_factory.mktemp("clean")
    bloc = builtin_bloc(DEFAULT_BLOC)
    init_folder(folder, bloc, macros=True)
    forms = make_forms(folder, bloc)
    weakest = strength_order(bloc)[-1]  # the demo's one return typed with a decimal comma gets feedback
    for member, path in zip(bloc.members, fill_demo_returns(bloc, forms, folder / "nhan")):
        if member.code == weakest:
            path.unlink()
    return folder


def test_help_imports_no_heavy_library():
    done, names = imported("--help")
    assert done.returncode == 0 and "consolidate" in done.stdout
    assert not names & HEAVY, sorted(names & HEAVY)


def test_check_of_one_file_imports_no_heavy_library(one_return):
    done, names = imported("check", str(one_return))
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "1/1" in done.stdout  # the file was really read and found valid
    assert not names & HEAVY, sorted(names & HEAVY)


def test_the_listing_sees_a_heavy_import(one_return):
    """The probe itself: consolidating does load pandas, and the listing shows it."""
    done, names = imported("consolidate", str(one_return.parent.parent))
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert {"pandas", "xlsxwriter"} <= names


def test_consolidate_of_a_bloc_folder_skips_the_province_module(one_return):
    """A folder with a chair's workbook is one bloc: the province module (its summary and process
    pool) is not imported to find that out."""
    done, _ = imported("consolidate", str(one_return.parent.parent))
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    modules = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "toolkit.folder" in modules  # the listing names submodules
    assert "toolkit.province" not in modules


def test_consolidate_of_a_clean_bloc_does_not_import_openpyxl(clean_bloc):
    """The chair's workbook is read by toolkit.xlsx (toolkit.xlsxrows), feedback workbooks are only
    written for returns with problems and earlier summaries only read when there are some: consolidating
    a clean bloc never loads openpyxl."""
    done, names = imported("consolidate", str(clean_bloc))
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "Bảng tổng hợp" in done.stdout and not any((clean_bloc / "ket-qua").rglob("phan-hoi*/*"))
    assert "openpyxl" not in names
