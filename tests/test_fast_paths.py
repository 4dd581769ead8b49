"""The speed work keeps results and safety: parallel reading, the sheet parser's shortcuts, ranking.

No timing here (speed lives in bench/); every test compares with the plain way or a hostile file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.bloc.model import TieBreak, TieKey, TieStep
from toolkit.demo import fill_form
from toolkit.forms import form_filename, generate_forms
from toolkit.ranking import EPS, competition_ranks, score_leaves
from toolkit.returns import collect_returns, read_return
from toolkit.xlsx import open_workbook

SHEET = "xl/worksheets/sheet1.xml"
INPUTS = {"A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
          "B": {"I.1": 100, "I.2": 8, "II.1": T.FAIL, "II.2": 3, "III.1": 1, "IV.1": 0},
          "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0}}


@pytest.fixture(scope="module")
def returns(tmp_path_factory) -> tuple:
    bloc = small_bloc()
    root = tmp_path_factory.mktemp("fast")
    forms = generate_forms(bloc, root / "phieu")
    paths = [fill_form(f, root / "nhan" / f.name, bloc, INPUTS[m.code]) for m, f in zip(bloc.members, forms)]
    return bloc, paths


def patched(src: Path, dst: Path, part: str, change) -> Path:
    """A copy of `src` with one zip part rewritten by `change(bytes) -> bytes`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == part else data)
    return dst


def test_reading_on_two_workers_gives_the_same_results_in_the_same_order(returns, tmp_path):
    bloc, paths = returns
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    many = [paths[i % 3] for i in range(20)] + [broken] + paths
    one = collect_returns(many, bloc, workers=1)
    two = collect_returns(many, bloc, workers=2)
    assert [r.path for r in two.results] == many
    assert two.results == one.results
    assert two.submissions == one.submissions and two.problems == one.problems
    assert not two.results[20].ok


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
def test_a_doctype_with_entities_is_refused_as_unsafe(returns, tmp_path, encoding):
    _, paths = returns
    doctype = '<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    hostile = patched(paths[0], tmp_path / "x.xlsx", SHEET, lambda d: _with_prolog(
        d, doctype, encoding).replace(b"<v>", b"<v>&b;", 1).decode("utf-8").encode(encoding))
    book = open_workbook(hostile)
    with pytest.raises(Exception) as caught:
        book.sheet(T.FORM_SHEET)
    assert getattr(caught.value, "kind", "") == "unsafe"
    result = read_return(hostile, small_bloc())
    assert not result.ok and [p.code for p in result.problems] == ["file.unsafe"]


def test_utf16_and_prefixed_sheets_read_like_the_original(returns, tmp_path):
    bloc, paths = returns
    plain = read_return(paths[0], bloc)
    utf16 = patched(paths[0], tmp_path / "u16.xlsx", SHEET,
                    lambda d: _with_prolog(d, "", "UTF-16").decode("utf-8").encode("utf-16"))
    prefixed = patched(paths[0], tmp_path / "pfx.xlsx", SHEET, _prefix_main_namespace)
    for other in (utf16, prefixed):
        result = read_return(other, bloc)
        assert result.ok, result.problems
        assert result.submission.values == plain.submission.values


def _with_prolog(data: bytes, doctype: str, encoding: str) -> bytes:
    """The part (still UTF-8 bytes) with an XML declaration naming `encoding` and `doctype` after it."""
    body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
    return f'<?xml version="1.0" encoding="{encoding}"?>{doctype}'.encode() + body


def _prefix_main_namespace(data: bytes) -> bytes:
    import re
    text = data.decode("utf-8").replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                                        'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
    return re.sub(r"<(/?)(?!\?)([A-Za-z]+)([\s>/])", r"<\1x:\2\3", text).encode("utf-8")


def test_removed_protection_is_still_seen(returns, tmp_path):
    bloc, paths = returns
    import re
    open_sheet = patched(paths[0], tmp_path / "open.xlsx", SHEET,
                         lambda d: re.sub(rb"<sheetProtection[^>]*/>", b"", d))
    assert open_workbook(paths[0]).sheet(T.FORM_SHEET).protected
    result = read_return(open_sheet, bloc)
    assert "form.protection_removed" in [p.code for p in result.problems]


def _leaf_score(c, value: float, best_actual: float | None = None) -> float:
    """Points of one leaf from the unit's input value, one cell at a time (DOMAIN.md, scoring kinds)."""
    if c.kind == "graded":
        return min(max(value, 0.0), c.max_points)
    if c.kind == "passfail":
        return c.max_points if value >= 0.5 else 0.0
    if c.kind == "quantitative":
        return _quantitative_score(c, value, best_actual)
    points = c.points * max(value, 0.0)
    return min(points, c.max_points) if c.max_points else points


def _quantitative_score(c, actual: float, best: float | None) -> float:
    half, target = c.max_points / 2, c.target
    if target <= 0:
        return c.max_points if actual > 0 else 0.0
    if actual < target - EPS:
        return half * max(actual, 0.0) / target
    best = actual if best is None else max(best, actual)
    if best - target <= EPS:
        return half
    return half + half * (actual - target) / (best - target)


def _reference_leaves(bloc, values) -> pd.DataFrame:
    """The straightforward per-cell version score_leaves replaced."""
    leaves = bloc.criteria.leaves()
    frame = pd.DataFrame(0.0, index=pd.Index(list(values), name="unit"), columns=[c.code for c in leaves])
    for c in leaves:
        present = [v[c.code] for v in values.values() if v.get(c.code) is not None]
        best = max(present) if c.kind == "quantitative" and present else None
        for unit, v in values.items():
            if v.get(c.code) is not None:
                frame.loc[unit, c.code] = _leaf_score(c, v[c.code], best)
    return frame


unit_values = st.fixed_dictionaries({
    "I.1": st.sampled_from([None, 0, 50, 99.5, 100, 105, 120]), "I.2": st.sampled_from([0, 5, 9.5, 10]),
    "II.1": st.sampled_from([None, 0.0, 1.0]), "II.2": st.integers(0, 3), "III.1": st.integers(0, 3),
    "IV.1": st.integers(0, 2)})


@settings(max_examples=60, deadline=None)
@given(st.lists(unit_values, min_size=0, max_size=3))
def test_leaf_scores_equal_the_per_cell_version(rows):
    bloc = small_bloc()
    values = {m.code: v for m, v in zip(bloc.members, rows)}
    pd.testing.assert_frame_equal(score_leaves(bloc, values), _reference_leaves(bloc, values))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0.0, 1.5, 2.0]), st.sampled_from([-1.0, 0.0, 1.0])), max_size=12))
def test_competition_ranks_equal_the_pairwise_definition(rows):
    keys = np.array(rows, dtype=float).reshape(len(rows), 2)
    ranks, tied = competition_ranks(keys)
    tuples = [tuple(r) for r in keys]
    assert ranks.tolist() == [1 + sum(other > row for other in tuples) for row in tuples]
    assert tied.tolist() == [sum(other == row for other in tuples) > 1 for row in tuples]


def test_form_filenames_are_the_files_read(returns):
    bloc, paths = returns
    assert [p.name for p in paths] == [form_filename(m) for m in bloc.members]


@pytest.mark.office
def test_a_libreoffice_saved_return_reads_through_the_cut_after_protection(soffice, returns, tmp_path):
    from toolkit.forms.layout import COL_INPUT, form_layout
    from toolkit.office import fill
    from toolkit.xlsx import _CELLS_END

    bloc, _ = returns
    form = generate_forms(bloc, tmp_path / "phieu")[0]
    layout = form_layout(bloc.criteria)
    saved = fill(form, tmp_path / "lo.xlsx",
                 {T.FORM_SHEET: {layout.cell(COL_INPUT, k): v for k, v in INPUTS["A"].items()}})
    with zipfile.ZipFile(saved) as zf:
        assert _CELLS_END.search(zf.read(SHEET)).group().endswith(b"/>")  # the cut includes the protection
    result = read_return(saved, bloc)
    assert result.ok, result.problems
    assert result.submission.values["II.1"] == 1.0 and result.submission.values["I.2"] == 9.5
    assert open_workbook(saved).sheet(T.FORM_SHEET).protected


@pytest.mark.parametrize("data, fast", [
    (b'<?xml version="1.0" encoding="UTF-8"?><a/>', True),
    (b"<a/>", True),
    (b'\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?><a/>', True),
    (b'<?xml version="1.0"?><!DOCTYPE a><a/>', False),                      # any DTD: defusedxml
    (b'<?xml version="1.0"?><!-- <b> --><!DOCTYPE a><a/>', False),          # after a comment too
    (b'<?xml version="1.0"?><?pi <b?><!DOCTYPE a><a/>', False),             # or an instruction
    (b'<a/><!DOCTYPE a [<!ENTITY e "x">]>', True),                           # after the root: not XML
    (b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE a+AD4-<a/>', False),  # could hide a DTD
    (b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-7"?><a/>', False),
    ('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"), False),
    ('<a/>'.encode("utf-16-le"), False),
])
def test_only_utf8_parts_without_a_dtd_take_the_plain_parser(data, fast):
    from toolkit.xlsx import XlsxError, parse_xml
    from toolkit.xmlscan import without_dtd
    assert without_dtd(data) is fast
    if b"ENTITY" in data:  # a DTD the plain parser would meet is a syntax error, never expanded
        with pytest.raises(XlsxError):
            parse_xml(data)


GROUP_I_THEN_PENALTY = TieBreak((TieStep.group("I"), TieStep(TieKey.PENALTY)))


def _plain_robustness(bloc, values, reviews):
    """min and max rank over every weight perturbation, each fully re-evaluated and re-ranked."""
    from toolkit.ranking import Plan, Weights, evaluate, perturbations, rank_matrix, review_matrix

    plan, units = Plan(bloc), list(values)
    self_ = plan.clamp(score_leaves(bloc, values).reindex(columns=plan.leaves).to_numpy(dtype=float))
    review, _ = review_matrix(plan, units, self_, reviews)
    base = Weights.of(bloc)
    rank_sets = [competition_ranks(rank_matrix(plan, evaluate(plan, self_, review, self_, w)))[0]
                 for w in [base, *perturbations(base)]]
    low = [min(r[i] for r in rank_sets) for i in range(len(units))]
    high = [max(r[i] for r in rank_sets) for i in range(len(units))]
    leaders = [{i for i, r in enumerate(ranks) if r == 1} for ranks in rank_sets]
    return low, high, any(s != leaders[0] for s in leaders)


@settings(max_examples=40, deadline=None)
@given(st.lists(unit_values, min_size=1, max_size=3), st.sampled_from([TieBreak(), GROUP_I_THEN_PENALTY]),
       st.tuples(st.sampled_from([0.0, 1.0, 2.0]), st.sampled_from([0.0, 1.0]), st.sampled_from([0.0, 1.0])),
       st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["I.1", "I.2", "II.2"]),
                          st.floats(0, 12, allow_nan=False)), max_size=3))
@example([{"I.1": 100, "I.2": 10, "II.1": 1.0, "II.2": 0, "III.1": 1, "IV.1": 3},  # equal totals under
          {"I.1": 100, "I.2": 10, "II.1": 1.0, "II.2": 0, "III.1": 0, "IV.1": 0}],  # all weights: penalty decides
         GROUP_I_THEN_PENALTY, (1.0, 0.0, 0.0), [])
def test_robustness_equals_reranking_every_perturbation(rows, chain, components, raw_reviews):
    import dataclasses

    from toolkit.meeting.model import Review
    from toolkit.ranking import rank_bloc

    bloc = small_bloc()
    own, review_w, _ = components
    bloc = dataclasses.replace(bloc, rules=dataclasses.replace(
        bloc.rules, tie_break=chain, weight_self=own, weight_review=review_w, weight_cross=0.0))
    values = {m.code: v for m, v in zip(bloc.members, rows)}
    units = list(values)
    reviews = [Review(units[i % len(units)], code, score) for i, code, score in raw_reviews]
    ranking = rank_bloc(bloc, values, reviews=reviews)
    low, high, changes = _plain_robustness(bloc, values, [r for r in reviews])
    assert ranking.robustness["min_rank"].tolist() == low
    assert ranking.robustness["max_rank"].tolist() == high
    assert ranking.leader_changes == changes


def test_the_settled_heap_is_released_after_an_error_and_leaves_a_callers_freeze():
    import gc

    from toolkit.folder import settled_heap

    gc.unfreeze()
    with pytest.raises(RuntimeError), settled_heap():
        assert gc.get_freeze_count() > 0
        raise RuntimeError
    assert gc.get_freeze_count() == 0
    gc.freeze()  # a caller's frozen heap is left frozen
    try:
        with settled_heap():
            pass
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
