"""The meeting's papers (issue 18): every seed bloc's ballots, tally, minutes and proposal letter carry the
ranking's own figures, in the decree's format, and open and convert in the real LibreOffice."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from tests.button_json import remote_book
from tests.test_button_remote import ACTION_CELL, _final_status, bloc_folder, remote_engine  # noqa: F401
from toolkit import texts as T
from toolkit.bloc import BUILTIN_BLOCS, builtin_bloc
from toolkit.bloc.model import MeetingInfo
from toolkit.chairbook import load_bloc, write_bloc_workbook
from toolkit.cli import main
from toolkit.demo import plausible_inputs
from toolkit.docstyle import FONT, MARGINS_MM
from toolkit.excel.button import run
from toolkit.folder import load_folder_bloc
from toolkit.mail import send_documents
from toolkit.meeting.model import Vote
from toolkit.papers import KINDS, papers_pdf, write_papers
from toolkit.problems import ProblemError
from toolkit.ranking import rank_bloc
from toolkit.texts import papers as P

NAMES = sorted(BUILTIN_BLOCS)


def _numeric(value):
    return {T.PASS: 1.0, T.FAIL: 0.0}.get(value, value)


def _ranking(name: str):
    """The seed bloc ranked on the demo inputs: its last member absent from the meeting and without a form,
    the leader voted through, the runner-up voted down (so the award list moves on)."""
    bloc = builtin_bloc(name)
    absent = bloc.members[-1].code
    bloc = dataclasses.replace(bloc, meeting_info=MeetingInfo(absent=(absent,), secretary="Nguyễn Văn An"))
    values = {m.code: {c: _numeric(v) for c, v in plausible_inputs(bloc, m)[0].items()}
              for m in bloc.members if m.code != absent}
    first = rank_bloc(bloc, values).ranked().index
    present = len(bloc.members) - 1
    votes = {first[0]: Vote(first[0], present, present), first[1]: Vote(first[1], 1, present)}
    return rank_bloc(bloc, values, votes=votes)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """name -> (ranking, {kind: docx path}) for every seed bloc."""
    out = {}
    for name in NAMES:
        ranking = _ranking(name)
        out[name] = ranking, dict(zip(KINDS, write_papers(ranking, tmp_path_factory.mktemp(name))))
    return out


def _total(value) -> str:
    return f"{float(value):.2f}".replace(".", ",")


def _expected_ranked(ranking) -> list[tuple]:
    """(name, total, grade, rank, award) of the ranked units, straight from the ranking's table."""
    rows = ranking.table[ranking.table["counted"]].sort_values(["rank", "order"], kind="stable")
    return [(r["name"], _total(r["total"]), r["grade"], str(int(r["rank"])) + (f" ({T.TIED})" if r["tied"] else ""),
             r["award"] or "—") for _, r in rows.iterrows() if not r["disqualified"]]


def _tables(path) -> list[list[tuple[str, ...]]]:
    """Every bordered table of a docx, its rows as texts (the header row left out)."""
    document = docx.Document(str(path))
    return [[tuple(c.text for c in row.cells) for row in t.rows[1:]] for t in document.tables
            if t.style is not None and t.style.name == "Table Grid"]


def _text(path) -> str:
    document = docx.Document(str(path))
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("name", NAMES)
def test_the_minutes_table_is_the_ranking(written, name):
    ranking, paths = written[name]
    table = _tables(paths["minutes"])[0]
    assert [row[1:] for row in table] == _expected_ranked(ranking)
    assert [row[0] for row in table] == [str(i) for i in range(1, len(table) + 1)]
    text = _text(paths["minutes"])
    absent = ranking.bloc.members[-1]
    assert P.MINUTES_ABSENT.format(count=1, names=absent.name) in text
    assert "Nguyễn Văn An" in text  # the secretary typed on Thông tin
    assert P.MINUTES_TIME.format(time=P.BLANK) in text  # unknown: a blank to fill in
    assert T.SIGN_CHAIR[ranking.bloc.kind][0] in text and P.SECRETARY in text


@pytest.mark.parametrize("name", NAMES)
def test_the_proposal_lists_each_award_with_totals_and_grades(written, name):
    ranking, paths = written[name]
    table = ranking.table
    expected = []
    for mask in (table["award"] == T.rules.AWARD_FLAG, table["award"] == T.rules.AWARD_CERTIFICATE,
                 table["gov_flag_candidate"].astype(bool)):
        chosen = table[mask].sort_values(["rank", "order"], kind="stable")
        if len(chosen):
            expected.append([(str(i), r["name"], _total(r["total"]), r["grade"], str(int(r["rank"])))
                             for i, (_, r) in enumerate(chosen.iterrows(), 1)])
    assert _tables(paths["proposal"]) == expected
    text = _text(paths["proposal"])
    assert (P.NO_AWARDS in text) == (not expected)
    bloc = ranking.bloc
    assert all(line in text for line in bloc.legal_basis)
    assert P.PROPOSAL_TO.format(board=bloc.board_name) in text
    assert P.PROPOSAL_NUMBER.format(number=P.BLANK, code=P.PROPOSAL_CODE[bloc.kind]) in text
    assert P.RECIPIENTS_TITLE in text and all(line in text for line in P.PROPOSAL_ENCLOSURES)
    lead, role = T.SIGN_CHAIR[bloc.kind]
    assert lead in text and role in text and bloc.chair_member.name in text


@pytest.mark.parametrize("name", NAMES)
def test_one_ballot_per_member_present_and_the_tally_has_the_votes(written, name):
    ranking, paths = written[name]
    bloc, table = ranking.bloc, ranking.table
    present = [m for m in bloc.members if m.code not in bloc.meeting_info.absent]
    text = _text(paths["ballot"])
    assert text.count(P.BALLOT_TITLE) == len(present) == len(bloc.members) - 1
    assert all(P.BALLOT_VOTER.format(unit=m.name) in text for m in present)
    top = {b.name for b in sorted(bloc.rules.grade_bands, key=lambda b: -b.min_total)[:2]}
    candidates = [row for row in _expected_ranked(ranking) if row[2] in top]
    ballots = _tables(paths["ballot"])
    assert len(ballots) == len(present)
    assert all([(r[1], r[2], r[3], r[4]) for r in b] == [(c[0], c[1], c[2], c[4]) for c in candidates]
               for b in ballots)
    assert all(r[5] == r[6] == P.BOX for b in ballots for r in b)
    tally = {row[1]: row for row in _tables(paths["tally"])[0]}
    first, second = ranking.ranked().index[:2]
    assert tally[table.at[first, "name"]][3:] == (str(len(present)), _pct(len(present), bloc), "Đạt")
    assert tally[table.at[second, "name"]][3:] == ("1", _pct(1, bloc), "Không đạt")


def _pct(votes: int, bloc) -> str:
    return f"{round(100 * votes / len(bloc.members), 2):g}".replace(".", ",")


def test_the_papers_follow_the_decree(written):
    _, paths = written["bac-giang"]
    for path in paths.values():
        document = docx.Document(str(path))
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert [round(getattr(section, f"{side}_margin").mm) for side in MARGINS_MM] == list(MARGINS_MM.values())
        assert document.styles["Normal"].font.name == FONT
        text = _text(path)
        assert T.NATION in text and T.MOTTO in text and builtin_bloc("bac-giang").name.upper() in text


def test_a_cluster_signs_as_a_cluster(written):
    clusters = [n for n in NAMES if builtin_bloc(n).kind == "cum"]
    assert clusters
    text = _text(written[clusters[0]][1]["proposal"])
    assert "TM. CỤM THI ĐUA" in text and "CỤM TRƯỞNG" in text and "TM. KHỐI" not in text


def test_the_meeting_fields_of_thong_tin_round_trip(tmp_path):
    info = MeetingInfo("05", "08 giờ 00, ngày 20/12/2026", "Hội trường A", "Trần Thị B", ("STC", "CT"), "UBND", "STC")
    bloc = dataclasses.replace(builtin_bloc("bac-giang"), meeting_info=info)
    write_bloc_workbook(tmp_path / "khoi.xlsx", bloc)
    assert load_bloc(tmp_path / "khoi.xlsx").meeting_info == info


def test_an_unknown_absent_member_is_a_pinned_problem(tmp_path):
    bloc = dataclasses.replace(builtin_bloc("bac-giang"), meeting_info=MeetingInfo(absent=("XYZ",)))
    write_bloc_workbook(tmp_path / "khoi.xlsx", bloc)
    with pytest.raises(ProblemError) as caught:
        load_bloc(tmp_path / "khoi.xlsx")
    assert [(p.code, p.sheet) for p in caught.value.problems] == [("bloc.unknown_member", T.SHEET_INFO)]


def test_a_typed_document_number_replaces_the_blank(tmp_path):
    ranking = _ranking("bac-giang")
    bloc = dataclasses.replace(ranking.bloc, meeting_info=MeetingInfo(doc_number="05"))
    ranking.bloc = bloc
    paths = dict(zip(KINDS, write_papers(ranking, tmp_path)))
    assert "Số: 05/TTr-KTĐ" in _text(paths["proposal"])


def test_the_command_writes_the_papers_of_a_folder(tmp_path):
    from toolkit.demo import fill_demo_returns
    from toolkit.folder import init_folder, make_forms

    bloc = builtin_bloc("dien-bien")
    init_folder(tmp_path, bloc)
    fill_demo_returns(bloc, make_forms(tmp_path), tmp_path / "nhan")
    result = CliRunner().invoke(main, ["giay-to", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "ket-qua" / "giay-to").iterdir())
    assert written == sorted(f"{P.FILES[k]}-{bloc.key}-{bloc.period_key}.docx" for k in KINDS)
    assert P.PAPERS_WRITTEN.format(count=4, path=tmp_path / "ket-qua" / "giay-to") in result.output
    [sent] = send_documents(tmp_path, "summary", dry_run=True)  # the board's mail takes them along
    message = email.message_from_bytes(sent.eml.read_bytes(), policy=email.policy.default)
    attached = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    boards = [f"{P.FILES[k]}-{bloc.key}-{bloc.period_key}.docx" for k in ("proposal", "minutes", "tally")]
    assert set(attached) == {f"tong-hop-{bloc.key}-{bloc.period_key}.xlsx", *boards}
    assert all(attached[n] == (tmp_path / "ket-qua" / "giay-to" / n).read_bytes() for n in boards)


def test_the_command_on_a_folder_without_a_bloc_is_a_user_error(tmp_path):
    result = CliRunner().invoke(main, ["giay-to", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert not (tmp_path / "ket-qua").exists()


@pytest.mark.office
def test_every_paper_opens_and_converts_in_libreoffice(written, soffice):
    """One LibreOffice run converts the 4 papers of every seed bloc; each PDF's text shows the ranking."""
    paths = [p for _, docs in written.values() for p in docs.values()]
    pdfs = dict(zip(paths, papers_pdf(paths)))
    for name, (ranking, docs) in written.items():
        texts = {kind: _pdf_text(pdfs[path]) for kind, path in docs.items()}
        assert texts["ballot"].count(P.BALLOT_TITLE) == len(ranking.bloc.members) - 1
        assert P.TALLY_TITLE in texts["tally"] and P.PROPOSAL_TITLE in texts["proposal"]
        assert P.MINUTES_TITLE in texts["minutes"]
        for unit, total, grade, _, _ in _expected_ranked(ranking):
            assert total in texts["minutes"], (name, unit)
            assert _squash(unit) in _squash(texts["minutes"]), (name, unit)
        for kind in ("flag", "certificate"):
            award = T.rules.AWARD_FLAG if kind == "flag" else T.rules.AWARD_CERTIFICATE
            for _, r in ranking.table[ranking.table["award"] == award].iterrows():
                assert _total(r["total"]) in texts["proposal"]
        assert T.SIGN_CHAIR[ranking.bloc.kind][0] in texts["proposal"]


def _pdf_text(pdf) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return done.stdout


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_the_control_sheet_writes_the_papers(remote_engine, bloc_folder):
    book = remote_book(bloc_folder / "khoi.xlsm", {T.button.SHEET_CONTROL: {ACTION_CELL: T.button.ACTIONS["papers"]}})
    run(book, bloc_folder)
    folder = bloc_folder / "ket-qua" / "giay-to"
    assert _final_status(book) == T.button.DONE_PAPERS.format(count=4, folder=Path("ket-qua") / "giay-to")
    bloc = load_folder_bloc(bloc_folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{P.FILES[k]}-{bloc.key}-{bloc.period_key}.docx"
                                                              for k in KINDS)
