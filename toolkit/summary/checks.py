"""The summary's Kiểm tra sheet: units not counted, problems, review rounds, disqualified units,
rank robustness and (when the bloc cross-scores) the cross-score totals, each a titled table."""

from __future__ import annotations

from typing import Sequence

from toolkit import texts as T
from toolkit.docstyle import fit_row, page_setup, set_widths
from toolkit.problems import Problem
from toolkit.ranking import Ranking
from toolkit.summary.values import as_text, flag, is_blank

S = T.summary
CHECK_WIDTHS = (28, 30, 16, 12, 12, 22, 70)


def check_sheet(ws, f, ranking: Ranking, problems: list[Problem]) -> None:
    set_widths(ws, CHECK_WIDTHS)
    page_setup(ws, center=True)
    bloc, table = ranking.bloc, ranking.table
    names = {m.code: m.label for m in bloc.members}
    missing = [(names[u], str(note)) for u, note, counted in zip(table.index, table["note"], table["counted"])
               if not counted]
    row = _check_table(ws, f, 0, S.CHECK_MISSING_TITLE, S.CHECK_MISSING_COLUMNS, missing)
    found = [(names.get(p.unit, p.unit), p.file, p.sheet, p.cell, T.SEVERITY[p.severity], p.code, p.message)
             for p in problems]
    row = _check_table(ws, f, row, S.CHECK_PROBLEMS_TITLE, T.CHECK_COLUMNS, found)
    row = _check_table(ws, f, row, S.CHECK_CHANGES_TITLE, S.CHECK_CHANGES_COLUMNS, review_rows(ranking, names))
    rows = [(names[u], as_text(r.get("disqualify_reason")))
            for u, r in table[[flag(d) for d in table["disqualified"]]].iterrows()] \
        if "disqualified" in table else []
    row = _check_table(ws, f, row, S.CHECK_DISQUALIFIED_TITLE, S.CHECK_DISQUALIFIED_COLUMNS, rows)
    robustness = getattr(ranking, "robustness", None)
    if robustness is not None:
        ranked = robustness[robustness[["rank", "min_rank", "max_rank"]].notna().all(axis=1)]
        rows = [(names.get(u, str(u)), int(rank), int(low), int(high))
                for u, rank, low, high in zip(ranked.index, ranked["rank"], ranked["min_rank"], ranked["max_rank"])]
        row = _check_table(ws, f, row, S.CHECK_ROBUSTNESS_TITLE, S.CHECK_ROBUSTNESS_COLUMNS, rows)
        if getattr(ranking, "leader_changes", False):
            ws.write_string(row, 0, S.CHECK_LEADER_CHANGES, f["section"])
            row += 2
    if len(ranking.cross):
        row = _check_table(ws, f, row, S.CHECK_CROSS_TITLE, S.CHECK_CROSS_COLUMNS, cross_rows(ranking, names))
        _check_table(ws, f, row, S.CHECK_PEERS_TITLE, S.CHECK_PEERS_COLUMNS, peer_rows(ranking, names))


def review_rows(ranking: Ranking, names: dict[str, str]) -> list[tuple]:
    """Per reviewed leaf: self-score, the first and second rounds' scores (blank when not held), the
    reviewed score, and one cell with each round's reason and the unit's explanation, a line each."""
    return [(names.get(r["unit"], str(r["unit"])), str(r["code"]), float(r["self_score"]), _score(r["first"]),
             _score(r["second"]), float(r["review_score"]), review_history(r))
            for r in ranking.review_rounds.to_dict("records")]


def review_history(r: dict) -> str:
    """'Lần 1: reason', 'Đơn vị giải trình: text', 'Lần 2: reason', one line each, for the rounds held."""
    lines = []
    if not is_blank(r["first"]):
        lines.append(S.CHECK_ROUND_FIRST.format(reason=r["first_reason"] or T.rules.NO_REASON))
    if r["explanation"]:
        lines.append(S.CHECK_ROUND_EXPLANATION.format(text=r["explanation"]))
    if not is_blank(r["second"]):
        lines.append(S.CHECK_ROUND_SECOND.format(reason=r["second_reason"] or T.rules.NO_REASON))
    return "\n".join(lines)


def _score(value) -> float | None:
    """A round's score, or None (a blank cell) when the round was not held."""
    return None if is_blank(value) else float(value)


def peer_rows(ranking: Ranking, names: dict[str, str]) -> list[tuple]:
    """Per scored unit and criterion: each peer's score, whether the trimmed mean dropped it, the mean."""
    rows: list[tuple] = []
    peers = ranking.peer_scores
    for (unit, code), scores in peers.groupby(["unit", "code"], sort=False):
        rows += [(names.get(unit, str(unit)), str(code), names.get(s, str(s)), float(x), S.CHECK_DROPPED[d])
                 for s, x, d in zip(scores["scorer"], scores["score"], scores["dropped"])]
        mean = round(float(scores["mean"].iloc[0]), 2)
        rows.append((names.get(unit, str(unit)), str(code), S.CHECK_TRIMMED_MEAN, mean, ""))
    return rows


def cross_rows(ranking: Ranking, names: dict[str, str]) -> list[tuple]:
    """Per cross-scored unit: peers, totals from its self-scores, from the peers' (trimmed) mean
    scores and final, the gap and whether it exceeds the bloc's threshold."""
    c = ranking.cross
    return [(names.get(u, str(u)), int(r["peers"]), round(float(r["self_total"]), 2),
             round(float(r["cross_total"]), 2), round(float(r["final_total"]), 2), round(float(r["gap"]), 2),
             S.CHECK_FLAGGED[bool(r["flagged"])]) for u, r in zip(c.index, c.to_dict("records"))]


def _check_table(ws, f, row: int, title: str, columns: Sequence[str], rows: list[tuple]) -> int:
    """A titled table (or 'Không có.'); returns the row after it and a blank line."""
    ws.write_string(row, 0, title, f["section"])
    if not rows:
        ws.write_string(row + 1, 0, S.CHECK_NONE, f["plain"])
        return row + 3
    ws.write_row(row + 1, 0, columns, f["head"])
    fit_row(ws, row + 1, list(zip(columns, CHECK_WIDTHS)))
    for i, values in enumerate(rows, start=row + 2):
        fit_row(ws, i, [(v, w) for v, w in zip(values, CHECK_WIDTHS) if isinstance(v, str)])
        for j, value in enumerate(values):
            if value is None:
                ws.write_blank(i, j, None, f["text"])
            elif isinstance(value, str):
                ws.write_string(i, j, value, f["text"])
            else:
                ws.write_number(i, j, value, f["int" if isinstance(value, int) else "num"])
    return row + len(rows) + 3
