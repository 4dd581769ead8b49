"""Texts of the messages thidua sends (forms, feedback, summary), the send log and `thidua send`."""

# What is sent: kind -> label (send log, CLI output) ------------------------------------------------
KINDS = {"forms": "Phiếu chấm điểm", "feedback": "Phản hồi phiếu", "summary": "Bảng tổng hợp",
         "reminders": "Nhắc nộp phiếu", "results": "Kết quả của đơn vị"}
KIND_ALIASES = {"nhac-nho": "reminders"}  # `thidua send nhac-nho` (`thidua send ket-qua`: toolkit.cli)

# Subjects -------------------------------------------------------------------------------------------
SUBJECT = {
    "forms": "[{bloc}] Phiếu tự chấm điểm thi đua {period} — {unit}",
    "feedback": "[{bloc}] Kết quả kiểm tra phiếu chấm điểm {period} — {unit}",
    "summary": "[{bloc}] Bảng tổng hợp kết quả chấm điểm, xếp hạng thi đua {period}",
    "reminders": "[{bloc}] Nhắc nộp phiếu tự chấm điểm thi đua {period} — {unit}",
    "results": "[{bloc}] Kết quả chấm điểm, xếp hạng thi đua {period} — {unit}",
}

# Bodies (plain text; {fields} filled by toolkit.mail) ------------------------------------------------
GREETING = "Kính gửi: {name}"
DEADLINE_LINE = "trước ngày {deadline}"
NO_DEADLINE = "sớm nhất có thể"
FORMS_BODY = """{chair} (Trưởng {kind_lower}) gửi quý đơn vị phiếu tự chấm điểm thi đua {period} của {bloc} (tệp đính kèm: {file}).

Đề nghị quý đơn vị:
1. Mở tệp đính kèm bằng Excel (hoặc LibreOffice, WPS), chỉ nhập vào các ô màu vàng: số liệu, điểm tự chấm và minh chứng (số, ký hiệu văn bản). Điểm nhóm và tổng điểm tự tính.
2. Không đổi tên tệp, không thêm, xoá hay di chuyển dòng, cột, trang tính; lưu dạng Excel (.xlsx).
3. Gửi lại tệp đã điền bằng cách trả lời thư này, {deadline}."""
FEEDBACK_BODY = """{chair} (Trưởng {kind_lower}) đã kiểm tra phiếu tự chấm điểm thi đua {period} của quý đơn vị.

{status}"""
FEEDBACK_OK = "Phiếu của quý đơn vị hợp lệ, đã được ghi nhận. Quý đơn vị không cần gửi lại."
FEEDBACK_WARNINGS = "Phiếu của quý đơn vị hợp lệ, đã được ghi nhận; đề nghị lưu ý các điểm sau (không cần gửi lại):"
FEEDBACK_ERRORS = ("Phiếu của quý đơn vị chưa hợp lệ nên chưa được tính điểm. Đề nghị sửa các lỗi sau "
                   "ngay trên phiếu, lưu lại và gửi lại bằng cách trả lời thư này, {deadline}:")
FEEDBACK_MISSING = ("Trưởng {kind_lower} chưa nhận được phiếu của quý đơn vị. Đề nghị gửi phiếu đã điền "
                    "bằng cách trả lời thư này, {deadline}.")
FEEDBACK_FILE = "Tệp {file}:"
FEEDBACK_PROBLEM = "  - [{severity}] {where}{message}"
FEEDBACK_ATTACHED = "Chi tiết từng ô có trong tệp phản hồi đính kèm ({file})."
SUMMARY_BODY = """{chair} (Trưởng {kind_lower}) gửi {board} bảng tổng hợp kết quả chấm điểm, xếp hạng thi đua {period} của {bloc} ({members} đơn vị thành viên; tệp đính kèm: {files}).

Đề nghị {board} xem xét, tổng hợp trình Hội đồng Thi đua - Khen thưởng."""
SIGNATURE = """
Trân trọng.
TM. {kind_upper} THI ĐUA
TRƯỞNG {kind_upper}
{chair}

(Thư do thidua soạn tự động.)"""
REMINDER_MISSING = """{chair} (Trưởng {kind_lower}) chưa nhận được phiếu tự chấm điểm thi đua {period} của quý đơn vị.

Đề nghị quý đơn vị điền phiếu (gửi kèm lại thư này: {file}) và gửi lại bằng cách trả lời thư này, {deadline}."""
REMINDER_NOT_COUNTED = """{chair} (Trưởng {kind_lower}) đã nhận tệp {files} của quý đơn vị nhưng phiếu chưa hợp lệ nên chưa được tính điểm.

Lỗi cần sửa: {problem}

Đề nghị quý đơn vị sửa ngay trên phiếu, lưu lại và gửi lại bằng cách trả lời thư này, {deadline}."""
BOARD_DEFAULT = "Ban Thi đua - Khen thưởng"

# Send log (ket-qua/thu/nhat-ky-gui.csv, opened by the chair in Excel) ------------------------------
LOG_COLUMNS = ("Thời điểm", "Loại thư", "Mã người nhận", "Người nhận", "Email", "Tiêu đề",
               "Tệp đính kèm", "SHA-256 tệp đính kèm", "SHA-256 nội dung thư", "Kết quả", "Chi tiết")
RESULTS = {"sent": "Đã gửi", "failed": "Lỗi", "skipped": "Không gửi", "already_sent": "Đã gửi trước đó",
           "drafted": "Đã tạo tệp .eml"}
BOARD_CODE = "ban-tdkt"
WHERE_SHEET = "trang “{sheet}”"

# User errors (whole command) -------------------------------------------------------------------------
UNKNOWN_KIND = ("Không rõ loại thư “{what}”. Chọn: forms (phiếu), feedback (phản hồi), summary (tổng hợp), "
                "nhac-nho (nhắc đơn vị chưa nộp hoặc phiếu chưa được tính) hoặc ket-qua (kết quả của "
                "từng đơn vị).")
NO_HOST = ("Chưa khai báo máy chủ gửi thư: điền “{label}” ở trang “Thông tin” của tệp khối, hoặc dùng --host. "
           "Nếu chỉ dùng webmail, chạy với --dry-run để tạo tệp .eml rồi gửi bằng tay.")
NO_SENDER = "Chưa khai báo email người gửi: điền “{label}” ở trang “Thông tin” của tệp khối, hoặc dùng --sender."
BAD_SENDER = "Email người gửi “{value}” không hợp lệ; ghi dạng ten@coquan.gov.vn."
NO_PASSWORD = ("Chưa có mật khẩu email của tài khoản {user}. Mở cửa sổ lệnh, chạy “thidua doctor {folder}” và "
               "nhập mật khẩu một lần: mật khẩu được giữ trong kho mật khẩu của máy (Windows Credential "
               "Manager, macOS Keychain), không bao giờ ghi vào tệp khối hay tệp nào khác. "
               "(Trên máy chủ: biến môi trường {env}.)")
UNKNOWN_UNIT = "Không có đơn vị mã {codes} trong khối. Các mã: {known}."
NO_FORM_HINT = "Chạy “thidua forms {path}” trước."
NON_ASCII_LOGIN = "tài khoản hoặc mật khẩu có chữ có dấu hay ký tự ngoài bảng mã ASCII, không gửi được qua SMTP"
NO_SUMMARY = "Chưa có bảng tổng hợp {path}. Chạy “thidua consolidate” trước."

# CLI -------------------------------------------------------------------------------------------------
HELP_SEND = ("Gửi email: forms = phiếu cho từng đơn vị; feedback = kết quả kiểm tra phiếu cho từng đơn vị; "
             "summary = bảng tổng hợp cho cơ quan nhận báo cáo; nhac-nho = nhắc các đơn vị chưa nộp "
             "hoặc có phiếu chưa được tính; ket-qua = kết quả (điểm, xếp hạng, xếp loại, khen thưởng "
             "và lý do) cho từng đơn vị.")
HELP_DRY_RUN = "Không gửi; ghi thư thành tệp .eml trong ket-qua/thu/ để mở và gửi bằng tay."
HELP_RESEND = "Gửi lại cả những thư đã gửi thành công trước đó."
HELP_HOST = "Máy chủ SMTP (thay cho giá trị trong tệp khối)."
HELP_PORT = "Cổng SMTP."
HELP_SECURITY = "Bảo mật: starttls, ssl hoặc none."
HELP_USER = "Tài khoản đăng nhập SMTP."
HELP_SENDER = "Email người gửi."
HELP_SENDER_NAME = "Tên người gửi."
HELP_ONLY = "Chỉ gửi cho đơn vị có mã này (dùng nhiều lần được)."
PASSWORD_PROMPT = "Mật khẩu email của {user} (không hiện khi gõ): "
PASSWORD_STORED = "Đã lưu mật khẩu email của {user} vào {store}; lần sau không cần nhập lại."
PASSWORD_NOT_STORED = "Chưa lưu được mật khẩu vào kho mật khẩu của máy ({reason}); mật khẩu chỉ dùng cho lần này."
PASSWORD_EMPTY = "Chưa nhập mật khẩu; không gửi thư."
HELP_NEW_PASSWORD = ("Nhập (hoặc đổi) mật khẩu email SMTP của tài khoản khai ở trang Thông tin; mật khẩu được "
                     "giữ trong kho mật khẩu của máy, không ghi vào tệp.")
DOCTOR_PASSWORD_OK = "Mật khẩu email của {user} đã lưu trong {store} (đổi: thidua doctor --mat-khau)."
DOCTOR_PASSWORD_MISSING = "Chưa lưu mật khẩu email của {user}: chạy “thidua doctor --mat-khau {folder}” để nhập."
LINE = "{mark} {kind} → {name} <{to}>: {result}{detail}"
MARKS = {"sent": "✓", "drafted": "✓", "already_sent": "=", "skipped": "!", "failed": "✗"}
TOTAL = "Tổng cộng: {sent} đã gửi, {drafted} tệp .eml, {already} đã gửi trước đó, {failed} lỗi, {skipped} không gửi."
DRAFTS_WRITTEN = "Các tệp .eml ở {path}: mở bằng Outlook/Thunderbird (hoặc đính kèm vào webmail) rồi gửi."
LOG_WRITTEN = "Nhật ký gửi: {path}"

# `thidua send ket-qua` refused: no unit is told a result the chair could not use ---------------------
RESULTS_NO_RETURNS = ("Chưa gửi kết quả: thư mục {inbox} chưa có phiếu nào nên chưa đơn vị nào được xếp hạng. "
                      "Lưu các phiếu đơn vị gửi về vào thư mục này, tổng hợp rồi gửi lại.")
RESULTS_UNUSABLE = ("Chưa gửi kết quả: tệp khối không còn khớp với phiếu đã phát nên kết quả xếp hạng này "
                    "không dùng được. {reason}")
