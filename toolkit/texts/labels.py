"""Labels of workbooks (chair's workbook, forms, summary) and vocabulary shared by them."""

# Bloc kinds and periods -------------------------------------------------------------------
BLOC_KINDS = {"khoi": "Khối", "cum": "Cụm"}
PERIODS = {"tong-ket": "Tổng kết năm", "so-ket": "Sơ kết 6 tháng đầu năm"}


def period_title(period: str, year: int) -> str:
    """'Tổng kết năm 2026' / 'Sơ kết 6 tháng đầu năm 2026'."""
    return f"{PERIODS[period]} {year}"


# Criterion kinds: key -> label in the chair's workbook ----------------------------------------
KIND_LABELS = {
    "group": "Nhóm",
    "graded": "Chấm điểm",
    "passfail": "Đạt/Không đạt",
    "count": "Theo số lần",
    "quantitative": "Định lượng",
    "bonus": "Điểm thưởng",
    "penalty": "Điểm trừ",
}
PASS, FAIL = "Đạt", "Không đạt"
YES, NO = "Có", "Không"

# Chair's workbook ------------------------------------------------------------------------------
SHEET_INFO = "Thông tin"
SHEET_MEMBERS = "Thành viên"
SHEET_CRITERIA = "Tiêu chí"
SHEET_RULES = "Quy tắc"

INFO_FIELDS = {
    "name": "Tên khối/cụm thi đua",
    "kind": "Loại (Khối/Cụm)",
    "key": "Mã khối",
    "year": "Năm",
    "period": "Kỳ (Tổng kết năm/Sơ kết 6 tháng đầu năm)",
    "chair": "Trưởng khối (mã đơn vị)",
    "vice_chair": "Phó khối (mã đơn vị)",
    "place": "Địa danh ghi ngày tháng",
    "deadline": "Hạn nộp phiếu (ngày/tháng/năm)",
    "board_name": "Cơ quan nhận báo cáo",
    "board_email": "Email cơ quan nhận báo cáo",
    "legal_basis": "Căn cứ (mỗi dòng một văn bản, ngăn cách bằng dấu ;)",
    # sending mail (no password here: it is typed when sending, never stored)
    "smtp_host": "Máy chủ gửi thư (SMTP)",
    "smtp_port": "Cổng SMTP (để trống: 587 với STARTTLS, 465 với SSL)",
    "smtp_security": "Bảo mật SMTP (STARTTLS/SSL/Không)",
    "smtp_user": "Tài khoản đăng nhập SMTP",
    "sender_email": "Email người gửi",
    "sender_name": "Tên người gửi",
    # the meeting's papers and the next year (toolkit.papers, toolkit.rollover)
    "doc_number": "Số tờ trình (để trống: điền tay)",
    "meeting_time": "Thời gian họp bình xét (để trống: điền tay)",
    "meeting_place": "Địa điểm họp bình xét (để trống: điền tay)",
    "secretary": "Thư ký cuộc họp (để trống: điền tay)",
    "absent": "Đơn vị vắng mặt khi họp (mã đơn vị, ngăn cách bằng dấu ;)",
    "next_chair": "Trưởng khối năm sau (mã đơn vị; để trống: đơn vị kế tiếp theo thứ tự)",
    "next_vice_chair": "Phó khối năm sau (mã đơn vị; để trống: đơn vị kế tiếp)",
    # receiving mail (thidua nhan; the password as for sending)
    "imap_host": "Máy chủ nhận thư (IMAP)",
    "imap_port": "Cổng IMAP (để trống: 993 với SSL, 143 với STARTTLS)",
    "imap_security": "Bảo mật IMAP (STARTTLS/SSL/Không)",
    "imap_user": "Tài khoản đăng nhập IMAP (để trống: như SMTP)",
}
SMTP_SECURITY_LABELS = {"starttls": "STARTTLS", "ssl": "SSL", "none": "Không"}
HINT_PORT = "cổng là số nguyên từ 1 đến 65535, ví dụ 587"
HINT_EMAIL = "ghi địa chỉ email dạng ten@coquan.gov.vn (nhiều địa chỉ thì ngăn cách bằng dấu ;)"
INFO_HEADER = ("Mục", "Giá trị")
MEMBER_COLUMNS = ("Thứ tự", "Mã đơn vị", "Tên đơn vị", "Tên viết tắt", "Email")
CRITERIA_COLUMNS = (
    "Mã", "Nội dung tiêu chí", "Điểm tối đa", "Loại", "Bước điểm", "Điểm mỗi lần",
    "Chỉ tiêu", "Đơn vị tính", "Bắt buộc minh chứng",
)
RULE_FIELDS = {
    "bonus_cap": "Điểm thưởng tối đa",
    "tie_break": "Thứ tự ưu tiên khi bằng điểm",
    "weight_self": "Trọng số điểm tự chấm",
    "weight_review": "Trọng số điểm thẩm định",
    "weight_cross": "Trọng số điểm chấm chéo",
}
GRADE_COLUMNS = ("Xếp loại", "Tổng điểm tối thiểu", "Mỗi nhóm tối thiểu (% điểm tối đa)")
GRADE_TABLE_TITLE = "Bảng xếp loại"
PERCENT_INPUT_TITLE = "Phần trăm"  # data validation of percentage cells (title at most 32 characters)
PERCENT_INPUT_MESSAGE = "“{field}”: ghi 85 hoặc 85% (nghĩa là 85 phần trăm), từ 0 đến 100. Không ghi 0,85."
PERCENT_ERROR = "Ghi phần trăm từ 0 đến 100: 85 hoặc 85%."
NOT_COMPLETED = "Không hoàn thành"
GRADE_NAMES = ("Xuất sắc", "Tốt", "Hoàn thành")  # default bands, best first (Nghệ An 2025)
DEMO_EVIDENCE = "Văn bản số {number}/BC-{unit} ngày {day}/{month}/{year}"

# Tie-break keys: code -> label (chair writes labels joined by ';')
TIE_BREAK_LABELS = {
    "penalty": "Ít điểm trừ hơn",
    "bonus": "Nhiều điểm thưởng hơn",
    "group": "Điểm nhóm {code} cao hơn",
}

# Hints of bloc.bad_value problems (what to write instead) ------------------------------------------
HINTS = {
    "year": "năm phải là số có 4 chữ số",
    "choice": "chọn {choices}",
    "date": "ghi ngày dạng ngày/tháng/năm, ví dụ 10/12/2026",
    "order": "thứ tự là số nguyên 1, 2, 3...",
    "non_negative": "phải là số không âm",
    "whole": "ghi số nguyên không âm",
    "fraction": "ghi phân số như 2/3 hoặc phần trăm như 70%",
    "percent": "ghi phần trăm từ 0 đến 100, ví dụ 85 hoặc 85%",
    "group_weights": "ghi dạng I=1; II=1,5 với mã nhóm lớn có trong trang “Tiêu chí”",
}
CHOICE_JOIN = " hoặc "

# Why a file could not be opened (an operating-system error), shown as `reason` of problems ---------
OS_REASONS = {
    "in_use": "tệp đang được mở hoặc bị khoá bởi chương trình khác (Excel, LibreOffice); hãy đóng tệp rồi thử lại",
    "permission": "không có quyền đọc tệp; hãy chép tệp vào thư mục của mình hoặc xin quyền đọc",
    "directory": "đây là một thư mục, không phải tệp",
    "missing": "không tìm thấy tệp",
    "other": "lỗi đọc ổ đĩa hoặc thư mục mạng; hãy chép tệp vào máy rồi thử lại",
}

# Scoring form ----------------------------------------------------------------------------------
FORM_SHEET = "Phiếu chấm điểm"
FORM_TITLE = "PHIẾU TỰ CHẤM ĐIỂM THI ĐUA"
FORM_UNIT = "Đơn vị: {name}"
FORM_DEADLINE = "Hạn gửi về Trưởng khối ({chair}): {deadline}."
FORM_INSTRUCTIONS = (
    "Hướng dẫn: chỉ nhập vào các ô màu vàng ở cột “Số liệu nhập” và “Minh chứng”. "
    "Điểm tự chấm, điểm nhóm và tổng điểm tự tính. Không thêm, xoá hay di chuyển dòng, cột, trang tính; "
    "không đổi tên tệp thành phiếu của đơn vị khác. Điểm tiêu chí định lượng là điểm tạm tính: "
    "đơn vị vượt chỉ tiêu cao nhất khối được điểm tối đa. Lưu tệp dạng .xlsx và gửi lại qua email."
)
FORM_COLUMNS = ("Mã", "Nội dung tiêu chí", "Điểm tối đa", "Cách chấm", "Số liệu nhập",
                "Điểm tự chấm", "Minh chứng (số, ký hiệu văn bản; ghi chú)")
FORM_HOW = {
    "graded": "Nhập điểm 0 – {max}",
    "graded_step": "Nhập điểm 0 – {max}, bước {step}",
    "passfail": "Chọn Đạt / Không đạt",
    "count": "Nhập số lần × {points} điểm, tối đa {max}",
    "count_nocap": "Nhập số lần × {points} điểm",
    "quantitative": "Nhập kết quả đạt được; chỉ tiêu {target}{unit}",
}
FORM_BASE_TOTAL = "CỘNG ĐIỂM CƠ BẢN"
FORM_BONUS_TOTAL = "ĐIỂM THƯỞNG (tối đa {cap})"
FORM_PENALTY_TOTAL = "ĐIỂM TRỪ"
FORM_GRAND_TOTAL = "TỔNG ĐIỂM TỰ CHẤM"
FORM_PREPARER = "Người lập biểu"
FORM_HEAD = "THỦ TRƯỞNG ĐƠN VỊ"
FORM_SIGN_HINT = "(Ký, ghi rõ họ tên)"
PAGE_FOOTER = "&C&\"Times New Roman\"&11Trang &P/&N"  # every printed page: "Trang n/N"
VALIDATION = {
    "score_title": "Điểm tự chấm",
    "score_msg": "Nhập điểm từ 0 đến {max}.",
    "score_step_msg": "Nhập điểm từ 0 đến {max}, là bội số của {step}.",
    "score_error": "Điểm phải là số từ 0 đến {max}{step_text}.",
    "step_text": ", bội số của {step}",
    "choice_title": "Đạt / Không đạt",
    "choice_msg": "Chọn Đạt hoặc Không đạt.",
    "choice_error": "Chỉ được chọn Đạt hoặc Không đạt.",
    "count_title": "Số lần",
    "count_msg": "Nhập số lần: số nguyên từ 0 đến {max}.",
    "count_error": "Số lần phải là số nguyên từ 0 đến {max}.",
    "actual_title": "Kết quả đạt được",
    "actual_msg": "Nhập kết quả đạt được (số, không âm).",
    "actual_error": "Kết quả phải là số không âm.",
    "actual_bound_msg": "Nhập kết quả đạt được: số từ 0 đến {limit} (gấp {multiple} lần chỉ tiêu {target}).",
    "actual_bound_error": "Kết quả phải là số từ 0 đến {limit} (gấp {multiple} lần chỉ tiêu). Hãy kiểm tra lại số liệu.",
    "evidence_title": "Minh chứng",
    "evidence_msg": "Ghi số, ký hiệu văn bản làm minh chứng (tối đa 500 ký tự).",
    "evidence_error": "Minh chứng tối đa 500 ký tự.",
}

# Summary workbook ------------------------------------------------------------------------------
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DATE_LINE = "{place}, ngày {day:02d} tháng {month:02d} năm {year}"
SUMMARY_SHEET = "Tổng hợp"
DETAIL_SHEET = "Chi tiết"
CHECK_SHEET = "Kiểm tra"
SUMMARY_TITLE = "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA"
SUMMARY_SUBTITLE = "{period} của {bloc}"
SUMMARY_COLUMNS = {
    "order": "STT",
    "name": "Tên đơn vị",
    "base": "Điểm cơ bản",
    "bonus": "Điểm thưởng",
    "penalty": "Điểm trừ",
    "total": "Tổng điểm",
    "grade": "Xếp loại",
    "rank": "Xếp hạng",
    "note": "Ghi chú",
}
GROUP_COLUMN = "Nhóm {code} ({max})"
TIED = "đồng hạng"
NOT_RETURNED = "Không gửi phiếu"
SIGN_CHAIR = {"khoi": ("TM. KHỐI THI ĐUA", "TRƯỞNG KHỐI"), "cum": ("TM. CỤM THI ĐUA", "CỤM TRƯỞNG")}
SIGN_PREPARER = "Người lập biểu"
DETAIL_COLUMNS = ("Mã", "Nội dung tiêu chí", "Điểm tối đa")
CHECK_COLUMNS = ("Đơn vị", "Tệp", "Trang tính", "Ô", "Mức độ", "Mã lỗi", "Nội dung")
SEVERITY = {"error": "Lỗi", "warning": "Cảnh báo"}
