"""The built-in blocs from the project's seed reports, and the default criteria table.

Membership is data: these are starting points a chair edits in the chair's workbook.
E-mail addresses use the reserved `.example` domain so a demo can never mail a real office.
"""

from __future__ import annotations

from datetime import date

from toolkit.bloc.model import Bloc, CriteriaTree, Criterion, Member

DEFAULT_BLOC = "bac-giang"
DEFAULT_YEAR = 2026
LEGAL_BASIS = (
    "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
    "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi tiết một số điều của Luật Thi đua, khen thưởng;",
    "Căn cứ Thông tư số 15/2025/TT-BNV của Bộ Nội vụ hướng dẫn thi hành;",
)


def default_criteria(core_task: str = "Chất lượng công tác tham mưu, tổng hợp, đề xuất") -> CriteriaTree:
    """The default table (DOMAIN.md): 100 base points, bonus capped at +10, uncapped penalties."""
    C = Criterion
    return CriteriaTree((
        C("I", "Thực hiện nhiệm vụ chính trị, chuyên môn", 50),
        C("I.1", "Kết quả thực hiện các chỉ tiêu đã đăng ký giao ước thi đua", 30, "quantitative",
          target=100, unit="%", evidence_required=True),
        C("I.2", core_task, 10, "graded", step=0.5),
        C("I.3", "Cải cách hành chính, chuyển đổi số", 10, "graded", step=0.5),
        C("II", "Công tác thi đua, khen thưởng", 20),
        C("II.1", "Xây dựng kế hoạch, đăng ký và ký kết giao ước thi đua", 5, "graded", step=0.25),
        C("II.2", "Tham gia các hoạt động do Khối tổ chức", 5, "graded", step=0.25),
        C("II.3", "Điển hình tiên tiến được cấp tỉnh trở lên biểu dương (mỗi điển hình)", 5, "count",
          points=2.5, evidence_required=True),
        C("II.4", "Báo cáo, hồ sơ thi đua, khen thưởng gửi đúng hạn", 5, "graded", step=0.25),
        C("III", "Xây dựng tổ chức, chấp hành kỷ luật, kỷ cương", 20),
        C("III.1", "Tổ chức Đảng, đoàn thể trong sạch, vững mạnh", 5, "graded", step=0.25),
        C("III.2", "Chấp hành pháp luật, thực hành tiết kiệm, phòng, chống tham nhũng, lãng phí", 5,
          "graded", step=0.25),
        C("III.3", "Đoàn kết nội bộ, văn hóa công sở", 5, "graded", step=0.25),
        C("III.4", "Không có cán bộ, công chức, người lao động bị kỷ luật", 5, "passfail"),
        C("IV", "Phối hợp trong Khối", 10),
        C("IV.1", "Phối hợp, hỗ trợ các đơn vị trong Khối", 5, "graded", step=0.25),
        C("IV.2", "Tham gia đầy đủ hội nghị, hoạt động chung của Khối", 5, "graded", step=0.25),
        C("V", "Điểm thưởng"),
        C("V.1", "Được tặng Cờ thi đua, Bằng khen của cấp trên trong năm (mỗi lần)", 6, "bonus",
          points=3, evidence_required=True),
        C("V.2", "Sáng kiến, mô hình, cách làm hay được công nhận (mỗi sáng kiến)", 4, "bonus",
          points=2, evidence_required=True),
        C("V.3", "Nhiệm vụ đột xuất được cấp có thẩm quyền ghi nhận (mỗi nhiệm vụ)", 3, "bonus",
          points=1, evidence_required=True),
        C("VI", "Điểm trừ"),
        C("VI.1", "Báo cáo gửi chậm so với quy định (mỗi báo cáo)", 0, "penalty", points=1),
        C("VI.2", "Cán bộ, công chức bị kỷ luật khiển trách (mỗi người)", 0, "penalty", points=2),
    ))


def _members(names: list[tuple[str, str, str]], domain: str) -> tuple[Member, ...]:
    return tuple(Member(i, code, name, short, f"{code.lower()}@{domain}.example")
                 for i, (code, name, short) in enumerate(names, start=1))


def _bac_giang() -> Bloc:
    members = _members([
        ("DBQH", "Văn phòng Đoàn đại biểu Quốc hội tỉnh", "VP Đoàn ĐBQH"),
        ("HDND", "Văn phòng Hội đồng nhân dân tỉnh", "VP HĐND"),
        ("UBND", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND"),
        ("STC", "Sở Tài chính", "Sở Tài chính"),
        ("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
        ("CTK", "Cục Thống kê tỉnh", "Cục Thống kê"),
        ("CT", "Cục Thuế tỉnh", "Cục Thuế"),
        ("NHNN", "Ngân hàng Nhà nước chi nhánh tỉnh Bắc Giang", "NHNN chi nhánh"),
        ("KBNN", "Kho bạc Nhà nước chi nhánh tỉnh Bắc Giang", "KBNN chi nhánh"),
        ("QDTPT", "Quỹ Đầu tư phát triển tỉnh", "Quỹ ĐTPT"),
        ("SNV", "Sở Nội vụ", "Sở Nội vụ"),
    ], "bacgiang")
    return Bloc(
        name="Khối thi đua các cơ quan Tham mưu - Tổng hợp tỉnh Bắc Giang", kind="khoi",
        year=DEFAULT_YEAR, period="tong-ket", members=members, criteria=default_criteria(),
        key="bac-giang-tham-muu-tong-hop", chair="CT", vice_chair="DBQH", place="Bắc Giang",
        deadline=date(DEFAULT_YEAR, 12, 10), board_name="Ban Thi đua - Khen thưởng tỉnh Bắc Giang",
        board_email="bantdkt@bacgiang.example", legal_basis=LEGAL_BASIS)


def _na_office_cluster(key: str, name: str, provinces: list[tuple[str, str]], chair: str,
                       vice: str, place: str, domain: str) -> Bloc:
    members = _members([(code, f"Văn phòng Đoàn ĐBQH {prov}", f"VP Đoàn ĐBQH {prov.split(' ', 1)[1]}")
                        for code, prov in provinces], domain)
    return Bloc(
        name=name, kind="cum", year=DEFAULT_YEAR, period="tong-ket", members=members,
        criteria=default_criteria("Tham mưu, phục vụ Đoàn ĐBQH giám sát, tiếp xúc cử tri, góp ý dự án luật"),
        key=key, chair=chair, vice_chair=vice, place=place, deadline=date(DEFAULT_YEAR, 12, 5),
        board_name="Hội đồng Thi đua - Khen thưởng Văn phòng Quốc hội",
        board_email=f"tdkt@{domain}.example", legal_basis=LEGAL_BASIS)


def _tay_nguyen() -> Bloc:
    return _na_office_cluster(
        "tay-nguyen-duyen-hai",
        "Cụm thi đua Văn phòng Đoàn ĐBQH các tỉnh Tây Nguyên và Duyên hải miền Trung",
        [("GL", "tỉnh Gia Lai"), ("PY", "tỉnh Phú Yên"), ("DL", "tỉnh Đắk Lắk"),
         ("DN", "tỉnh Đắk Nông"), ("KH", "tỉnh Khánh Hòa"), ("KT", "tỉnh Kon Tum")],
        chair="DN", vice="KT", place="Gia Nghĩa", domain="taynguyen")


def _mien_tay() -> Bloc:
    return _na_office_cluster(
        "cum-9-mien-tay",
        "Cụm thi đua số 9 - Văn phòng Đoàn ĐBQH các tỉnh, thành phố miền Tây",
        [("CM", "tỉnh Cà Mau"), ("CTO", "thành phố Cần Thơ"), ("BL", "tỉnh Bạc Liêu"),
         ("ST", "tỉnh Sóc Trăng"), ("HG", "tỉnh Hậu Giang"), ("KG", "tỉnh Kiên Giang")],
        chair="CM", vice="KG", place="Cà Mau", domain="mientay")


def _dien_bien() -> Bloc:
    members = _members([
        ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "UB MTTQ tỉnh"),
        ("CCB", "Hội Cựu chiến binh tỉnh", "Hội CCB"),
        ("LDLD", "Liên đoàn Lao động tỉnh", "LĐLĐ tỉnh"),
        ("HND", "Hội Nông dân tỉnh", "Hội Nông dân"),
        ("HLHPN", "Hội Liên hiệp Phụ nữ tỉnh", "Hội LHPN"),
        ("TD", "Tỉnh đoàn Điện Biên", "Tỉnh đoàn"),
    ], "dienbien")
    return Bloc(
        name="Khối thi đua Mặt trận Tổ quốc và các đoàn thể tỉnh Điện Biên", kind="khoi",
        year=DEFAULT_YEAR, period="tong-ket", members=members,
        criteria=default_criteria("Tuyên truyền, vận động đoàn viên, hội viên và nhân dân"),
        key="dien-bien-mttq-doan-the", chair="TD", vice_chair="LDLD", place="Điện Biên",
        deadline=date(DEFAULT_YEAR, 12, 10), board_name="Ban Thi đua - Khen thưởng tỉnh Điện Biên",
        board_email="bantdkt@dienbien.example", legal_basis=LEGAL_BASIS)


BUILTIN_BLOCS = {
    "bac-giang": _bac_giang,
    "tay-nguyen": _tay_nguyen,
    "mien-tay": _mien_tay,
    "dien-bien": _dien_bien,
}


def builtin_bloc(name: str = DEFAULT_BLOC) -> Bloc:
    """One of the seed blocs by short name (see BUILTIN_BLOCS); KeyError if unknown."""
    return BUILTIN_BLOCS[name]()
