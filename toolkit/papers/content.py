"""What the meeting's papers say, from the bloc and the ranking: plain rows of texts, no docx here.

Every number is the ranking's own (total with two decimals and a decimal comma, as in the summary)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Member
from toolkit.ranking import Ranking, rank_label
from toolkit.ranking.scores import EPS
from toolkit.texts import papers as P
from toolkit.vntext import vn_number


def total_text(value: float) -> str:
    """A total as the summary prints it: 95,50."""
    return f"{value:.2f}".replace(".", ",")


@dataclass(frozen=True)
class Candidate:
    """A unit the meeting votes on, with the ranking's figures."""

    code: str
    name: str
    total: str
    grade: str
    rank: str
    award: str
    gov_flag: bool
    votes_for: int | None  # None: not voted yet
    votes_pct: str
    passed: bool | None


@dataclass(frozen=True)
class Papers:
    """Everything the four papers show."""

    bloc: Bloc
    ranked: tuple[Candidate, ...]  # every counted unit not disqualified, in rank order
    left_out: tuple[str, ...]  # the other members: "name (reason)"
    present: tuple[Member, ...]
    absent: tuple[Member, ...]

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """The units on the ballot: ranked and graded in one of the two top bands."""
        return tuple(c for c in self.ranked if c.grade in self.top_grades)

    @property
    def tallied(self) -> tuple[Candidate, ...]:
        """The units on the tally sheet: the ballot's, and any other unit the meeting voted on."""
        return tuple(c for c in self.ranked if c in self.candidates or c.votes_for is not None)

    @property
    def top_grades(self) -> set[str]:
        bands = sorted(self.bloc.rules.grade_bands, key=lambda b: -b.min_total)
        return {b.name for b in bands[:2]}

    def awarded(self, kind: str) -> tuple[Candidate, ...]:
        """The units proposed for the flag, the certificate, or (gov_flag) the Government's flag."""
        if kind == "gov_flag":
            return tuple(c for c in self.ranked if c.gov_flag)
        award = T.rules.AWARD_FLAG if kind == "flag" else T.rules.AWARD_CERTIFICATE
        return tuple(c for c in self.ranked if c.award == award)

    @property
    def quorum_needed(self) -> int:
        needed = self.bloc.rules.quorum * len(self.bloc.members)
        return math.ceil(needed - EPS)

    @property
    def period(self) -> str:
        return T.period_title(self.bloc.period, self.bloc.year).lower()

    def info(self, value: str) -> str:
        """A field of the meeting, or the blank to fill in by hand."""
        return value or P.BLANK


def papers_of(ranking: Ranking) -> Papers:
    """The papers' contents from a ranking (the bloc's Thông tin gives the absent members)."""
    bloc, table = ranking.bloc, ranking.table
    members = len(bloc.members)
    ranked = []
    for code, r in ranking.ranked().iterrows():
        if bool(r["disqualified"]):
            continue
        voted = not math.isnan(r["votes_pct"])
        ranked.append(Candidate(
            code, r["name"], total_text(float(r["total"])), r["grade"] or "", rank_label(r["rank"], bool(r["tied"])),
            r["award"] or "", bool(r["gov_flag_candidate"]),
            round(r["votes_pct"] * members / 100) if voted else None,
            vn_number(r["votes_pct"]) if voted else P.BLANK, r["vote_passed"]))
    shown = {c.code for c in ranked}
    left_out = tuple(f"{r['name']} ({r['note'] or r['disqualify_reason']})" for code, r in table.iterrows()
                        if code not in shown)
    absent = set(bloc.meeting_info.absent)
    return Papers(bloc, tuple(ranked), left_out, tuple(m for m in bloc.members if m.code not in absent),
                  tuple(m for m in bloc.members if m.code in absent))
