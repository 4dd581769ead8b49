"""Each unit's own result workbook (toolkit.unit_result) on a small hand-built bloc, every number worked
out by hand below; and `thidua send ket-qua` against a real SMTP server (aiosmtpd) on loopback."""

from __future__ import annotations

import email
import email.policy
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner

from tests.helpers import small_bloc
from tests.smtp_server import Recorder, free_port
from toolkit import texts as T
from toolkit.bloc import GradeBand, Member, Rules
from toolkit.chairbook import load_bloc
from toolkit.cli import main
from toolkit.demo import fill_form
from toolkit.folder import init_folder, make_forms
from toolkit.forms import form_filename
from toolkit.mail import send_documents
from toolkit.meeting.model import Review
from toolkit.ranking import rank_bloc
from toolkit.texts import mail as M
from toolkit.texts import unit_result as U
from toolkit.unit_result import message_fields, unit_result_path, write_unit_results

R = T.rules
TODAY = date(2026, 12, 10)
BANDS = (GradeBand("Xuất sắc", 28, 0.85), GradeBand("Tốt", 20, 0.7), GradeBand("Hoàn thành", 10, 0.5))
EXTRA = (Member(4, "D", "Đơn vị Dũng", "Dũng", "d@test.example"),
         Member(5, "E", "Đơn vị Em", "Em", "e@test.example"))
# Self-scores by hand (small_bloc: I.1 quantitative target 100, best 120 → 10, at target 5, 80 → 4;
# II.1 pass 5; II.2 2.5 a time; III.1 3 a time, cap 4; IV.1 −1 a time):
#   A: I.1 10, I.2 8, II.1 5, II.2 5, III.1 3          → I 18, II 10, bonus 3, total 31
#   B: I.1 5,  I.2 9, II.1 5, II.2 2.5, IV.1 1          → I 14, II 7.5, penalty 1, total 20.5
#   C = D: I.1 4, I.2 6, II.2 2.5                       → I 10, II 2.5, total 12.5
# Reviews: A's I.2 6 then 7 → A: I 17, total 30; B's II.2 0 (one round) → B: II 5, total 18.
INPUTS = {"A": {"I.1": 120, "I.2": 8, "II.1": 1, "II.2": 2, "III.1": 1, "IV.1": 0},
          "B": {"I.1": 100, "I.2": 9, "II.1": 1, "II.2": 1, "III.1": 0, "IV.1": 1},
          "C": {"I.1": 80, "I.2": 6, "II.1": 0, "II.2": 1, "III.1": 0, "IV.1": 0}}
INPUTS["D"] = dict(INPUTS["C"])
REVIEWS = (Review("A", "I.2", 6, "Thiếu minh chứng", "Đơn vị đã bổ sung quyết định", 7, "Chấp nhận một phần"),
           Review("B", "II.2", 0, "Không có điển hình được công nhận"))


def _bloc(**overrides):
    return small_bloc(members=small_bloc().members + EXTRA, rules=Rules(bonus_cap=4, grade_bands=BANDS), **overrides)


@pytest.fixture
def written(tmp_path):
    ranking = rank_bloc(_bloc(), INPUTS, reviews=REVIEWS)
    return ranking, write_unit_results(ranking, tmp_path / "don-vi", TODAY)


def _facts(ws) -> dict[str, tuple]:
    """The Kết quả sheet's facts: label -> (value, the cell beside it)."""
    return {row[0].value: (row[1].value, row[2].value) for row in ws.iter_rows(max_col=3)
            if row[0].value in U.FACTS.values()}


def _rank_cell(ws):
    """The cell beside the label "Xếp hạng": the rank as a number."""
    return next(row[1] for row in ws.iter_rows(max_col=2) if row[0].value == U.FACTS["rank"])


def _rows(ws, first: int = 3) -> dict[str, tuple]:
    """A table's rows from Excel row `first`: code -> the values after it."""
    return {row[0]: row[1:] for row in ws.iter_rows(min_row=first, values_only=True) if row[0]}


def test_a_reviewed_units_workbook_holds_its_scores_beside_the_blocs_and_its_result(written):
    ranking, paths = written
    wb = openpyxl.load_workbook(paths["A"])
    assert wb.sheetnames == [U.RESULT_SHEET, U.SCORES_SHEET, U.REVIEW_SHEET]
    facts = _facts(wb[U.RESULT_SHEET])
    award = T.summary.AWARD_GOV_FLAG.format(award=R.AWARD_FLAG)
    assert facts == {"Đơn vị": ("Đơn vị An", None), "Tổng điểm": (30, ""),
                     "Trung bình của khối": (18.25, U.TOTAL_OF),  # (30 + 18 + 12,5 + 12,5) / 4
                     "Cao nhất của khối": (30, U.TOTAL_OF), "Xếp hạng": (1, U.RANK_OF.format(count=4)),
                     "Xếp loại": ("Xuất sắc", None), "Đề nghị khen thưởng": (award, None),
                     "Lý do, ghi chú": (R.NOTE_AWAITING_VOTE, None)}
    assert facts["Lý do, ghi chú"][0] == ranking.table.at["A", "note"]  # the ranking's own note, reused
    # code: maximum, self, review, final, the bloc's average and best (A 30, B 18, C = D 12,5)
    assert _rows(wb[U.SCORES_SHEET]) == {
        "I": ("Nhiệm vụ chuyên môn", 20, 18, None, 17, 12.75, 17),
        "I.1": ("Chỉ tiêu giao ước", 10, 10, None, 10, 5.75, 10),
        "I.2": ("Chất lượng tham mưu", 10, 8, 7, 7, 7, 9),
        "II": ("Thi đua, khen thưởng", 10, 10, None, 10, 5, 10),
        "II.1": ("Không có cán bộ bị kỷ luật", 5, 5, None, 5, 2.5, 5),
        "II.2": ("Điển hình tiên tiến", 5, 5, None, 5, 2.5, 5),
        "III": ("Điểm thưởng", 4, 3, None, 3, 0.75, 3),
        "III.1": ("Bằng khen cấp trên", 6, 3, None, 3, 0.75, 3),
        "IV": ("Điểm trừ", None, 0, None, 0, 0.25, 1),
        "IV.1": ("Báo cáo chậm", None, 0, None, 0, 0.25, 1),
        U.SCORES_LEGEND: (None,) * 7}
    assert _rows(wb[U.REVIEW_SHEET]) == {"I.2": ("Chất lượng tham mưu", 8, 6, "Thiếu minh chứng",
                                                 "Đơn vị đã bổ sung quyết định", 7, "Chấp nhận một phần", 7)}


def test_a_first_round_only_review_a_tie_and_the_reasons_of_each_unit(written):
    ranking, paths = written
    b = openpyxl.load_workbook(paths["B"])
    too_low = R.NOTE_GRADE_TOO_LOW.format(grade="Hoàn thành", needed=R.OR.join(("Xuất sắc", "Tốt")))
    assert _facts(b[U.RESULT_SHEET])["Lý do, ghi chú"] == (too_low, None)
    assert _facts(b[U.RESULT_SHEET])["Đề nghị khen thưởng"] == (U.NO_AWARD, None)
    assert _rows(b[U.REVIEW_SHEET]) == {"II.2": ("Điển hình tiên tiến", 2.5, 0, "Không có điển hình được công nhận",
                                                 None, None, None, 0)}
    assert _rows(b[U.SCORES_SHEET])["II"] == ("Thi đua, khen thưởng", 10, 7.5, None, 5, 5, 10)

    c = openpyxl.load_workbook(paths["C"])
    rank = _rank_cell(c[U.RESULT_SHEET])
    assert rank.value == 3 and rank.number_format == f'0" ({T.TIED})"'  # C and D share rank 3
    assert _rank_cell(openpyxl.load_workbook(paths["A"])[U.RESULT_SHEET]).number_format == "0"
    floor = R.NOTE_GRADE_FLOOR.format(group="II", share="25", floor="50", band="Hoàn thành")  # 2,5 / 10
    too_low = R.NOTE_GRADE_TOO_LOW.format(grade=T.NOT_COMPLETED, needed=R.OR.join(("Xuất sắc", "Tốt")))
    assert _facts(c[U.RESULT_SHEET])["Lý do, ghi chú"] == (f"{floor}; {too_low}", None)
    assert [row[0].value for row in c[U.REVIEW_SHEET].iter_rows(min_row=3)] == [U.NO_REVIEW]


def test_a_unit_not_ranked_gets_no_workbook_and_a_stale_one_is_removed(tmp_path):
    folder = tmp_path / "don-vi"
    stale = unit_result_path(folder, EXTRA[1])
    stale.parent.mkdir()
    stale.write_bytes(b"an earlier result")
    ranking = rank_bloc(_bloc(), INPUTS, reviews=REVIEWS)
    paths = write_unit_results(ranking, folder, TODAY)
    assert sorted(paths) == ["A", "B", "C", "D"] and not stale.exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in paths.values())
    assert message_fields(ranking, "E") == {"reason": T.NOT_RETURNED}


def test_the_message_states_the_result_and_every_review_with_its_reasons(written):
    ranking, _ = written
    fields = message_fields(ranking, "A")
    assert fields["total"] == "30" and fields["average"] == "18,25" and fields["rank"] == "1"
    assert fields["reviews"].endswith("I.2 Chất lượng tham mưu: tự chấm 8, sau thẩm định 7 (Thiếu minh chứng; "
                                      "Đơn vị đã bổ sung quyết định; Chấp nhận một phần)")
    assert message_fields(ranking, "D")["rank"] == f"3 ({T.TIED})"


# --- thidua send ket-qua ---------------------------------------------------------------------------

@pytest.fixture
def server():
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield recorder, controller.port
    controller.stop()


def _folder(tmp_path: Path, port: int = 0) -> Path:
    """A bloc folder with A..D's forms returned (E sends none) and the two reviews typed in."""
    bloc = _bloc(smtp_host="127.0.0.1", smtp_port=port, smtp_security="none", sender_email="truongkhoi@test.example")
    folder = tmp_path / "khoi"
    init_folder(folder, bloc)
    make_forms(folder, bloc)
    for member in bloc.members[:4]:
        name = form_filename(member)
        typed = {**INPUTS[member.code], "II.1": T.PASS if INPUTS[member.code]["II.1"] else T.FAIL}
        fill_form(folder / "phieu" / name, folder / "nhan" / name, bloc, typed)
    wb = openpyxl.load_workbook(folder / "khoi.xlsx")
    for r in REVIEWS:
        wb[R.SHEET_REVIEW].append([r.unit, r.code, None, r.first, r.first_reason, r.explanation, r.second,
                                   r.second_reason])
    wb.save(folder / "khoi.xlsx")
    return folder


def _attached(message) -> list[tuple[str, bytes]]:
    return [(part.get_filename(), part.get_content()) for part in message.iter_attachments()]


def test_send_ket_qua_delivers_each_unit_its_own_workbook_only(tmp_path, server):
    recorder, port = server
    folder = _folder(tmp_path, port)
    done = CliRunner().invoke(main, ["send", "ket-qua", str(folder)])
    assert done.exit_code == 0, done.output
    bloc = load_bloc(folder / "khoi.xlsx")
    assert sorted(m["rcpt_tos"][0] for m in recorder.messages) == [m.email for m in bloc.members]
    for member in bloc.members[:4]:
        [got] = recorder.to(member.email)
        message = got["message"]
        assert message["Subject"] == M.SUBJECT["results"].format(bloc=bloc.name, period="Tổng kết năm 2026",
                                                                unit=member.label)
        [(name, data)] = _attached(message)
        path = unit_result_path(folder / "ket-qua" / "don-vi", member)
        assert name == path.name and data == path.read_bytes()
        sheet = openpyxl.load_workbook(io.BytesIO(data))[U.RESULT_SHEET]
        assert _facts(sheet)["Đơn vị"] == (member.name, None)  # its own, never another unit's
    body = recorder.to("a@test.example")[0]["message"].get_body(("plain",)).get_content()
    assert "Tổng điểm: 30 (trung bình của khối 18,25, cao nhất 30)" in body
    assert "Thiếu minh chứng; Đơn vị đã bổ sung quyết định; Chấp nhận một phần" in body
    [not_ranked] = recorder.to("e@test.example")
    assert _attached(not_ranked["message"]) == []
    assert f"Lý do: {T.NOT_RETURNED}" in not_ranked["message"].get_body(("plain",)).get_content()
    assert "Tổng cộng: 5 đã gửi" in done.output

    again = send_documents(folder, "results")  # the same results: nothing is sent twice
    assert {r.status for r in again} == {"already_sent"} and len(recorder.messages) == 5
    assert [r.status for r in send_documents(folder, "results", resend=True, only=("C",))] == ["sent"]
    assert len(recorder.messages) == 6


def test_drafts_of_the_results_are_eml_files_and_nothing_is_sent(tmp_path, server):
    recorder, _ = server
    folder = _folder(tmp_path)
    results = send_documents(folder, "results", dry_run=True)
    assert [(r.code, r.status) for r in results] == [(c, "drafted") for c in "ABCDE"]
    assert recorder.messages == []
    drafts = sorted(p.name for p in (folder / "ket-qua" / "thu").glob("*.eml"))
    assert drafts == [f"results-0{i}-{c}.eml" for i, c in enumerate("abcde", start=1)]
    message = email.message_from_bytes(results[1].eml.read_bytes(), policy=email.policy.default)
    assert message["X-Unsent"] == "1" and message["To"].addresses[0].addr_spec == "b@test.example"
    [(name, data)] = _attached(message)
    path = folder / "ket-qua" / "don-vi" / name
    assert name == unit_result_path(path.parent, _bloc().member("B")).name
    assert data == path.read_bytes()


def test_no_result_is_sent_from_an_empty_inbox(tmp_path, server):
    """No return read: every unit would be told "not ranked"; nothing is written or sent, the chair is told."""
    recorder, port = server
    folder = _folder(tmp_path, port)
    for returned in (folder / "nhan").glob("*.xlsx"):
        returned.unlink()
    done = CliRunner().invoke(main, ["send", "ket-qua", str(folder)])
    assert done.exit_code != 0 and M.RESULTS_NO_RETURNS.split(":")[0] in done.output
    assert str(folder / "nhan") in done.output.replace("\n", "")
    assert recorder.messages == [] and not list((folder / "ket-qua").rglob("ket-qua-*.xlsx"))


def test_no_result_is_sent_from_a_ranking_the_chair_cannot_use(tmp_path, server):
    """The criteria's maxima changed after the forms went out: `thidua consolidate` exits 1 on that
    ranking, so no unit is sent a result from it."""
    from tests.test_rules_changed import edit_chair

    recorder, port = server
    folder = _folder(tmp_path, port)
    edit_chair(folder, T.SHEET_CRITERIA, "I", 3, 18)
    edit_chair(folder, T.SHEET_CRITERIA, "I.2", 3, 8)
    done = CliRunner().invoke(main, ["send", "ket-qua", str(folder)])
    assert done.exit_code != 0 and M.RESULTS_UNUSABLE.split("{")[0].strip() in done.output.replace("\n", " ")
    assert recorder.messages == [] and not list((folder / "ket-qua").rglob("ket-qua-*.xlsx"))
