"""A six-unit bloc for the scoring-rules tests: three graded base groups of 10, so totals add up by hand."""

from __future__ import annotations

from toolkit.bloc import Bloc, CriteriaTree, Criterion, GradeBand, Member, Rules

UNITS = ("U1", "U2", "U3", "U4", "U5", "U6")


def six_bloc(**rules) -> Bloc:
    """I, II, III: one graded leaf of 10 each (base 30); IV bonus 1 per time (cap 3); V penalty 1 per
    time. Grades: Xuất sắc ≥ 27 with every group ≥ 85 %; Tốt ≥ 24, 75 %; Hoàn thành ≥ 15, 50 %."""
    C = Criterion
    tree = CriteriaTree((
        C("I", "Nhiệm vụ chuyên môn", 10), C("I.1", "Kết quả", 10, "graded"),
        C("II", "Thi đua", 10), C("II.1", "Phong trào", 10, "graded"),
        C("III", "Tổ chức", 10), C("III.1", "Kỷ luật, kỷ cương", 10, "graded"),
        C("IV", "Điểm thưởng"), C("IV.1", "Khen thưởng cấp trên", 5, "bonus", points=1),
        C("V", "Điểm trừ"), C("V.1", "Báo cáo chậm", 0, "penalty", points=1),
    ))
    settings = dict(bonus_cap=3, grade_bands=(GradeBand("Xuất sắc", 27, 0.85), GradeBand("Tốt", 24, 0.75),
                                              GradeBand("Hoàn thành", 15, 0.5)),
                    flag_quota=1, certificate_quota=2)
    settings.update(rules)
    members = tuple(Member(i, code, f"Đơn vị {code}") for i, code in enumerate(UNITS, start=1))
    return Bloc(name="Khối sáu đơn vị", kind="khoi", year=2026, period="tong-ket", members=members,
                criteria=tree, rules=Rules(**settings), chair="U1", place="Hà Nội")


def v(i: float, ii: float, iii: float, bonus: int = 0, penalty: int = 0) -> dict[str, float]:
    """Input values of one unit of `six_bloc`."""
    return {"I.1": i, "II.1": ii, "III.1": iii, "IV.1": bonus, "V.1": penalty}
