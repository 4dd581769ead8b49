"""workbooks/ (issue 18): the ready-made workbooks are exactly what the code writes today. After an intended
change of a workbook, regenerate them (`python3 workbooks/make.py`), look at them and commit them."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from toolkit.bloc import BUILTIN_BLOCS, builtin_bloc
from toolkit.chairbook import load_bloc
from toolkit.history import read_summary

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


def _make():
    spec = importlib.util.spec_from_file_location("workbooks_make", WORKBOOKS / "make.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_workbooks_folder_is_exactly_what_the_code_writes(tmp_path):
    written = _make().write_workbooks(tmp_path)
    committed = sorted(p.name for p in WORKBOOKS.glob("*.xlsx"))
    assert sorted(p.name for p in written) == committed
    drifted = [p.name for p in written if p.read_bytes() != (WORKBOOKS / p.name).read_bytes()]
    assert not drifted, f"run python3 workbooks/make.py and commit: {drifted}"


def test_the_workbooks_are_the_blocs_and_a_complete_demo():
    assert {f"khoi-{name}.xlsx" for name in BUILTIN_BLOCS} | {"khoi-trong.xlsx"} <= \
        {p.name for p in WORKBOOKS.glob("*.xlsx")}
    for name in BUILTIN_BLOCS:
        assert load_bloc(WORKBOOKS / f"khoi-{name}.xlsx") == builtin_bloc(name)
    period, rows = read_summary(WORKBOOKS / "tong-hop-mau.xlsx")
    assert period == "2026-tong-ket" and len(rows) == len(builtin_bloc().members)  # every form counted
