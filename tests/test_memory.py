"""Memory at a country's scale (issue 20): what the read returns keep is shared where it repeats."""

from pathlib import Path

import numpy as np

from tests.rules_helpers import six_bloc, v
from toolkit.meeting.model import CrossScore, Review
from toolkit.ranking import rank_bloc
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


def test_without_review_or_cross_scores_the_three_score_tables_share_one_array() -> None:
    ranking = rank_bloc(six_bloc(), {"U1": v(9, 8, 7), "U2": v(6, 5, 4)})
    self_ = ranking.self_scores.to_numpy()
    assert np.shares_memory(self_, ranking.review_scores.to_numpy())
    assert np.shares_memory(self_, ranking.cross_scores.to_numpy())
    assert ranking.review_scores.loc["U1", "II.1"] == 8 and ranking.cross_scores.loc["U2", "III.1"] == 4


def test_review_and_cross_scores_get_their_own_arrays() -> None:
    bloc = six_bloc(weight_self=1, weight_review=1, weight_cross=1)
    ranking = rank_bloc(bloc, {"U1": v(9, 8, 7), "U2": v(6, 5, 4)},
                        reviews=[Review("U1", "I.1", 5.0, "thiếu minh chứng")],
                        cross=[CrossScore("U1", "U2", "I.1", 2.0)])
    assert ranking.review_scores.loc["U1", "I.1"] == 5 and ranking.self_scores.loc["U1", "I.1"] == 9
    assert ranking.cross_scores.loc["U2", "I.1"] == 2 and ranking.self_scores.loc["U2", "I.1"] == 6


def test_the_summary_writes_its_sheets_of_units_as_it_goes(tmp_path) -> None:
    """Tổng hợp, Chi tiết (one row per unit) and Nguồn are streamed: their rows carry no spans, which
    XlsxWriter writes only for sheets it holds whole (a country's would hold ~150 MB, issue 20)."""
    import re
    import zipfile

    from bench.dataset import bench_bloc
    from tests.summary_scenario import TODAY, scenario_sources
    from toolkit import texts as T
    from toolkit.demo import plausible_inputs
    from toolkit.summary import DETAIL_MAX_UNIT_COLUMNS, write_summary

    bloc = bench_bloc(DETAIL_MAX_UNIT_COLUMNS + 5)
    values = {m.code: {k: {T.PASS: 1.0, T.FAIL: 0.0}.get(x, x) for k, x in plausible_inputs(bloc, m)[0].items()}
              for m in bloc.members}
    path = write_summary(tmp_path / "s.xlsx", rank_bloc(bloc, values), [], TODAY, sources=scenario_sources())
    with zipfile.ZipFile(path) as zf:
        book = zf.read("xl/workbook.xml").decode()
        sheets = {name: zf.read(f"xl/worksheets/sheet{i}.xml").decode()
                  for i, name in enumerate(re.findall(r'<sheet name="([^"]+)"', book), start=1)}
    streamed = {T.SUMMARY_SHEET, T.DETAIL_SHEET, T.summary.SOURCES_SHEET}
    assert {name for name, xml in sheets.items() if "<row " in xml and " spans=" not in xml} == streamed
    assert sheets[T.SUMMARY_SHEET].count("<row ") > len(bloc.members)
