"""Robustness: the ranks under every ±10 % perturbation of the weights, and whether the leader changes.
Only the totals depend on the group weights, so the fixed parts are worked out once per component
weights and the totals of many weight sets ranked in batches."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.ranking.scores import (EPS, Plan, Weights, base_factor, evaluate, final_points, rank_matrix,
                                    weigh_groups)
from toolkit.ranking.ties import competition_ranks, run_starts, sorted_ranks

ROBUSTNESS_COLUMNS = ["rank", "min_rank", "max_rank"]
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
        keys = rank_matrix(plan, weigh_groups(plan, final, groups, w))
        chain = keys[:, 1:]
        order = np.lexsort(chain.T[::-1]) if chain.shape[1] else np.arange(len(chain))
        code = np.empty(len(order))
        code[order] = np.cumsum(run_starts(chain[order]))
        return cls(groups, code, np.lexsort((code, keys[:, 0])))

    def ranks(self, plan: Plan, batch: list[Weights]) -> np.ndarray:
        """Competition ranks (weight set × unit) under each of `batch` (the same as ranking
        `rank_matrix`'s keys); the weight sets share these fixed parts' component weights."""
        keys = (self.totals(plan, batch) + 1j * self.chain_code)[:, self.presorted]  # sorts as (total, code)
        moved = np.argsort(keys, axis=1, kind="stable")  # few moves: the units start nearly in order
        ordered = np.take_along_axis(keys, moved, axis=1)
        return sorted_ranks(self.presorted[moved], run_starts(ordered[..., None]))

    def totals(self, plan: Plan, batch: list[Weights]) -> np.ndarray:
        """Totals (weight set × unit) rounded as `rank_matrix` rounds them, each computed exactly as
        `weigh_groups` computes it."""
        weights = np.array([w.groups for w in batch], dtype=float).reshape(len(batch), len(plan.base))
        factors = np.array([base_factor(plan, row) for row in weights])
        parts = self.groups[:, plan.base][None, :, :] * weights[:, None, :]
        parts *= factors[:, None, None]
        bonus = np.minimum(self.groups[:, plan.bonus].sum(axis=1), plan.bonus_cap)
        penalty = self.groups[:, plan.penalty].sum(axis=1)
        return np.round(parts.sum(axis=2) + bonus - penalty, 6) + 0.0


def perturbed_ranks(plan: Plan, units: list[str], self_: np.ndarray, review: np.ndarray, cross_: np.ndarray,
                    weights: Weights) -> tuple[pd.DataFrame, bool]:
    """Ranks under every perturbation of the weights: unit -> rank, min_rank, max_rank; and
    whether the set of units ranked first ever changes."""
    index = pd.Index(units, name="unit")
    if not units:
        return pd.DataFrame(columns=ROBUSTNESS_COLUMNS, index=index), False
    base_ranks, _ = competition_ranks(rank_matrix(plan, evaluate(plan, self_, review, cross_, weights)))
    low, high = base_ranks.copy(), base_ranks.copy()
    leaders = base_ranks == 1
    leader_changes = False
    by_components: dict[tuple[float, float, float], list[Weights]] = {}
    for w in perturbations(weights):  # only the totals depend on the group weights
        by_components.setdefault((w.own, w.review, w.cross), []).append(w)
    size = max(1, PERTURBATION_CELLS // (len(units) * max(len(plan.base), 1)))
    for sets in by_components.values():
        fixed = _FixedParts.of(plan, final_points(self_, review, cross_, sets[0]), sets[0])
        for start in range(0, len(sets), size):
            moved = fixed.ranks(plan, sets[start:start + size])
            np.minimum(low, moved.min(axis=0), out=low)
            np.maximum(high, moved.max(axis=0), out=high)
            leader_changes = leader_changes or bool(((moved == 1) != leaders).any())
    table = pd.DataFrame({"rank": base_ranks, "min_rank": low, "max_rank": high}, index=index)
    return table, bool(leader_changes)
