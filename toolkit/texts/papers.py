"""Texts of the meeting's papers (ballot, tally, minutes, proposal letter) and of the next year's folder."""

BLANK = "………"  # a field the meeting fills in by hand (or in Word) — never guessed by thidua
DATE_BLANK = "{place}, ngày {blank} tháng {blank} năm {year}"
FILES = {"ballot": "phieu-bau", "tally": "bien-ban-kiem-phieu", "minutes": "bien-ban-hop",
         "proposal": "to-trinh"}  # file name stems, followed by "-<bloc key>-<year>-<period>.docx"
KIND_UPPER = {"khoi": "KHỐI", "cum": "CỤM"}
KIND_WORD = {"khoi": "Khối", "cum": "Cụm"}
SECRETARY = "THƯ KÝ"
SIGN_HINT = "(Ký, ghi rõ họ tên)"
SIGN_SEAL_HINT = "(Ký tên, đóng dấu)"
NO_CANDIDATES = "(Không có đơn vị nào đủ điều kiện bình xét.)"
NO_UNITS = "(Không có)"

# Ballot (one per member present) -------------------------------------------------------------------
BALLOT_TITLE = "PHIẾU BẦU"
BALLOT_SUBTITLE = "Bình xét, suy tôn khen thưởng {period} của {bloc}"
BALLOT_VOTER = "Đơn vị bỏ phiếu: {unit}"
BALLOT_COLUMNS = ("STT", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Đề nghị khen thưởng", "Đồng ý", "Không đồng ý")
BALLOT_HINT = "Đánh dấu (X) vào một trong hai ô “Đồng ý” hoặc “Không đồng ý” ở mỗi dòng. Phiếu đánh dấu cả hai ô, hoặc ghi thêm nội dung khác, là phiếu không hợp lệ."
BOX = "☐"

# Tally ---------------------------------------------------------------------------------------------
TALLY_TITLE = "BIÊN BẢN KIỂM PHIẾU"
TALLY_SUBTITLE = "Bình xét, suy tôn khen thưởng {period} của {bloc}"
TALLY_COUNTS = (
    "Số đơn vị thành viên: {members}; số đơn vị có mặt: {present}.",
    "Số phiếu phát ra: {issued}; số phiếu thu về: {blank}; số phiếu hợp lệ: {blank}; số phiếu không hợp lệ: {blank}.",
)
TALLY_COLUMNS = ("STT", "Tên đơn vị", "Đề nghị khen thưởng", "Số phiếu đồng ý", "Tỷ lệ (%)", "Kết quả")
TALLY_PASSED = {True: "Đạt", False: "Không đạt", None: BLANK}
TALLY_HINT = "Trưởng khối ghi số phiếu đồng ý của từng đơn vị vào trang “Biểu quyết” của tệp khối."
TALLY_COMMITTEE = "TỔ KIỂM PHIẾU"

# Minutes -------------------------------------------------------------------------------------------
MINUTES_TITLE = "BIÊN BẢN HỌP BÌNH XÉT"
MINUTES_SUBTITLE = "{period} của {bloc}"
MINUTES_HEADINGS = ("I. THỜI GIAN, ĐỊA ĐIỂM, THÀNH PHẦN", "II. NỘI DUNG", "III. KẾT QUẢ BIỂU QUYẾT",
                    "IV. KẾT LUẬN")
MINUTES_TIME = "Thời gian: {time}."
MINUTES_PLACE = "Địa điểm: {place}."
MINUTES_CHAIR = "Chủ trì: {chair} (đơn vị Trưởng {kind}); thư ký: {secretary}."
MINUTES_PRESENT = "Đơn vị có mặt ({count}/{members}): {names}."
MINUTES_ABSENT = "Đơn vị vắng mặt ({count}): {names}."
MINUTES_QUORUM = {True: "Số đơn vị có mặt đạt tỷ lệ quy định ({needed}/{members} đơn vị trở lên): cuộc họp đủ điều kiện biểu quyết.",
                  False: "Số đơn vị có mặt chưa đạt tỷ lệ quy định ({needed}/{members} đơn vị): cuộc họp chưa đủ điều kiện biểu quyết."}
MINUTES_REVIEW = "Hội nghị xem xét kết quả tự chấm, thẩm định điểm thi đua {period} của các đơn vị thành viên; kết quả chấm điểm, xếp hạng như sau:"
MINUTES_COLUMNS = ("STT", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng", "Đề nghị khen thưởng")
MINUTES_NOT_COUNTED = "Đơn vị không xếp hạng: {names}."
MINUTES_VOTE_NONE = "Chưa có kết quả biểu quyết (ghi vào trang “Biểu quyết” của tệp khối)."
MINUTES_VOTE_LINE = "{unit}: {pct} % số đơn vị thành viên đồng ý — {result}."
MINUTES_CONCLUSION = "Hội nghị thống nhất đề nghị khen thưởng như sau:"
MINUTES_CLOSING = "Cuộc họp kết thúc hồi {blank} cùng ngày. Biên bản đã được thông qua trước hội nghị."

# Proposal letter -------------------------------------------------------------------------------------
PROPOSAL_NUMBER = "Số: {number}/TTr-{code}"
PROPOSAL_CODE = {"khoi": "KTĐ", "cum": "CTĐ"}
PROPOSAL_ABOUT = "V/v đề nghị tặng Cờ thi đua và Bằng khen {period}"
PROPOSAL_TITLE = "TỜ TRÌNH"
PROPOSAL_TO = "Kính gửi: {board}."
PROPOSAL_RESULT = ("Ngày {blank}, {bloc} đã tổ chức họp bình xét thi đua {period}. Căn cứ kết quả chấm điểm, "
                   "xếp hạng và biểu quyết của các đơn vị thành viên, {bloc} đề nghị:")
PROPOSAL_SECTIONS = {"flag": "Tặng Cờ thi đua cho {count} đơn vị:",
                     "certificate": "Tặng Bằng khen cho {count} đơn vị:",
                     "gov_flag": "Đề nghị xét tặng Cờ thi đua của Chính phủ cho {count} đơn vị:"}
NO_AWARDS = "Không có đơn vị nào đủ điều kiện đề nghị khen thưởng."
PROPOSAL_COLUMNS = ("STT", "Tên đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng")
PROPOSAL_ENCLOSURES_TITLE = "Hồ sơ kèm theo:"
PROPOSAL_ENCLOSURES = ("Biên bản họp bình xét;", "Biên bản kiểm phiếu;", "Bảng tổng hợp kết quả chấm điểm, xếp hạng.")
PROPOSAL_CLOSING = "Kính đề nghị {board} xem xét, quyết định./."
RECIPIENTS_TITLE = "Nơi nhận:"
RECIPIENTS = ("- Như trên;", "- Các đơn vị thành viên;", "- Lưu: VT.")

# CLI -----------------------------------------------------------------------------------------------
HELP_PAPERS = ("Xếp hạng lại rồi soạn giấy tờ cuộc họp (phiếu bầu, biên bản kiểm phiếu, biên bản họp, tờ trình) "
               "dạng .docx vào ket-qua/giay-to/.")
HELP_PAPERS_PDF = "Xuất thêm bản PDF của từng giấy tờ (cần LibreOffice)."
PAPERS_WRITTEN = "Đã soạn {count} giấy tờ trong {path}"
PAPER_LINE = "  {path}"
PAPERS_PDF_FAILED = "Không xuất được PDF ({reason}); các tệp .docx vẫn dùng được."

# The next year ---------------------------------------------------------------------------------------
HELP_FROM = "Tạo thư mục khối cho năm sau từ thư mục khối THƯ_MỤC_CŨ (thành viên, tiêu chí, quy tắc, căn cứ; Trưởng khối mới)."
FROM_METAVAR = "THƯ_MỤC_CŨ"
ROLLED_OVER = "Năm {year}: Trưởng {kind} {chair}, Phó {kind} {vice}. Khóa niêm phong mới; bảng tổng hợp năm trước đã chép vào {history}."
NO_VICE = "(chưa có)"
