"""Every sheet of every workbook thidua writes for a seed bloc, printed by the real LibreOffice to PDF
(issue 19): Times New Roman (or its metric twin Liberation Serif) only, the page width fitted (one page
across: every page holds the sheet's first column), no title cut, and at most a stated number of pages."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.readable_scenario import BROKEN_BLOC, seed_province, visible_sheets, written_workbooks
from toolkit import office
from toolkit import texts as T
from toolkit.texts import province as TP

SERIF = {"TimesNewRoman", "LiberationSerif"}
MAX_PAGES = 2  # per sheet, for the seed bloc (six units)


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str], Path]:
    root = tmp_path_factory.mktemp("readable")
    folder = seed_province(root)
    jobs = [{"type": "pdf", "src": path, "dst": root / f"{kind}-{i}.pdf", "sheet": sheet}
            for kind, path in written_workbooks(folder).items() for i, sheet in enumerate(visible_sheets(path))]
    results = office.run_jobs(jobs)
    assert all(r["ok"] for r in results), [r.get("error") for r in results]
    return {(Path(j["dst"]).stem.rsplit("-", 1)[0], j["sheet"]): Path(j["dst"]) for j in jobs}


def _fonts(pdf: Path) -> set[str]:
    lines = subprocess.run(["pdffonts", pdf], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1].split("-")[0].split(",")[0] for line in lines}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.mark.office
def test_every_workbook_and_sheet_is_printed(printed):
    kinds = {kind for kind, _ in printed}
    assert {"chair", "form", "peer", "summary", "feedback-0", "feedback-1", "province", "unit-result"} <= kinds
    assert ("chair", T.seal.LEDGER_SHEET) in printed and ("summary", T.intake.STATUS_SHEET) in printed
    assert ("summary", T.summary.HISTORY_SHEET) in printed


@pytest.mark.office
def test_every_sheet_prints_in_times_new_roman(printed):
    wrong = {}
    for key, pdf in printed.items():
        if not _fonts(pdf) or _fonts(pdf) - SERIF:
            wrong[key] = _fonts(pdf)
    assert not wrong


@pytest.mark.office
def test_the_status_sheet_and_the_province_summary_print_with_every_section_filled(printed):
    status = " ".join(" ".join(_pages(printed[("summary", T.intake.STATUS_SHEET)])).split())
    for text in (T.intake.LATE, T.intake.STATE["missing"], T.intake.STATE["not_counted"], "0-ban-dau-"):
        assert text in status, text
    province = " ".join(" ".join(_pages(printed[("province", TP.SHEET)])).split())
    for text in (BROKEN_BLOC, TP.CANDIDATES_TITLE, TP.GOV_FLAG_YES, "Hội Cựu chiến binh tỉnh"):
        assert text in province, text


@pytest.mark.office
def test_every_sheet_fits_the_page_width_within_the_page_bound(printed):
    for key, pdf in printed.items():
        pages = _pages(pdf)
        assert 1 <= len(pages) <= MAX_PAGES, (key, len(pages))
        first = pages[0].strip().split()[0]
        # a page of overflow columns would lack the first page's first word (a title or a header
        # printed on every page); with one page across, every page starts like the first
        if len(pages) > 1:
            assert all(first in page for page in pages), key


@pytest.mark.office
def test_the_feedback_page_is_one_a4_landscape_page_with_its_title_whole(printed):
    pdf = printed[("feedback-0", T.returns.FEEDBACK_SHEET)]
    info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.3" in info or "842 x 595" in info  # A4 landscape
    page = " ".join(_pages(pdf)[0].split())
    assert len(_pages(pdf)) == 1
    assert T.returns.FEEDBACK_BAD.split(". ")[-1] in page  # the verdict line ends whole
    assert T.returns.FEEDBACK_COLUMNS[4] in page and "value.not_number" in page


@pytest.mark.office
def test_a_units_result_prints_its_facts_on_one_a4_portrait_page_and_each_table_on_one_page(printed):
    """The reviewed unit of the seed bloc (its ~25 criteria, one review with both rounds): one page each."""
    U = T.unit_result
    facts = printed[("unit-result", U.RESULT_SHEET)]
    info = subprocess.run(["pdfinfo", facts], capture_output=True, text=True, check=True).stdout
    width, height = (round(float(x)) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (width, height) == (595, 842)  # A4 portrait
    page = " ".join(" ".join(_pages(facts)).split())
    assert U.TITLE in page and U.FACTS["note"] in page and T.SIGN_CHAIR["khoi"][1] in page
    for sheet in (U.RESULT_SHEET, U.SCORES_SHEET, U.REVIEW_SHEET):
        assert len(_pages(printed[("unit-result", sheet)])) == 1, sheet
    review = " ".join(" ".join(_pages(printed[("unit-result", U.REVIEW_SHEET)])).split())
    assert "Đơn vị bổ sung biên bản kiểm tra" in review and "Chấp nhận một phần" in review
