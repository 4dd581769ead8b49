"""Texts of each unit's own result: its workbook (ket-qua/don-vi/) and the message that sends it."""

# The workbook ------------------------------------------------------------------------------------
FILE_PREFIX = "ket-qua-"
RESULT_SHEET = "Kết quả"
SCORES_SHEET = "Điểm theo tiêu chí"
REVIEW_SHEET = "Thẩm định"
SHEET_TITLE = "{sheet} — {unit}"  # the title over Điểm theo tiêu chí and Thẩm định
TITLE = "KẾT QUẢ CHẤM ĐIỂM, XẾP HẠNG THI ĐUA CỦA ĐƠN VỊ"
FACTS = {"unit": "Đơn vị", "total": "Tổng điểm", "average": "Trung bình của khối",
         "best": "Cao nhất của khối", "rank": "Xếp hạng", "grade": "Xếp loại",
         "award": "Đề nghị khen thưởng", "note": "Lý do, ghi chú"}
RANK_OF = "trên {count} đơn vị được xếp hạng"
TOTAL_OF = "tổng điểm của các đơn vị được xếp hạng"
NO_AWARD = "Không"
NO_NOTE = "Không có"
SCORE_COLUMNS = ("Mã", "Tiêu chí", "Điểm tối đa", "Tự chấm", "Thẩm định", "Điểm cuối cùng",
                 "Trung bình của khối", "Cao nhất của khối")
SCORES_LEGEND = ("Dòng in đậm: điểm của nhóm (tổng các tiêu chí trong nhóm, không vượt điểm tối đa của "
                 "nhóm). Cột “Thẩm định”: điểm Hội nghị thẩm định, chỉ ở các tiêu chí được thẩm định. "
                 "Trung bình và cao nhất tính trên các đơn vị được xếp hạng.")
REVIEW_COLUMNS = ("Mã", "Tiêu chí", "Tự chấm", "Thẩm định lần 1", "Lý do lần 1", "Giải trình của đơn vị",
                  "Thẩm định lần 2", "Lý do lần 2", "Điểm sau thẩm định")
NO_REVIEW = "Không có tiêu chí nào của đơn vị được thẩm định lại; điểm tự chấm được giữ nguyên."

# The message (toolkit.mail) ----------------------------------------------------------------------
BODY = """{chair} (Trưởng {kind_lower}) gửi quý đơn vị kết quả chấm điểm, xếp hạng thi đua {period} của {bloc} (tệp đính kèm: {file}).

Tổng điểm: {total} (trung bình của khối {average}, cao nhất {best})
Xếp hạng: {rank} {rank_of}
Xếp loại: {grade}
Đề nghị khen thưởng: {award}
Lý do, ghi chú: {note}{reviews}

Tệp đính kèm ghi điểm từng tiêu chí của quý đơn vị bên cạnh điểm trung bình và cao nhất của khối, và mọi điểm thay đổi khi thẩm định cùng lý do."""
BODY_REVIEWS = "\n\nĐiểm thay đổi khi thẩm định:"
BODY_REVIEW = "  - {code} {text}: tự chấm {own}, sau thẩm định {final} ({reason})"
NOT_COUNTED_BODY = """{chair} (Trưởng {kind_lower}) thông báo: quý đơn vị không được xếp hạng thi đua {period} của {bloc}.

Lý do: {reason}

Kết quả kiểm tra phiếu của quý đơn vị (nếu có) đã được gửi trong thư phản hồi."""
