"""Sorting and ties: competition ranks (1 + the number of strictly better units) and tie flags, and how
a rank is shown. The one place that turns keys into ranks (`rank_bloc` and robustness both use it)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from toolkit import texts as T


def run_starts(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal keys starts, in keys sorted along axis -2 (axis -1: the keys of one
    unit, first most significant; leading axes: a batch of sorts)."""
    starts = np.ones(ordered.shape[:-1], dtype=bool)
    starts[..., 1:] = np.any(ordered[..., 1:, :] != ordered[..., :-1, :], axis=-1)
    return starts


def sorted_ranks(order: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Competition ranks, higher keys better, from the units in ascending key order (`order`) and
    where each run of equal keys starts (`starts`), along the last axis (leading axes: a batch)."""
    n = order.shape[-1]
    last = np.ones(starts.shape, dtype=bool)  # the last unit of each run of equal keys
    last[..., :-1] = starts[..., 1:]
    ends = np.minimum.accumulate(np.where(last, np.arange(1, n + 1), n)[..., ::-1], axis=-1)[..., ::-1]
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, 1 + n - ends, axis=-1)
    return ranks


def competition_ranks(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """unit × key (higher is better, first key most significant) -> each unit's rank and whether
    another unit has the same keys. One lexicographic sort instead of comparing all pairs."""
    keys = np.asarray(keys, dtype=float)
    n = len(keys)
    if n == 0:
        return np.empty(0, dtype=int), np.empty(0, dtype=bool)
    keys = keys.reshape(n, -1)
    order = np.lexsort(keys.T[::-1])  # ascending, first column most significant
    ranks = sorted_ranks(order, run_starts(keys[order]))
    return ranks, np.bincount(ranks)[ranks] > 1


def rank_label(rank, tied: bool) -> str:
    """'3' or '3 (đồng hạng)'; empty for units not ranked."""
    if pd.isna(rank):
        return ""
    return f"{int(rank)} ({T.TIED})" if tied else str(int(rank))
