"""The demo: fill forms the way units do (open the generated file, type values, save a copy).

Used by `thidua demo` and by tests; it goes through the same files a unit returns. The example
returns give what a chair usually sees: units spread from strong to weak, each unit's groups close to
its overall level so that its grade follows its total, and exactly one unit (`floor_case`) whose grade
is one band below its total because one group misses the top band's floor.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import openpyxl

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Criterion, Kind, Member
from toolkit.chairbook.cells import cell_ref
from toolkit.chairbook.meeting import PRESENT_CELL, VOTE_HEADER
from toolkit.chairbook.typed import type_cells
from toolkit.fileio import atomic_path
from toolkit.forms.layout import COL_EVIDENCE, COL_INPUT, form_layout
from toolkit.paths import BlocFolder

STRONGEST, WEAKEST = 0.965, 0.76  # the units' levels: share of each group's maximum
MARGIN = 0.015  # a group's share kept this far above the floor of the band its unit's total reaches
FLOOR_SHORT = 0.03  # the floor case's one group: this far below the top band's floor
TOP_TIER = 0.9  # units from this level up: some bonus, no penalty
LEADER_BONUS, FLOOR_CASE_BONUS = 5, 1
FLOOR_CASE_EXCESS = 0.4  # the floor case's total: about this much over the top band's minimum


def fill_form(src: Path, dst: Path, bloc: Bloc, values: dict[str, object],
              evidence: dict[str, str] | None = None) -> Path:
    """Copy form `src` to `dst` with input cells set as a unit would type them (src is untouched)."""
    layout = form_layout(bloc.criteria)
    wb = openpyxl.load_workbook(src)
    ws = wb[T.FORM_SHEET]
    for code, value in values.items():
        ws[layout.cell(COL_INPUT, code)] = value
    for code, note in (evidence or {}).items():
        ws[layout.cell(COL_EVIDENCE, code)] = note
    with atomic_path(Path(dst)) as tmp:
        wb.save(tmp)
    return Path(dst)


def strength_order(bloc: Bloc, seed: int = 2026) -> list[str]:
    """Member codes from the strongest to the weakest (a fixed shuffle of the founding order)."""
    codes = [m.code for m in bloc.members]
    random.Random(f"{seed}:{bloc.key}").shuffle(codes)
    return codes


def _level(place: int, count: int) -> float:
    return STRONGEST - (STRONGEST - WEAKEST) * place / max(1, count - 1)


def floor_case(bloc: Bloc, seed: int = 2026) -> str:
    """The one unit whose grade a group floor holds below the band its total reaches: the first
    unit below the top tier (levels from TOP_TIER up), so that it ranks after the top tier."""
    order = strength_order(bloc, seed)
    top = sum(_level(place, len(order)) >= TOP_TIER for place in range(len(order)))
    return order[min(max(1, top), len(order) - 1)]


def plausible_inputs(bloc: Bloc, member: Member, seed: int = 2026) -> tuple[dict, dict]:
    """Realistic inputs for one unit: its level by its place in `strength_order`, a little noise."""
    order = strength_order(bloc, seed)
    place = order.index(member.code)
    level = _level(place, len(order))
    short = member.code == floor_case(bloc, seed)
    rng = random.Random(f"{seed}:{bloc.key}:{member.code}")
    if short:
        level = _floor_case_level(bloc)
        values = _extra_values(bloc, rng, FLOOR_CASE_BONUS, top=True)
    else:
        values = _extra_values(bloc, rng, LEADER_BONUS if place == 0 else None, top=level >= TOP_TIER)
    values.update(_base_values(bloc, level, short, values, rng))
    evidence = {}
    for c in bloc.criteria.leaves():
        if c.evidence_required and values[c.code] not in (0, None):
            evidence[c.code] = T.DEMO_EVIDENCE.format(number=rng.randint(10, 999), unit=member.code,
                                                      day=rng.randint(1, 28), month=rng.randint(1, 11),
                                                      year=bloc.year)
    return {c.code: values[c.code] for c in bloc.criteria.leaves()}, evidence


def _floor_case_level(bloc: Bloc) -> float:
    """The floor case's level in its other groups: its total, bonus included, just over the top
    band's minimum (TOP_TIER when the bloc has no bands)."""
    bands = sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total)
    groups = bloc.criteria.base_groups()
    if not bands or not groups:
        return TOP_TIER
    low = _floor_case_shares(bloc, {g.code: 0.0 for g in groups}, bands[0])
    weak = sum(low[g.code] * g.max_points for g in groups)
    rest = sum(g.max_points for g in groups if not low[g.code])
    wanted = bands[0].min_total + FLOOR_CASE_EXCESS - FLOOR_CASE_BONUS - weak
    return min(1.0, wanted / rest) if rest else TOP_TIER


def _floor_case_shares(bloc: Bloc, shares: dict[str, float], top) -> dict[str, float]:
    """`shares` with the floor case's weak group (the second base group) just below `top`'s floor."""
    groups = bloc.criteria.base_groups()
    weak = groups[1 if len(groups) > 1 else 0].code
    return {**shares, weak: top.min_group_share - FLOOR_SHORT}


def _extra_values(bloc: Bloc, rng: random.Random, bonus: int | None, top: bool) -> dict[str, object]:
    """Counts of the bonus leaves adding up to `bonus` points (random when None: at least one for
    the `top` tier), and of the penalty leaves (at times one late report, never for the top tier)."""
    budget = rng.choice([1, 2, 3] if top else [0, 1, 2, 3]) if bonus is None else bonus
    values: dict[str, object] = {}
    penalised = False
    for c in bloc.criteria.leaves():
        if c.kind is Kind.BONUS and c.points > 0:
            most = int(c.max_points // c.points) if c.max_points else budget
            values[c.code] = min(most, int(budget // c.points))
            budget -= values[c.code] * c.points
        elif c.kind is Kind.PENALTY:
            values[c.code] = 1 if not (top or penalised) and rng.random() < 0.3 else 0
            penalised = True
    return values


def _base_values(bloc: Bloc, level: float, short: bool, extra: dict[str, object],
                 rng: random.Random) -> dict[str, object]:
    """The base groups' inputs: each group near `level`, every group's share at least the floor
    of the band the unit's total reaches; with `short`, the floor case's group just below it."""
    criteria = bloc.criteria
    groups = criteria.base_groups()
    shares = {g.code: min(1.0, level + (0 if short else rng.gauss(0, 0.005))) for g in groups}
    bands = sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total)
    held = set()
    if short and bands:
        low = _floor_case_shares(bloc, shares, bands[0])
        held = {code for code in low if low[code] != shares[code]}
        shares = low
    for _ in bands:
        total = sum(shares[g.code] * g.max_points for g in groups) + _extra_points(bloc, extra)
        band = next((b for b in bands if total >= b.min_total), None)
        if band is None:
            break
        for g in groups:
            if g.code not in held:
                shares[g.code] = min(1.0, max(shares[g.code], band.min_group_share + MARGIN))
    values: dict[str, object] = {}
    for g in groups:
        values.update(_group_values(bloc, criteria.leaves_under(g.code), shares[g.code] * g.max_points,
                                    level, rng))
    return values


def _extra_points(bloc: Bloc, extra: dict[str, object]) -> float:
    leaves = {c.code: c for c in bloc.criteria.leaves()}
    bonus = sum(leaves[code].points * n for code, n in extra.items() if leaves[code].kind is Kind.BONUS)
    penalty = sum(leaves[code].points * n for code, n in extra.items() if leaves[code].kind is Kind.PENALTY)
    return min(bonus, bloc.rules.bonus_cap) - penalty


def _group_values(bloc: Bloc, leaves: list[Criterion], points: float, level: float,
                  rng: random.Random) -> dict[str, object]:
    """Inputs of one group's leaves worth about `points`: the fixed kinds first, then the graded
    leaves share what is left, with noise that keeps their sum."""
    values: dict[str, object] = {}
    fixed = 0.0
    for c in leaves:
        if c.kind is Kind.QUANTITATIVE:
            values[c.code], share = _quantitative(c, level)
            fixed += share * c.max_points
        elif c.kind is Kind.PASSFAIL:
            values[c.code] = T.PASS
            fixed += c.max_points
        elif c.kind is Kind.COUNT and c.points > 0:
            full = math.ceil(c.max_points / c.points) if c.max_points else 1
            values[c.code] = full if level >= 0.85 else max(0, full - 1)
            fixed += min(values[c.code] * c.points, c.max_points or math.inf)
    graded = [c for c in leaves if c.kind is Kind.GRADED]
    values.update(_graded(graded, points - fixed, rng))
    return values


def _quantitative(c: Criterion, level: float) -> tuple[float, float]:
    """The result typed (at or above target, growing with the level) and the share of the maximum
    it earns when the strongest unit holds the bloc's best (half at target, all at the best)."""
    actual = round(c.target * (1 + 0.15 * (level - 0.5) / (STRONGEST - 0.5)), 1)
    best = round(c.target * 1.15, 1)
    share = 0.5 + 0.5 * (actual - c.target) / (best - c.target) if best > c.target else 1.0
    return actual, min(1.0, share)


def _graded(leaves: list[Criterion], points: float, rng: random.Random) -> dict[str, float]:
    """Scores of graded leaves adding up to `points` (within half a step), each on its step."""
    room = sum(c.max_points for c in leaves)
    if not leaves or room <= 0:
        return {}
    mean = min(1.0, max(0.0, points / room))
    noise = [rng.gauss(0, 0.04) for _ in leaves]
    drift = sum(n * c.max_points for n, c in zip(noise, leaves)) / room
    scores = {c.code: _on_step(c, c.max_points * (mean + n - drift)) for n, c in zip(noise, leaves)}
    for _ in range(4 * len(leaves)):  # nudge by steps until the sum is as close as the steps allow
        gap = points - sum(scores.values())
        c = next((c for c in leaves if abs(gap) >= (c.step or 0.25) / 2
                  and 0 <= scores[c.code] + math.copysign(c.step or 0.25, gap) <= c.max_points), None)
        if c is None:
            break
        scores[c.code] += math.copysign(c.step or 0.25, gap)
    return scores


def _on_step(c: Criterion, raw: float) -> float:
    step = c.step or 0.25
    return min(c.max_points, max(0.0, round(raw / step) * step))


def fill_demo_returns(bloc: Bloc, forms: list[Path], inbox: Path, seed: int = 2026) -> list[Path]:
    """Fill every generated form with plausible inputs and save it into the inbox folder. The weakest
    unit types one score as text with a decimal comma ("3,75"), as units do: its return still counts,
    with a warning, so the demo has a feedback workbook to show."""
    out = []
    comma = strength_order(bloc, seed)[-1]
    for member, form in zip(bloc.members, forms):
        values, evidence = plausible_inputs(bloc, member, seed)
        if member.code == comma:
            values = _with_decimal_comma(bloc, values)
        out.append(fill_form(form, Path(inbox) / form.name, bloc, values, evidence))
    return out


def _with_decimal_comma(bloc: Bloc, values: dict[str, object]) -> dict[str, object]:
    """`values` with the first fractional graded score typed as text with a decimal comma."""
    code = next((c.code for c in bloc.criteria.leaves() if c.kind is Kind.GRADED
                 and not float(values[c.code]).is_integer()), None)
    if code is None:
        return values
    return {**values, code: f"{values[code]:g}".replace(".", ",")}


def fill_demo(folder: Path, bloc: Bloc, forms: list[Path], seed: int = 2026) -> list[Path]:
    """The demo's returns in the folder's inbox and its meeting's votes in the chair's workbook."""
    where = BlocFolder.at(folder)
    returned = fill_demo_returns(bloc, forms, where.inbox, seed)
    type_demo_votes(where.chair, bloc, seed)
    return returned


def demo_absent(bloc: Bloc, seed: int = 2026) -> str:
    """The one member absent from the demo's meeting: neither the chair nor the leader."""
    leader = strength_order(bloc, seed)[0]
    others = [m.code for m in bloc.members if m.code not in (bloc.chair, leader)]
    return random.Random(f"{seed}:{bloc.key}:absent").choice(others)


def demo_votes(bloc: Bloc, seed: int = 2026) -> dict[str, tuple[int, int]]:
    """Unit -> (votes for, members present): one member absent (`demo_absent`), every unit voted on
    and passed, the leader unanimously."""
    present = max(1, len(bloc.members) - 1)
    passing = min(present, math.floor(bloc.rules.approval * len(bloc.members)) + 1)
    rng = random.Random(f"{seed}:{bloc.key}:votes")
    leader = strength_order(bloc, seed)[0]
    return {m.code: (present if m.code == leader else max(passing, present - rng.choice([0, 0, 1, 2])), present)
            for m in bloc.members}


def type_demo_votes(chair: Path, bloc: Bloc, seed: int = 2026) -> None:
    """Type `demo_votes` into the chair's "Biểu quyết" sheet (secret ballot) and the absent member
    into Thông tin (the minutes' list, which the count present must agree with) as a chair does."""
    R = T.rules
    absent_row = list(T.INFO_FIELDS).index("absent") + 2  # the chair's workbook's layout (chairbook.info)
    type_cells(chair, T.SHEET_INFO, {cell_ref(2, absent_row): demo_absent(bloc, seed)})
    votes = demo_votes(bloc, seed)
    present_row, present_col = PRESENT_CELL
    cells: dict[str, float | int | str] = {cell_ref(present_col + 1, present_row + 1): next(iter(votes.values()))[1]}
    for row, member in enumerate(bloc.members, start=VOTE_HEADER + 2):
        for name, value in zip(R.VOTE_COLUMNS[2:], (votes[member.code][0], R.VOTE_FORMS[1])):
            cells[cell_ref(R.VOTE_COLUMNS.index(name) + 1, row)] = value
    type_cells(chair, R.SHEET_VOTES, cells)
