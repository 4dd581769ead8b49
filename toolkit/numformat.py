"""What a cell's number format says its number is: a date, a time, or a plain number.

A date or a time typed into a cell is stored as a serial number (46096 is 13/03/2026) with a date or
time format; only the format tells them apart from a number. Formats are the built-in ids of the
standard (14-22, 45-47) and custom codes of the styles part (`<numFmt formatCode=..>`), a custom code
being a date when it holds d, m or y, a time when it holds h or s (outside quoted text, escapes and
brackets other than the elapsed-time [h], [m], [s]).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

DATE, TIME, NUMBER = "date", "time", ""
BUILTIN_KINDS = {**{i: DATE for i in (14, 15, 16, 17, 22)}, **{i: TIME for i in (18, 19, 20, 21, 45, 46, 47)}}
_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')  # quoted text, an escaped character, a space or fill char
_BRACKETS = re.compile(r"\[([^\]]*)\]")
_ELAPSED = re.compile(r"[hms]+", re.I)
_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def format_kind(code: str) -> str:
    """DATE, TIME or NUMBER for a custom number format code (only the first section, for positives)."""
    section = _LITERALS.sub("", code).split(";", 1)[0]
    elapsed = any(_ELAPSED.fullmatch(inside) for inside in _BRACKETS.findall(section))
    letters = _BRACKETS.sub("", section).lower().replace("general", "")
    if "d" in letters or "y" in letters:
        return DATE
    if elapsed or "h" in letters or "s" in letters:
        return TIME
    return DATE if "m" in letters else NUMBER  # m alone is a month


def is_percent_format(code: str | None) -> bool:
    """Whether a number format code shows a percent: a '%' outside quoted text, escapes and brackets."""
    return bool(code) and "%" in _BRACKETS.sub("", _LITERALS.sub("", code))


def style_kinds(root) -> tuple[str, ...]:
    """The kind of each cell style (`cellXfs` in order, the index a cell's `s` gives) of a parsed
    styles part."""
    custom = {}
    for fmt in root.iter(_M + "numFmt"):
        number_id = fmt.get("numFmtId", "")
        if number_id.isdigit():
            custom[int(number_id)] = format_kind(fmt.get("formatCode", ""))
    xfs = root.find(_M + "cellXfs")
    kinds = []
    for xf in xfs.iter(_M + "xf") if xfs is not None else ():
        number_id = xf.get("numFmtId", "0")
        number_id = int(number_id) if number_id.isdigit() else 0
        kinds.append(custom[number_id] if number_id in custom else BUILTIN_KINDS.get(number_id, NUMBER))
    return tuple(kinds)


EPOCH = datetime(1899, 12, 30)  # serial 0 of the 1900 date system as Excel and LibreOffice count


def serial_parts(serial: float) -> datetime | None:
    """The date and time a serial number stands for (None when it is no date, e.g. 1e308)."""
    try:
        return EPOCH + timedelta(days=serial)
    except (OverflowError, ValueError):
        return None
