"""Leaf and group scores: each leaf's points by its kind, the tree as arrays (group sums clamped to
their maxima), weighted totals, grades and the keys units are ranked by (total, then the tie-break
chain). One evaluation per weight set: robustness re-runs it many times."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit import texts as T
from toolkit.bloc.model import MAX_COUNT, Bloc, Criterion, Kind, Section, TieKey

EPS = 1e-9


def index_of(names: list[str]) -> dict[str, int]:
    """name -> position: the one index of units (matrix rows) and of leaves and groups (columns)."""
    return {name: i for i, name in enumerate(names)}


def score_leaves(bloc: Bloc, values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """unit × leaf scores from input values; quantitative leaves compare units with each other."""
    leaves = bloc.criteria.leaves()
    codes = [c.code for c in leaves]
    inputs = np.array([list(map(row.get, codes)) for row in values.values()], dtype=float)
    inputs = inputs.reshape(len(values), len(codes))  # None became NaN: no input
    if np.isinf(inputs).any():
        raise ValueError("an infinite ranking input: the reader must refuse it (programming error)")
    multiple = bloc.rules.plausible_multiple
    columns = {c.code: _leaf_column(c, inputs[:, j], multiple) for j, c in enumerate(leaves)}
    return pd.DataFrame(columns, index=pd.Index(list(values), name="unit"), columns=codes, dtype=float)


def _leaf_column(c: Criterion, value: np.ndarray, multiple: float) -> np.ndarray:
    """Points of one leaf from every unit's input value (NaN: none, 0 points); see DOMAIN.md,
    scoring kinds. `multiple`: the rules' plausible multiple of a quantitative target."""
    missing = np.isnan(value)
    if c.kind is Kind.GRADED:
        points = np.minimum(np.maximum(value, 0.0), c.max_points)
    elif c.kind is Kind.PASSFAIL:
        points = np.where(value >= 0.5, c.max_points, 0.0)
    elif c.kind is Kind.QUANTITATIVE:
        points = _quantitative_column(c, value, _best(value, c.actual_limit(multiple)))
    else:
        points = c.points * np.clip(value, 0.0, MAX_COUNT)  # the reader refuses more times
        points = np.minimum(points, c.max_points) if c.max_points else points
    return np.where(missing, 0.0, points)


def _best(actual: np.ndarray, limit: float | None) -> float | None:
    """The bloc's best quantitative result among the accepted ones (at most `limit`), None if none."""
    accepted = actual[~np.isnan(actual)]
    if limit is not None:
        accepted = accepted[accepted <= limit + EPS]
    return float(accepted.max()) if accepted.size else None


def _quantitative_column(c: Criterion, actual: np.ndarray, best: float | None) -> np.ndarray:
    """Below target: half the maximum pro rata; at target: half; the bloc's best (`best`) above target:
    the maximum; in between: linear from half to the maximum (a result above the best accepted one,
    refused by the reader, would get the maximum, never more)."""
    half, target = c.max_points / 2, c.target
    if target <= 0:
        return np.where(actual > 0, c.max_points, 0.0)
    below = half * np.clip(actual, 0.0, target) / target  # used below the target only
    if best is None or best - target <= EPS:
        above = np.full_like(actual, half)
    else:
        above = half + half * (np.minimum(actual, best) - target) / (best - target)  # none above best
    return np.where(actual < target - EPS, below, above)


def group_scores(bloc: Bloc, leaf_scores: pd.DataFrame) -> pd.DataFrame:
    """unit × group: sum of children, clamped to the group's maximum (bonus top groups: the cap)."""
    plan = Plan(bloc)
    values = plan.groups_of(leaf_scores.reindex(columns=plan.leaves).to_numpy(dtype=float))
    return pd.DataFrame(values, index=leaf_scores.index, columns=plan.groups)


def grades(bloc: Bloc, plan: Plan, total: np.ndarray, groups: np.ndarray) -> list[str]:
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


@dataclass(frozen=True)
class Shortfall:
    """A per-group floor a unit missed in a band its total reaches: the group's share and the floor
    (both 0..1 of the group's maximum)."""

    band: str
    group: str
    share: float
    floor: float


def grade_shortfalls(bloc: Bloc, plan: Plan, total: np.ndarray, groups: np.ndarray,
                     names: list[str]) -> list[list[Shortfall]]:
    """Per unit, every floor it missed in the bands above its grade (`names`) that its total reaches."""
    bands = sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total)
    rank_of = {band.name: i for i, band in enumerate(bands)}
    shares = groups[:, plan.base] / np.where(plan.base_max > 0, plan.base_max, np.inf)
    out: list[list[Shortfall]] = []
    for u, grade in enumerate(names):
        above = bands[:rank_of.get(grade, len(bands))]
        out.append([Shortfall(band.name, code, float(shares[u, j]), band.min_group_share)
                    for band in above if total[u] + EPS >= band.min_total
                    for j, code in enumerate(plan.base_codes)
                    if groups[u, plan.base[j]] + EPS < band.min_group_share * plan.base_max[j]])
    return out


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
    """Index arithmetic of one criteria tree: leaf and group columns, groups children-first with their
    caps, top-group sections, leaf maxima, the tie-break chain."""

    def __init__(self, bloc: Bloc):
        tree, rules = bloc.criteria, bloc.rules
        self.leaves = [c.code for c in tree.leaves()]
        self.groups = [c.code for c in tree if c.is_group]
        self.leaf_at = index_of(self.leaves)
        self.group_at = index_of(self.groups)
        self.steps = []
        for group in reversed([c for c in tree if c.is_group]):  # children before parents
            kids = tree.children(group.code)
            self.steps.append((self.group_at[group.code], [self.leaf_at[k.code] for k in kids if not k.is_group],
                               [self.group_at[k.code] for k in kids if k.is_group], _cap(bloc, group)))
        tops = tree.top_groups()
        self.base_codes = [g.code for g in tops if tree.section(g.code) is Section.BASE]
        self.base = [self.group_at[c] for c in self.base_codes]
        self.bonus = [self.group_at[g.code] for g in tops if tree.section(g.code) is Section.BONUS]
        self.penalty = [self.group_at[g.code] for g in tops if tree.section(g.code) is Section.PENALTY]
        self.base_max = np.array([tree.get(c).max_points for c in self.base_codes], dtype=float)
        self.base_leaves = [self.leaf_at[c.code] for code in self.base_codes for c in tree.leaves_under(code)]
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


def _cap(bloc: Bloc, group: Criterion) -> float | None:
    """The bound of a group's sum: its maximum as scored (a top bonus group: the bonus cap, even 0);
    none for penalty groups and for groups without a maximum."""
    tree = bloc.criteria
    unbounded = tree.section(tree.top_of(group.code)) is Section.PENALTY or not group.max_points
    return None if unbounded and not tree.is_top_bonus(group) else bloc.max_points_of(group)


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
    final = final_points(self_, review, cross, w)
    return weigh_groups(plan, final, plan.groups_of(final), w)


def final_points(self_: np.ndarray, review: np.ndarray, cross: np.ndarray, w: Weights) -> np.ndarray:
    """Leaf final points: the component weights' mean of self, review and cross points."""
    total_w = w.own + w.review + w.cross
    return review if total_w <= EPS else (w.own * self_ + w.review * review + w.cross * cross) / total_w


def weigh_groups(plan: Plan, final: np.ndarray, groups: np.ndarray, w: Weights) -> Scores:
    """The scores from leaf final points and their group sums under the base groups' weights."""
    weights = np.array(w.groups, dtype=float)
    base_parts = groups[:, plan.base] * weights * base_factor(plan, weights)
    base = base_parts.sum(axis=1)
    bonus = np.minimum(groups[:, plan.bonus].sum(axis=1), plan.bonus_cap)
    penalty = groups[:, plan.penalty].sum(axis=1)
    return Scores(final, groups, base_parts, base, bonus, penalty, base + bonus - penalty)


def base_factor(plan: Plan, group_weights: np.ndarray) -> float:
    """(Σ max) / (Σ wg·max) over the base top groups: weights never raise the maximum base."""
    denominator = float((group_weights * plan.base_max).sum())
    return float(plan.base_max.sum()) / denominator if denominator > EPS else 1.0


def rank_matrix(plan: Plan, scores: Scores) -> np.ndarray:
    """unit × key, higher is better: total, then the bloc's tie-break chain (raw group sums)."""
    columns = [scores.total]
    for step in plan.chain:
        if step.key is TieKey.GROUP:
            columns.append(scores.groups[:, plan.group_at[step.code]])
        elif step.key is TieKey.PENALTY:
            columns.append(-scores.penalty)
        else:
            columns.append(scores.bonus)
    return np.round(np.column_stack(columns), 6) + 0.0  # + 0.0 turns -0.0 into 0.0


