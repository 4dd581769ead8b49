"""The bloc as data: members, period, criteria tree and rules. Pure data, no I/O."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import cached_property

from toolkit.texts.labels import GRADE_NAMES, TIE_BREAK_LABELS
from toolkit.vntext import match_key


class Word(str, Enum):
    """A domain word: compares equal to (and prints as) its string value."""

    def __str__(self) -> str:
        return self.value


class Kind(Word):
    """What a criterion is: a group, or how a leaf is scored (DOMAIN.md, scoring kinds)."""

    GROUP = "group"
    GRADED = "graded"
    PASSFAIL = "passfail"
    COUNT = "count"
    QUANTITATIVE = "quantitative"
    BONUS = "bonus"
    PENALTY = "penalty"


class Section(Word):
    """Where a top group's points go: the base total, the bonus (capped) or the penalty."""

    BASE = "base"
    BONUS = "bonus"
    PENALTY = "penalty"


KINDS = tuple(Kind)
LEAF_KINDS = tuple(k for k in Kind if k is not Kind.GROUP)
SMTP_SECURITY = ("starttls", "ssl", "none")
# The most times any count/bonus/penalty may be typed: a sane bound. Not cap / points: a unit may
# honestly report more occurrences than it takes to reach the cap (the points are capped, not the count).
MAX_COUNT = 1000
PLAUSIBLE_MULTIPLE = 10.0  # default: a quantitative result above this many times its target is refused
EMAIL_PATTERN = re.compile(  # ASCII local part and domain, as SMTP without SMTPUTF8 needs
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Criterion:
    """A node of the criteria tree. Codes are dotted ("I", "I.1", "I.1.a"); the parent is the prefix.

    max_points: a leaf's maximum; a group's maximum; for count/bonus/penalty leaves the cap
    (0 = uncapped). points: points per occurrence (count/bonus/penalty). target: quantitative target.
    step: allowed step of graded scores (0 = any value).
    """

    code: str
    text: str
    max_points: float = 0.0
    kind: Kind = Kind.GROUP
    step: float = 0.0
    points: float = 0.0
    target: float = 0.0
    unit: str = ""
    evidence_required: bool = False

    def __post_init__(self):
        object.__setattr__(self, "kind", Kind(self.kind))

    @property
    def is_group(self) -> bool:
        return self.kind is Kind.GROUP

    @property
    def parent_code(self) -> str | None:
        head, sep, _ = self.code.rpartition(".")
        return head if sep else None

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def input_kind(self) -> str:
        """What the unit types: 'score', 'choice', 'count' or 'actual' (groups have none)."""
        return {"graded": "score", "passfail": "choice", "quantitative": "actual",
                "count": "count", "bonus": "count", "penalty": "count"}.get(self.kind, "")

    def actual_limit(self, multiple: float) -> float | None:
        """The largest plausible result of a quantitative leaf: `multiple` times its target (None
        without a target: the points do not depend on how far above 0 the result is)."""
        return self.target * multiple if self.target > 0 else None


@dataclass(frozen=True)
class CriteriaTree:
    """Criteria in document order (parents before children)."""

    items: tuple[Criterion, ...]

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def get(self, code: str) -> Criterion:
        return self._by_code[code]

    @cached_property
    def _by_code(self) -> dict[str, Criterion]:
        return {c.code: c for c in self.items}

    def children(self, code: str | None) -> list[Criterion]:
        return list(self._children.get(code, ()))

    @cached_property
    def _children(self) -> dict[str | None, tuple[Criterion, ...]]:
        out: dict[str | None, list[Criterion]] = {}
        for c in self.items:
            out.setdefault(c.parent_code, []).append(c)
        return {code: tuple(kids) for code, kids in out.items()}

    def top_groups(self) -> list[Criterion]:
        return self.children(None)

    def leaves(self) -> list[Criterion]:
        return list(self._leaves)

    @cached_property
    def _leaves(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.items if not c.is_group)

    def leaves_under(self, code: str) -> list[Criterion]:
        prefix = code + "."
        return [c for c in self.leaves() if c.code.startswith(prefix) or c.code == code]

    def top_of(self, code: str) -> str:
        return code.split(".", 1)[0]

    def section(self, top_code: str) -> Section:
        """Bonus or penalty when every leaf under a top group is of that kind, else base."""
        if top_code not in self._sections:
            self._sections[top_code] = self._section(top_code)
        return self._sections[top_code]

    @cached_property
    def _sections(self) -> dict[str, Section]:
        return {}

    def _section(self, top_code: str) -> Section:
        kinds = {c.kind for c in self.leaves_under(top_code)}
        if kinds == {Kind.BONUS}:
            return Section.BONUS
        if kinds == {Kind.PENALTY}:
            return Section.PENALTY
        return Section.BASE

    def is_top_bonus(self, c: Criterion) -> bool:
        """Whether `c` is a top group of the bonus section (its maximum is the bonus cap)."""
        return c.is_group and c.depth == 0 and self.section(c.code) is Section.BONUS

    def base_groups(self) -> list[Criterion]:
        return [g for g in self.top_groups() if self.section(g.code) is Section.BASE]

    @property
    def base_max(self) -> float:
        return sum(g.max_points for g in self.base_groups())

    def fingerprint(self) -> str:
        """A short hash of everything that defines scoring; changes whenever the table changes."""
        rows = [[c.code, unicodedata.normalize("NFC", c.text), float(c.max_points), c.kind, float(c.step),
                 float(c.points), float(c.target), c.unit, c.evidence_required] for c in self.items]
        payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Member:
    order: int
    code: str
    name: str
    short_name: str = ""
    email: str = ""

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class GradeBand:
    name: str
    min_total: float
    min_group_share: float  # 0..1 of each base group's maximum


class TieKey(Word):
    """What a tie-break step compares: a top group's points, fewer penalty points, more bonus points."""

    GROUP = "group"
    PENALTY = "penalty"
    BONUS = "bonus"


@dataclass(frozen=True)
class TieStep:
    """One step of the tie-break chain; `code` is the top group compared (group steps only)."""

    key: TieKey
    code: str = ""

    @classmethod
    def group(cls, code: str) -> "TieStep":
        return cls(TieKey.GROUP, code)

    @property
    def text(self) -> str:
        """The chair's words for this step, e.g. 'Điểm nhóm I cao hơn'."""
        return TIE_BREAK_LABELS[self.key].format(code=self.code)


@dataclass(frozen=True)
class TieBreak:
    """The chain of steps that orders units with equal totals, first step first."""

    steps: tuple[TieStep, ...] = ()

    def __iter__(self):
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    @property
    def text(self) -> str:
        """As the chair writes it: the steps' words joined by '; '."""
        return "; ".join(step.text for step in self.steps)

    @classmethod
    def parse(cls, text: str, top_codes: set[str]) -> tuple["TieBreak", list[str]]:
        """The chain the chair wrote (empty text: the default) and the parts that name no step
        (a group step must name one of `top_codes`)."""
        if not text:
            return DEFAULT_TIE_BREAK, []
        group_pattern = re.compile(
            re.escape(match_key(TIE_BREAK_LABELS[TieKey.GROUP])).replace(r"\{code\}", r"(\S+)"))
        fixed = {match_key(TIE_BREAK_LABELS[k]): TieStep(k) for k in (TieKey.PENALTY, TieKey.BONUS)}
        steps, bad = [], []
        for part in (p.strip() for p in text.split(";") if p.strip()):
            key = match_key(part)
            match = group_pattern.fullmatch(key)
            if key in fixed:
                steps.append(fixed[key])
            elif match and match.group(1).upper() in top_codes:
                steps.append(TieStep.group(match.group(1).upper()))
            else:
                bad.append(part)
        return cls(tuple(steps)), bad

    @staticmethod
    def choices() -> str:
        """Every kind of step in the chair's words (a group step shown for group I)."""
        return "; ".join(TieStep(k, "I").text for k in TieKey)


DEFAULT_TIE_BREAK = TieBreak((TieStep.group("I"), TieStep(TieKey.PENALTY), TieStep.group("II"),
                              TieStep(TieKey.BONUS)))


@dataclass(frozen=True)
class Rules:
    bonus_cap: float = 10.0
    grade_bands: tuple[GradeBand, ...] = (
        GradeBand(GRADE_NAMES[0], 90, 0.85),
        GradeBand(GRADE_NAMES[1], 80, 0.80),
        GradeBand(GRADE_NAMES[2], 70, 0.70),
    )
    tie_break: TieBreak = DEFAULT_TIE_BREAK
    weight_self: float = 0.0
    weight_review: float = 1.0
    weight_cross: float = 0.0
    group_weights: tuple[tuple[str, float], ...] = ()  # (top group code, weight); absent = 1
    cross_scoring: bool = False
    cross_flag_threshold: float = 5.0  # flag |self total − final total| above this
    quorum: float = 2 / 3  # share of members present for a valid vote (≥)
    approval: float = 0.5  # share of members voting for (>)
    flag_quota: int = 1
    certificate_quota: int = 3
    plausible_multiple: float = PLAUSIBLE_MULTIPLE  # quantitative results above multiple × target refused

    def group_weight(self, code: str) -> float:
        return dict(self.group_weights).get(code, 1.0)


@dataclass(frozen=True)
class MeetingInfo:
    """What the year-end meeting decides that thidua cannot know (blank: filled in by hand), and the
    next year's chair and vice-chair as elected (blank: the next members in founding order)."""

    doc_number: str = ""
    time: str = ""
    place: str = ""
    secretary: str = ""
    absent: tuple[str, ...] = ()  # codes of the members absent from the meeting
    next_chair: str = ""
    next_vice_chair: str = ""


@dataclass(frozen=True)
class Bloc:
    name: str
    kind: str  # "khoi" | "cum"
    year: int
    period: str  # "tong-ket" | "so-ket"
    members: tuple[Member, ...]
    criteria: CriteriaTree
    rules: Rules = field(default_factory=Rules)
    key: str = ""
    chair: str = ""
    vice_chair: str = ""
    place: str = ""
    deadline: date | None = None
    board_name: str = ""
    board_email: str = ""
    legal_basis: tuple[str, ...] = ()
    smtp_host: str = ""
    smtp_port: int = 0  # 0: the usual port of smtp_security (587, 465, 25)
    smtp_security: str = "starttls"  # one of SMTP_SECURITY
    smtp_user: str = ""
    sender_email: str = ""
    sender_name: str = ""
    meeting_info: MeetingInfo = field(default_factory=MeetingInfo)
    imap_host: str = ""  # receiving mail (toolkit.intake); the password as for sending
    imap_port: int = 0  # 0: the usual port of imap_security (143, 993)
    imap_security: str = "ssl"  # one of SMTP_SECURITY
    imap_user: str = ""

    def __post_init__(self):
        if not self.key:
            object.__setattr__(self, "key", slugify(self.name))

    def member(self, code: str) -> Member | None:
        """The member with this code (the first, should codes repeat), looked up in an index."""
        return self._members_by_code.get(code)

    @cached_property
    def _members_by_code(self) -> dict[str, Member]:
        """Code -> member, built once: callers look up every row of a ranking (20,000 at a country's
        scale), which a scan of the member list per lookup made quadratic."""
        index: dict[str, Member] = {}
        for m in self.members:
            index.setdefault(m.code, m)
        return index

    def max_points_of(self, c: Criterion) -> float:
        """A criterion's maximum as scored: a top bonus group's is the bonus cap, any other its own."""
        return self.rules.bonus_cap if self.criteria.is_top_bonus(c) else c.max_points

    @property
    def chair_member(self) -> Member | None:
        return self.member(self.chair)

    @property
    def period_key(self) -> str:
        return f"{self.year}-{self.period}"


def slugify(text: str) -> str:
    """ASCII slug for file names and keys: 'Khối Tham mưu' -> 'khoi-tham-muu'."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def email_list(text: str) -> list[str]:
    """The addresses of a cell that may hold several, separated by ',' or ';' (empty parts dropped)."""
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def looks_like_email(text: str) -> bool:
    return EMAIL_PATTERN.fullmatch(text) is not None
