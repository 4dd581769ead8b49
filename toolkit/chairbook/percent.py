"""Percentages of the chair's workbook: one decision for every percentage field, from the cell's
value and number format, so `85`, `85%` (0.85 shown as a percent), "85%", "85 %" and 0,85 typed into
a percent-formatted cell all mean 85 %, and a bare fraction (0.85 in a General cell) is refused."""

from __future__ import annotations

from toolkit.numformat import is_percent_format
from toolkit.vntext import clean, parse_number


class PercentNumber(float):
    """A number its cell shows with a percent format (0.85 shown as 85%)."""


class PercentText(str):
    """Text in a cell that has a percent number format."""


def with_format(value, number_format: str | None):
    """The cell value, marked as percent-formatted when its number format shows a percent."""
    if not is_percent_format(number_format) or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return PercentNumber(value)
    return PercentText(value) if isinstance(value, str) else value


def read_percent(value) -> tuple[float | None, str]:
    """(percent 0..100, '') or (None, why): 'fraction' for a bare fraction like 0.85 without a
    percent format, 'percent' for anything else that is not a percentage from 0 to 100."""
    if isinstance(value, bool):
        return None, "percent"
    if isinstance(value, PercentNumber):
        return _in_range(float(value) * 100)
    if isinstance(value, (int, float)):
        return _plain(float(value))
    found = clean(str(value)).replace(" ", "").replace("\u00a0", "")
    if found.endswith("%"):
        number, _ = parse_number(found[:-1])
        return (None, "percent") if number is None else _in_range(number)
    number, _ = parse_number(found)
    if number is None:
        return None, "percent"
    if isinstance(value, PercentText):  # as Excel types into a percent cell: 0,85 and 85 are 85 %
        return _in_range(number * 100 if abs(number) < 1 else number)
    return _plain(number)


def _plain(number: float) -> tuple[float | None, str]:
    """A number without a percent format: 85 is 85 %, a fraction strictly between 0 and 1 is refused."""
    return (None, "fraction") if 0 < number < 1 else _in_range(number)


def _in_range(percent: float) -> tuple[float | None, str]:
    return (round(percent, 9), "") if 0 <= percent <= 100 else (None, "percent")
