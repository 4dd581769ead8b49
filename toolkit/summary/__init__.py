"""Stage 5 — write the bloc's summary workbook (Decree 30/2020 layout, live totals) and its PDF.

Sheets: Tổng hợp (the signed ranking table), Chi tiết (unit × criterion, self and review scores),
Đề nghị khen thưởng, Biểu đồ (a native bar chart of the totals; chart.py), Kiểm tra (units not counted,
problems, review changes, disqualified units, rank robustness; checks.py), Nguồn (every file read) and,
when given, Tình hình nộp phiếu (who sent what, when; status_sheet.py) and Qua các kỳ (earlier periods;
history_sheet.py).
Columns of the rules stage (votes, awards, disqualification, changes, robustness) are rendered when the
ranking has them and left blank otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
from xlsxwriter.utility import xl_rowcol_to_cell

from toolkit import office
from toolkit import texts as T
from toolkit.bloc.model import Bloc, Criterion, Member
from toolkit.docstyle import (DOCUMENT_SPECS, RED, WORKBOOK_OPTIONS, Header, SignBlock, document_formats,
                              fit_row, official_header, page_setup, set_widths, signatures)
from toolkit.fastsheet import FastWorkbook, Formula
from toolkit.fileio import atomic_path
from toolkit.problems import Problem
from toolkit.ranking import Ranking, group_scores
from toolkit.returns import Returns
from toolkit.seal import Custody
from toolkit.texts import seal as TS
from toolkit.summary.chart import chart_sheet
from toolkit.summary.checks import check_sheet
from toolkit.summary.history_sheet import history_sheet
from toolkit.summary.status_sheet import status_sheet
from toolkit.texts import intake as TI
from toolkit.vntext import vn_number
from toolkit.summary.values import as_text, flag, is_blank

S = T.summary
EPS = 1e-9
DETAIL_UNITS_PER_PAGE = 6
DETAIL_MAX_UNIT_COLUMNS = 30  # larger blocs: Chi tiết has one row per unit
DETAIL_CHUNK = 1_000  # units whose Chi tiết rows are gathered at once (a country's would take ~70 MB)
DETAIL_KEY_SPAN = 7  # the criteria's texts below a one-row-per-unit Chi tiết span columns B..H


@dataclass(frozen=True)
class SourceFile:
    """One input file as listed on the Nguồn sheet."""

    name: str
    unit: str
    sha256: str
    received: datetime | None
    saved_at: datetime | None
    form_id: str
    toolkit_version: str
    used: bool
    issued: str = ""  # the issued form it matches (ledger), and a warning when its id is shared


def summary_filename(ranking: Ranking) -> str:
    return bloc_summary_filename(ranking.bloc)


def bloc_summary_filename(bloc: Bloc) -> str:
    return f"tong-hop-{bloc.key}-{bloc.year}-{bloc.period}.xlsx"


def source_files(returns: Returns, custody: Custody | None = None) -> list[SourceFile]:
    """The Nguồn rows: every file read, whether its submission was used, and (with the chair's
    `custody`) the issued form it matches; a form id claimed by two units is flagged."""
    used_ids = {id(s) for s in returns.submissions.values()}
    units_of: dict[str, set[str]] = {}
    for r in returns.results:
        if r.form_id and r.unit_code:
            units_of.setdefault(r.form_id, set()).add(r.unit_code)
    rows = []
    for r in returns.results:
        sub = r.submission
        rows.append(SourceFile(r.path.name, r.unit_code, r.sha256, _modified(r.path), sub.saved_at if sub else None,
                               r.form_id, r.form_version, id(sub) in used_ids,
                               _issued_note(r.form_id, custody, units_of.get(r.form_id, set()))))
    return rows


def _issued_note(form_id: str, custody: Custody | None, units: set[str]) -> str:
    notes = []
    if custody is not None and custody.issues is not None:
        issue = custody.issue(form_id) if form_id else None
        notes.append(TS.SOURCE_ISSUED.format(unit=issue.unit, time=issue.when()) if issue else
                     TS.SOURCE_NOT_ISSUED if form_id else TS.SOURCE_NO_FORM_ID)
    if len(units) > 1:
        notes.append(TS.SOURCE_SHARED_ID.format(count=len(units), units=", ".join(sorted(units))))
    return "; ".join(notes)


def _modified(path: Path) -> datetime | None:
    """The file's modification time (one stat), None when it is gone."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime)
    except OSError:
        return None


def write_summary(path: Path, ranking: Ranking, problems: list[Problem], today: date | None = None, *,
                  self_scores: pd.DataFrame | None = None, sources: Sequence[SourceFile] = (),
                  status: Sequence = (), history: pd.DataFrame | None = None) -> Path:
    """Write the summary workbook to `path` atomically.

    `self_scores`: unit × leaf self-scores (default: the final scores, i.e. no review yet);
    `sources`: the input files for the Nguồn sheet (see `source_files`); `status`: the rows of
    toolkit.status for the Tình hình nộp phiếu sheet (none: no such sheet); `history`: the earlier
    periods (toolkit.history.history) for the Qua các kỳ sheet (none, or no earlier period: no such sheet).
    """
    with atomic_path(Path(path)) as tmp:
        wb = FastWorkbook(str(tmp), WORKBOOK_OPTIONS)
        fmt = {**document_formats(wb), **rank_formats(wb)}
        today = today or date.today()
        total_cells = _summary_sheet(wb.add_worksheet(T.SUMMARY_SHEET), fmt, ranking, today)
        _detail_sheet(wb.add_worksheet(T.DETAIL_SHEET), fmt, ranking, self_scores)
        _award_sheet(wb.add_worksheet(S.AWARD_SHEET), fmt, ranking, today)
        chart_sheet(wb, wb.add_worksheet(S.CHART_SHEET), fmt, ranking, total_cells)
        if history is not None:
            history_sheet(wb, fmt, history, ranking)
        check_sheet(wb.add_worksheet(T.CHECK_SHEET), fmt, ranking, problems)
        _sources_sheet(wb.add_worksheet(S.SOURCES_SHEET), fmt, sources)
        if status:
            status_sheet(wb.add_worksheet(TI.STATUS_SHEET), fmt, status)
        wb.set_properties({"title": T.SUMMARY_TITLE, "subject": ranking.bloc.name, "author": "thidua"})
        wb.close()
    return Path(path)


def summary_pdf(summary_path: Path) -> Path:
    """Export the summary workbook to a PDF beside it (same name, .pdf) with LibreOffice."""
    summary_path = Path(summary_path)
    pdf = summary_path.with_suffix(".pdf")
    with atomic_path(pdf) as tmp:
        office.to_pdf(summary_path, tmp)
    return pdf


def rank_formats(wb, bold: bool = False) -> dict:
    """A rank is a number (Excel sorts it); a shared rank shows its mark through the number format;
    `bold`: every rank in bold (a unit's own result)."""
    spec = {**DOCUMENT_SPECS["int"], "bold": True} if bold else DOCUMENT_SPECS["int"]
    tied = {**spec, "num_format": f'0" ({T.TIED})"'}
    return {"rank": wb.add_format(spec), "rank_red": wb.add_format({**spec, "font_color": RED}),
            "rank_tied": wb.add_format(tied), "rank_tied_red": wb.add_format({**tied, "font_color": RED})}


def _write_rank(ws, f, row: int, col: int, r: Mapping, red: str = "") -> None:
    """The unit's rank as a number, '(đồng hạng)' shown by the format when it shares it."""
    ws.write_number(row, col, int(r["rank"]), _rank_format(f, r, red))


def _rank_format(f, r: Mapping, red: str = ""):
    """The rank's format: '(đồng hạng)' shown when the unit shares its rank; red when disqualified."""
    return f[("rank_tied" if bool(r["tied"]) else "rank") + red]


# Decree 30 header and signatures -------------------------------------------------------------------

def decree_header(ws, f, bloc, today: date, last: int, split: int, title: str) -> int:
    """The bloc's official header (see `official_header`); next free row."""
    subtitle = T.SUMMARY_SUBTITLE.format(period=T.period_title(bloc.period, bloc.year), bloc=bloc.name)
    header = Header(bloc.name.upper(), bloc.place, today, title, subtitle, bloc.legal_basis)
    return official_header(ws, f, header, last, split)


def _signatures(ws, f, row: int, last: int, split: int, bloc) -> None:
    """The preparer's block, then the chair's (each written whole, as before: same merged-cell order)."""
    first, second = T.SIGN_CHAIR[bloc.kind]
    signatures(ws, f, row, [SignBlock(0, split - 1, ((T.SIGN_PREPARER, "sign"), (S.SIGN_HINT, "sign_hint")))])
    signatures(ws, f, row, [SignBlock(split, last, ((first, "sign"), (second, "sign"),
                                                    (S.SIGN_SEAL_HINT, "sign_hint")))])


# Tổng hợp ------------------------------------------------------------------------------------------

def ranked_rows(ranking: Ranking) -> pd.DataFrame:
    """The table in print order: counted units by rank, then the units not counted."""
    table = ranking.table
    return pd.concat([ranking.ranked(), table[~table["counted"].astype(bool)]])


def _summary_sheet(ws, f, ranking: Ranking, today: date) -> dict[str, str]:
    """Write Tổng hợp; return unit -> cell of its live total (for the chart)."""
    bloc = ranking.bloc
    groups = bloc.criteria.base_groups()
    columns = [T.SUMMARY_COLUMNS["order"], T.SUMMARY_COLUMNS["name"],
               *group_headers(ranking),
               *[T.SUMMARY_COLUMNS[k] for k in ("base", "bonus", "penalty", "total", "grade", "rank")],
               S.VOTES_COLUMN, S.AWARD_COLUMN, T.SUMMARY_COLUMNS["note"]]
    last = len(columns) - 1
    set_widths(ws, [5, 30, *[8] * len(groups), 8, 8, 8, 8, 15, 8, 8, 18, 20])
    split = last - 5
    header = decree_header(ws, f, bloc, today, last, split, T.SUMMARY_TITLE)
    ws.write_row(header, 0, columns, f["head"])
    ws.set_row(header, 48)
    page_setup(ws, center=True, repeat_rows=(header, header), freeze=(header + 1, 2))
    ws.stream_rows()
    total_cells = {}
    rows = ranked_rows(ranking)
    group_codes = [g.code for g in groups]
    for i, (unit, r) in enumerate(zip(rows.index, rows.to_dict("records"))):
        total_cells[unit] = _summary_row(ws, f, header + 1 + i, i + 1, r, group_codes)
    ws.hold_rows()
    _signatures(ws, f, header + len(rows) + 2, last, split, bloc)
    return total_cells


def group_headers(ranking: Ranking) -> list[str]:
    """'Nhóm I (50)'; with group weights, the factor each column's score is multiplied by:
    'Nhóm I (50 × hệ số 1,33)'."""
    groups = ranking.bloc.criteria.base_groups()
    factors = [_group_factor(ranking, g.code) for g in groups]
    if all(abs(x - 1.0) < 1e-6 for x in factors):
        return [T.GROUP_COLUMN.format(code=g.code, max=f"{g.max_points:g}") for g in groups]
    return [S.GROUP_COLUMN_WEIGHTED.format(code=g.code, max=f"{g.max_points:g}", factor=vn_number(round(x, 2)))
            for g, x in zip(groups, factors)]


def _group_factor(ranking: Ranking, code: str) -> float:
    """The factor of a base group's score in the base total (1 without weights)."""
    key = f"group:{code}"
    return float(ranking.weights.loc[key, "share"]) if key in ranking.weights.index else 1.0


def _summary_row(ws, f, row: int, number: int, r: Mapping, group_codes: list[str]) -> str:
    red = "_red" if flag(r.get("disqualified")) else ""
    note, n_groups = _note(r), len(group_codes)
    award = award_text(r)
    fit_row(ws, row, [(str(r["name"]), 30), (note, 20), (award, 18)])
    head, head_formats = [number, str(r["name"])], [f["ctext" + red], f["text" + red]]
    if not r["counted"]:
        ws.write_cells(row, 0, [*head, *[None] * (n_groups + 8), note],
                       [*head_formats, *[f["text"]] * (n_groups + 8), f["grey"]])
        return ""
    col = 2 + n_groups  # the base total's column
    first_group, last_group = xl_rowcol_to_cell(row, 2), xl_rowcol_to_cell(row, col - 1)
    base, bonus, penalty = (xl_rowcol_to_cell(row, c) for c in (col, col + 1, col + 2))
    votes = r.get("votes_pct")
    values = [*head, *[float(r[code]) for code in group_codes],
              Formula(f"=SUM({first_group}:{last_group})", float(r["base"])), float(r["bonus"]), float(r["penalty"]),
              Formula(f"={base}+{bonus}-{penalty}", float(r["total"])), str(r["grade"]), int(r["rank"]),
              None if is_blank(votes) else float(votes), award, note]
    formats = [*head_formats, *[f["num" + red]] * (n_groups + 3), f["bold_num" + red], f["ctext" + red],
               _rank_format(f, r, red), f["pct" + red], f["text" + red], f["text" + red]]
    ws.write_cells(row, 0, values, formats)
    return xl_rowcol_to_cell(row, col + 3, row_abs=True, col_abs=True)


def award_text(r: Mapping) -> str:
    """The award proposed, naming the Government-flag candidate."""
    award = as_text(r.get("award"))
    return S.AWARD_GOV_FLAG.format(award=award) if award and flag(r.get("gov_flag_candidate")) else award


def _note(r: Mapping) -> str:
    """The ranking's note: why a unit is not counted, or its grade, vote and award explained."""
    return as_text(r["note"])


# Chi tiết --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _DetailScores:
    """Some counted units' self and reviewed scores of every criterion (tree order) with their formats:
    unit × (self, reviewed, self, reviewed, ...) — one pair of columns per criterion."""

    members: list[Member]
    values: np.ndarray
    formats: np.ndarray

    @classmethod
    def of(cls, f: dict, ranking: Ranking, self_scores: pd.DataFrame | None,
           members: list[Member]) -> "_DetailScores":
        bloc, tree = ranking.bloc, ranking.bloc.criteria
        codes, order = [m.code for m in members], [c.code for c in tree]
        final_leaf = ranking.leaf_scores.loc[codes]
        self_leaf = final_leaf if self_scores is None else self_scores.reindex_like(final_leaf).fillna(0.0)
        self_groups = ranking.groups.loc[codes] if self_scores is None else group_scores(bloc, self_leaf)
        own = pd.concat([self_leaf, self_groups], axis=1).reindex(columns=order).to_numpy(float)
        final = pd.concat([final_leaf, ranking.groups.loc[codes]], axis=1).reindex(columns=order).to_numpy(float)
        plain = np.array([f["group_num" if c.is_group else "num"] for c in tree], dtype=object)
        changed = np.array([f["group_changed" if c.is_group else "changed"] for c in tree], dtype=object)
        reviewed = np.where(np.abs(own - final) > EPS, changed, plain)
        shape = (len(codes), 2 * len(order))
        return cls(members, np.stack([own, final], axis=2).reshape(shape),
                   np.stack([np.broadcast_to(plain, own.shape), reviewed], axis=2).reshape(shape))


def _detail_sheet(ws, f, ranking: Ranking, self_scores: pd.DataFrame | None) -> None:
    """Chi tiết: units as pairs of columns (self, reviewed); above DETAIL_MAX_UNIT_COLUMNS units,
    which would neither print usefully nor fit Excel's columns, one row per unit instead."""
    members = [m for m in ranking.bloc.members if m.code in ranking.leaf_scores.index]
    if len(members) > DETAIL_MAX_UNIT_COLUMNS:
        chunks = (members[i:i + DETAIL_CHUNK] for i in range(0, len(members), DETAIL_CHUNK))
        _detail_by_unit(ws, f, ranking.bloc, (_DetailScores.of(f, ranking, self_scores, c) for c in chunks))
    else:
        _detail_by_criterion(ws, f, ranking.bloc, _DetailScores.of(f, ranking, self_scores, members))


def shown_maximum(bloc: Bloc, c: Criterion) -> float | str:
    """A criterion's maximum as shown (a top bonus group: the bonus cap; none: blank); a unit's result
    shows it the same."""
    return bloc.max_points_of(c) or ""


def _detail_by_criterion(ws, f, bloc: Bloc, scores: _DetailScores) -> None:
    """One row per criterion (code, text, maximum), then each unit's self and reviewed scores."""
    tree, units = bloc.criteria, len(scores.members)
    for col, label in enumerate(T.DETAIL_COLUMNS):
        ws.merge_range(0, col, 1, col, label, f["head"])
    for j, m in enumerate(scores.members):
        col = 3 + 2 * j
        ws.merge_range(0, col, 0, col + 1, m.label, f["head"])
        ws.write_string(1, col, S.DETAIL_SELF, f["head"])
        ws.write_string(1, col + 1, S.DETAIL_FINAL, f["head"])
    set_widths(ws, [7, 44, 8, *[9] * (2 * units)])
    ws.set_row(0, 36)
    page_setup(ws, center=True, repeat_rows=(0, 1), freeze=(2, 3))
    if units > DETAIL_UNITS_PER_PAGE:  # too wide for one page: page across, criteria repeated
        ws.set_print_scale(70)
        ws.repeat_columns(0, 2)
    ws.stream_rows()
    for j, c in enumerate(tree):
        i, style = 2 + j, "group" if c.is_group else "text"
        fit_row(ws, i, [(c.text, 44)])
        ws.write_string(i, 0, c.code, f[style])
        ws.write_string(i, 1, c.text, f[style])
        ws.write(i, 2, shown_maximum(bloc, c), f["group_num" if c.is_group else "num"])
        pair = slice(2 * j, 2 * j + 2)
        ws.write_numbers(i, 3, scores.values[:, pair].ravel().tolist(), scores.formats[:, pair].ravel().tolist())
    ws.write_string(len(tree) + 3, 1, S.DETAIL_LEGEND, f["plain"])


def _detail_by_unit(ws, f, bloc: Bloc, chunks: Iterable[_DetailScores]) -> None:
    """One row per unit (code, name, then self and reviewed scores of each criterion); three header
    rows (criterion code, self/reviewed, maximum) repeated on every page; the criteria's texts below.
    The units' scores come in chunks, gathered one at a time (memory)."""
    tree = bloc.criteria
    for col, label in enumerate(S.DETAIL_UNIT_COLUMNS):
        ws.merge_range(0, col, 1, col, label, f["head"])
    ws.merge_range(2, 0, 2, 1, T.DETAIL_COLUMNS[2], f["head"])
    for j, c in enumerate(tree):
        col, number = 2 + 2 * j, f["group_num" if c.is_group else "num"]
        ws.merge_range(0, col, 0, col + 1, c.code, f["group" if c.is_group else "head"])
        ws.write_string(1, col, S.DETAIL_SELF, f["head"])
        ws.write_string(1, col + 1, S.DETAIL_FINAL, f["head"])
        ws.merge_range(2, col, 2, col + 1, shown_maximum(bloc, c), number)
    set_widths(ws, [12, 34, *[9] * (2 * len(tree))])
    ws.set_row(1, 32)
    page_setup(ws, center=True, repeat_rows=(0, 2), freeze=(3, 2))
    ws.set_print_scale(70)
    ws.repeat_columns(0, 1)
    ws.stream_rows()
    row = 3
    for scores in chunks:
        for i, m in enumerate(scores.members):
            ws.write_cells(row, 0, [m.code, m.name, *scores.values[i].tolist()],
                           [f["ctext"], f["text"], *scores.formats[i]])
            row += 1
    row += 1
    ws.write_string(row, 1, S.DETAIL_LEGEND, f["plain"])
    ws.write_string(row + 2, 0, S.DETAIL_KEY_TITLE, f["section"])
    for i, c in enumerate(tree, start=row + 3):
        style = "group" if c.is_group else "text"
        ws.write_string(i, 0, c.code, f[style])
        ws.merge_range(i, 1, i, DETAIL_KEY_SPAN, c.text, f[style])


# Đề nghị khen thưởng --------------------------------------------------------------------------------

def _award_sheet(ws, f, ranking: Ranking, today: date) -> None:
    bloc = ranking.bloc
    last = len(S.AWARD_COLUMNS) - 1
    set_widths(ws, [5, 38, 10, 10, 14, 10, 30, 30])
    split = 3
    header = decree_header(ws, f, bloc, today, last, split, S.AWARD_TITLE)
    ws.write_row(header, 0, S.AWARD_COLUMNS, f["head"])
    ws.set_row(header, 36)
    page_setup(ws, center=True, repeat_rows=(header, header), freeze=(header + 1, 2))
    ranked = ranking.ranked()
    awards = ranked["award"] if "award" in ranked else pd.Series("", index=ranked.index)
    proposed = by_award(ranked.loc[[as_text(a) != "" for a in awards]])
    row = header + 1
    for number, (unit, r) in enumerate(proposed.iterrows(), start=1):
        votes = r.get("votes_pct")
        values = [number, str(r["name"]), float(r["total"]), None,
                  str(r["grade"]), None if is_blank(votes) else float(votes), as_text(r["award"]),
                  S.GOV_FLAG_TAG if flag(r.get("gov_flag_candidate")) else ""]
        styles = ["ctext", "text", "num", "ctext", "ctext", "pct", "text", "text"]
        for col, (value, style) in enumerate(zip(values, styles)):
            ws.write(row, col, value, f[style]) if value is not None else ws.write_blank(row, col, None, f[style])
        _write_rank(ws, f, row, 3, r)
        row += 1
    if proposed.empty:
        voted = ranked["votes_pct"].notna().any() if "votes_pct" in ranked else False
        ws.merge_range(row, 0, row, last, S.NO_AWARDS_VOTED if voted else S.NO_AWARDS, f["grey"])
        row += 1
    _signatures(ws, f, row + 1, last, split, bloc)


def by_award(proposed: pd.DataFrame) -> pd.DataFrame:
    """Proposals ordered by award (the flag first), then rank (ranked order kept within an award)."""
    order = {T.rules.AWARD_FLAG: 0, T.rules.AWARD_CERTIFICATE: 1}
    key = pd.Series([order.get(as_text(a), len(order)) for a in proposed["award"]], index=proposed.index)
    return proposed.loc[key.sort_values(kind="stable").index]


# Nguồn ---------------------------------------------------------------------------------------------------

def _sources_sheet(ws, f, sources: Sequence[SourceFile]) -> None:
    """The files read; the column matching them with the issued forms only when there is something
    to say (a bloc with a ledger, or a form id shared by two units)."""
    issued = any(s.issued for s in sources)
    columns = S.SOURCES_COLUMNS + ((TS.SOURCES_ISSUED_COLUMN,) if issued else ())
    ws.merge_range(0, 0, 0, len(columns) - 1, S.SOURCES_TITLE, f["title"])
    ws.write_row(2, 0, columns, f["head"])
    ws.set_row(2, 32)
    set_widths(ws, [5, 36, 10, 52, 16, 16, 34, 10, 9] + ([44] if issued else []))
    page_setup(ws, center=True, repeat_rows=(2, 2), freeze=(3, 2))
    ws.stream_rows()
    styles = [f[k] for k in ("ctext", "text", "ctext", "small", "ctext", "ctext", "small", "ctext", "ctext", "text")]
    for i, s in enumerate(sources, start=1):
        values = [i, s.name, s.unit, s.sha256, _when(s.received), _when(s.saved_at), s.form_id, s.toolkit_version,
                  S.SOURCE_USED[s.used], *([s.issued] if issued else [])]
        ws.write_cells(2 + i, 0, values, styles[:len(values)])


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.strftime(S.TIME_FORMAT)
