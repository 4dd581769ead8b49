"""The chair's click, timed: the button's whole path for a 20-unit bloc, measured as whole processes.

One click of "Tổng hợp và xếp hạng" is: an interpreter starts, imports xlwings and the entry point,
reads the control sheet, reads the 20 returns, ranks them, writes the summary and the feedback, and
writes the status and the ranking back into the workbook. Here the workbook is xlwings' remote engine
(`xw.Book(json=...)`, the book as Excel's add-in sends it) — there is no Excel on Linux, so Excel's own
part of a click (RunPython starting python.exe over COM) is not in these figures.

Each figure is the fastest of several runs and is printed beside a bare `python3 -c pass` measured in
the same run:  python3 bench/button.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.dataset import bench_bloc, fill_fast, unit_inputs  # noqa: E402
from bench.speed import best_time, environment  # noqa: E402
from tests.button_json import book_json  # noqa: E402
from toolkit import texts as T  # noqa: E402
from toolkit.chairbook.control import CONTROL_ROWS  # noqa: E402
from toolkit.folder import init_folder, make_forms  # noqa: E402
from toolkit.paths import BlocFolder  # noqa: E402

UNITS = 20
CLICK = """
import json, os, sys
from pathlib import Path
os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"   # xlwings' remote engine (PolyForm Noncommercial)
import xlwings as xw
book = xw.Book(json=json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
from toolkit.excel.button import run
print(run(book, Path(sys.argv[2])).status)
"""


def bloc_folder(work: Path) -> tuple[Path, Path]:
    """A 20-unit bloc folder made as the chair makes it (init, forms), every return in nhan/, and the
    JSON of its workbook with "Tổng hợp và xếp hạng" chosen on the control sheet."""
    bloc = bench_bloc(UNITS, name="Khối thi đua đo nút bấm")
    folder = work / "khoi"
    workbook = init_folder(folder, bloc, macros=True)
    where = BlocFolder.at(folder)
    for form, member in zip(make_forms(folder, bloc), bloc.members):
        values, evidence = unit_inputs(bloc, member)
        fill_fast(form, where.inbox / form.name, bloc, values, evidence)
    action_cell = f"B{CONTROL_ROWS['action'] + 1}"
    book = book_json(workbook, {T.button.SHEET_CONTROL: {action_cell: T.button.ACTIONS["consolidate"]}})
    path = work / "book.json"
    path.write_text(json.dumps(book, ensure_ascii=False), encoding="utf-8")
    return folder, path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    env = environment()
    with tempfile.TemporaryDirectory(prefix="thidua-button-") as tmp:
        folder, book = bloc_folder(Path(tmp))
        click = [sys.executable, "-c", CLICK, str(book), str(folder)]
        status = subprocess.run(click, env=env, capture_output=True, text=True, check=True).stdout.strip()
        expected = T.button.DONE_CONSOLIDATE.split("{")[0]
        if not status.startswith(expected) or f"{UNITS}/{UNITS}" not in status:
            sys.exit(f"the click did not rank the bloc: {status!r}")
        bare = best_time([sys.executable, "-c", "pass"], env, runs)
        figures = {
            "bare interpreter": bare,
            "import xlwings (any RunPython click)": best_time([sys.executable, "-c", "import xlwings"], env, runs),
            "import the entry point": best_time([sys.executable, "-c", "import toolkit.excel.button"], env, runs),
            f"whole click, {UNITS} units (read, rank, write, status back)": best_time(click, env, runs),
        }
    print(f"status written back: {status}")
    for label, seconds in figures.items():
        print(f"{label:<62} {seconds * 1000:8.0f} ms  {seconds / bare:6.1f}x bare")


if __name__ == "__main__":
    main()
