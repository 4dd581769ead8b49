"""The button's Excel route to PDF, through xlwings' own API.

Excel is not available here, so this tests the calls the code makes on xlwings' real classes
(xw.App, xw.Book, Books.open, Book.to_pdf, Book.close, xlwings.utils.to_pdf): a thin fake sits only at
the engine boundary (the `impl` objects xlwings' Windows/macOS engines would provide), records what
xlwings asks of Excel, and writes a PDF where Excel's ExportAsFixedFormat would.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import xlwings as xw

from tests.button_json import remote_book
from tests.test_button_remote import ACTION_CELL, INPUTS, _final_status, bloc_folder, remote_engine  # noqa: F401
from toolkit import texts as T
from toolkit.excel.button import export_pdf, run
from toolkit.excel.excel_pdf import excel_can_print, excel_pdf

B = T.button


class FakeEngine:
    name, type = "excel", "desktop"


class FakeSheet:
    def __init__(self, name: str, index: int):
        self.name, self.index, self.visible = name, index, True


class FakeBook:
    def __init__(self, app: "FakeApp", fullname: str, sheets=("Tổng hợp", "Chi tiết")):
        self.app, self.fullname, self.name = app, fullname, os.path.basename(fullname)
        self.sheets = [FakeSheet(n, i) for i, n in enumerate(sheets, start=1)]

    def to_pdf(self, path, quality):
        self.app.calls.append(("to_pdf", self.fullname, path, quality))
        if self.app.fail:
            raise RuntimeError(self.app.fail)
        Path(path).write_bytes(b"%PDF-1.7 Excel")

    def close(self):
        self.app.calls.append(("close", self.fullname))
        self.app.books.open_books.remove(self)


class FakeBooks:
    def __init__(self, app: "FakeApp"):
        self.app, self.open_books = app, []

    def __iter__(self):
        return iter(list(self.open_books))

    def __len__(self):
        return len(self.open_books)

    def __call__(self, name):
        for b in self.open_books:
            if b.name == name:
                return b
        raise KeyError(name)

    def open(self, fullname, update_links, read_only, *rest):
        self.app.calls.append(("open", fullname, update_links, read_only))
        book = FakeBook(self.app, fullname)
        self.open_books.append(book)
        return book


class FakeApp:
    """The engine-level App (what xlwings wraps in xw.App)."""

    def __init__(self, fail: str = ""):
        self.engine, self.calls, self.fail, self.pid = FakeEngine(), [], fail, 4242
        self.books = FakeBooks(self)


@pytest.fixture
def summary(tmp_path) -> Path:
    path = tmp_path / "ket-qua" / "tong-hop-khoi-2026.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"PK fake workbook")
    return path


def test_excel_opens_the_summary_read_only_prints_it_beside_itself_and_closes_it(summary):
    impl = FakeApp()
    pdf = excel_pdf(xw.App(impl=impl), summary)
    assert pdf == summary.with_suffix(".pdf") and pdf.read_bytes() == b"%PDF-1.7 Excel"
    (opened, _, update_links, read_only), (printed, printed_book, target, quality), closed = impl.calls
    assert (opened, update_links, read_only) == ("open", False, True)
    assert (printed, printed_book, quality) == ("to_pdf", str(summary.resolve()), "standard")
    assert Path(target).parent == summary.parent and target.endswith(".pdf")   # a temporary beside, renamed
    assert closed == ("close", str(summary.resolve()))
    assert sorted(p.name for p in summary.parent.iterdir()) == [pdf.name, summary.name]


def test_a_summary_the_chair_already_has_open_stays_open(summary):
    impl = FakeApp()
    impl.books.open_books.append(FakeBook(impl, str(summary.resolve())))
    excel_pdf(xw.App(impl=impl), summary)
    assert [c[0] for c in impl.calls] == ["to_pdf"]
    assert len(impl.books) == 1


def test_an_excel_failure_leaves_no_pdf_and_no_temporary_file(summary):
    impl = FakeApp(fail="Document not saved")
    with pytest.raises(RuntimeError, match="Document not saved"):
        excel_pdf(xw.App(impl=impl), summary)
    assert [p.name for p in summary.parent.iterdir()] == [summary.name]
    assert impl.calls[-1][0] == "close"


def test_only_a_real_excel_prints_remote_and_reader_engines_do_not(remote_engine, bloc_folder):
    assert excel_can_print(xw.Book(impl=FakeBook(FakeApp(), "khoi.xlsm")))
    assert not excel_can_print(remote_book(bloc_folder / "khoi.xlsm", {}))


def test_the_pdf_action_in_excel_prints_through_excel_without_libreoffice(bloc_folder, monkeypatch):
    from toolkit import office

    monkeypatch.setattr(office, "find_office", lambda: None)              # no LibreOffice on this machine
    impl = FakeApp()
    chair_book = xw.Book(impl=FakeBook(impl, str(bloc_folder / "khoi.xlsm")))
    outcome = export_pdf(bloc_folder / "khoi.xlsm", bloc_folder / "nhan", bloc_folder / "ket-qua", chair_book)
    [pdf] = (bloc_folder / "ket-qua").glob("tong-hop-*.pdf")
    assert outcome.status == B.DONE_PDF.format(pdf=pdf.relative_to(bloc_folder))
    assert pdf.read_bytes() == b"%PDF-1.7 Excel"
    assert [r[1] for r in outcome.rows] == ["An", "Cường", "Bình"]
    failing = export_pdf(bloc_folder / "khoi.xlsm", bloc_folder / "nhan", bloc_folder / "ket-qua",
                         xw.Book(impl=FakeBook(FakeApp(fail="busy"), str(bloc_folder / "khoi.xlsm"))))
    assert failing.status == B.EXCEL_PDF_FAILED.format(reason="busy")
