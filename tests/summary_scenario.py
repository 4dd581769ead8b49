"""A fixed summary scenario (small bloc, fixed inputs, fixed date), shared by the summary tests.

Everything on the summary comes from real inputs through `rank_bloc`: the units' returned values and,
with `meeting=True`, the meeting's review, votes and disqualifier (the rules stage computes the
changes, vote results, award proposal and robustness itself).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd

from tests.helpers import small_bloc
from toolkit.bloc import GradeBand, Rules
from toolkit.bloc.model import GRADE_NAMES
from toolkit.meeting.model import Review, Vote
from toolkit.problems import problem
from toolkit.ranking import Ranking, rank_bloc, score_leaves
from toolkit.summary import SourceFile, write_summary

GOLDEN = Path(__file__).with_name("golden") / "summary.xlsx"
TODAY = date(2026, 12, 15)
LEGAL_BASIS = ("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
               "Căn cứ Kế hoạch số 12/KH-KTĐ ngày 10/01/2026 của Khối thi đua thử nghiệm;")
# I.1 actual, I.2 score, II.1 pass/fail, II.2 count, III.1 bonus count, IV.1 penalty count (B sent nothing)
VALUES = {
    "A": {"I.1": 110, "I.2": 9.5, "II.1": 1.0, "II.2": 1, "III.1": 2, "IV.1": 1},
    "C": {"I.1": 105, "I.2": 10, "II.1": 1.0, "II.2": 0, "III.1": 0, "IV.1": 0},
}
# The meeting: a review lowers C's I.2 from 10 to 9 (self-scores keep the 10); all three members
# present, A approved 3/3, C 1/3; C has a disciplined staff member.
REVIEWS = (Review("C", "I.2", first=9.0, first_reason="Minh chứng chỉ chứng minh 9 điểm"),)
VOTES = (Vote("A", votes_for=3, present=3, form="Giơ tay"), Vote("C", votes_for=1, present=3, form="Giơ tay"))
DISQUALIFIED = {"C": ["staff_disciplined"]}


# Grade bands scaled to the small bloc's 30 base points, so A (30) is graded top and may get the flag.
RULES = Rules(bonus_cap=4, grade_bands=(GradeBand(GRADE_NAMES[0], 27, 0.7), GradeBand(GRADE_NAMES[1], 24, 0.6),
                                        GradeBand(GRADE_NAMES[2], 20, 0.5)))


def scenario_bloc():
    return small_bloc(legal_basis=LEGAL_BASIS, rules=RULES)


def scenario_ranking(meeting: bool = False) -> tuple[Ranking, pd.DataFrame]:
    """The ranking of the returned values (after the meeting when `meeting`) and the self-scores."""
    bloc = scenario_bloc()
    inputs = dict(reviews=REVIEWS, votes=VOTES, disqualified=DISQUALIFIED) if meeting else {}
    return rank_bloc(bloc, VALUES, **inputs), score_leaves(bloc, VALUES)


def scenario_problems() -> list:
    return [problem("returns.superseded", file="01-a-an.xlsx", unit="A", count=2, used="01-a-an.xlsx",
                    used_time="12/12/2026 09:30", others="01-a-an (1).xlsx")]


def scenario_sources() -> list[SourceFile]:
    saved = datetime(2026, 12, 12, 9, 30)
    return [
        SourceFile("01-a-an.xlsx", "A", "a" * 64, datetime(2026, 12, 12, 9, 31), saved, "f" * 32, "0.1.0", True),
        SourceFile("01-a-an (1).xlsx", "A", "b" * 64, datetime(2026, 12, 11, 8, 0), None, "e" * 32, "0.1.0",
                   False),
        SourceFile("03-c-cuong.xlsx", "C", "c" * 64, datetime(2026, 12, 13, 14, 5), saved, "d" * 32, "0.1.0",
                   True),
    ]


def write_scenario_summary(path: Path) -> Path:
    """The summary of the scenario after the meeting, as the golden file holds it."""
    ranking, self_scores = scenario_ranking(meeting=True)
    return write_summary(path, ranking, scenario_problems(), TODAY, self_scores=self_scores,
                         sources=scenario_sources())
