"""Stage 5b — each ranked unit's own result workbook (XlsxWriter), and the text of the message that sends it.

Three sheets, Times New Roman, A4 fitted to the width (portrait; the review's wide table landscape), header
rows frozen and printed on every page:
Kết quả (the official header; the unit's total beside the bloc's average and best, its rank as a number
with the tie shown as the summary shows it, grade, award, and the ranking's own note — the same
explanation Tổng hợp and the CLI show, never worked out again), Điểm theo tiêu chí (every criterion in
the tree's order, groups as bold subtotals: self, review where reviewed, final, the bloc's average and
best) and Thẩm định (every reviewed criterion: both rounds with their reasons and the unit's
explanation). Only ranked units get a workbook: a unit not ranked has no scores to show, and its
message says why instead (toolkit.mail).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import xlsxwriter

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Member
from toolkit.docstyle import (WORKBOOK_OPTIONS, SignBlock, document_formats, fit_row, page_setup, row_height,
                              set_widths, signatures)
from toolkit.fileio import atomic_path
from toolkit.forms import form_filename
from toolkit.ranking import Ranking, group_scores, rank_label
from toolkit.summary import award_text, decree_header, rank_formats, shown_maximum
from toolkit.summary.values import as_text, is_blank
from toolkit.texts import unit_result as U
from toolkit.vntext import vn_number

FACT_WIDTHS = (34, 14, 44)  # label, number or text, what the number is out of
SCORE_WIDTHS = (7, 40, 8, 9, 9, 9, 10, 10)
REVIEW_WIDTHS = (7, 22, 8, 9, 24, 24, 9, 24, 10)


@dataclass(frozen=True)
class UnitResult:
    """One unit's line of the ranking as the unit is told it: the bloc's average and best total are
    over the ranked units; `award` in the summary's words; `note` the ranking's note as it stands."""

    code: str
    name: str
    counted: bool
    total: float | None
    average: float | None
    best: float | None
    rank: int | None
    tied: bool
    ranked: int
    grade: str
    award: str
    note: str


@dataclass(frozen=True)
class BlocFigures:
    """What every unit's result shows of the whole bloc, worked out once: the ranked units' totals
    (average, best, how many); every unit × criterion (groups included) self and final score, the final
    scores' average and best; each unit's review_rounds rows (already in the criteria tree's order)."""

    average: float | None
    best: float | None
    ranked: int
    own: pd.DataFrame
    final: pd.DataFrame
    final_average: pd.Series
    final_best: pd.Series
    reviews: dict[str, list[dict]]

    @classmethod
    def of(cls, ranking: Ranking) -> BlocFigures:
        """The figures of `ranking`, as each unit's result read them before (the same sums, means and maxima)."""
        table = ranking.table
        totals = table.loc[table["counted"].astype(bool), "total"].astype(float)
        self_leaves = ranking.self_scores if ranking.self_scores is not None else ranking.leaf_scores
        own = pd.concat([self_leaves, group_scores(ranking.bloc, self_leaves)], axis=1)
        final = pd.concat([ranking.leaf_scores, ranking.groups], axis=1)
        reviews = {unit: rows.to_dict("records") for unit, rows in ranking.review_rounds.groupby("unit", sort=False)}
        return cls(float(totals.mean()) if len(totals) else None, float(totals.max()) if len(totals) else None,
                   len(totals), own, final, final.mean(), final.max(), reviews)


def unit_result(ranking: Ranking, code: str, figures: BlocFigures | None = None) -> UnitResult:
    """The unit's row of `ranking.table`, read as it is (nothing recomputed); `figures`: the bloc's
    (BlocFigures.of(ranking)) when already worked out."""
    figures = figures or BlocFigures.of(ranking)
    r = ranking.table.loc[code]
    counted = bool(r["counted"])
    return UnitResult(code, str(r["name"]), counted, float(r["total"]) if counted else None, figures.average,
                      figures.best, int(r["rank"]) if counted else None, counted and bool(r["tied"]), figures.ranked,
                      as_text(r["grade"]) if counted else "", award_text(r), as_text(r["note"]))


def review_rows(ranking: Ranking, code: str, figures: BlocFigures | None = None) -> list[dict]:
    """The unit's reviewed criteria (ranking.review_rounds: founding then the criteria tree's order, so
    already in the tree's order)."""
    return list((figures or BlocFigures.of(ranking)).reviews.get(code, []))


def unit_result_path(folder: Path, member: Member) -> Path:
    """<folder>/ket-qua-<the unit's form file name>: `folder` is BlocFolder.unit_results."""
    return Path(folder) / f"{U.FILE_PREFIX}{form_filename(member)}"


def write_unit_results(ranking: Ranking, folder: Path, today: date | None = None,
                       figures: BlocFigures | None = None) -> dict[str, Path]:
    """Every ranked unit's workbook into `folder` (unit code -> path); earlier workbooks of units no
    longer ranked are removed, so that a stale result is never sent. The bloc's figures worked out once."""
    figures = figures or BlocFigures.of(ranking)
    written = {m.code: write_unit_result(unit_result_path(folder, m), ranking, m.code, today, figures)
               for m in ranking.bloc.members if bool(ranking.table.at[m.code, "counted"])}
    for old in Path(folder).glob(f"{U.FILE_PREFIX}*.xlsx"):
        if old not in written.values():
            old.unlink()
    return written


def write_unit_result(path: Path, ranking: Ranking, code: str, today: date | None = None,
                      figures: BlocFigures | None = None) -> Path:
    """Write the workbook of ranked unit `code` to `path` atomically."""
    figures = figures or BlocFigures.of(ranking)
    result = unit_result(ranking, code, figures)
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        f = {**document_formats(wb), **rank_formats(wb, bold=True)}
        _result_sheet(wb.add_worksheet(U.RESULT_SHEET), f, ranking.bloc, result, today or date.today())
        _scores_sheet(wb.add_worksheet(U.SCORES_SHEET), f, ranking, result, figures)
        _review_sheet(wb.add_worksheet(U.REVIEW_SHEET), f, ranking.bloc, result, review_rows(ranking, code, figures))
        wb.set_properties({"title": U.TITLE, "subject": result.name, "author": "thidua"})
        wb.close()
    return Path(path)


# Kết quả -------------------------------------------------------------------------------------------

def _result_sheet(ws, f, bloc: Bloc, r: UnitResult, today: date) -> None:
    set_widths(ws, FACT_WIDTHS)
    page_setup(ws, landscape=False, center=True)
    row = decree_header(ws, f, bloc, today, 2, 1, U.TITLE)
    ws.set_row(4, row_height([(U.TITLE, sum(FACT_WIDTHS), 1.3)]))
    for line, text in enumerate(bloc.legal_basis, start=6):
        fit_row(ws, line, [(text, sum(FACT_WIDTHS))])
    texts = {"unit": r.name, "grade": r.grade, "award": r.award or U.NO_AWARD, "note": r.note or U.NO_NOTE}
    numbers = {"total": r.total, "average": r.average, "best": r.best}
    for key, label in U.FACTS.items():
        ws.write_string(row, 0, label, f["group"])
        if key in numbers:
            ws.write_number(row, 1, numbers[key], f["bold_num" if key == "total" else "num"])
            ws.write_string(row, 2, "" if key == "total" else U.TOTAL_OF, f["text"])
        elif key == "rank":
            ws.write_number(row, 1, r.rank, f["rank_tied" if r.tied else "rank"])
            ws.write_string(row, 2, U.RANK_OF.format(count=r.ranked), f["text"])
        else:
            ws.merge_range(row, 1, row, 2, texts[key], f["text"])
            fit_row(ws, row, [(texts[key], sum(FACT_WIDTHS[1:]))])
        row += 1
    first, second = T.SIGN_CHAIR[bloc.kind]
    signatures(ws, f, row + 1, [SignBlock(1, 2, ((first, "sign"), (second, "sign"),
                                                 (T.summary.SIGN_SEAL_HINT, "sign_hint")))])


# Điểm theo tiêu chí ----------------------------------------------------------------------------------

def _scores_sheet(ws, f, ranking: Ranking, r: UnitResult, figures: BlocFigures) -> None:
    """Every criterion: maximum, self, review (reviewed criteria only), final, the bloc's average and best."""
    bloc = ranking.bloc
    own, final = figures.own.loc[r.code], figures.final.loc[r.code]
    average, best = figures.final_average, figures.final_best
    reviewed = {row["code"] for row in review_rows(ranking, r.code, figures)}
    review = ranking.review_scores.loc[r.code] if ranking.review_scores is not None else final
    _table_head(ws, f, U.SHEET_TITLE.format(sheet=U.SCORES_SHEET, unit=r.name), U.SCORE_COLUMNS, SCORE_WIDTHS,
                landscape=False)
    for i, c in enumerate(bloc.criteria, start=2):
        text, num = ("group", "group_num") if c.is_group else ("text", "num")
        fit_row(ws, i, [(c.text, SCORE_WIDTHS[1])])
        ws.write_string(i, 0, c.code, f[text])
        ws.write_string(i, 1, c.text, f[text])
        ws.write(i, 2, shown_maximum(bloc, c), f[num])
        ws.write_number(i, 3, float(own[c.code]), f[num])
        if c.code in reviewed:
            ws.write_number(i, 4, float(review[c.code]), f["changed"])
        else:
            ws.write_blank(i, 4, None, f[num])
        changed = abs(float(final[c.code]) - float(own[c.code])) > 1e-9
        ws.write_number(i, 5, float(final[c.code]), f[("group_changed" if c.is_group else "changed") if changed else num])
        ws.write_number(i, 6, float(average[c.code]), f[num])
        ws.write_number(i, 7, float(best[c.code]), f[num])
    legend = len(bloc.criteria) + 3
    ws.merge_range(legend, 0, legend, len(SCORE_WIDTHS) - 1, U.SCORES_LEGEND, f["basis"])
    ws.set_row(legend, row_height([(U.SCORES_LEGEND, sum(SCORE_WIDTHS))]))


def _table_head(ws, f, title: str, columns: tuple[str, ...], widths: tuple[int, ...], landscape: bool) -> None:
    """A title over the table and its header row: both frozen and printed on every page (A4)."""
    set_widths(ws, widths)
    ws.merge_range(0, 0, 0, len(columns) - 1, title, f["title"])
    ws.set_row(0, row_height([(title, sum(widths), 1.3)]))
    ws.write_row(1, 0, columns, f["head"])
    ws.set_row(1, row_height(zip(columns, widths)))
    page_setup(ws, landscape=landscape, center=True, repeat_rows=(0, 1), freeze=(2, 2))


# Thẩm định ----------------------------------------------------------------------------------------

def _review_sheet(ws, f, bloc: Bloc, r: UnitResult, rows: list[dict]) -> None:
    """Every reviewed criterion (`rows`: the unit's review_rounds): self, first round and its reason, the
    unit's explanation, second round and its reason, the score after review; or one line saying nothing
    was reviewed."""
    _table_head(ws, f, U.SHEET_TITLE.format(sheet=U.REVIEW_SHEET, unit=r.name), U.REVIEW_COLUMNS, REVIEW_WIDTHS,
                landscape=True)
    if not rows:
        ws.merge_range(2, 0, 2, len(REVIEW_WIDTHS) - 1, U.NO_REVIEW, f["grey"])
        return
    for i, row in enumerate(rows, start=2):
        c = bloc.criteria.get(row["code"])
        values = (row["code"], c.text, row["self_score"], row["first"], row["first_reason"], row["explanation"],
                  row["second"], row["second_reason"], row["final_score"])
        for col, value in enumerate(values):
            if isinstance(value, str) or is_blank(value):
                ws.write(i, col, as_text(value) or None, f["ctext" if col == 0 else "text"])
            else:
                ws.write_number(i, col, float(value), f["num"])
        fit_row(ws, i, [(str(v), w) for v, w in zip(values, REVIEW_WIDTHS) if isinstance(v, str)])


# The message's text -----------------------------------------------------------------------------

def message_fields(ranking: Ranking, code: str, figures: BlocFigures | None = None) -> dict[str, str]:
    """The result as the message body states it (U.BODY's fields besides the bloc's words and the file);
    `figures`: the bloc's (BlocFigures.of(ranking)) when already worked out."""
    figures = figures or BlocFigures.of(ranking)
    r = unit_result(ranking, code, figures)
    if not r.counted:
        return {"reason": r.note}
    lines = [U.BODY_REVIEW.format(code=row["code"], text=ranking.bloc.criteria.get(row["code"]).text,
                                  own=_number(row["self_score"]), final=_number(row["final_score"]),
                                  reason=_reasons(row)) for row in review_rows(ranking, code, figures)]
    return {"total": _number(r.total), "average": _number(r.average), "best": _number(r.best),
            "rank": rank_label(r.rank, r.tied), "rank_of": U.RANK_OF.format(count=r.ranked),
            "grade": r.grade, "award": r.award or U.NO_AWARD, "note": r.note or U.NO_NOTE,
            "reviews": "\n".join([U.BODY_REVIEWS, *lines]) if lines else ""}


def _reasons(row: dict) -> str:
    """Each round's reason and the unit's explanation, in the order they were given."""
    return "; ".join(as_text(row[k]) for k in ("first_reason", "explanation", "second_reason") if as_text(row[k]))


def _number(value: float) -> str:
    return vn_number(round(value, 2))

