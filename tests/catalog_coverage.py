"""Records every problem code built during a pytest session, to check that each catalog entry is
produced by some test. Only a full run (every test file under tests/ collected, nothing deselected)
is checked, so `-k`, `-m` or single-file runs never report codes their subset does not reach."""

from __future__ import annotations

from pathlib import Path

from toolkit import problems
from toolkit.texts.problems import CATALOG

TESTS = Path(__file__).resolve().parent


class RecordingCatalog(dict):
    """The catalog, remembering every code looked up by `toolkit.problems.problem`."""

    def __init__(self, catalog: dict):
        super().__init__(catalog)
        self.produced: set[str] = set()

    def __getitem__(self, code: str):
        self.produced.add(code)
        return super().__getitem__(code)


def install() -> RecordingCatalog:
    """Swap the catalog `problem()` reads for a recording copy (same entries)."""
    recorder = RecordingCatalog(CATALOG)
    problems.CATALOG = recorder
    return recorder


def is_full_run(collected_files: set[Path], deselected: int) -> bool:
    """Whether every test file under tests/ was collected and no test was deselected."""
    return deselected == 0 and set(TESTS.glob("test_*.py")) <= collected_files


def never_produced(recorder: RecordingCatalog) -> list[str]:
    return sorted(set(CATALOG) - recorder.produced)
