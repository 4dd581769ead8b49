"""Small blocs and helpers shared by tests (plain functions; fixtures live in conftest.py)."""

from __future__ import annotations

from datetime import date

from toolkit.bloc import Bloc, CriteriaTree, Criterion, Member, Rules


def small_bloc(**overrides) -> Bloc:
    """Three units, every criterion kind, numbers easy to add up by hand.

    I (20): I.1 quantitative 10 (target 100), I.2 graded 10 (step 0.5)
    II (10): II.1 pass/fail 5, II.2 count 2.5 per time, max 5
    III bonus: III.1 3 per time, max 6        (bonus cap 4)
    IV penalty: IV.1 1 per time, uncapped
    """
    C = Criterion
    tree = CriteriaTree((
        C("I", "Nhiệm vụ chuyên môn", 20),
        C("I.1", "Chỉ tiêu giao ước", 10, "quantitative", target=100, unit="%"),
        C("I.2", "Chất lượng tham mưu", 10, "graded", step=0.5),
        C("II", "Thi đua, khen thưởng", 10),
        C("II.1", "Không có cán bộ bị kỷ luật", 5, "passfail"),
        C("II.2", "Điển hình tiên tiến", 5, "count", points=2.5),
        C("III", "Điểm thưởng"),
        C("III.1", "Bằng khen cấp trên", 6, "bonus", points=3),
        C("IV", "Điểm trừ"),
        C("IV.1", "Báo cáo chậm", 0, "penalty", points=1),
    ))
    values = dict(
        name="Khối thi đua thử nghiệm", kind="khoi", year=2026, period="tong-ket",
        members=(Member(1, "A", "Đơn vị An", "An", "a@test.example"),
                 Member(2, "B", "Đơn vị Bình", "Bình", "b@test.example"),
                 Member(3, "C", "Đơn vị Cường", "Cường", "c@test.example")),
        criteria=tree, rules=Rules(bonus_cap=4), chair="A", vice_chair="B", place="Hà Nội",
        deadline=date(2026, 12, 10))
    values.update(overrides)
    return Bloc(**values)
