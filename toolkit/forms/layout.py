"""Where things are on a scoring form. The writer and the reader both use this, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.bloc.model import CriteriaTree

FORMAT_ID = "thidua-form/1"
META_SHEET = "_thidua"
HEADER_ROW = 8  # 1-based row of the column headers
FIRST_ROW = HEADER_ROW + 1
COL_CODE, COL_TEXT, COL_MAX, COL_HOW, COL_INPUT, COL_SCORE, COL_EVIDENCE = "ABCDEFG"
META_KEYS = ("format", "toolkit_version", "bloc_key", "bloc_name", "unit_code", "unit_name", "year",
             "period", "fingerprint", "form_id", "created", "seal")


@dataclass(frozen=True)
class FormLayout:
    """Row of each criterion and of the total rows (1-based, as Excel shows them)."""

    rows: dict[str, int]
    base_total_row: int
    bonus_total_row: int
    penalty_total_row: int
    grand_total_row: int

    def cell(self, column: str, code: str) -> str:
        return f"{column}{self.rows[code]}"


def form_layout(tree: CriteriaTree) -> FormLayout:
    rows = {c.code: FIRST_ROW + i for i, c in enumerate(tree)}
    after = FIRST_ROW + len(tree)
    return FormLayout(rows, after, after + 1, after + 2, after + 3)
