"""Regenerate the README pictures: a filled form and the summary, printed by the real LibreOffice.

    python docs/make_images.py            # writes docs/images/*.png
    python docs/make_images.py OUT_DIR

Needs LibreOffice (soffice, python3-uno) and poppler-utils (pdftoppm, pdftotext). One soffice start.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's toolkit, not an installed one

from toolkit import office  # noqa: E402
from toolkit import texts as T  # noqa: E402
from toolkit.bloc import builtin_bloc  # noqa: E402
from toolkit.demo import fill_demo  # noqa: E402
from toolkit.folder import INBOX_DIR, consolidate, init_folder, make_forms  # noqa: E402

BLOC = "dien-bien"
DPI = 100
IMAGES = Path(__file__).with_name("images")


def page_with(pdf: Path, text: str) -> int:
    """1-based number of the first page of `pdf` whose text contains `text`."""
    pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    for number, page in enumerate(pages.split("\f"), start=1):
        if text in page:
            return number
    raise ValueError(f"{text!r} is on no page of {pdf}")


def make_images(out_dir: Path = IMAGES) -> list[Path]:
    """Write form.png, summary.png and chart.png into out_dir; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="thidua-images-") as tmp:
        folder = Path(tmp) / "khoi"
        bloc = builtin_bloc(BLOC)
        init_folder(folder, bloc)
        returned = fill_demo(folder, bloc, make_forms(folder, bloc))
        summary = consolidate(folder, bloc).summary_path
        pdfs = {"form": Path(tmp, "form.pdf"), "summary": Path(tmp, "summary.pdf")}
        results = office.run_jobs([{"type": "pdf", "src": returned[0], "dst": pdfs["form"]},
                                   {"type": "pdf", "src": summary, "dst": pdfs["summary"]}])
        failed = [r["error"] for r in results if not r["ok"]]
        if failed:
            raise office.OfficeError("; ".join(failed))
        wanted = {"form": (pdfs["form"], 1), "summary": (pdfs["summary"], 1),
                  "chart": (pdfs["summary"], page_with(pdfs["summary"], T.summary.CHART_TITLE))}
        out = []
        for name, (pdf, page) in wanted.items():
            png = office.pdf_to_png(pdf, Path(tmp, name), dpi=DPI, first_page=page, last_page=page)[0]
            out.append(Path(shutil.copy(png, out_dir / f"{name}.png")))
        return out


if __name__ == "__main__":
    for path in make_images(Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES):
        print(path, f"{path.stat().st_size // 1024} KB")
