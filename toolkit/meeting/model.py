"""What the bloc's meeting decides besides the units' self-scores: review rounds, cross scores,
votes and disqualifiers. Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.problems import Problem

TOTAL = ""  # CrossScore.code for a score of the whole base total instead of one leaf
DISQUALIFIERS = ("unit_disciplined", "staff_disciplined", "no_pledge", "falsified", "late_form")


@dataclass(frozen=True)
class Review:
    """One leaf of one unit under review. Scores are the leaf's points (any kind, review gives
    points directly). The final review is the second round when present, else the first."""

    unit: str
    code: str
    first: float | None = None
    first_reason: str = ""
    explanation: str = ""
    second: float | None = None
    second_reason: str = ""

    @property
    def final(self) -> float | None:
        return self.second if self.second is not None else self.first

    @property
    def reason(self) -> str:
        return self.second_reason if self.second is not None else self.first_reason


@dataclass(frozen=True)
class CrossScore:
    """`scorer` gives `scored` `score` points on leaf `code` (or on the base total when code is TOTAL)."""

    scorer: str
    scored: str
    code: str
    score: float


@dataclass(frozen=True)
class Vote:
    """The meeting's vote on one unit; `present` is the meeting's one number present (Biểu quyết, C1)."""

    unit: str
    votes_for: int
    present: int
    form: str = ""  # show of hands / secret ballot (free text)


@dataclass
class Meeting:
    """The meeting inputs read from the chair's workbook, with the problems found reading them.
    `disqualified`: unit -> disqualifier keys (DISQUALIFIERS) or free texts; `notes`: unit -> note."""

    reviews: list[Review] = field(default_factory=list)
    cross: list[CrossScore] = field(default_factory=list)
    votes: dict[str, Vote] = field(default_factory=dict)
    disqualified: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def ranking_inputs(self) -> dict:
        """Keyword arguments for `rank_bloc`."""
        return {"reviews": self.reviews, "cross": self.cross, "votes": self.votes,
                "disqualified": self.disqualified}
