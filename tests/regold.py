"""Regenerate the golden summary (tests/golden/summary.xlsx) from the fixed scenario. Run only after an
intended change of the summary, look at the result, and commit it:

    python3 -m tests.regold

The golden test itself never writes the golden file."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.summary_scenario import GOLDEN, write_scenario_summary


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        actual = write_scenario_summary(Path(tmp) / "summary.xlsx")
        GOLDEN.parent.mkdir(exist_ok=True)
        shutil.copy(actual, GOLDEN)
    print(f"wrote {GOLDEN}")


if __name__ == "__main__":
    main()
