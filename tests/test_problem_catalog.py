"""The problem catalog: each entry declares its template's fields, and problem() holds callers to them.
(That every entry is produced by some test is checked at the end of a full run: tests/conftest.py.)"""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from tests import catalog_coverage
from toolkit.problems import problem
from toolkit.texts.problems import CATALOG, LOCATION_FIELDS


def _template_fields(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_template_uses_exactly_its_declared_fields(code):
    entry = CATALOG[code]
    declared = entry.fields.split()
    assert len(declared) == len(set(declared)), code
    assert set(_template_fields(entry.template)) == set(declared), code


def test_problem_fills_the_template_from_params_and_location():
    p = problem("value.over_max", file="a.xlsx", sheet="Phiếu", cell="E11", value=12, max=10, code="I.2")
    assert p.message.startswith("Ô E11: 12 vượt điểm tối đa 10") and p.params == {"value": 12, "max": 10, "code": "I.2"}


@pytest.mark.parametrize("kwargs, complaint", [
    (dict(cell="E11", value=12, max=10), "missing ['code']"),
    (dict(cell="E11", value=12, max=10, code="I.2", hint="x"), "not declared ['hint']"),
    (dict(value=12, max=10, code="I.2"), "blank location ['cell']"),
])
def test_problem_refuses_missing_undeclared_and_blank_fields(kwargs, complaint):
    with pytest.raises(TypeError, match=re.escape(complaint)):
        problem("value.over_max", **kwargs)


def test_location_fields_are_never_params():
    assert all(not (CATALOG[code].params & LOCATION_FIELDS) for code in CATALOG)


def test_the_coverage_check_runs_only_on_a_full_run():
    every = set(catalog_coverage.TESTS.glob("test_*.py"))
    assert catalog_coverage.is_full_run(every, deselected=0)
    assert not catalog_coverage.is_full_run(every, deselected=3)                      # -k / -m
    assert not catalog_coverage.is_full_run(every - {Path(__file__).resolve()}, 0)     # a subset of files


def test_the_recorder_sees_every_code_problem_builds():
    recorder = catalog_coverage.RecordingCatalog(CATALOG)
    original, catalog_coverage.problems.CATALOG = catalog_coverage.problems.CATALOG, recorder
    try:
        problem("form.protection_removed", file="a.xlsx")
    finally:
        catalog_coverage.problems.CATALOG = original
    assert recorder.produced == {"form.protection_removed"}
    assert "form.protection_removed" not in catalog_coverage.never_produced(recorder)
