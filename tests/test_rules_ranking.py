"""The bloc's full scoring rules, each against a hand computation (tests/rules_helpers.py: six_bloc)."""

from __future__ import annotations

import math

import pytest

from tests.helpers import small_bloc
from tests.rules_helpers import six_bloc, v
from toolkit import texts as T
from toolkit.bloc.model import TieBreak, TieStep
from toolkit.meeting.model import TOTAL, CrossScore, Review, Vote
from toolkit.ranking import perturbations, rank_bloc, rank_label, trimmed_mean, Weights


def ranks(ranking) -> dict[str, int]:
    t = ranking.table
    return {u: int(t.loc[u, "rank"]) for u in t.index if t.loc[u, "counted"]}


# --- the four kinds, bonus cap, penalties -----------------------------------------------------------

def test_every_kind_with_cap_and_penalty_by_hand():
    bloc = small_bloc()
    ranking = rank_bloc(bloc, {
        # I.1 quantitative, target 100, max 10; I.2 graded; II.1 pass/fail 5; II.2 2.5 per time cap 5
        "A": {"I.1": 80, "I.2": 9, "II.1": 1.0, "II.2": 3, "III.1": 1, "IV.1": 2},
        "B": {"I.1": 125, "I.2": 10, "II.1": 0.0, "II.2": 1, "III.1": 2, "IV.1": 0},
        "C": {"I.1": 110, "I.2": 7.5, "II.1": 1.0, "II.2": 0, "III.1": 0, "IV.1": 0},
    })
    t = ranking.table
    # A: I.1 below target 5·80/100 = 4; I 13; II 5 + min(7.5, 5) = 10; base 23; bonus 3; −2 -> 24
    # B: best above target -> 10; I 20; II 0 + 2.5; base 22.5; bonus 6 capped at 4 -> 26.5
    # C: 5 + 5·(110−100)/(125−100) = 7; I 14.5; II 5; base 19.5 -> 19.5
    assert [t.loc[u, "total"] for u in "ABC"] == pytest.approx([24, 26.5, 19.5])
    assert ranking.leaf_scores.loc["C", "I.1"] == pytest.approx(7)
    assert t.loc["B", "bonus"] == 4 and t.loc["A", "penalty"] == 2
    assert ranks(ranking) == {"B": 1, "A": 2, "C": 3}


# --- tie-break chain --------------------------------------------------------------------------------

@pytest.mark.parametrize("step, a, b, winner", [
    ("group I", v(10, 8, 8), v(8, 10, 8), "U1"),                     # 26 each; I 10 > 8
    ("fewer penalty", v(9, 9, 9, 1, 1), v(9, 9, 9), "U2"),           # 27+1−1 = 27; I equal; pen 1 > 0
    ("group II", v(9, 8, 9, 1), v(9, 9, 9), "U2"),                   # 27 each; I, pen equal; II 8 < 9
    ("more bonus", v(9, 9, 8, 2), v(9, 9, 9, 1), "U1"),              # 28 each; I, pen, II equal; bonus 2 > 1
])
def test_each_step_of_the_default_chain_breaks_a_tie(step, a, b, winner):
    ranking = rank_bloc(six_bloc(), {"U1": a, "U2": b})
    t = ranking.table
    assert t.loc["U1", "total"] == t.loc["U2", "total"], step
    assert ranks(ranking)[winner] == 1 and not t["tied"].any(), step


def test_the_chain_is_the_blocs_setting():
    values = {"U1": v(9, 9, 8, 2), "U2": v(9, 9, 9, 1)}
    assert ranks(rank_bloc(six_bloc(tie_break=TieBreak((TieStep.group("III"),))), values)) == {"U2": 1, "U1": 2}


def test_a_tie_that_survives_the_chain_is_shown_as_shared_rank():
    ranking = rank_bloc(six_bloc(), {"U1": v(9, 9, 9), "U2": v(9, 9, 9), "U3": v(10, 10, 10)})
    t = ranking.table
    assert ranks(ranking) == {"U3": 1, "U1": 2, "U2": 2}
    assert rank_label(t.loc["U1", "rank"], t.loc["U1", "tied"]) == f"2 ({T.TIED})"
    assert not t.loc["U3", "tied"]


# --- review rounds ---------------------------------------------------------------------------------

def test_the_last_review_round_wins_not_the_highest_and_every_change_keeps_its_reason():
    reviews = [Review("U1", "I.1", 9.0, "thiếu minh chứng", "đã bổ sung", 7.5, "minh chứng không hợp lệ"),
               Review("U2", "II.1", 8.0, "chậm báo cáo"),
               Review("U3", "IV.1", 1.0, "chỉ một bằng khen đúng kỳ")]   # bonus leaf: points directly
    values = {"U1": v(10, 10, 10), "U2": v(10, 10, 10), "U3": v(10, 10, 10, 2)}
    ranking = rank_bloc(six_bloc(), values, reviews=reviews)
    t = ranking.table
    assert [t.loc[u, "total"] for u in ("U1", "U2", "U3")] == [27.5, 28, 31]
    changes = ranking.changes.set_index(["unit", "code"])
    assert changes.loc[("U1", "I.1"), "self_score"] == 10 and changes.loc[("U1", "I.1"), "final_score"] == 7.5
    assert changes.loc[("U1", "I.1"), "reason"] == "minh chứng không hợp lệ"
    assert changes.loc[("U2", "II.1"), "reason"] == "chậm báo cáo"
    assert changes.loc[("U3", "IV.1"), "final_score"] == 1 and len(changes) == 3
    rounds = ranking.review_rounds.set_index(["unit", "code"])
    assert rounds.loc[("U1", "I.1"), "explanation"] == "đã bổ sung" and rounds.loc[("U1", "I.1"), "first"] == 9


def test_a_review_of_a_quantitative_leaf_gives_its_points():
    bloc = small_bloc()
    values = {"A": {"I.1": 120, "I.2": 10, "II.1": 1.0, "II.2": 2, "III.1": 0, "IV.1": 0}}
    ranking = rank_bloc(bloc, values, reviews=[Review("A", "I.1", 6.0, "số liệu chưa được xác nhận")])
    assert ranking.leaf_scores.loc["A", "I.1"] == 6 and ranking.table.loc["A", "total"] == 26


# --- cross-scoring and weights ---------------------------------------------------------------------

def test_trimmed_mean_drops_extremes_only_from_five_peers():
    assert trimmed_mean([10, 2, 6, 7, 8]) == 7
    assert trimmed_mean([10, 2, 6, 8]) == 6.5


def test_cross_score_is_the_peers_trimmed_mean_weighted_with_self_and_review():
    bloc = six_bloc(weight_self=1, weight_review=1, weight_cross=2, cross_flag_threshold=0.5)
    values = {u: v(9, 9, 9) for u in ("U1", "U2", "U3", "U4", "U5", "U6")}
    peers = {"U2": 10, "U3": 2, "U4": 6, "U5": 7, "U6": 8}
    cross = [CrossScore(s, "U1", "I.1", score) for s, score in peers.items()]
    cross.append(CrossScore("U1", "U1", "I.1", 10))            # own score: never counted
    ranking = rank_bloc(bloc, values, cross=cross)
    # cross I.1 of U1 = mean(6, 7, 8) = 7; final = (1·9 + 1·9 + 2·7) / 4 = 8
    assert ranking.cross_scores.loc["U1", "I.1"] == 7
    assert ranking.leaf_scores.loc["U1", "I.1"] == 8
    assert ranking.table.loc["U1", "total"] == 26 and ranking.table.loc["U2", "total"] == 27
    row = ranking.cross.loc["U1"]
    assert (row["peers"], row["self_total"], row["final_total"], bool(row["flagged"])) == (5, 27, 26, True)
    assert not ranking.cross.loc["U2", "flagged"]
    assert ranking.changes.empty  # nobody reviewed: cross scores are kept apart from review changes


def test_a_cross_score_of_the_total_scales_the_base_leaves():
    bloc = six_bloc(weight_review=1, weight_cross=1)
    values = {"U1": v(10, 6, 8), "U2": v(9, 9, 9)}
    ranking = rank_bloc(bloc, values, cross=[CrossScore("U2", "U1", TOTAL, 12)])
    # U1 self base 24 -> cross leaves 5, 3, 4; final = halves: 7.5, 4.5, 6 -> 18
    assert list(ranking.cross_scores.loc["U1", ["I.1", "II.1", "III.1"]]) == [5, 3, 4]
    assert ranking.table.loc["U1", "total"] == 18


def test_group_weights_scale_groups_without_raising_the_maximum():
    ranking = rank_bloc(six_bloc(group_weights=(("I", 2.0),)), {"U1": v(10, 5, 5), "U2": v(10, 10, 10)})
    t = ranking.table
    # factor 30 / (2·10 + 10 + 10) = 0.75: I 10·2·0.75 = 15, II 3.75, III 3.75
    assert (t.loc["U1", "I"], t.loc["U1", "II"], t.loc["U1", "base"]) == (15, 3.75, 22.5)
    assert t.loc["U2", "base"] == 30
    assert ranking.groups.loc["U1", "I"] == 10      # grade floors use the unweighted groups


# --- votes, disqualifiers, awards ------------------------------------------------------------------

SIX = {"U1": v(10, 10, 10), "U2": v(10, 9, 9), "U3": v(9, 9, 9.5), "U4": v(9, 9, 7.5),
       "U5": v(8, 8, 8), "U6": v(6, 6, 6)}
# totals 30, 28, 27.5, 25.5, 24, 18; grades XS, XS, XS, Tốt, Tốt, Hoàn thành


def test_awards_follow_the_ranking_under_the_quotas():
    ranking = rank_bloc(six_bloc(), SIX)
    t = ranking.table
    assert list(t["grade"]) == ["Xuất sắc", "Xuất sắc", "Xuất sắc", "Tốt", "Tốt", "Hoàn thành"]
    assert list(t["award"]) == [T.rules.AWARD_FLAG, T.rules.AWARD_CERTIFICATE, T.rules.AWARD_CERTIFICATE,
                                "", "", ""]
    assert list(t["gov_flag_candidate"]) == [True, False, False, False, False, False]
    assert t["vote_passed"].isna().all() and t["votes_pct"].isna().all()


def test_a_disqualified_top_scorer_is_passed_over_and_shown_with_its_reason():
    ranking = rank_bloc(six_bloc(), SIX, disqualified={"U1": ["staff_disciplined"]})
    t = ranking.table
    assert int(t.loc["U1", "rank"]) == 1 and t.loc["U1", "disqualified"] and t.loc["U1", "award"] == ""
    assert t.loc["U1", "disqualify_reason"] == T.rules.DISQUALIFIER_LABELS["staff_disciplined"]
    assert t.loc["U2", "award"] == T.rules.AWARD_FLAG and t.loc["U2", "gov_flag_candidate"]
    assert list(t.loc[["U3", "U4"], "award"]) == [T.rules.AWARD_CERTIFICATE] * 2


def test_a_failed_vote_and_a_missing_quorum_exclude_units_from_proposals():
    votes = [Vote("U1", 3, 6),      # 3 of 6 members = 50 %, not above 50 % -> failed
             Vote("U2", 5, 3),      # 3 present < 2/3 of 6 = 4 -> no quorum
             Vote("U3", 4, 4), Vote("U4", 6, 6), Vote("U5", 4, 6)]
    ranking = rank_bloc(six_bloc(), SIX, votes=votes)
    t = ranking.table
    assert t.loc["U1", "vote_passed"] is False and t.loc["U1", "votes_pct"] == 50
    assert t.loc["U2", "vote_passed"] is False and "cần ít nhất 4" in t.loc["U2", "note"]
    assert "50%" in t.loc["U1", "note"]
    assert t.loc["U3", "vote_passed"] is True and t.loc["U6", "vote_passed"] is None
    assert math.isnan(t.loc["U6", "votes_pct"])
    # U3 leads among eligible units; certificates: U4, U5 (Tốt); U6 had no vote
    assert list(t["award"]) == ["", "", T.rules.AWARD_FLAG, T.rules.AWARD_CERTIFICATE,
                                T.rules.AWARD_CERTIFICATE, ""]


def test_quorum_and_approval_are_settings():
    votes = [Vote("U1", 3, 3)]
    t = rank_bloc(six_bloc(quorum=0.5, approval=0.4), SIX, votes=votes).table
    assert t.loc["U1", "vote_passed"] is True and t.loc["U1", "award"] == T.rules.AWARD_FLAG


def test_units_tied_across_a_quota_edge_get_no_proposal_and_a_note():
    values = {**SIX, "U2": v(10, 10, 10)}           # U1 and U2 tied first
    t = rank_bloc(six_bloc(), values).table
    assert bool(t.loc["U1", "tied"]) and bool(t.loc["U2", "tied"])
    # the flag waits for the meeting; certificates go on down the ranking
    assert list(t["award"]) == ["", "", T.rules.AWARD_CERTIFICATE, T.rules.AWARD_CERTIFICATE, "", ""]
    assert "Hội nghị quyết định" in t.loc["U1", "note"]


# --- robustness ------------------------------------------------------------------------------------

def test_robustness_finds_the_leader_change_that_only_a_combination_of_weights_makes():
    ranking = rank_bloc(six_bloc(), {"U1": v(10, 8, 8), "U2": v(9, 8, 9.2), "U3": v(5, 5, 5)})
    # by hand: U2 leads 26.2 to 26; with I +10 % and III −10 % (factor 30/30): U1 26.2 > U2 26.18
    r = ranking.robustness
    assert (r.loc["U2", "rank"], r.loc["U2", "min_rank"], r.loc["U2", "max_rank"]) == (1, 1, 2)
    assert (r.loc["U1", "rank"], r.loc["U1", "min_rank"], r.loc["U1", "max_rank"]) == (2, 1, 2)
    assert (r.loc["U3", "min_rank"], r.loc["U3", "max_rank"]) == (3, 3)
    assert ranking.leader_changes


def test_a_clear_lead_is_robust():
    ranking = rank_bloc(six_bloc(), SIX)
    assert not ranking.leader_changes
    assert (ranking.robustness["min_rank"] == ranking.robustness["max_rank"]).all()


def test_perturbations_move_each_nonzero_weight_by_ten_percent():
    sets = perturbations(Weights(0.0, 1.0, 0.0, (1.0, 2.0)))
    # a lone component weight cancels out: only the two group weights move, 3 × 3 combinations
    assert len(sets) == 9
    assert {w.groups for w in sets} == {(a, b) for a in (0.9, 1.0, 1.1) for b in (1.8, 2.0, 2.2)}
    assert all((w.own, w.review, w.cross) == (0.0, 1.0, 0.0) for w in sets)
