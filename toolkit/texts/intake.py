"""Texts of receiving returns by mail (`thidua nhan`), the submission status (`thidua status`) and reminders."""

# `thidua nhan` ----------------------------------------------------------------------------------------
HELP_NHAN = ("Nhận phiếu từ hộp thư của Trưởng khối (IMAP): lưu tệp phiếu đính kèm vào nhan/, thư gốc vào "
             "nhan/thu-goc/; không xoá, không đánh dấu thư; thư đã tải không tải lại.")
HELP_HOST = "Máy chủ IMAP (thay cho giá trị trong tệp khối)."
HELP_PORT = "Cổng IMAP."
HELP_SECURITY = "Bảo mật: ssl, starttls hoặc none."
HELP_USER = "Tài khoản đăng nhập IMAP."
NO_HOST = "Chưa khai báo máy chủ nhận thư: điền “{label}” ở trang “Thông tin” của tệp khối, hoặc dùng --host."
NO_USER = "Chưa khai báo tài khoản hộp thư: điền “{label}” ở trang “Thông tin” của tệp khối, hoặc dùng --user."
NO_PASSWORD = ("Chưa có mật khẩu cho hộp thư {user}: đặt biến môi trường {env} hoặc nhập khi được hỏi. "
               "Mật khẩu không bao giờ được lưu vào tệp khối.")
CONNECT_FAILED = "Không kết nối được máy chủ nhận thư {host}:{port} ({reason}). Kiểm tra máy chủ, cổng, kiểu bảo mật và mạng."
LOGIN_FAILED = "Máy chủ {host} không cho đăng nhập hộp thư {user} ({reason}). Kiểm tra tài khoản và mật khẩu."
NO_INBOX = "Không mở được hộp thư đến INBOX trên {host} ({reason})."
BAD_STATE = "Tệp ghi nhớ thư đã tải {path} bị hỏng ({reason}). Đổi tên hoặc xoá tệp này rồi chạy lại."
SINCE_LINE = "Xem thư từ ngày {since} (ngày gửi phiếu trong nhật ký gửi)."
ALL_LINE = "Chưa có nhật ký gửi phiếu: xem mọi thư trong hộp thư đến."
MESSAGE_LINE = "{mark} {when} {sender} ({unit}): {detail}"
UNKNOWN_SENDER = "không rõ đơn vị"
SAVED = "lưu {files}"
NOTHING_SAVED = "không có tệp phiếu"
PROBLEM_LINE = "    [{level}] {message}"
TOTAL = "Tổng cộng: {new} thư mới, {files} tệp đã lưu vào {inbox}; {already} thư đã tải trước đó; {problems} vấn đề."
DONE_HINT = "Chạy “thidua status {folder}” để xem tình hình nộp phiếu, “thidua consolidate {folder}” để tổng hợp."

# "Tình hình nộp phiếu" ---------------------------------------------------------------------------------
HELP_STATUS = "Tình hình nộp phiếu: đơn vị nào đã gửi, tệp nào, lúc nào, trễ hạn không, hợp lệ hay không."
STATUS_TITLE = "TÌNH HÌNH NỘP PHIẾU — {bloc} ({deadline})"
STATUS_DEADLINE = "hạn nộp {deadline}"
STATUS_NO_DEADLINE = "chưa đặt hạn nộp"
STATUS_COLUMNS = ("TT", "Mã đơn vị", "Tên đơn vị", "Đã nộp", "Tệp", "Thời điểm nhận", "Trễ hạn",
                  "Tình trạng", "Vấn đề đầu tiên", "Tệp bị thay thế")
STATE = {"valid": "Hợp lệ", "warnings": "Hợp lệ, có lưu ý", "not_counted": "Không được tính",
         "missing": "Chưa nộp", "overdue": "Chưa nộp — quá hạn"}
YES, NO = "Có", "Không"
LATE = "Trễ hạn"
STATUS_LINE = "{order:>2}. {label}: {state}{when}{late}"
STATUS_FILE = "      tệp {file}"
STATUS_PROBLEM = "      vấn đề: {problem}"
STATUS_SUPERSEDED = "      bị thay thế: {files}"
STATUS_TOTAL = "Đã nộp {received}/{total} đơn vị; hợp lệ {valid}; chưa được tính {not_counted}; chưa nộp {missing}."
STATUS_MISSING = "Chưa nộp: {units}."

# why an entry of a .zip is not extracted ---------------------------------------------------------------
ZIP_TOO_MANY = "tệp nén có hơn {limit} tệp"
ZIP_LINK = "đây là liên kết (symlink), không phải tệp"
ZIP_OUTSIDE = "đường dẫn trỏ ra ngoài thư mục"
ZIP_ENCRYPTED = "tệp có đặt mật khẩu"
ZIP_TOO_LARGE = "quá lớn ({size}, giới hạn {limit})"

# the summary's sheet -------------------------------------------------------------------------------
STATUS_SHEET = "Tình hình nộp phiếu"
STATUS_SHEET_TITLE = "TÌNH HÌNH NỘP PHIẾU TỰ CHẤM ĐIỂM"
