"""Stage 4 — consolidate: leaf scores by kind, clamped group sums, totals, grades and ranks (pandas).

`rank_bloc` is a pure function of the bloc and the units' input values: no I/O, no cached results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Criterion

EPS = 1e-9


@dataclass
class Ranking:
    """The consolidated result. `table` has one row per member in founding order (index: unit code)
    with columns order, name, one per base top group, base, bonus, penalty, total, grade, rank,
    tied, counted, note. `leaf_scores`: unit × leaf final scores; `groups`: unit × every group."""

    bloc: Bloc
    table: pd.DataFrame
    leaf_scores: pd.DataFrame
    groups: pd.DataFrame

    def ranked(self) -> pd.DataFrame:
        """Counted units ordered by rank (ties keep founding order)."""
        counted = self.table[self.table["counted"]]
        return counted.sort_values(["rank", "order"], kind="stable")


def leaf_score(c: Criterion, value: float, best_actual: float | None = None) -> float:
    """Points of one leaf from the unit's input value (see DOMAIN.md, scoring kinds)."""
    if c.kind == "graded":
        return min(max(value, 0.0), c.max_points)
    if c.kind == "passfail":
        return c.max_points if value >= 0.5 else 0.0
    if c.kind == "quantitative":
        return quantitative_score(c, value, best_actual)
    points = c.points * max(value, 0.0)
    return min(points, c.max_points) if c.max_points else points


def quantitative_score(c: Criterion, actual: float, best: float | None) -> float:
    """Below target: half the maximum pro rata; at target: half; the bloc's best above target: the
    maximum; in between: linear from half to the maximum."""
    half, target = c.max_points / 2, c.target
    if target <= 0:
        return c.max_points if actual > 0 else 0.0
    if actual < target - EPS:
        return half * max(actual, 0.0) / target
    best = actual if best is None else max(best, actual)
    if best - target <= EPS:
        return half
    return half + half * (actual - target) / (best - target)


def score_leaves(bloc: Bloc, values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """unit × leaf scores from input values; quantitative leaves compare units with each other."""
    leaves = bloc.criteria.leaves()
    units = list(values)
    columns = {}
    for c in leaves:
        inputs = [values[u].get(c.code) for u in units]
        present = [v for v in inputs if v is not None]
        best = max(present) if c.kind == "quantitative" and present else None
        columns[c.code] = [0.0 if v is None else leaf_score(c, v, best) for v in inputs]
    return pd.DataFrame(columns, index=pd.Index(units, name="unit"), columns=[c.code for c in leaves],
                        dtype=float)


def group_scores(bloc: Bloc, leaf_scores: pd.DataFrame) -> pd.DataFrame:
    """unit × group: sum of children, clamped to the group's maximum (bonus top groups: the cap)."""
    tree = bloc.criteria
    out = pd.DataFrame(index=leaf_scores.index)
    for group in reversed([c for c in tree if c.is_group]):  # children before parents
        parts = [out[ch.code] if ch.is_group else leaf_scores[ch.code] for ch in tree.children(group.code)]
        total = sum(parts[1:], parts[0])
        section = tree.section(tree.top_of(group.code))
        cap = bloc.rules.bonus_cap if section == "bonus" and group.depth == 0 else group.max_points
        out[group.code] = total.clip(upper=cap) if cap and section != "penalty" else total
    return out[[c.code for c in tree if c.is_group]]


def grade(bloc: Bloc, total: float, group_row: pd.Series) -> str:
    """First band whose total and per-group floors are met, else 'Không hoàn thành'."""
    for band in bloc.rules.grade_bands:
        floors_met = all(group_row[g.code] + EPS >= band.min_group_share * g.max_points
                         for g in bloc.criteria.base_groups())
        if total + EPS >= band.min_total and floors_met:
            return band.name
    return T.NOT_COMPLETED


def rank_bloc(bloc: Bloc, values: dict[str, dict[str, float]],
              not_counted: dict[str, str] | None = None) -> Ranking:
    """Rank the units whose input values are given; every other member is listed as not counted
    with the reason in `not_counted` (default: no form returned)."""
    tree = bloc.criteria
    leaf = score_leaves(bloc, values)
    groups = group_scores(bloc, leaf)
    sections = {g.code: tree.section(g.code) for g in tree.top_groups()}
    rows = []
    for m in bloc.members:
        row = {"unit": m.code, "order": m.order, "name": m.name, "counted": m.code in values}
        if row["counted"]:
            g = groups.loc[m.code]
            row.update({code: float(g[code]) for code, s in sections.items() if s == "base"})
            row["base"] = sum(float(g[c]) for c, s in sections.items() if s == "base")
            row["bonus"] = min(bloc.rules.bonus_cap, sum(float(g[c]) for c, s in sections.items() if s == "bonus"))
            row["penalty"] = sum(float(g[c]) for c, s in sections.items() if s == "penalty")
            row["total"] = row["base"] + row["bonus"] - row["penalty"]
            row["grade"] = grade(bloc, row["total"], g)
            row["note"] = ""
        else:
            row["note"] = (not_counted or {}).get(m.code, T.NOT_RETURNED)
        rows.append(row)
    columns = ["order", "name", *[c for c, s in sections.items() if s == "base"], "base", "bonus",
               "penalty", "total", "grade", "rank", "tied", "counted", "note"]
    table = pd.DataFrame(rows).set_index("unit").reindex(columns=columns)  # all columns even if none counted
    _assign_ranks(bloc, table, groups)
    return Ranking(bloc, table.reindex(columns=columns), leaf, groups)


def rank_keys(bloc: Bloc, table: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """The comparison keys, higher is better: total, then the bloc's tie-break chain."""
    keys = pd.DataFrame(index=table.index)
    keys["total"] = table["total"]
    for i, step in enumerate(bloc.rules.tie_break):
        kind, _, code = step.partition(":")
        if kind == "group":
            keys[f"k{i}"] = groups[code].reindex(table.index)
        elif kind == "penalty":
            keys[f"k{i}"] = -table["penalty"]
        else:
            keys[f"k{i}"] = table["bonus"]
    return keys.astype(float).round(6)


def _assign_ranks(bloc: Bloc, table: pd.DataFrame, groups: pd.DataFrame) -> None:
    """rank = 1 + the number of units with better keys; tied when another unit has the same keys."""
    counted = table[table["counted"]]
    keys = list(rank_keys(bloc, counted, groups).itertuples(index=False, name=None))
    better = _better_counts(keys)
    table["rank"] = pd.array([pd.NA] * len(table), dtype="Int64")
    table["tied"] = False
    table.loc[counted.index, "rank"] = [better[k] + 1 for k in keys]
    table.loc[counted.index, "tied"] = _tied_flags(keys)


def _better_counts(keys: list[tuple]) -> dict[tuple, int]:
    """For each distinct key, how many keys are strictly greater (one sort instead of all pairs)."""
    out: dict[tuple, int] = {}
    for position, key in enumerate(sorted(keys, reverse=True)):
        out.setdefault(key, position)
    return out


def _tied_flags(keys: list[tuple]) -> list[bool]:
    counts = Counter(keys)
    return [counts[k] > 1 for k in keys]


def rank_label(rank, tied: bool) -> str:
    """'3' or '3 (đồng hạng)'; empty for units not ranked."""
    if pd.isna(rank):
        return ""
    return f"{int(rank)} ({T.TIED})" if tied else str(int(rank))
