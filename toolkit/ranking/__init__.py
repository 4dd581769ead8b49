"""Stage 4 — consolidate: leaf scores by kind, review rounds, cross scores, weights, clamped group
sums, totals, grades, ranks, votes, disqualifiers, award proposals and robustness (pandas, numpy).

`rank_bloc` is a pure function of (bloc, submissions, reviews, cross scores, votes, disqualifiers):
no I/O, no cached results. Every intermediate table is kept on the returned `Ranking`.

Modules, each using only those before it: `ties` (sorting, competition ranks, tie flags), `scores`
(leaf and group scores, totals, grades, rank keys), `inputs` (review rounds and cross scores),
`decisions` (votes, disqualifiers, awards), `robustness` (ranks under perturbed weights), `rank`
(`rank_bloc`, `Ranking`).
"""

from toolkit.ranking.inputs import cross_matrix, review_matrix, trimmed_mean
from toolkit.ranking.rank import Ranking, rank_bloc
from toolkit.ranking.robustness import perturbations
from toolkit.ranking.scores import EPS, Plan, Weights, evaluate, group_scores, rank_matrix, score_leaves
from toolkit.ranking.ties import competition_ranks, rank_label

__all__ = ["EPS", "Plan", "Ranking", "Weights", "competition_ranks", "cross_matrix", "evaluate", "group_scores",
           "perturbations", "rank_bloc", "rank_label", "rank_matrix", "review_matrix", "score_leaves",
           "trimmed_mean"]
