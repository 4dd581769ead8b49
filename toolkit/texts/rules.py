"""Texts of the bloc's full scoring rules: meeting sheets of the chair's workbook (review rounds,
cross scores, votes, disqualifiers), notes in the ranking and award labels."""

# Sheets of the chair's workbook -------------------------------------------------------------------
SHEET_REVIEW = "Thẩm định"
SHEET_CROSS = "Chấm chéo"
SHEET_VOTES = "Biểu quyết"
SHEET_CONDITIONS = "Điều kiện"

REVIEW_COLUMNS = ("Mã đơn vị", "Mã tiêu chí", "Điểm tự chấm (để đối chiếu)", "Điểm thẩm định lần 1",
                  "Lý do (lần 1)", "Giải trình của đơn vị", "Điểm thẩm định lần 2", "Lý do (lần 2)")
REVIEW_NOTE = ("Mỗi dòng một tiêu chí được thẩm định. Điểm thẩm định là số điểm của tiêu chí "
               "(kể cả tiêu chí định lượng, theo số lần, điểm thưởng, điểm trừ). Điểm cuối cùng là điểm "
               "thẩm định lần sau cùng; không có thì lấy điểm tự chấm.")
CROSS_COLUMNS = ("Đơn vị chấm (mã)", "Đơn vị được chấm (mã)", "Mã tiêu chí (hoặc “Tổng”)", "Điểm")
CROSS_TOTAL = "Tổng"
PEER_EXTRA_COLUMNS = ("Điểm tối đa", "Tên đơn vị được chấm", "Nội dung tiêu chí")
PEER_INSTRUCTIONS = ("Phiếu chấm chéo của {unit}: nhập điểm đơn vị mình chấm cho từng đơn vị khác vào các ô "
                     "màu vàng ở cột “Điểm” (từ 0 đến điểm tối đa). Không sửa các cột khác, không thêm hay "
                     "xoá dòng. Lưu tệp dạng .xlsx và gửi lại Trưởng khối.")
PEER_SCORE_ERROR = "Điểm phải là số từ 0 đến {max}."
VOTE_COLUMNS = ("Mã đơn vị", "Tên đơn vị", "Số phiếu đồng ý", "Hình thức")
VOTE_FORMS = ("Giơ tay", "Bỏ phiếu kín")
CONDITION_COLUMNS = ("Mã đơn vị", "Tên đơn vị", "Tập thể hoặc thủ trưởng bị kỷ luật",
                     "Cán bộ bị kỷ luật từ cảnh cáo trở lên", "Không ký giao ước thi đua",
                     "Làm sai lệch hồ sơ, số liệu", "Không gửi phiếu đúng hạn", "Ghi chú")

# Keys of DISQUALIFIERS (toolkit.meeting.model) -> label shown in the ranking
DISQUALIFIER_LABELS = {
    "unit_disciplined": "Tập thể hoặc thủ trưởng bị kỷ luật",
    "staff_disciplined": "Có cán bộ bị kỷ luật từ cảnh cáo trở lên",
    "no_pledge": "Không ký giao ước thi đua",
    "falsified": "Làm sai lệch hồ sơ, số liệu",
    "late_form": "Không gửi phiếu đúng hạn",
}

# New fields of the rules sheet (key -> label), appended after labels.RULE_FIELDS ----------------
RULE_FIELDS = {
    "group_weights": "Trọng số nhóm (ví dụ: I=1; II=1,5; để trống = 1)",
    "cross_scoring": "Có chấm chéo (Có/Không)",
    "cross_flag_threshold": "Ngưỡng chênh lệch tự chấm và điểm cuối cùng (điểm)",
    "quorum": "Số thành viên dự họp tối thiểu (phân số như 2/3 hoặc %)",
    "approval": "Tỷ lệ phiếu đồng ý phải vượt (% tổng số thành viên)",
    "flag_quota": "Số Cờ thi đua được đề nghị",
    "certificate_quota": "Số Bằng khen được đề nghị",
    "plausible_multiple": "Kết quả định lượng tối đa (số lần chỉ tiêu; vượt mức này phiếu bị trả lại để kiểm tra)",
}

MULTIPLE_HINT = "ghi một số từ 1 trở lên, ví dụ 10 (kết quả vượt 10 lần chỉ tiêu bị trả lại để đơn vị kiểm tra)"

# Ranking notes and awards ---------------------------------------------------------------------
AWARD_FLAG = "Cờ thi đua"
AWARD_CERTIFICATE = "Bằng khen"
NOTE_CROSS_GAP = "Tự chấm chênh {gap} điểm so với điểm cuối cùng"
NOTE_NO_QUORUM = ("Đã biểu quyết nhưng kết quả không được tính: chỉ {present}/{members} thành viên dự họp, "
                  "cần ít nhất {needed}")
NOTE_DISQUALIFIED = "Không xét khen thưởng: {reason}"
NOTE_GRADE_TOO_LOW = "Không đề nghị khen thưởng: xếp loại {grade} (cần {needed})"
NOTE_NOT_VOTED = "Không đề nghị khen thưởng: chưa được Hội nghị biểu quyết"
NOTE_QUOTA_USED = ("Không đề nghị khen thưởng: đã đủ số đề nghị ({flags} Cờ thi đua, {certificates} Bằng khen) "
                   "cho các đơn vị xếp trên")
OR = " hoặc "
NOTE_VOTE_FAILED = "Không đủ phiếu đồng ý ({pct}% tổng số thành viên)"
NOTE_AWAITING_VOTE = "Đề nghị tạm thời: chờ Hội nghị biểu quyết"
NOTE_TIED_AT_QUOTA = "Đồng hạng tại ngưỡng đề nghị {award}: Hội nghị quyết định"
NOTE_GRADE_FLOOR = "Nhóm {group} đạt {share} % < {floor} % của mức {band}"
NO_REASON = "(chưa ghi lý do)"

# History of earlier periods -----------------------------------------------------------------------
HISTORY_NO_SHEET = "không có trang tính “{sheet}”"
HISTORY_NO_HEADER = "không tìm thấy dòng tiêu đề có “Tên đơn vị” và “Xếp hạng”"
HELP_HISTORY = ("Thứ hạng và tổng điểm của từng đơn vị qua các kỳ, đọc từ các bảng tổng hợp trước đây "
                "(tệp tong-hop-*.xlsx hoặc thư mục chứa chúng).")
HISTORY_TITLE = "THỨ HẠNG (TỔNG ĐIỂM) QUA CÁC KỲ"
HISTORY_NONE = "Không đọc được bảng tổng hợp nào."

# Biểu quyết: the number present is one cell of the meeting above the votes (issue 16)
VOTE_PRESENT_LABEL = "Số thành viên có mặt tại cuộc họp"
VOTE_PRESENT_PROMPT_TITLE = "Số thành viên có mặt"
VOTE_PRESENT_PROMPT = ("Ghi một lần số thành viên có mặt tại cuộc họp (số nguyên từ 0 đến {members}). "
                       "Mỗi dòng bên dưới chỉ ghi số phiếu đồng ý và hình thức biểu quyết.")
VOTE_PRESENT_ERROR = "Số thành viên có mặt là số nguyên từ 0 đến {members}."
OLD_VOTE_PRESENT_COLUMN = "Số thành viên có mặt"  # column D of every row in workbooks written before
