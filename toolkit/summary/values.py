"""The rules stage's optional columns as the summary shows them: a missing value (None/NaN/NA) is blank."""

from __future__ import annotations

import math

import pandas as pd


def is_blank(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def flag(value) -> bool:
    """A rules-stage boolean; missing (None/NaN/NA) is False."""
    return not is_blank(value) and bool(value)


def as_text(value) -> str:
    """A rules-stage string; missing (None/NaN/NA) is ''."""
    return "" if is_blank(value) else str(value)
