"""Each unit's rank and total over earlier periods, read from summary workbooks thidua wrote.

The "Tổng hợp" sheet is read by its header labels, never by positions; the total is recomputed
from the group, bonus and penalty columns (a cached formula result is not trusted) and the period
is taken from the sheet's subtitle ("Tổng kết năm 2025 ..."), else from the file name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from toolkit import texts as T
from toolkit.chairbook.unreadable import os_reason
from toolkit.problems import problem
from toolkit.texts import returns as TR
from toolkit.vntext import clean, match_key, parse_number

GROUP_HEADER = re.compile(re.escape(match_key(T.GROUP_COLUMN)).replace(r"\{code\}", r".+?")
                          .replace(r"\{max\}", r".+?"))
FILE_PERIOD = re.compile(r"(\d{4})-(" + "|".join(T.PERIODS) + r")")


def history(summary_paths: Iterable[Path]) -> pd.DataFrame:
    """unit name × (measure, period): rank and total of every unit in every readable summary.
    Periods run oldest first ("2025-so-ket" before "2025-tong-ket"); files that cannot be read are
    left out and listed as Problems in `result.attrs["problems"]`."""
    records, problems = [], []
    for path in summary_paths:
        try:
            period, rows = read_summary(Path(path))
        except ValueError as exc:
            problems.append(problem("history.unreadable", file=Path(path).name, reason=str(exc)))
            continue
        records += [{"period": period, **row} for row in rows]
    units = list(dict.fromkeys(r["unit"] for r in records))
    periods = sorted({r["period"] for r in records}, key=period_order)
    columns = pd.MultiIndex.from_product([["rank", "total"], periods], names=["measure", "period"])
    wide = pd.DataFrame(float("nan"), index=pd.Index(units, name="unit"), columns=columns)
    for r in records:
        wide.loc[r["unit"], ("rank", r["period"])] = r["rank"]
        wide.loc[r["unit"], ("total", r["period"])] = r["total"]
    for period in periods:
        wide[("rank", period)] = wide[("rank", period)].astype("Int64")
    wide.attrs["problems"] = problems
    return wide


def summary_files(paths: Iterable[Path]) -> list[Path]:
    """The given files, and the summary workbooks (tong-hop-*.xlsx) inside given folders."""
    return [f for p in map(Path, paths) for f in (sorted(p.rglob("tong-hop-*.xlsx")) if p.is_dir() else [p])]


def period_label(period: str) -> str:
    """'2025-tong-ket' -> 'Tổng kết năm 2025'; other keys (file names) unchanged."""
    match = FILE_PERIOD.fullmatch(period)
    return T.period_title(match.group(2), int(match.group(1))) if match else period


def period_order(period: str) -> tuple:
    """Sort key of a period key: by year, Sơ kết before Tổng kết; other keys (file names) last."""
    match = FILE_PERIOD.fullmatch(period)
    return (int(match.group(1)), ("so-ket", "tong-ket").index(match.group(2))) if match else (9999, 0)


def read_summary(path: Path) -> tuple[str, list[dict]]:
    """(period key, [{unit, rank, total}]) from one summary workbook; ValueError says what is wrong."""
    import openpyxl  # imported where used: a bloc without earlier summaries never loads it

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise ValueError(os_reason(exc, path)) from exc
    except Exception as exc:  # any unreadable file is reported by the caller, never raised
        raise ValueError(TR.REASONS["not-zip"]) from exc
    try:
        sheet = next((wb[s] for s in wb.sheetnames if match_key(s) == match_key(T.SUMMARY_SHEET)), None)
        if sheet is None:
            raise ValueError(T.rules.HISTORY_NO_SHEET.format(sheet=T.SUMMARY_SHEET))
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()
    header_at = next((i for i, row in enumerate(rows) if _columns(row)), None)
    if header_at is None:
        raise ValueError(T.rules.HISTORY_NO_HEADER)
    columns = _columns(rows[header_at])
    period = _period(rows[:header_at], path)
    found = []
    for row in rows[header_at + 1:]:
        name = clean(str(row[columns["name"]] or "")) if columns["name"] < len(row) else ""
        rank = _rank(row[columns["rank"]]) if columns["rank"] < len(row) else None
        if not name or rank is None:
            continue  # a unit not ranked, or the signature block below the table
        found.append({"unit": name, "rank": rank, "total": _total(row, columns)})
    return period, found


def _columns(row: list) -> dict | None:
    """Positions of the needed columns when `row` is the table's header row, else None."""
    keys = [match_key(str(v)) if v is not None else "" for v in row]
    wanted = {k: match_key(T.SUMMARY_COLUMNS[k]) for k in ("name", "bonus", "penalty", "total", "rank")}
    if wanted["name"] not in keys or wanted["rank"] not in keys:
        return None
    found = {k: keys.index(v) if v in keys else None for k, v in wanted.items()}
    found["groups"] = [i for i, k in enumerate(keys) if GROUP_HEADER.fullmatch(k)]
    return found


def _period(rows: list[list], path: Path) -> str:
    labels = {match_key(label): key for key, label in T.PERIODS.items()}
    pattern = re.compile("(" + "|".join(map(re.escape, labels)) + r") (\d{4})")
    for row in rows:
        for value in row:
            match = pattern.search(match_key(str(value))) if value is not None else None
            if match:
                return f"{match.group(2)}-{labels[match.group(1)]}"
    match = FILE_PERIOD.search(path.stem)
    return f"{match.group(1)}-{match.group(2)}" if match else path.stem


def _rank(value) -> int | None:
    match = re.match(r"\s*(\d+)", str(value)) if value is not None else None
    return int(match.group(1)) if match else None


def _total(row: list, columns: dict) -> float | None:
    """Σ group columns + bonus − penalty; the written total only when those columns are absent."""
    def number(i):
        return parse_number(row[i])[0] if i is not None and i < len(row) else None

    parts = [number(i) for i in columns["groups"]]
    bonus, penalty = number(columns["bonus"]), number(columns["penalty"])
    if parts and None not in parts and bonus is not None and penalty is not None:
        return round(sum(parts) + bonus - penalty, 6)
    return number(columns["total"])
