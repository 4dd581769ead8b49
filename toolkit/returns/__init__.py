"""Stage 3 — read back returned forms: check each file, keep every problem, choose one per unit."""

from toolkit.returns.collect import Returns, collect_returns
from toolkit.returns.reader import ReadResult, Submission, read_return

__all__ = ["ReadResult", "Returns", "Submission", "collect_returns", "read_return"]
