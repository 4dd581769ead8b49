"""Properties of the ranking engine (hypothesis): monotone in a unit's own score, independent of
member order, bounded by the maximum plus the bonus cap."""

from __future__ import annotations

import dataclasses
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers import small_bloc
from toolkit.bloc.model import Member
from toolkit.meeting.model import TOTAL, CrossScore, Review, Vote
from toolkit.ranking import rank_bloc

UNITS = ("A", "B", "C")
BLOC = small_bloc()
LEAVES = {c.code: c for c in BLOC.criteria.leaves()}


def unit_values():
    return st.fixed_dictionaries({
        "I.1": st.floats(0, 200, allow_nan=False).map(lambda x: round(x, 1)),
        "I.2": st.integers(0, 20).map(lambda x: x / 2),
        "II.1": st.sampled_from([0.0, 1.0]),
        "II.2": st.integers(0, 4),
        "III.1": st.integers(0, 3),
        "IV.1": st.integers(0, 3),
    })


values_st = st.fixed_dictionaries({u: unit_values() for u in UNITS})
reviews_st = st.lists(st.builds(Review, st.sampled_from(UNITS), st.sampled_from(list(LEAVES)),
                                st.floats(0, 12, allow_nan=False)), max_size=4)
weights_st = st.tuples(st.floats(0, 3), st.floats(0, 3), st.floats(0, 3), st.floats(0, 3), st.floats(0, 3))


def scored(bloc, values, reviews=(), **kwargs):
    return rank_bloc(bloc, values, reviews=reviews, robustness=False, **kwargs).table


@settings(max_examples=60, deadline=None)
@given(values_st, reviews_st, st.sampled_from(UNITS), st.sampled_from(["I.1", "I.2", "II.1", "II.2", "III.1"]))
def test_raising_a_units_own_input_never_lowers_its_rank(values, reviews, unit, code):
    before = scored(BLOC, values, reviews)
    raised = {**values, unit: {**values[unit], code: _raise(code, values[unit][code])}}
    after = scored(BLOC, raised, reviews)
    assert after.loc[unit, "rank"] <= before.loc[unit, "rank"]
    assert after.loc[unit, "total"] >= before.loc[unit, "total"] - 1e-9


@settings(max_examples=40, deadline=None)
@given(values_st, st.sampled_from(UNITS), st.sampled_from(list(LEAVES)[:4]), st.floats(0, 10))
def test_raising_a_review_score_never_lowers_the_units_rank(values, unit, code, score):
    low = scored(BLOC, values, [Review(unit, code, score / 2, "a")])
    high = scored(BLOC, values, [Review(unit, code, score, "b")])
    assert high.loc[unit, "rank"] <= low.loc[unit, "rank"]


def _raise(code: str, value: float) -> float:
    if code == "II.1":
        return 1.0
    return value + (0.5 if code == "I.2" else 1)


@settings(max_examples=40, deadline=None)
@given(values_st, reviews_st, st.permutations(range(3)), st.permutations(range(3)),
       st.lists(st.tuples(st.sampled_from(UNITS), st.integers(0, 3), st.integers(2, 3)), max_size=3))
def test_permuting_member_order_never_changes_results(values, reviews, positions, numbers, votes):
    votes = [Vote(u, min(f, p), p) for u, f, p in votes]
    cross = [CrossScore(s, t, TOTAL, 20.0) for s in UNITS for t in UNITS if s != t]
    bloc = BLOC
    shuffled = tuple(Member(numbers[i] + 1, *dataclasses.astuple(BLOC.members[p])[1:])
                     for i, p in enumerate(positions))
    other = dataclasses.replace(bloc, members=shuffled)
    reordered = {u: values[u] for u in reversed(UNITS)}
    kwargs = dict(votes=votes, disqualified={"B": ["falsified"]})
    a = rank_bloc(bloc, values, reviews=reviews, cross=cross, **kwargs)
    b = rank_bloc(other, reordered, reviews=list(reversed(reviews)) if _distinct(reviews) else reviews,
                  cross=list(reversed(cross)), **kwargs)
    columns = ["total", "grade", "rank", "tied", "award", "vote_passed", "disqualified", "note"]
    assert a.table[columns].sort_index().equals(b.table[columns].sort_index())
    assert a.robustness.sort_index().equals(b.robustness.sort_index())
    assert a.leader_changes == b.leader_changes


def _distinct(reviews) -> bool:
    """Reversing the reviews keeps the result only when no leaf is reviewed twice (last one wins)."""
    keys = [(r.unit, r.code) for r in reviews]
    return len(keys) == len(set(keys))


@settings(max_examples=60, deadline=None)
@given(values_st, reviews_st, weights_st,
       st.lists(st.tuples(st.sampled_from(UNITS), st.sampled_from(UNITS), st.floats(0, 30)), max_size=6))
def test_totals_never_exceed_the_maximum_plus_the_bonus_cap(values, reviews, weights, cross):
    ws, wr, wc, g1, g2 = weights
    bloc = small_bloc()
    bloc = dataclasses.replace(bloc, rules=dataclasses.replace(
        bloc.rules, weight_self=ws, weight_review=wr, weight_cross=wc, group_weights=(("I", g1), ("II", g2))))
    cross = [CrossScore(s, t, TOTAL, score) for s, t, score in cross]
    table = scored(bloc, values, reviews, cross=cross)
    bound = bloc.criteria.base_max + bloc.rules.bonus_cap
    assert (table["total"] <= bound + 1e-9).all()
    assert all(not math.isnan(x) for x in table["total"])
