"""Texts of the summary workbook and its PDF (sheet names shared with labels.py stay there)."""

AWARD_SHEET = "Đề nghị khen thưởng"
CHART_SHEET = "Biểu đồ"
SOURCES_SHEET = "Nguồn"

# Tổng hợp: columns added to labels.SUMMARY_COLUMNS
VOTES_COLUMN = "Tỷ lệ phiếu bầu (%)"
AWARD_COLUMN = "Đề nghị khen thưởng"
AWARD_GOV_FLAG = "{award} (đề nghị xét Cờ thi đua của Chính phủ)"
SIGN_HINT = "(Ký, ghi rõ họ tên)"
SIGN_SEAL_HINT = "(Ký tên, đóng dấu)"

GROUP_COLUMN_WEIGHTED = "Nhóm {code} ({max} × hệ số {factor})"  # with group weights: what the column holds

# Chi tiết
DETAIL_SELF = "Tự chấm"
DETAIL_FINAL = "Thẩm định"
DETAIL_LEGEND = "Ô tô màu: điểm thẩm định khác điểm tự chấm (xem lý do ở trang “Kiểm tra”)."
DETAIL_UNIT_COLUMNS = ("Mã đơn vị", "Tên đơn vị")  # large blocs: one row per unit
DETAIL_KEY_TITLE = "Nội dung các tiêu chí (theo mã ở dòng tiêu đề)"

# Đề nghị khen thưởng
AWARD_TITLE = "DANH SÁCH ĐƠN VỊ ĐỀ NGHỊ KHEN THƯỞNG"
AWARD_COLUMNS = ("STT", "Tên đơn vị", "Tổng điểm", "Xếp hạng", "Xếp loại", "Tỷ lệ phiếu bầu (%)",
                 "Hình thức đề nghị", "Ghi chú")
GOV_FLAG_TAG = "Đề nghị xét Cờ thi đua của Chính phủ"
NO_AWARDS = "Chưa có đơn vị được đề nghị khen thưởng (chưa có kết quả bình xét, bỏ phiếu)."
NO_AWARDS_VOTED = ("Không có đơn vị được đề nghị khen thưởng: Hội nghị đã biểu quyết nhưng không đơn vị nào có "
                   "kết quả hợp lệ và đủ phiếu đồng ý (lý do ở cột “Ghi chú” của trang “Tổng hợp”).")

# Biểu đồ
CHART_TITLE = "Tổng điểm thi đua các đơn vị (theo thứ hạng)"
CHART_COLUMNS = ("Xếp hạng", "Tên đơn vị", "Tổng điểm")
CHART_Y_AXIS = "Tổng điểm"

# Kiểm tra
CHECK_MISSING_TITLE = "1. Đơn vị chưa được tính điểm"
CHECK_MISSING_COLUMNS = ("Đơn vị", "Lý do")
CHECK_PROBLEMS_TITLE = "2. Vấn đề phát hiện trong các phiếu"
CHECK_CHANGES_TITLE = "3. Điểm thẩm định: từng vòng, lý do và giải trình của đơn vị"
CHECK_CHANGES_COLUMNS = ("Đơn vị", "Mã tiêu chí", "Điểm tự chấm", "Điểm thẩm định lần 1",
                         "Điểm thẩm định lần 2", "Điểm sau thẩm định", "Lý do từng lần và giải trình của đơn vị")
CHECK_DISQUALIFIED_TITLE = "4. Đơn vị không đủ điều kiện xét khen thưởng"
CHECK_DISQUALIFIED_COLUMNS = ("Đơn vị", "Lý do")
CHECK_ROBUSTNESS_TITLE = ("5. Độ vững của thứ hạng (khi mỗi trọng số đang dùng — của điểm tự chấm, thẩm định, "
                          "chấm chéo và của các nhóm tiêu chí — tăng hoặc giảm 10 %)")
CHECK_ROBUSTNESS_COLUMNS = ("Đơn vị", "Xếp hạng", "Hạng cao nhất", "Hạng thấp nhất")
CHECK_LEADER_CHANGES = "Lưu ý: đơn vị đứng đầu có thể thay đổi khi trọng số tăng hoặc giảm 10 %."
CHECK_CROSS_TITLE = "6. Chấm chéo: tổng điểm tự chấm, theo điểm chấm chéo và cuối cùng"
CHECK_CROSS_COLUMNS = ("Đơn vị", "Số đơn vị chấm", "Tổng tự chấm", "Tổng theo điểm chấm chéo (trung bình)",
                       "Tổng cuối cùng", "Chênh lệch tự chấm và cuối cùng", "Vượt ngưỡng")
CHECK_FLAGGED = {True: "Có", False: "Không"}
CHECK_PEERS_TITLE = "7. Điểm chấm chéo của từng đơn vị chấm (từ 5 đơn vị chấm: bỏ điểm cao nhất và thấp nhất)"
CHECK_PEERS_COLUMNS = ("Đơn vị được chấm", "Mã tiêu chí (hoặc “Tổng”)", "Đơn vị chấm", "Điểm", "Bị loại")
CHECK_DROPPED = {"high": "Cao nhất, bị loại", "low": "Thấp nhất, bị loại", "": ""}
CHECK_TRIMMED_MEAN = "Trung bình (sau khi loại)"
CHECK_NONE = "Không có."

# Nguồn
SOURCES_TITLE = "CÁC TỆP PHIẾU ĐÃ ĐỌC"
SOURCES_COLUMNS = ("STT", "Tệp", "Đơn vị", "Mã SHA-256", "Thời điểm nhận", "Thời điểm lưu phiếu",
                   "Mã phiếu", "Phiên bản thidua", "Được dùng")
SOURCE_USED = {True: "Có", False: "Không"}
TIME_FORMAT = "%d/%m/%Y %H:%M"

# PDF
PDF_WRITTEN = "Bản PDF để in, ký: {path}"
PDF_NO_SUMMARY = "Chưa có bảng tổng hợp {path}. Chạy “thidua consolidate” trước."
PDF_FAILED = "Không xuất được PDF bằng LibreOffice: {reason}"
HELP_PDF = "Xuất bảng tổng hợp trong ket-qua/ ra PDF (qua LibreOffice) để in, ký và gửi."
HELP_CONSOLIDATE_PDF = "Xuất thêm bản PDF của bảng tổng hợp (cần LibreOffice)."

# Qua các kỳ (history_sheet.py): each unit's rank and total over the periods
HISTORY_SHEET = "Qua các kỳ"
HISTORY_TITLE = "KẾT QUẢ THI ĐUA CỦA CÁC ĐƠN VỊ QUA CÁC KỲ"
HISTORY_COLUMNS = ("STT", "Tên đơn vị")
HISTORY_RANK = "Xếp hạng"
HISTORY_TOTAL = "Tổng điểm"
HISTORY_CURRENT = "{period} (kỳ này)"
HISTORY_NOTE = ("Đơn vị được đối chiếu theo tên giữa các kỳ. Ô để trống: đơn vị không có trong bảng tổng hợp "
                "của kỳ đó hoặc chưa được tính điểm.")
HISTORY_CHART_TITLE = "Thứ hạng các đơn vị qua các kỳ"
HISTORY_CHART_Y_AXIS = "Xếp hạng (1 là cao nhất)"
HELP_HISTORY_DIR = ("Thư mục (hoặc tệp) chứa bảng tổng hợp các kỳ trước, để bảng tổng hợp có trang “Qua các kỳ”; "
                    "mặc định: ket-qua/lich-su/ của khối. Có thể ghi nhiều lần.")
# Kiểm tra, section 3: the history of one reviewed leaf, one line per round (toolkit.summary.checks)
CHECK_ROUND_FIRST = "Lần 1: {reason}"
CHECK_ROUND_EXPLANATION = "Đơn vị giải trình: {text}"
CHECK_ROUND_SECOND = "Lần 2: {reason}"
