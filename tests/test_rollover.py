"""The next year (issue 18): `thidua init NEW --tu OLD` carries the bloc over, advances the period, hands
the chair on, starts the meeting empty, links the history and gives the new folder its own seal secret."""

from __future__ import annotations

import dataclasses

import openpyxl
from click.testing import CliRunner

from toolkit import texts as T
from toolkit.bloc import builtin_bloc
from toolkit.bloc.model import MeetingInfo
from toolkit.chairbook import read_chairbook
from toolkit.cli import main
from toolkit.demo import fill_demo_returns
from toolkit.folder import consolidate, init_folder, load_folder_bloc, make_forms
from toolkit.history import history, summary_files
from toolkit.rollover import next_bloc, next_chairs, roll_over
from toolkit.seal import load_secret
from toolkit.texts import rules as R
from tests.button_json import remote_book
from tests.test_button_remote import ACTION_CELL, _final_status, bloc_folder, remote_engine  # noqa: F401
from tests.test_rules_meeting import chair_votes
from toolkit.excel.button import run


def _old_folder(tmp_path, bloc):
    """A bloc folder after its year: forms returned, a vote typed, the summary written."""
    old = tmp_path / "2026"
    init_folder(old, bloc)
    fill_demo_returns(bloc, make_forms(old), old / "nhan")
    chair_votes(old / "khoi.xlsx", len(bloc.members), [[bloc.members[0].code, None, 1]])
    result = consolidate(old)
    assert not result.ranking.table.loc[bloc.members[0].code, "vote_passed"]  # the vote was read
    return old


def test_the_demo_bloc_rolls_over_to_the_next_year_with_the_next_chair(tmp_path):
    old_bloc = builtin_bloc("bac-giang")
    old = _old_folder(tmp_path, old_bloc)
    new = tmp_path / "2027"
    result = CliRunner().invoke(main, ["init", str(new), "--tu", str(old), "--xlsx"])
    assert result.exit_code == 0, result.output
    bloc = load_folder_bloc(new)
    codes = [m.code for m in old_bloc.members]
    assert (bloc.year, bloc.period) == (2027, "tong-ket")
    assert bloc.members == old_bloc.members and bloc.rules == old_bloc.rules
    assert bloc.criteria.fingerprint() == old_bloc.criteria.fingerprint()
    assert bloc.legal_basis == old_bloc.legal_basis and bloc.board_email == old_bloc.board_email
    assert bloc.chair == codes[codes.index(old_bloc.chair) + 1] == "NHNN"
    assert bloc.vice_chair == "KBNN" and bloc.deadline.year == 2027
    meeting = read_chairbook(new / "khoi.xlsx").meeting
    assert (meeting.votes, meeting.reviews, meeting.disqualified) == ({}, [], {})
    assert load_secret(new) and load_secret(new) != load_secret(old)  # new year, new secret
    forms = make_forms(new)
    assert len(forms) == len(codes)
    for form, member in zip(forms, bloc.members):
        ws = openpyxl.load_workbook(form, read_only=True)[T.FORM_SHEET]
        assert ws["A3"].value == T.period_title("tong-ket", 2027)
        assert ws["A4"].value == T.FORM_UNIT.format(name=member.name)
        assert ws["A5"].value.startswith(T.FORM_DEADLINE.format(chair=bloc.chair_member.name, deadline="")[:-1])
    fill_demo_returns(bloc, forms, new / "nhan")
    assert consolidate(new).ranking.table["counted"].all()  # the new secret seals and checks the forms
    periods = set(history(summary_files([new])).columns.get_level_values("period"))
    assert periods == {"2026-tong-ket", "2027-tong-ket"}  # last year's summary linked at once


def test_the_elected_chair_on_thong_tin_wins_over_the_rotation():
    bloc = dataclasses.replace(builtin_bloc("bac-giang"), meeting_info=MeetingInfo(next_chair="UBND",
                                                                                   next_vice_chair="STC"))
    assert next_chairs(bloc) == ("UBND", "STC")
    assert next_bloc(bloc).meeting_info == MeetingInfo()  # the meeting's fields start empty


def test_the_rotation_wraps_around_the_founding_order():
    bloc = builtin_bloc("bac-giang")
    last = bloc.members[-1].code
    assert next_chairs(dataclasses.replace(bloc, chair=last)) == (bloc.members[0].code, bloc.members[1].code)


def test_a_mid_year_review_advances_to_the_year_end_with_the_same_chair():
    bloc = dataclasses.replace(builtin_bloc("dien-bien"), period="so-ket")
    after = next_bloc(bloc)
    assert (after.year, after.period, after.chair, after.vice_chair) == (bloc.year, "tong-ket", bloc.chair,
                                                                         bloc.vice_chair)


def test_rolling_over_never_overwrites_a_bloc_folder(tmp_path):
    old = tmp_path / "old"
    init_folder(old, builtin_bloc("dien-bien"))
    roll_over(tmp_path / "new", old, macros=False)
    before = (tmp_path / "new" / "khoi.xlsx").read_bytes()
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new"), "--tu", str(old)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert (tmp_path / "new" / "khoi.xlsx").read_bytes() == before


def test_rolling_over_a_folder_without_a_bloc_is_a_user_error(tmp_path):
    (tmp_path / "old").mkdir()
    result = CliRunner().invoke(main, ["init", str(tmp_path / "new"), "--tu", str(tmp_path / "old")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "new").exists()


def test_the_control_sheet_makes_the_next_years_folder_beside_this_one(remote_engine, bloc_folder):
    book = remote_book(bloc_folder / "khoi.xlsm", {T.button.SHEET_CONTROL: {ACTION_CELL: T.button.ACTIONS["next_year"]}})
    run(book, bloc_folder)
    old = load_folder_bloc(bloc_folder)
    new_folder = bloc_folder.parent / f"{bloc_folder.name}-{old.year + 1}"
    assert _final_status(book) == T.button.DONE_NEXT_YEAR.format(year=old.year + 1, folder=new_folder)
    new = load_folder_bloc(new_folder)
    assert (new.year, new.members, new.chair) == (old.year + 1, old.members, next_chairs(old)[0])
    assert (new_folder / "khoi.xlsm").is_file()
