"""The demo: fill forms the way units do (open the generated file, type values, save a copy).

Used by `thidua demo` and by tests; it goes through the same files a unit returns.
"""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl

from toolkit import texts as T
from toolkit.bloc.model import Bloc, Criterion, Member
from toolkit.fileio import atomic_path
from toolkit.forms.layout import COL_EVIDENCE, COL_INPUT, form_layout


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


def plausible_inputs(bloc: Bloc, member: Member, seed: int = 2026) -> tuple[dict, dict]:
    """Varied but realistic inputs for one unit: strong units score high, a few lose points."""
    rng = random.Random(f"{seed}:{bloc.key}:{member.code}")
    strength = rng.uniform(0.82, 0.99)
    values, evidence = {}, {}
    for c in bloc.criteria.leaves():
        values[c.code] = _plausible_value(c, strength, rng)
        if c.evidence_required and values[c.code] not in (0, None):
            evidence[c.code] = T.DEMO_EVIDENCE.format(number=rng.randint(10, 999), unit=member.code,
                                                      day=rng.randint(1, 28), month=rng.randint(1, 11),
                                                      year=bloc.year)
    return values, evidence


def _plausible_value(c: Criterion, strength: float, rng: random.Random) -> object:
    if c.kind == "graded":
        raw = c.max_points * min(1.0, rng.gauss(strength, 0.05))
        step = c.step or 0.25
        return max(0.0, round(raw / step) * step)
    if c.kind == "passfail":
        return T.PASS if rng.random() < 0.9 else T.FAIL
    if c.kind == "quantitative":
        return round(c.target * rng.uniform(0.97, 1.15), 1)
    if c.kind == "count":
        return rng.choice([0, 1, 1, 2])
    if c.kind == "bonus":
        return rng.choice([0, 0, 1, 1, 2])
    return rng.choice([0, 0, 0, 1])  # penalty


def fill_demo_returns(bloc: Bloc, forms: list[Path], inbox: Path, seed: int = 2026) -> list[Path]:
    """Fill every generated form with plausible inputs and save it into the inbox folder."""
    out = []
    for member, form in zip(bloc.members, forms):
        values, evidence = plausible_inputs(bloc, member, seed)
        out.append(fill_form(form, Path(inbox) / form.name, bloc, values, evidence))
    return out
