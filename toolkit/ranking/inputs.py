"""Meeting inputs as matrices: review rounds and cross scores over the self-scores, and the tables
that explain them (changed leaves, review rounds, cross-score gaps)."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from toolkit import texts as T
from toolkit.bloc.model import Bloc
from toolkit.meeting.model import TOTAL, CrossScore, Review
from toolkit.ranking.scores import EPS, Plan, Scores, Weights, evaluate, index_of
from toolkit.vntext import vn_number

ROUND_COLUMNS = ["first", "first_reason", "explanation", "second", "second_reason"]
CHANGE_COLUMNS = ["unit", "code", "self_score", "final_score", "reason", *ROUND_COLUMNS]
REVIEW_COLUMNS = ["unit", "code", "self_score", *ROUND_COLUMNS, "final_score", "review_score"]
CROSS_COLUMNS = ["peers", "self_total", "cross_total", "final_total", "gap", "flagged"]
PEER_COLUMNS = ["unit", "code", "scorer", "score", "dropped", "mean"]


def trimmed_mean(scores: list[float]) -> float:
    """Mean of the peers' scores, dropping the highest and the lowest when five or more peers score."""
    ordered = sorted(scores)
    if len(ordered) >= 5:
        ordered = ordered[1:-1]
    return sum(ordered) / len(ordered)


def review_matrix(plan: Plan, units: list[str], self_: np.ndarray,
                  reviews: Iterable[Review]) -> tuple[np.ndarray, dict[tuple[str, str], Review]]:
    """Self-scores overwritten by each leaf's last review round (clamped to the leaf's range); without
    any, the self-scores' own array (equal values: one array, not two; issue 20)."""
    row_of, col_of = index_of(units), plan.leaf_at
    used = {(r.unit, r.code): r for r in reviews if r.unit in row_of and r.code in col_of and r.final is not None}
    if not used:
        return self_, used
    out = self_.copy()
    for (unit, code), r in used.items():
        out[row_of[unit], col_of[code]] = r.final
    return plan.clamp(out), used


def _given(plan: Plan, units: list[str], cross: Iterable[CrossScore]) -> dict[tuple[str, str], dict[str, float]]:
    """(scored unit, leaf code or TOTAL) -> scorer -> score; a unit's own score is never counted."""
    row_of, col_of = index_of(units), plan.leaf_at
    given: dict[tuple[str, str], dict[str, float]] = {}
    for c in cross:
        if c.scorer != c.scored and c.scored in row_of and (c.code == TOTAL or c.code in col_of):
            given.setdefault((c.scored, c.code), {})[c.scorer] = c.score
    return given


def peer_scores(plan: Plan, units: list[str], cross: Iterable[CrossScore]) -> pd.DataFrame:
    """Every peer's score of a unit (unit, code, scorer, score) and which one the trimmed mean
    dropped ('high', 'low', else ''), with the trimmed mean of its (unit, code) as `mean`."""
    rows = []
    for (unit, code), by_scorer in _given(plan, units, list(cross)).items():
        ordered = sorted(by_scorer.items(), key=lambda kv: (kv[1], kv[0]))
        dropped = {ordered[0][0]: "low", ordered[-1][0]: "high"} if len(ordered) >= 5 else {}
        mean = trimmed_mean(list(by_scorer.values()))
        rows += [{"unit": unit, "code": code, "scorer": scorer, "score": float(score),
                  "dropped": dropped.get(scorer, ""), "mean": mean} for scorer, score in ordered]
    return pd.DataFrame(rows, columns=PEER_COLUMNS)


def cross_matrix(plan: Plan, units: list[str], self_: np.ndarray,
                 cross: Iterable[CrossScore]) -> tuple[np.ndarray, pd.Series]:
    """Per leaf, the trimmed mean of the peers' scores (never the unit's own); a unit scored on
    the total only gets its base leaves scaled so that they add up to that mean. Leaves nobody
    scored keep the self-score. Also returns unit -> number of peers. Without any cross score, the
    self-scores' own array (issue 20)."""
    row_of, col_of = index_of(units), plan.leaf_at
    given = _given(plan, units, cross)
    peers = {u: 0 for u in units}
    if not given:
        return self_, pd.Series(peers, dtype=int)
    out = self_.copy()
    for (unit, code), by_scorer in given.items():
        peers[unit] = max(peers[unit], len(by_scorer))
        if code != TOTAL:
            out[row_of[unit], col_of[code]] = trimmed_mean(list(by_scorer.values()))
    leaf_scored = {unit for unit, code in given if code != TOTAL}
    for (unit, code), by_scorer in given.items():
        if code == TOTAL and unit not in leaf_scored:
            i, base = row_of[unit], plan.base_leaves
            shares = self_[i, base] if self_[i, base].sum() > EPS else plan.leaf_max[base]
            out[i, base] = shares * trimmed_mean(list(by_scorer.values())) / max(shares.sum(), EPS)
    return plan.clamp(out), pd.Series(peers, dtype=int)


def cross_table(bloc: Bloc, plan: Plan, weights: Weights, units: list[str], self_: np.ndarray,
                 cross_: np.ndarray, scores: Scores, peers: pd.Series,
                 notes: dict[str, list[str]]) -> pd.DataFrame:
    """unit: peers, totals from self-scores alone, cross scores alone and the final scores, the
    gap |self − final| and whether it exceeds the bloc's threshold."""
    table = pd.DataFrame(index=pd.Index(units, name="unit"))
    table["peers"] = peers.reindex(units).fillna(0).astype(int).to_numpy()
    table["self_total"] = evaluate(plan, self_, self_, self_, weights).total
    table["cross_total"] = evaluate(plan, cross_, cross_, cross_, weights).total
    table["final_total"] = scores.total
    table["gap"] = (table["self_total"] - table["final_total"]).abs().round(6)
    table["flagged"] = table["gap"] > bloc.rules.cross_flag_threshold + EPS
    for unit, row in table[table["flagged"]].iterrows():
        notes[unit].append(T.rules.NOTE_CROSS_GAP.format(gap=vn_number(round(row["gap"], 2))))
    return table


def changes(rounds: pd.DataFrame) -> pd.DataFrame:
    """Every leaf the review changed (`review_rounds` rows whose reviewed score differs from the
    self-score): self-score, reviewed score as `final_score`, the last round's reason and every round
    (cross scores are kept apart: `cross_table`)."""
    changed = rounds[(rounds["review_score"] - rounds["self_score"]).abs() > 1e-6].reset_index(drop=True)
    out = changed.drop(columns="final_score").rename(columns={"review_score": "final_score"})
    out["reason"] = [_last_reason(r) for r in changed.to_dict("records")]
    return out[CHANGE_COLUMNS]


def _last_reason(row: dict) -> str:
    """The reason of the round that decided the reviewed score (the second when held)."""
    second = row["second"] is not None and not pd.isna(row["second"])
    return (row["second_reason"] if second else row["first_reason"]) or T.rules.NO_REASON


def review_rounds(plan: Plan, units: list[str], self_: np.ndarray, review: np.ndarray, final: np.ndarray,
                  used: dict[tuple[str, str], Review]) -> pd.DataFrame:
    """Every reviewed leaf in founding then criteria order: self-score, first round and reason, the
    unit's explanation, second round and reason, the final leaf score and the reviewed score."""
    row_of, col_of = index_of(units), plan.leaf_at
    ordered = sorted(used.values(), key=lambda r: (row_of[r.unit], col_of[r.code]))
    rows = [{"unit": r.unit, "code": r.code, "self_score": float(self_[i, j]),
             "first": r.first, "first_reason": r.first_reason, "explanation": r.explanation,
             "second": r.second, "second_reason": r.second_reason,
             "final_score": float(round(final[i, j], 6)), "review_score": float(round(review[i, j], 6))}
            for r in ordered for i, j in [(row_of[r.unit], col_of[r.code])]]
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)
