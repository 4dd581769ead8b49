"""A fixed summary scenario (small bloc, fixed inputs, fixed date), shared by the summary tests.

`with_rules_results` adds the rules stage's columns and tables (see the Ranking contract in the brief)
to a real `rank_bloc` result, so rendering is exercised whether or not the rules stage computes them.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import pandas as pd

from tests.helpers import small_bloc
from toolkit.problems import problem
from toolkit.ranking import Ranking, rank_bloc, score_leaves
from toolkit.summary import SourceFile

TODAY = date(2026, 12, 15)
LEGAL_BASIS = ("Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
               "Căn cứ Kế hoạch số 12/KH-KTĐ ngày 10/01/2026 của Khối thi đua thử nghiệm;")
# I.1 actual, I.2 score, II.1 pass/fail, II.2 count, III.1 bonus count, IV.1 penalty count
VALUES = {
    "A": {"I.1": 110, "I.2": 9.5, "II.1": 1.0, "II.2": 1, "III.1": 2, "IV.1": 1},
    "C": {"I.1": 105, "I.2": 10, "II.1": 1.0, "II.2": 0, "III.1": 0, "IV.1": 0},
}
# A review lowered C's I.2 from 10 to 9 (self-scores keep the 10).
REVIEWED = {"C": {"I.2": 9.0}}


def scenario_bloc():
    return small_bloc(legal_basis=LEGAL_BASIS)


def scenario_ranking() -> tuple[Ranking, pd.DataFrame]:
    """The ranking after review (B sent nothing) and the units' self-scores."""
    bloc = scenario_bloc()
    final = {u: {**v, **REVIEWED.get(u, {})} for u, v in VALUES.items()}
    ranking = rank_bloc(bloc, final)
    return ranking, score_leaves(bloc, VALUES)


def with_rules_results(ranking: Ranking) -> Ranking:
    """Votes, award, disqualification, changes and robustness as the rules stage provides them."""
    t = ranking.table
    t["votes_pct"] = [92.5, math.nan, 55.0]
    t["vote_passed"] = [True, None, False]
    t["disqualified"] = [False, False, True]
    t["disqualify_reason"] = ["", "", "Có cán bộ bị kỷ luật trong năm"]
    t["award"] = ["Cờ thi đua của UBND tỉnh", "", ""]
    t["gov_flag_candidate"] = [True, False, False]
    ranking.changes = pd.DataFrame([{"unit": "C", "code": "I.2", "self_score": 10.0, "final_score": 9.0,
                                     "reason": "Minh chứng chỉ chứng minh 9 điểm"}])
    ranking.robustness = pd.DataFrame({"rank": [1, 2], "min_rank": [1, 2], "max_rank": [1, 2]},
                                      index=pd.Index(["A", "C"], name="unit"))
    ranking.leader_changes = False
    return ranking


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
