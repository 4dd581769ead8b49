"""Baselines measured in the same run as thidua, so that ratios hold on any machine.

- `record_form(bloc, member)`: runs thidua's form writer against a recorder and keeps the exact
  XlsxWriter calls it makes (cells, formats, merges, validations, protection, properties, metadata).
  `replay(calls, path)` then writes the same workbook with plain XlsxWriter and no thidua logic:
  the time "XlsxWriter alone needs to write the same sheets".
- `open_and_inflate(path)`: open the zip and decompress the form sheet: the floor of reading a file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import xlsxwriter

from toolkit.bloc.model import Bloc, Member
from toolkit.forms import writer as form_writer

FORM_SHEET_PART = "xl/worksheets/sheet1.xml"


class _Format:
    def __init__(self, index: int):
        self.index = index


class _SheetRecorder:
    def __init__(self, calls: list, sheet: int):
        self._calls, self._sheet = calls, sheet

    def __getattr__(self, method: str):
        def record(*args, **kwargs):
            self._calls.append(("ws", self._sheet, method, args, kwargs))
        return record


class _BookRecorder:
    """Stands in for xlsxwriter.Workbook while thidua writes a form."""

    def __init__(self):
        self.calls: list = []
        self._formats = 0
        self._sheets = 0

    def add_format(self, props: dict | None = None) -> _Format:
        self.calls.append(("format", dict(props or {})))
        self._formats += 1
        return _Format(self._formats - 1)

    def add_worksheet(self, name: str) -> _SheetRecorder:
        self.calls.append(("sheet", name))
        self._sheets += 1
        return _SheetRecorder(self.calls, self._sheets - 1)

    def __getattr__(self, method: str):
        def record(*args, **kwargs):
            self.calls.append(("wb", method, args, kwargs))
        return record


def record_form(bloc: Bloc, member: Member, form_id: str = "0" * 32) -> list:
    """The XlsxWriter calls thidua makes for `member`'s form (same writer code as write_form)."""
    book = _BookRecorder()
    form_writer._FormWriter(book, bloc, member).write()
    form_writer._write_metadata(book, form_writer.form_metadata(bloc, member, form_id))
    return book.calls


def replay(calls: list, path: Path) -> None:
    """Write the recorded workbook with plain XlsxWriter."""
    wb = xlsxwriter.Workbook(str(path), form_writer.WORKBOOK_OPTIONS)
    formats, sheets = [], []

    def real(value):
        return formats[value.index] if isinstance(value, _Format) else value

    for call in calls:
        kind = call[0]
        if kind == "format":
            formats.append(wb.add_format(call[1]))
        elif kind == "sheet":
            sheets.append(wb.add_worksheet(call[1]))
        elif kind == "ws":
            _, sheet, method, args, kwargs = call
            getattr(sheets[sheet], method)(*map(real, args), **kwargs)
        else:
            _, method, args, kwargs = call
            getattr(wb, method)(*args, **kwargs)
    wb.close()


def open_and_inflate(path: Path) -> int:
    with zipfile.ZipFile(path) as zf:
        return len(zf.read(FORM_SHEET_PART))
