"""`rank_bloc` and its result `Ranking`: every member's row (scores, grade, rank, decisions) and every
intermediate table, from the bloc, the input values and the meeting's inputs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit import texts as T
from toolkit.bloc.model import Bloc
from toolkit.meeting.model import CrossScore, Review, Vote
from toolkit.ranking.decisions import DECISION_COLUMNS, decide
from toolkit.ranking.inputs import (CHANGE_COLUMNS, CROSS_COLUMNS, PEER_COLUMNS, REVIEW_COLUMNS, changes,
                                    cross_matrix, cross_table, peer_scores, review_matrix, review_rounds)
from toolkit.ranking.robustness import ROBUSTNESS_COLUMNS, perturbed_ranks
from toolkit.ranking.scores import (EPS, Plan, Scores, Shortfall, Weights, base_factor, evaluate,
                                    grade_shortfalls, grades, rank_matrix, score_leaves)
from toolkit.ranking.ties import competition_ranks
from toolkit.vntext import vn_number


@dataclass
class Ranking:
    """The consolidated result. `table` has one row per member in founding order (index: unit code)
    with columns order, name, one per base top group, base, bonus, penalty, total, grade, rank,
    tied, counted, note, votes_pct, vote_passed, disqualified, disqualify_reason, award,
    gov_flag_candidate. `leaf_scores`: unit × leaf final scores; `groups`: unit × every group.
    `changes`: every leaf the review changed (unit, code, self_score, final_score: the reviewed
    score, reason: the last round's, then every round: first, first_reason, explanation, second,
    second_reason); cross scores are kept apart in `cross`. `robustness` (index unit): rank,
    min_rank, max_rank under ±10 % weights;
    `leader_changes`: whether any such perturbation changes the leader. Intermediate tables:
    `self_scores`, `review_scores`, `cross_scores` (unit × leaf), `weights`, `review_rounds`
    (every reviewed leaf: self_score, the rounds, final_score: the final leaf score, review_score),
    `cross` (per unit: peers, self/cross/final totals, gap, flagged). `shortfalls`: unit -> the
    per-group floors it missed in the bands above its grade that its total reaches. `peer_scores`:
    every peer's score of a unit, which one the trimmed mean dropped, the mean."""

    bloc: Bloc
    table: pd.DataFrame
    leaf_scores: pd.DataFrame
    groups: pd.DataFrame
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    robustness: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=ROBUSTNESS_COLUMNS, index=pd.Index([], name="unit")))
    leader_changes: bool = False
    self_scores: pd.DataFrame | None = None
    review_scores: pd.DataFrame | None = None
    cross_scores: pd.DataFrame | None = None
    cross: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CROSS_COLUMNS))
    weights: pd.DataFrame = field(default_factory=pd.DataFrame)
    review_rounds: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVIEW_COLUMNS))
    shortfalls: dict[str, list[Shortfall]] = field(default_factory=dict)
    peer_scores: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=PEER_COLUMNS))

    def ranked(self) -> pd.DataFrame:
        """Counted units ordered by rank (ties keep founding order)."""
        counted = self.table[self.table["counted"]]
        return counted.sort_values(["rank", "order"], kind="stable")


def rank_bloc(bloc: Bloc, values: dict[str, dict[str, float]],
              not_counted: dict[str, str] | None = None, *,
              reviews: Iterable[Review] = (), cross: Iterable[CrossScore] = (),
              votes: Mapping[str, Vote] | Iterable[Vote] = (),
              disqualified: Mapping[str, Iterable[str] | str] | None = None,
              robustness: bool = True) -> Ranking:
    """Rank the member units whose input values are given; every other member is listed as not
    counted with the reason in `not_counted` (default: no form returned). Reviews, cross scores,
    votes and disqualifiers (unit -> disqualifier keys or texts) come from the bloc's meeting."""
    values = {m.code: values[m.code] for m in bloc.members if m.code in values}
    units = list(values)
    plan = Plan(bloc)
    self_ = plan.clamp(score_leaves(bloc, values).reindex(columns=plan.leaves).to_numpy(dtype=float))
    review, used_reviews = review_matrix(plan, units, self_, reviews)
    cross = list(cross)
    cross_, peers = cross_matrix(plan, units, self_, cross)
    weights = Weights.of(bloc)
    scores = evaluate(plan, self_, review, cross_, weights)

    def frame(matrix: np.ndarray, columns: list[str] = plan.leaves) -> pd.DataFrame:
        return pd.DataFrame(matrix, index=pd.Index(units, name="unit"), columns=columns, copy=False)

    groups = frame(scores.groups, plan.groups)
    table = _unit_table(bloc, plan, units, scores, groups, not_counted or {})
    notes: dict[str, list[str]] = {u: [] for u in table.index}
    shortfalls = dict(zip(units, grade_shortfalls(bloc, plan, scores.total, scores.groups,
                                                  table.loc[units, "grade"].tolist())))
    for unit, missed in shortfalls.items():
        notes[unit].extend(map(floor_note, missed))
    crossed = cross_table(bloc, plan, weights, units, self_, cross_, scores, peers, notes) if cross \
        else pd.DataFrame(columns=CROSS_COLUMNS)
    decide(bloc, table, votes, disqualified or {}, notes)
    table["note"] = ["; ".join(([note] if note else []) + notes[unit]) for unit, note in table["note"].items()]
    rounds = review_rounds(plan, units, self_, review, scores.final, used_reviews)
    ranking = Ranking(
        bloc, table, frame(scores.final), groups, changes=changes(rounds),
        self_scores=frame(self_), review_scores=frame(review), cross_scores=frame(cross_), cross=crossed,
        weights=weights_table(plan, weights),
        review_rounds=rounds, shortfalls=shortfalls,
        peer_scores=peer_scores(plan, units, cross))
    if robustness:
        ranking.robustness, ranking.leader_changes = perturbed_ranks(plan, units, self_, review, cross_, weights)
    return ranking


def floor_note(s: Shortfall) -> str:
    """'Nhóm I đạt 82,9 % < 85 % của mức Xuất sắc'."""
    return T.rules.NOTE_GRADE_FLOOR.format(group=s.group, share=vn_number(round(100 * s.share, 1)),
                                           floor=vn_number(round(100 * s.floor, 1)), band=s.band)


def _unit_table(bloc: Bloc, plan: Plan, units: list[str], scores: Scores, groups: pd.DataFrame,
                not_counted: dict[str, str]) -> pd.DataFrame:
    """One row per member in founding order: weighted group columns, base, bonus, penalty, total,
    grade, rank, tied, counted, note (decision columns are filled by `decide`)."""
    ranks, tied = competition_ranks(rank_matrix(plan, scores))
    counted = pd.DataFrame({**dict(zip(plan.base_codes, scores.base_parts.T)), "base": scores.base,
                            "bonus": scores.bonus, "penalty": scores.penalty, "total": scores.total,
                            "grade": grades(bloc, plan, scores.total, scores.groups), "rank": ranks,
                            "tied": tied}, index=pd.Index(units, name="unit"))
    codes = [m.code for m in bloc.members]
    table = counted.reindex(pd.Index(codes, name="unit"))
    is_counted = table.index.isin(units)
    table.insert(0, "order", [m.order for m in bloc.members])
    table.insert(1, "name", [m.name for m in bloc.members])
    table["tied"] = table["tied"].eq(True)  # not counted: not tied
    table["rank"] = table["rank"].astype("Int64")
    table["counted"] = is_counted
    table["note"] = ["" if c else not_counted.get(code, T.NOT_RETURNED) for code, c in zip(codes, is_counted)]
    columns = ["order", "name", *plan.base_codes, "base", "bonus", "penalty", "total", "grade", "rank",
               "tied", "counted", "note", *DECISION_COLUMNS]
    return table.reindex(columns=columns)


def weights_table(plan: Plan, weights: Weights) -> pd.DataFrame:
    """The weights used: the three components and their shares; each base group's weight and the
    factor that multiplies its score in the base total."""
    total_w = weights.own + weights.review + weights.cross
    rows = [{"weight": name, "value": value, "share": value / total_w if total_w > EPS else float("nan")}
            for name, value in (("self", weights.own), ("review", weights.review), ("cross", weights.cross))]
    factor = base_factor(plan, np.array(weights.groups, dtype=float))
    rows += [{"weight": f"group:{code}", "value": w, "share": w * factor}
             for code, w in zip(plan.base_codes, weights.groups)]
    return pd.DataFrame(rows).set_index("weight")
