"""The whole pipeline on real files: bloc -> forms -> filled returns -> ranking -> summary."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner

from tests.helpers import small_bloc
from toolkit import texts as T
from toolkit.bloc import BUILTIN_BLOCS, builtin_bloc
from toolkit.cli import main
from toolkit.demo import fill_demo_returns, fill_form, plausible_inputs
from toolkit.fileio import sha256_file
from toolkit.folder import consolidate, init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.ranking import rank_bloc
from toolkit.returns import collect_returns


def _numeric(value) -> float:
    return {T.PASS: 1.0, T.FAIL: 0.0}.get(value, value)


def _competition_ranks(totals: dict[str, float], ranks) -> dict[str, int]:
    """Ranks from the totals alone: 1 + the number of units with a higher total. Units with equal totals
    may be split by the tie-break chain, so among them the ranks given are kept when they stay inside
    the block of places the equal totals occupy."""
    out = {}
    for unit, total in totals.items():
        ahead = sum(other > total + 1e-9 for other in totals.values())
        equal = sum(abs(other - total) <= 1e-9 for other in totals.values())
        given = int(ranks[unit])
        out[unit] = given if ahead < given <= ahead + equal else ahead + 1
    return out


def _fill_small(bloc, forms_dir, inbox):
    """Three units' inputs, chosen so the hand computation below is easy."""
    inputs = {
        # I.1 actual, I.2 score, II.1 pass/fail, II.2 count, III.1 bonus count, IV.1 penalty count
        "A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
        "B": {"I.1": 100, "I.2": 8, "II.1": T.FAIL, "II.2": 3, "III.1": 1, "IV.1": 0},
        "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0},
    }
    for m in bloc.members:
        form = forms_dir / form_filename(m)
        fill_form(form, inbox / form.name, bloc, inputs[m.code])


def test_small_bloc_ranking_matches_a_hand_computation(tmp_path):
    bloc = small_bloc()
    init_folder(tmp_path, bloc)
    forms = make_forms(tmp_path, bloc)
    _fill_small(bloc, tmp_path / "phieu", tmp_path / "nhan")
    result = consolidate(tmp_path, bloc)
    table = result.ranking.table
    # By hand (best actual on I.1 is 110):
    # A: I.1 = 10 (best), I.2 9.5 -> I 19.5; II.1 5 + II.2 2.5 -> II 7.5; base 27;
    #    bonus 2x3 = 6 capped at 4; penalty 1 -> total 30
    # B: I.1 at target = 5, I.2 8 -> I 13; II.1 0 + II.2 min(7.5, 5) = 5 -> II 5; base 18;
    #    bonus 3; penalty 0 -> total 21
    # C: I.1 = 5 + 5*(105-100)/(110-100) = 7.5, I.2 10 -> I 17.5; II 5 + 0 = 5; base 22.5 -> 22.5
    assert table.loc["A", "total"] == pytest.approx(30)
    assert table.loc["B", "total"] == pytest.approx(21)
    assert table.loc["C", "total"] == pytest.approx(22.5)
    assert (table.loc["A", "I"], table.loc["A", "II"], table.loc["A", "bonus"]) == (19.5, 7.5, 4)
    assert list(result.ranking.ranked().index) == ["A", "C", "B"]
    assert result.summary_path.is_file()
    assert len(forms) == 3


def test_a_tie_is_broken_by_the_chain_and_a_full_tie_is_shown_as_shared(tmp_path):
    bloc = small_bloc()
    base = {"I.1": 100, "II.1": 1.0, "II.2": 0, "III.1": 0, "IV.1": 0}
    # A and B: same total 20 (I.2 10 vs 9 + one bonus point... ) -> use group I to separate
    values = {
        "A": {**base, "I.2": 10.0, "III.1": 0},          # I 15, II 5, total 20
        "B": {**base, "I.2": 7.0, "III.1": 1},           # I 12, II 5, bonus 3 -> total 20
        "C": {**base, "I.2": 10.0, "III.1": 0},          # identical to A
    }
    ranking = rank_bloc(bloc, values)
    t = ranking.table
    assert t.loc["A", "total"] == t.loc["B", "total"] == t.loc["C", "total"] == 20
    assert (int(t.loc["A", "rank"]), int(t.loc["C", "rank"]), int(t.loc["B", "rank"])) == (1, 1, 3)
    assert bool(t.loc["A", "tied"]) and bool(t.loc["C", "tied"]) and not bool(t.loc["B", "tied"])


def test_grade_needs_every_group_floor(tmp_path):
    from toolkit.bloc import GradeBand, Rules
    bloc = small_bloc(rules=Rules(bonus_cap=4, grade_bands=(GradeBand("Xuất sắc", 25, 0.85),
                                                          GradeBand("Tốt", 20, 0.5))))
    full = {"I.1": 100, "I.2": 10.0, "II.1": 1.0, "II.2": 2, "III.1": 2, "IV.1": 0}
    weak_group = {**full, "II.1": 0.0, "II.2": 0}     # II = 0 < 50 % of 10
    ranking = rank_bloc(bloc, {"A": full, "B": weak_group})
    assert ranking.table.loc["A", "grade"] == "Tốt"        # I = 15 < 85 % of 20 -> not Xuất sắc
    assert ranking.table.loc["B", "grade"] == T.NOT_COMPLETED
    assert ranking.table.loc["C", "note"] == T.NOT_RETURNED and not ranking.table.loc["C", "counted"]


@pytest.mark.parametrize("name", sorted(BUILTIN_BLOCS))
def test_every_seed_bloc_goes_through_the_whole_pipeline(tmp_path, name):
    bloc = builtin_bloc(name)
    init_folder(tmp_path, bloc)
    forms = make_forms(tmp_path)
    returned = fill_demo_returns(bloc, forms, tmp_path / "nhan")
    hashes = {p: sha256_file(p) for p in returned}
    result = consolidate(tmp_path)
    assert set(result.returns.submissions) == {m.code for m in bloc.members}
    assert result.ranking.table["counted"].all()
    table = result.ranking.table
    typed = {m.code: {c: _numeric(v) for c, v in plausible_inputs(bloc, m)[0].items()} for m in bloc.members}
    assert {u: s.values for u, s in result.returns.submissions.items()} == typed  # what was typed is what is used
    assert table["total"].to_dict() == pytest.approx(rank_bloc(bloc, typed).table["total"].to_dict())
    assert table["rank"].astype(int).to_dict() == _competition_ranks(table["total"].to_dict(), table["rank"])
    assert {p: sha256_file(p) for p in returned} == hashes  # inputs never modified
    wb = openpyxl.load_workbook(result.summary_path)
    assert wb.sheetnames[:2] == [T.SUMMARY_SHEET, T.DETAIL_SHEET]
    ws = wb[T.SUMMARY_SHEET]
    assert ws["A1"].value == bloc.name.upper()
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert T.NATION in texts and T.MOTTO in texts
    assert any(t.startswith(bloc.place + ", ngày") for t in texts)


def test_a_missing_unit_is_listed_and_the_rest_are_ranked(tmp_path):
    bloc = builtin_bloc("dien-bien")
    init_folder(tmp_path, bloc)
    forms = make_forms(tmp_path)
    fill_demo_returns(bloc, forms, tmp_path / "nhan")
    (tmp_path / "nhan" / forms[2].name).unlink()
    result = consolidate(tmp_path)
    missing = bloc.members[2].code
    assert not result.ranking.table.loc[missing, "counted"]
    assert result.ranking.table.loc[missing, "note"] == T.NOT_RETURNED
    assert result.ranking.table["counted"].sum() == 5


def test_forms_match_units_by_metadata_not_by_file_name(tmp_path):
    bloc = small_bloc()
    init_folder(tmp_path, bloc)
    make_forms(tmp_path, bloc)
    _fill_small(bloc, tmp_path / "phieu", tmp_path / "nhan")
    nhan = tmp_path / "nhan"
    a, b = (nhan / form_filename(bloc.member(c)) for c in ("A", "B"))
    a.rename(nhan / "tmp.xlsx")
    b.rename(a)
    (nhan / "tmp.xlsx").rename(b)
    returns = collect_returns(sorted(nhan.iterdir()), bloc)
    assert returns.submissions["A"].path.name == b.name
    assert returns.submissions["A"].values["I.2"] == 9.5


def test_cli_demo_runs_end_to_end_and_prints_the_ranking(tmp_path):
    result = CliRunner().invoke(main, ["demo", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    assert "KẾT QUẢ XẾP HẠNG" in result.output and "Cục Thuế" in result.output
    # the demo's meeting voted: the leader's flag is proposed, not awaiting a vote
    assert T.rules.AWARD_FLAG + T.cli.GOV_FLAG_TAG in result.output and T.rules.NOTE_AWAITING_VOTE not in result.output
    assert len(list((tmp_path / "demo" / "phieu").glob("*.xlsx"))) == 11
    assert len(list((tmp_path / "demo" / "ket-qua").glob("tong-hop-*.xlsx"))) == 1


def test_cli_check_exit_codes_and_user_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(tmp_path), "--bloc", "mien-tay"]).exit_code == 0
    assert runner.invoke(main, ["forms", str(tmp_path)]).exit_code == 0
    form = sorted((tmp_path / "phieu").iterdir())[0]
    blank = runner.invoke(main, ["check", str(form)])
    assert blank.exit_code == 1 and "chưa nhập số liệu" in blank.output
    again = runner.invoke(main, ["init", str(tmp_path)])
    assert again.exit_code == 2 and "không ghi đè" in again.output and "Traceback" not in again.output
    unknown = runner.invoke(main, ["init", str(tmp_path / "x"), "--bloc", "khong-co"])
    assert unknown.exit_code == 2 and "Không có khối" in unknown.output


def test_award_proposals_without_a_vote_are_marked_as_awaiting_it():
    from toolkit.bloc import GradeBand, Rules
    from toolkit.meeting.model import Vote
    bloc = small_bloc(rules=Rules(bonus_cap=4, grade_bands=(GradeBand("Xuất sắc", 25, 0.8),)))
    values = {"A": {"I.1": 110, "I.2": 10.0, "II.1": 1.0, "II.2": 2, "III.1": 2, "IV.1": 0},
              "B": {"I.1": 100, "I.2": 9.0, "II.1": 1.0, "II.2": 2, "III.1": 0, "IV.1": 0}}
    before = rank_bloc(bloc, values).table
    assert before.loc["A", "award"] and T.rules.NOTE_AWAITING_VOTE in before.loc["A", "note"]
    after = rank_bloc(bloc, values, votes=[Vote("A", 3, 3)]).table
    assert after.loc["A", "award"] and T.rules.NOTE_AWAITING_VOTE not in after.loc["A", "note"]


def test_an_unforeseen_failure_in_one_file_is_reported_and_the_others_are_ranked(tmp_path, monkeypatch):
    from toolkit.returns import reader

    bloc = small_bloc()
    init_folder(tmp_path, bloc)
    make_forms(tmp_path, bloc)
    _fill_small(bloc, tmp_path / "phieu", tmp_path / "nhan")
    real_run = reader._ReturnCheck.run

    def run(check):
        if check.file.startswith("02-"):
            raise RuntimeError("a bug thidua did not foresee")
        return real_run(check)

    monkeypatch.setattr(reader._ReturnCheck, "run", run)
    result = consolidate(tmp_path, bloc)
    [bad] = [r for r in result.returns.results if r.path.name.startswith("02-")]
    assert [p.code for p in bad.problems] == ["file.unreadable"]
    assert "lỗi không lường trước" in bad.problems[0].message and "RuntimeError" not in bad.problems[0].message
    assert set(result.returns.submissions) == {"A", "C"}
    assert list(result.ranking.ranked().index) == ["A", "C"]
