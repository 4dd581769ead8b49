"""Stage 4 — consolidate: leaf scores by kind, review rounds, cross scores, weights, clamped group
sums, totals, grades, ranks, votes, disqualifiers, award proposals and robustness (pandas, numpy).

`rank_bloc` is a pure function of (bloc, submissions, reviews, cross scores, votes, disqualifiers):
no I/O, no cached results. Every intermediate table is kept on the returned `Ranking`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Criterion
from toolkit.meeting.model import TOTAL, CrossScore, Review, Vote
from toolkit.vntext import vn_number

EPS = 1e-9
CHANGE_COLUMNS = ["unit", "code", "self_score", "final_score", "reason"]
ROBUSTNESS_COLUMNS = ["rank", "min_rank", "max_rank"]
REVIEW_COLUMNS = ["unit", "code", "self_score", "first", "first_reason", "explanation", "second",
                  "second_reason", "final_score"]
CROSS_COLUMNS = ["peers", "self_total", "cross_total", "final_total", "gap", "flagged"]
DECISION_COLUMNS = ["votes_pct", "vote_passed", "disqualified", "disqualify_reason", "award",
                    "gov_flag_candidate"]


@dataclass
class Ranking:
    """The consolidated result. `table` has one row per member in founding order (index: unit code)
    with columns order, name, one per base top group, base, bonus, penalty, total, grade, rank,
    tied, counted, note, votes_pct, vote_passed, disqualified, disqualify_reason, award,
    gov_flag_candidate. `leaf_scores`: unit × leaf final scores; `groups`: unit × every group.
    `changes`: every leaf whose final score differs from the self-score (unit, code, self_score,
    final_score, reason). `robustness` (index unit): rank, min_rank, max_rank under ±10 % weights;
    `leader_changes`: whether any such perturbation changes the leader. Intermediate tables:
    `self_scores`, `review_scores`, `cross_scores` (unit × leaf), `weights`, `review_rounds`,
    `cross` (per unit: peers, self/cross/final totals, gap, flagged)."""

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

    def ranked(self) -> pd.DataFrame:
        """Counted units ordered by rank (ties keep founding order)."""
        counted = self.table[self.table["counted"]]
        return counted.sort_values(["rank", "order"], kind="stable")


def score_leaves(bloc: Bloc, values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """unit × leaf scores from input values; quantitative leaves compare units with each other."""
    leaves = bloc.criteria.leaves()
    codes = [c.code for c in leaves]
    inputs = np.array([list(map(row.get, codes)) for row in values.values()], dtype=float)
    inputs = inputs.reshape(len(values), len(codes))  # None became NaN: no input
    columns = {c.code: _leaf_column(c, inputs[:, j]) for j, c in enumerate(leaves)}
    return pd.DataFrame(columns, index=pd.Index(list(values), name="unit"), columns=codes, dtype=float)


def _leaf_column(c: Criterion, value: np.ndarray) -> np.ndarray:
    """Points of one leaf from every unit's input value (NaN: none, 0 points); see DOMAIN.md,
    scoring kinds."""
    missing = np.isnan(value)
    if c.kind == "graded":
        points = np.minimum(np.maximum(value, 0.0), c.max_points)
    elif c.kind == "passfail":
        points = np.where(value >= 0.5, c.max_points, 0.0)
    elif c.kind == "quantitative":
        points = _quantitative_column(c, value, None if missing.all() else float(np.nanmax(value)))
    else:
        points = c.points * np.maximum(value, 0.0)
        points = np.minimum(points, c.max_points) if c.max_points else points
    return np.where(missing, 0.0, points)


def _quantitative_column(c: Criterion, actual: np.ndarray, best: float | None) -> np.ndarray:
    """Below target: half the maximum pro rata; at target: half; the bloc's best (`best`) above target:
    the maximum; in between: linear from half to the maximum."""
    half, target = c.max_points / 2, c.target
    if target <= 0:
        return np.where(actual > 0, c.max_points, 0.0)
    below = half * np.maximum(actual, 0.0) / target
    if best is None or best - target <= EPS:
        above = np.full_like(actual, half)
    else:
        above = half + half * (actual - target) / (best - target)
    return np.where(actual < target - EPS, below, above)


def group_scores(bloc: Bloc, leaf_scores: pd.DataFrame) -> pd.DataFrame:
    """unit × group: sum of children, clamped to the group's maximum (bonus top groups: the cap)."""
    plan = Plan(bloc)
    values = plan.groups_of(leaf_scores.reindex(columns=plan.leaves).to_numpy(dtype=float))
    return pd.DataFrame(values, index=leaf_scores.index, columns=plan.groups)


def grades(bloc: Bloc, plan: "Plan", total: np.ndarray, groups: np.ndarray) -> list[str]:
    """Per unit, the highest band whose total and per-group floors are met, else 'Không hoàn thành'
    (`groups`: unit × every group, in `plan.groups` order)."""
    names = np.full(len(total), T.NOT_COMPLETED, dtype=object)
    open_ = np.ones(len(total), dtype=bool)
    for band in sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total):
        floors_met = np.all(groups[:, plan.base] + EPS >= band.min_group_share * plan.base_max, axis=1)
        met = open_ & (total + EPS >= band.min_total) & floors_met
        names[met] = band.name
        open_ &= ~met
    return names.tolist()


# --- the tree as arrays: one evaluation per weight set (robustness re-runs it many times) --------

@dataclass(frozen=True)
class Weights:
    """Component weights (self, review, cross) and one weight per base top group (document order)."""

    own: float
    review: float
    cross: float
    groups: tuple[float, ...]

    @classmethod
    def of(cls, bloc: Bloc) -> "Weights":
        r = bloc.rules
        return cls(r.weight_self, r.weight_review, r.weight_cross,
                   tuple(r.group_weight(g.code) for g in bloc.criteria.base_groups()))

    def as_tuple(self) -> tuple[float, ...]:
        return (self.own, self.review, self.cross, *self.groups)

    @classmethod
    def from_tuple(cls, values: tuple[float, ...]) -> "Weights":
        return cls(values[0], values[1], values[2], tuple(values[3:]))


class Plan:
    """Index arithmetic of one criteria tree: groups children-first with their caps, top-group
    sections, leaf maxima, the tie-break chain."""

    def __init__(self, bloc: Bloc):
        tree, rules = bloc.criteria, bloc.rules
        self.leaves = [c.code for c in tree.leaves()]
        self.groups = [c.code for c in tree if c.is_group]
        leaf_at = {code: i for i, code in enumerate(self.leaves)}
        self.group_at = {code: i for i, code in enumerate(self.groups)}
        self.steps = []
        for group in reversed([c for c in tree if c.is_group]):  # children before parents
            kids = tree.children(group.code)
            section = tree.section(tree.top_of(group.code))
            if section == "bonus" and group.depth == 0:
                cap = rules.bonus_cap
            elif section == "penalty" or not group.max_points:
                cap = None
            else:
                cap = group.max_points
            self.steps.append((self.group_at[group.code], [leaf_at[k.code] for k in kids if not k.is_group],
                               [self.group_at[k.code] for k in kids if k.is_group], cap))
        tops = tree.top_groups()
        self.base_codes = [g.code for g in tops if tree.section(g.code) == "base"]
        self.base = [self.group_at[c] for c in self.base_codes]
        self.bonus = [self.group_at[g.code] for g in tops if tree.section(g.code) == "bonus"]
        self.penalty = [self.group_at[g.code] for g in tops if tree.section(g.code) == "penalty"]
        self.base_max = np.array([tree.get(c).max_points for c in self.base_codes], dtype=float)
        self.base_leaves = [leaf_at[c.code] for code in self.base_codes for c in tree.leaves_under(code)]
        maxima = np.array([c.max_points for c in tree.leaves()], dtype=float)
        self.leaf_cap = np.where(maxima > 0, maxima, np.inf)
        self.leaf_max = maxima
        self.bonus_cap = rules.bonus_cap
        self.chain = rules.tie_break

    def clamp(self, scores: np.ndarray) -> np.ndarray:
        """Leaf points within 0..max (uncapped leaves: ≥ 0)."""
        return np.clip(scores, 0.0, self.leaf_cap)

    def groups_of(self, final: np.ndarray) -> np.ndarray:
        out = np.zeros((final.shape[0], len(self.groups)))
        for g, leaves, subgroups, cap in self.steps:
            total = final[:, leaves].sum(axis=1) + out[:, subgroups].sum(axis=1)
            out[:, g] = np.minimum(total, cap) if cap is not None else total
        return out


@dataclass
class Scores:
    """One evaluation: unit × leaf final points, unit × group raw sums, weighted base parts, totals."""

    final: np.ndarray
    groups: np.ndarray
    base_parts: np.ndarray
    base: np.ndarray
    bonus: np.ndarray
    penalty: np.ndarray
    total: np.ndarray


def evaluate(plan: Plan, self_: np.ndarray, review: np.ndarray, cross: np.ndarray, w: Weights) -> Scores:
    """final = (ws·self + wr·review + wc·cross) / (ws + wr + wc) per leaf; base = Σ over base top
    groups of wg·G·(Σ max) / (Σ wg·max), so group weights never raise the maximum base."""
    final = _final(self_, review, cross, w)
    return _weigh_groups(plan, final, plan.groups_of(final), w)


def _final(self_: np.ndarray, review: np.ndarray, cross: np.ndarray, w: Weights) -> np.ndarray:
    """Leaf final points: the component weights' mean of self, review and cross points."""
    total_w = w.own + w.review + w.cross
    return review if total_w <= EPS else (w.own * self_ + w.review * review + w.cross * cross) / total_w


def _weigh_groups(plan: Plan, final: np.ndarray, groups: np.ndarray, w: Weights) -> Scores:
    """The scores from leaf final points and their group sums under the base groups' weights."""
    weights = np.array(w.groups, dtype=float)
    base_parts = groups[:, plan.base] * weights * _base_factor(plan, weights)
    base = base_parts.sum(axis=1)
    bonus = np.minimum(groups[:, plan.bonus].sum(axis=1), plan.bonus_cap)
    penalty = groups[:, plan.penalty].sum(axis=1)
    return Scores(final, groups, base_parts, base, bonus, penalty, base + bonus - penalty)


def _base_factor(plan: Plan, group_weights: np.ndarray) -> float:
    """(Σ max) / (Σ wg·max) over the base top groups: weights never raise the maximum base."""
    denominator = float((group_weights * plan.base_max).sum())
    return float(plan.base_max.sum()) / denominator if denominator > EPS else 1.0


def rank_matrix(plan: Plan, scores: Scores) -> np.ndarray:
    """unit × key, higher is better: total, then the bloc's tie-break chain (raw group sums)."""
    columns = [scores.total]
    for step in plan.chain:
        kind, _, code = step.partition(":")
        if kind == "group":
            columns.append(scores.groups[:, plan.group_at[code]])
        elif kind == "penalty":
            columns.append(-scores.penalty)
        else:
            columns.append(scores.bonus)
    return np.round(np.column_stack(columns), 6) + 0.0  # + 0.0 turns -0.0 into 0.0


def competition_ranks(keys: np.ndarray) -> tuple[list[int], list[bool]]:
    """1 + the number of strictly better units; tied when another unit has the same keys.
    One lexicographic sort instead of comparing all pairs (robustness calls this hundreds of times)."""
    ranks, tied = _rank_arrays(keys)
    return ranks.tolist(), tied.tolist()


def _rank_arrays(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`competition_ranks` as numpy arrays."""
    keys = np.asarray(keys, dtype=float)
    n = len(keys)
    if n == 0:
        return np.empty(0, dtype=int), np.empty(0, dtype=bool)
    keys = keys.reshape(n, -1)
    order = np.lexsort(keys.T[::-1])  # ascending, first column most significant
    ordered = keys[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    return _ranks_of_sorted(order, starts)


def _ranks_of_sorted(order: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ranks and ties from the units in ascending key order and where each run of equal keys starts."""
    n = len(order)
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    ends = np.append(first[1:], n)  # exclusive end of each group of equal keys
    ranks, tied = np.empty(n, dtype=int), np.empty(n, dtype=bool)
    ranks[order] = 1 + n - ends[group]
    tied[order] = (ends - first)[group] > 1
    return ranks, tied


# --- meeting inputs as matrices ---------------------------------------------------------------

def trimmed_mean(scores: list[float]) -> float:
    """Mean of the peers' scores, dropping the highest and the lowest when five or more peers score."""
    ordered = sorted(scores)
    if len(ordered) >= 5:
        ordered = ordered[1:-1]
    return sum(ordered) / len(ordered)


def review_matrix(plan: Plan, units: list[str], self_: np.ndarray,
                  reviews: Iterable[Review]) -> tuple[np.ndarray, dict[tuple[str, str], Review]]:
    """Self-scores overwritten by each leaf's last review round (clamped to the leaf's range)."""
    out = self_.copy()
    row_of, col_of = {u: i for i, u in enumerate(units)}, {c: j for j, c in enumerate(plan.leaves)}
    used = {}
    for r in reviews:
        if r.unit in row_of and r.code in col_of and r.final is not None:
            out[row_of[r.unit], col_of[r.code]] = r.final
            used[(r.unit, r.code)] = r
    return plan.clamp(out), used


def cross_matrix(plan: Plan, units: list[str], self_: np.ndarray,
                 cross: Iterable[CrossScore]) -> tuple[np.ndarray, pd.Series]:
    """Per leaf, the trimmed mean of the peers' scores (never the unit's own); a unit scored on
    the total only gets its base leaves scaled so that they add up to that mean. Leaves nobody
    scored keep the self-score. Also returns unit -> number of peers."""
    out = self_.copy()
    row_of, col_of = {u: i for i, u in enumerate(units)}, {c: j for j, c in enumerate(plan.leaves)}
    given: dict[tuple[str, str], dict[str, float]] = {}
    for c in cross:
        if c.scorer != c.scored and c.scored in row_of and (c.code == TOTAL or c.code in col_of):
            given.setdefault((c.scored, c.code), {})[c.scorer] = c.score
    peers = {u: 0 for u in units}
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


# --- rank_bloc ----------------------------------------------------------------------------------

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
        return pd.DataFrame(matrix, index=pd.Index(units, name="unit"), columns=columns)

    groups = frame(scores.groups, plan.groups)
    table = _unit_table(bloc, plan, units, scores, groups, not_counted or {})
    notes: dict[str, list[str]] = {u: [] for u in table.index}
    cross_table = _cross_table(bloc, plan, weights, units, self_, cross_, scores, peers, notes) if cross \
        else pd.DataFrame(columns=CROSS_COLUMNS)
    _decide(bloc, table, votes, disqualified or {}, notes)
    table["note"] = ["; ".join(([note] if note else []) + notes[unit]) for unit, note in table["note"].items()]
    ranking = Ranking(
        bloc, table, frame(scores.final), groups,
        changes=_changes(plan, units, self_, scores.final, review, cross_, used_reviews, weights),
        self_scores=frame(self_), review_scores=frame(review), cross_scores=frame(cross_), cross=cross_table,
        weights=_weights_table(plan, weights),
        review_rounds=_review_rounds(plan, units, self_, scores.final, used_reviews))
    if robustness:
        ranking.robustness, ranking.leader_changes = _robustness(plan, units, self_, review, cross_, weights)
    return ranking


def _unit_table(bloc: Bloc, plan: Plan, units: list[str], scores: Scores, groups: pd.DataFrame,
                not_counted: dict[str, str]) -> pd.DataFrame:
    """One row per member in founding order: weighted group columns, base, bonus, penalty, total,
    grade, rank, tied, counted, note (decision columns are filled by `_decide`)."""
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


def _cross_table(bloc: Bloc, plan: Plan, weights: Weights, units: list[str], self_: np.ndarray,
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


def _decide(bloc: Bloc, table: pd.DataFrame, votes, disqualified: Mapping[str, Iterable[str]],
            notes: dict[str, list[str]]) -> None:
    """Votes (quorum, approval), disqualifiers and award proposals under the bloc's quotas."""
    rules, members = bloc.rules, len(bloc.members)
    table["votes_pct"] = float("nan")
    table["vote_passed"] = pd.Series([None] * len(table), index=table.index, dtype=object)
    table["disqualified"] = False
    table["disqualify_reason"] = ""
    table["award"] = ""
    table["gov_flag_candidate"] = False
    votes = list(votes.values()) if isinstance(votes, Mapping) else list(votes)
    for v in votes:
        if v.unit not in table.index:
            continue
        quorum_met = v.present + EPS >= rules.quorum * members
        table.at[v.unit, "votes_pct"] = round(100.0 * v.votes_for / members, 2)
        table.at[v.unit, "vote_passed"] = quorum_met and v.votes_for > rules.approval * members + EPS
        if not quorum_met:
            notes[v.unit].append(T.rules.NOTE_NO_QUORUM.format(
                present=v.present, members=members, needed=_quorum_needed(rules.quorum, members)))
        elif not table.at[v.unit, "vote_passed"]:
            notes[v.unit].append(T.rules.NOTE_VOTE_FAILED.format(pct=vn_number(round(100.0 * v.votes_for / members, 2))))
    for unit, reasons in disqualified.items():
        reasons = [reasons] if isinstance(reasons, str) else reasons
        labels = [T.rules.DISQUALIFIER_LABELS.get(r, r) for r in reasons if r]
        if unit in table.index and labels:
            table.at[unit, "disqualified"] = True
            table.at[unit, "disqualify_reason"] = "; ".join(labels)
    _propose_awards(bloc, table, voted=bool(votes), notes=notes)


def _quorum_needed(quorum: float, members: int) -> int:
    needed = quorum * members
    return int(needed) if abs(needed - round(needed)) < EPS else int(needed) + 1


def _propose_awards(bloc: Bloc, table: pd.DataFrame, voted: bool, notes: dict[str, list[str]]) -> None:
    """In rank order: the leading eligible unit(s) of the top grade get the flag (and are tagged as
    Government-flag candidates), the next eligible units of the two top grades the certificate.
    Eligible: counted, not disqualified, vote passed (when the meeting voted). Units tied across a
    quota's edge get no proposal and a note: the meeting decides between them."""
    bands = [b.name for b in sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total)]
    ranked = table[table["counted"]].sort_values(["rank", "order"], kind="stable")
    eligible = ranked[~ranked["disqualified"].astype(bool)
                      & (ranked["vote_passed"].map(lambda v: v is True) if voted else True)]
    held: set[str] = set()
    for award, grades, quota in ((T.rules.AWARD_FLAG, bands[:1], bloc.rules.flag_quota),
                                 (T.rules.AWARD_CERTIFICATE, bands[:2], bloc.rules.certificate_quota)):
        candidates = eligible[eligible["grade"].isin(grades) & ~eligible.index.isin(held)]
        given = 0
        for _, same_rank in candidates.groupby("rank", sort=True):
            if given >= quota:
                break
            units = list(same_rank.index)
            if given + len(units) > quota:
                for unit in units:
                    notes[unit].append(T.rules.NOTE_TIED_AT_QUOTA.format(award=award))
                held.update(units)
                break
            table.loc[units, "award"] = award
            held.update(units)
            given += len(units)
    table["gov_flag_candidate"] = table["award"] == T.rules.AWARD_FLAG
    if not voted:
        for unit in table.index[table["award"] != ""]:
            notes[unit].append(T.rules.NOTE_AWAITING_VOTE)


def _changes(plan: Plan, units: list[str], self_: np.ndarray, final: np.ndarray, review: np.ndarray,
             cross_: np.ndarray, used: dict[tuple[str, str], Review], weights: Weights) -> pd.DataFrame:
    """Every leaf whose final score differs from the self-score, with the review's reason (and a
    mention of the cross score when it moved the leaf)."""
    rows = []
    for i, j in zip(*np.nonzero(np.abs(final - self_) > 1e-6)):
        unit, code = units[i], plan.leaves[j]
        reasons = []
        if (unit, code) in used and abs(review[i, j] - self_[i, j]) > 1e-6:
            reasons.append(used[(unit, code)].reason or T.rules.NO_REASON)
        if weights.cross > EPS and abs(cross_[i, j] - self_[i, j]) > 1e-6:
            reasons.append(T.rules.REASON_CROSS.format(score=vn_number(round(cross_[i, j], 2))))
        rows.append({"unit": unit, "code": code, "self_score": float(self_[i, j]),
                     "final_score": float(round(final[i, j], 6)), "reason": "; ".join(reasons)})
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


def _review_rounds(plan: Plan, units: list[str], self_: np.ndarray, final: np.ndarray,
                   used: dict[tuple[str, str], Review]) -> pd.DataFrame:
    """Every reviewed leaf: self-score, first round and reason, explanation, second round, final."""
    row_of, col_of = {u: i for i, u in enumerate(units)}, {c: j for j, c in enumerate(plan.leaves)}
    rows = [{"unit": r.unit, "code": r.code, "self_score": float(self_[row_of[r.unit], col_of[r.code]]),
             "first": r.first, "first_reason": r.first_reason, "explanation": r.explanation,
             "second": r.second, "second_reason": r.second_reason,
             "final_score": float(round(final[row_of[r.unit], col_of[r.code]], 6))}
            for (unit, code), r in used.items()]
    return pd.DataFrame(rows, columns=REVIEW_COLUMNS)


def _weights_table(plan: Plan, weights: Weights) -> pd.DataFrame:
    """The weights used: the three components and their shares; each base group's weight and the
    factor that multiplies its score in the base total."""
    total_w = weights.own + weights.review + weights.cross
    rows = [{"weight": name, "value": value, "share": value / total_w if total_w > EPS else float("nan")}
            for name, value in (("self", weights.own), ("review", weights.review), ("cross", weights.cross))]
    factor = _base_factor(plan, np.array(weights.groups, dtype=float))
    rows += [{"weight": f"group:{code}", "value": w, "share": w * factor}
             for code, w in zip(plan.base_codes, weights.groups)]
    return pd.DataFrame(rows).set_index("weight")


# --- robustness -------------------------------------------------------------------------------

STEP = 0.10
FULL_GRID_LIMIT = 729  # 3^6: every combination of −10 %, 0, +10 % when there are at most six weights


def perturbations(weights: Weights) -> list[Weights]:
    """Every weight set to try: each non-zero weight moved by ±10 %, all combinations when there
    are few weights, else one at a time. A lone component weight is left alone (it cancels out)."""
    base = weights.as_tuple()
    movable = [i for i, v in enumerate(base) if abs(v) > EPS]
    if sum(1 for i in movable if i < 3) == 1:
        movable = [i for i in movable if i >= 3]
    if 3 ** len(movable) <= FULL_GRID_LIMIT:
        moves = itertools.product((-1, 0, 1), repeat=len(movable))
    else:
        moves = (tuple(d if k == j else 0 for k in range(len(movable)))
                 for j in range(len(movable)) for d in (-1, 1))
    out = []
    for move in moves:
        values = list(base)
        for i, d in zip(movable, move):
            values[i] = base[i] * (1 + d * STEP)
        out.append(Weights.from_tuple(tuple(values)))
    return out


PERTURBATION_CELLS = 250_000  # weight sets × units × base groups evaluated in one batch


@dataclass
class _FixedParts:
    """What stays fixed while only the group weights move: group sums, a code per unit that orders
    the tie-break keys (equal keys, equal codes) and the units in their order under the unmoved weights."""

    groups: np.ndarray
    chain_code: np.ndarray
    presorted: np.ndarray

    @classmethod
    def of(cls, plan: Plan, final: np.ndarray, w: Weights) -> "_FixedParts":
        groups = plan.groups_of(final)
        keys = rank_matrix(plan, _weigh_groups(plan, final, groups, w))
        chain = keys[:, 1:]
        order = np.lexsort(chain.T[::-1]) if chain.shape[1] else np.arange(len(chain))
        ordered = chain[order]
        starts = np.ones(len(order), dtype=bool)
        starts[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
        code = np.empty(len(order))
        code[order] = np.cumsum(starts)
        return cls(groups, code, np.lexsort((code, keys[:, 0])))

    def ranks(self, plan: Plan, batch: list[Weights]) -> np.ndarray:
        """Competition ranks (weight set × unit) under each of `batch` (the same as ranking
        `rank_matrix`'s keys); the weight sets share these fixed parts' component weights."""
        keys = (self.totals(plan, batch) + 1j * self.chain_code)[:, self.presorted]  # sorts as (total, code)
        moved = np.argsort(keys, axis=1, kind="stable")  # few moves: the units start nearly in order
        order, ordered = self.presorted[moved], np.take_along_axis(keys, moved, axis=1)
        last = np.ones(order.shape, dtype=bool)  # the last unit of each run of equal keys
        last[:, :-1] = ordered[:, 1:] != ordered[:, :-1]
        n = order.shape[1]
        ends = np.minimum.accumulate(np.where(last, np.arange(1, n + 1), n)[:, ::-1], axis=1)[:, ::-1]
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, 1 + n - ends, axis=1)
        return ranks

    def totals(self, plan: Plan, batch: list[Weights]) -> np.ndarray:
        """Totals (weight set × unit) rounded as `rank_matrix` rounds them, each computed exactly as
        `_weigh_groups` computes it."""
        weights = np.array([w.groups for w in batch], dtype=float).reshape(len(batch), len(plan.base))
        factors = np.array([_base_factor(plan, row) for row in weights])
        parts = self.groups[:, plan.base][None, :, :] * weights[:, None, :]
        parts *= factors[:, None, None]
        bonus = np.minimum(self.groups[:, plan.bonus].sum(axis=1), plan.bonus_cap)
        penalty = self.groups[:, plan.penalty].sum(axis=1)
        return np.round(parts.sum(axis=2) + bonus - penalty, 6) + 0.0


def _robustness(plan: Plan, units: list[str], self_: np.ndarray, review: np.ndarray, cross_: np.ndarray,
                weights: Weights) -> tuple[pd.DataFrame, bool]:
    """Ranks under every perturbation of the weights: unit -> rank, min_rank, max_rank; and
    whether the set of units ranked first ever changes."""
    index = pd.Index(units, name="unit")
    if not units:
        return pd.DataFrame(columns=ROBUSTNESS_COLUMNS, index=index), False
    base_ranks, _ = _rank_arrays(rank_matrix(plan, evaluate(plan, self_, review, cross_, weights)))
    low, high = base_ranks.copy(), base_ranks.copy()
    leaders = base_ranks == 1
    leader_changes = False
    by_components: dict[tuple[float, float, float], list[Weights]] = {}
    for w in perturbations(weights):  # only the totals depend on the group weights
        by_components.setdefault((w.own, w.review, w.cross), []).append(w)
    size = max(1, PERTURBATION_CELLS // (len(units) * max(len(plan.base), 1)))
    for sets in by_components.values():
        fixed = _FixedParts.of(plan, _final(self_, review, cross_, sets[0]), sets[0])
        for start in range(0, len(sets), size):
            moved = fixed.ranks(plan, sets[start:start + size])
            np.minimum(low, moved.min(axis=0), out=low)
            np.maximum(high, moved.max(axis=0), out=high)
            leader_changes = leader_changes or bool(((moved == 1) != leaders).any())
    table = pd.DataFrame({"rank": base_ranks, "min_rank": low, "max_rank": high}, index=index)
    return table, bool(leader_changes)

def rank_label(rank, tied: bool) -> str:
    """'3' or '3 (đồng hạng)'; empty for units not ranked."""
    if pd.isna(rank):
        return ""
    return f"{int(rank)} ({T.TIED})" if tied else str(int(rank))
