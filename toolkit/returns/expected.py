"""What a bloc's returned form holds where (its locked cells, input cells, totals), worked out once per
bloc and shared by every file of that bloc; lookups by Unicode-insensitive keys."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Criterion
from toolkit.forms.layout import (COL_CODE, COL_EVIDENCE, COL_HOW, COL_INPUT, COL_MAX, COL_SCORE,
                                  COL_TEXT, HEADER_ROW, form_layout)
from toolkit.vntext import match_key

FORM_COLUMNS = (COL_CODE, COL_TEXT, COL_MAX, COL_HOW, COL_INPUT, COL_SCORE, COL_EVIDENCE)


@dataclass(frozen=True)
class FixedRow:
    """A criterion's locked cells on the form: its code, text, maximum and score formula."""

    criterion: Criterion
    code_ref: str
    text_ref: str
    max_ref: str
    score_ref: str
    max_points: float  # the maximum the form shows (a top bonus group shows the bonus cap)


@dataclass(frozen=True)
class InputRow:
    criterion: Criterion
    input_ref: str
    evidence_ref: str


@dataclass(frozen=True)
class Expected:
    """What a bloc's form holds where, worked out once per bloc instead of once per file."""

    headers: tuple[tuple[str, str], ...]
    rows: tuple[FixedRow, ...]
    inputs: tuple[InputRow, ...]
    total_refs: tuple[str, ...]


def expected_of(bloc: Bloc) -> Expected:
    def build(b: Bloc) -> Expected:
        tree, layout = b.criteria, form_layout(b.criteria)
        headers = tuple((f"{col}{HEADER_ROW}", text) for col, text in zip(FORM_COLUMNS, T.FORM_COLUMNS))
        rows = tuple(FixedRow(c, layout.cell(COL_CODE, c.code), layout.cell(COL_TEXT, c.code),
                               layout.cell(COL_MAX, c.code), layout.cell(COL_SCORE, c.code),
                               b.max_points_of(c)) for c in tree)
        inputs = tuple(InputRow(c, layout.cell(COL_INPUT, c.code), layout.cell(COL_EVIDENCE, c.code))
                       for c in tree.leaves())
        totals = tuple(f"{COL_SCORE}{r}" for r in (layout.base_total_row, layout.bonus_total_row,
                                                   layout.penalty_total_row, layout.grand_total_row))
        return Expected(headers, rows, inputs, totals)
    return cached("expected", bloc, build)


_LOOKUPS: dict[tuple[str, int], tuple[object, object]] = {}


def cached(key: str, owner, build):
    """`build(owner)` computed once per owner object (blocs and trees are immutable): reading many
    files of one bloc must not redo per file what depends on the bloc alone."""
    slot = (key, id(owner))
    hit = _LOOKUPS.get(slot)
    if hit is None or hit[0] is not owner:
        if len(_LOOKUPS) > 64:
            _LOOKUPS.clear()
        hit = _LOOKUPS[slot] = (owner, build(owner))
    return hit[1]


def members_by_key(bloc: Bloc) -> dict:
    """Members by the match key of their code (the first wins, as a scan in founding order would)."""
    def build(b: Bloc) -> dict:
        out: dict = {}
        for m in b.members:
            out.setdefault(match_key(m.code), m)
        return out
    return cached("members", bloc, build)


def fingerprint_of(tree) -> str:
    return cached("fingerprint", tree, lambda t: t.fingerprint())


def find_sheet(names: list[str], wanted: str) -> str | None:
    """The sheet called `wanted` (up to Unicode form, spacing and case), None when there is none."""
    return next((n for n in names if same_key(n, wanted)), None)


def same_key(found: str, expected: str) -> bool:
    """match_key(found) == match_key(expected); an exact copy (the usual case) needs no key."""
    return found == expected or match_key(found) == match_key(expected)
