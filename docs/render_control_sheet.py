"""Render docs/images/control-sheet.png: the chair's control sheet after a click on the button.

Developer tool, run from the repository root with LibreOffice installed:
    XLWINGS_LICENSE_KEY=noncommercial python docs/render_control_sheet.py
It runs `thidua demo`, runs the button's entry point on xlwings' remote engine, has LibreOffice type the
values the button sent back into a copy of khoi.xlsm, exports the control sheet to PDF and crops page 1.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl.utils import get_column_letter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.button_json import remote_book  # noqa: E402
from toolkit import office  # noqa: E402
from toolkit import texts as T  # noqa: E402
from toolkit.cli import main  # noqa: E402
from toolkit.excel.button import run  # noqa: E402

TARGET = Path(__file__).with_name("images") / "control-sheet.png"


def sent_values(book) -> dict[str, object]:
    """Cell -> value of every setValues action, the last write winning."""
    cells = {}
    for action in book.json()["actions"]:
        if action["func"] == "setValues":
            for i, row in enumerate(action["values"]):
                for j, value in enumerate(row):
                    col = get_column_letter(action["start_column"] + j + 1)
                    cells[f"{col}{action['start_row'] + i + 1}"] = value
    return cells


def render() -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "thidua-demo"
        result = CliRunner().invoke(main, ["demo", str(folder)])
        assert result.exit_code == 0, result.output
        book = remote_book(folder / "khoi.xlsm")
        run(book, folder)
        filled = office.fill(folder / "khoi.xlsm", Path(tmp) / "filled.xlsx",
                             {T.button.SHEET_CONTROL: sent_values(book)})
        pdf = office.to_pdf(filled, Path(tmp) / "control.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-x", "50", "-y", "50",
                        "-W", "1220", "-H", "420", "-singlefile", pdf, TARGET.with_suffix("")], check=True)
    return TARGET


if __name__ == "__main__":
    print(render())
