"""Memory at a country's scale (issue 20): what the read returns keep is shared where it repeats."""

from pathlib import Path

from toolkit.returns.parallel import share_numbers
from toolkit.returns.reader import ReadResult, Submission


def _result(values: dict[str, float]) -> ReadResult:
    submission = Submission("DV1", Path("a.xlsx"), "", "", None, 0, values)
    return ReadResult(Path("a.xlsx"), "", "DV1", submission)


def test_equal_values_of_many_returns_become_one_object() -> None:
    numbers: dict = {}
    first = share_numbers(_result({"I.1": float("2.5"), "I.2": float("7")}), numbers).submission
    second = share_numbers(_result({"I.1": float("2.5"), "I.2": float("8")}), numbers).submission
    assert first.values["I.1"] is second.values["I.1"]
    assert first.values == {"I.1": 2.5, "I.2": 7.0} and second.values == {"I.1": 2.5, "I.2": 8.0}


def test_shared_values_keep_their_type_and_sign() -> None:
    numbers: dict = {}
    share_numbers(_result({"I.1": 1.0, "I.2": 0.0}), numbers)
    later = share_numbers(_result({"I.1": 1, "I.2": -0.0}), numbers).submission.values
    assert type(later["I.1"]) is int
    assert str(later["I.2"]) == "-0.0"


def test_a_result_without_submission_is_left_alone() -> None:
    result = ReadResult(Path("a.xlsx"), "", "DV1")
    assert share_numbers(result, {}) is result and result.submission is None
