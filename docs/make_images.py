"""Regenerate the README pictures: a filled form, the unit's feedback page and the summary, printed by
the real LibreOffice.

    python docs/make_images.py            # writes docs/images/*.png
    python docs/make_images.py OUT_DIR

Needs LibreOffice (soffice, python3-uno) and poppler-utils (pdftoppm, pdftotext). One soffice start.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's toolkit, not an installed one

from toolkit import office  # noqa: E402
from toolkit import texts as T  # noqa: E402
from toolkit.bloc import builtin_bloc  # noqa: E402
from toolkit.demo import fill_demo  # noqa: E402
from toolkit.folder import consolidate, init_folder, make_forms  # noqa: E402

BLOC = "dien-bien"
DPI = 100
FOOTER = 0.9  # text below this share of the page height is the footer ("Trang n/N")
MARGIN = 18  # points of paper kept below the content
IMAGES = Path(__file__).with_name("images")


def page_with(pdf: Path, text: str) -> int:
    """1-based number of the first page of `pdf` whose text contains `text`."""
    pages = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    for number, page in enumerate(pages.split("\f"), start=1):
        if text in page:
            return number
    raise ValueError(f"{text!r} is on no page of {pdf}")


def content_bottom(pdf: Path, page: int) -> float:
    """Where the last text above the page footer ends on `page` of `pdf`, in points from the top."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), pdf, "-"],
                          capture_output=True, text=True, check=True).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', html).group(1))
    bottoms = [float(y) for y in re.findall(r'<word [^>]*yMax="([\d.]+)"', html)]
    return max((y for y in bottoms if y < FOOTER * height), default=height)


def render(pdf: Path, page: int, png: Path) -> Path:
    """Page `page` of `pdf` as `png`, cut below its content (the page footer and blank paper left out)."""
    height = round((content_bottom(pdf, page) + MARGIN) * DPI / 72)
    subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                    "-y", "0", "-H", str(height), "-x", "0", "-W", "100000", pdf, png.with_suffix("")],
                   check=True, capture_output=True)
    return png


def make_images(out_dir: Path = IMAGES) -> list[Path]:
    """Write form.png, feedback.png, summary.png and chart.png into out_dir; return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="thidua-images-") as tmp:
        folder = Path(tmp) / "khoi"
        bloc = builtin_bloc(BLOC)
        init_folder(folder, bloc)
        returned = fill_demo(folder, bloc, make_forms(folder, bloc))
        done = consolidate(folder, bloc)
        [feedback] = done.feedback_paths  # the demo's one return with a warning
        pdfs = {name: Path(tmp, f"{name}.pdf") for name in ("form", "feedback", "summary")}
        results = office.run_jobs([{"type": "pdf", "src": returned[0], "dst": pdfs["form"]},
                                   {"type": "pdf", "src": feedback, "dst": pdfs["feedback"],
                                    "sheet": T.returns.FEEDBACK_SHEET},
                                   {"type": "pdf", "src": done.summary_path, "dst": pdfs["summary"]}])
        failed = [r["error"] for r in results if not r["ok"]]
        if failed:
            raise office.OfficeError("; ".join(failed))
        wanted = {"form": (pdfs["form"], 1), "feedback": (pdfs["feedback"], 1), "summary": (pdfs["summary"], 1),
                  "chart": (pdfs["summary"], page_with(pdfs["summary"], T.summary.CHART_TITLE))}
        return [render(pdf, page, out_dir / f"{name}.png") for name, (pdf, page) in wanted.items()]


if __name__ == "__main__":
    for path in make_images(Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES):
        print(path, f"{path.stat().st_size // 1024} KB")
