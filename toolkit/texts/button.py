"""Texts of the chair's button workbook (control sheet, status messages) and of `thidua doctor`."""

# The control sheet -----------------------------------------------------------------------------
SHEET_CONTROL = "Điều khiển"
CONTROL_TITLE = "BẢNG ĐIỀU KHIỂN CỦA TRƯỞNG KHỐI"
CONTROL_HELP = ("Chọn việc cần làm rồi bấm nút “Thực hiện”. Thư mục ghi tương đối so với thư mục "
                "chứa tệp này (hoặc ghi đường dẫn đầy đủ).")
LABEL_INBOX = "Thư mục phiếu nhận"
LABEL_OUTPUT = "Thư mục kết quả"
LABEL_ACTION = "Việc cần làm"
LABEL_STATUS = "Trạng thái"
LABEL_RESULTS = "KẾT QUẢ"
BUTTON_CAPTION = "Thực hiện"
STATUS_NEW = "Chưa chạy lần nào."

# action key -> label shown in the drop-down
ACTIONS = {
    "check": "Kiểm tra phiếu",
    "consolidate": "Tổng hợp và xếp hạng",
    "pdf": "Xuất PDF",
    "send_forms": "Gửi phiếu cho các đơn vị",
    "send_feedback": "Gửi phản hồi cho các đơn vị",
    "send_summary": "Gửi bảng tổng hợp",
    "draft_forms": "Thư nháp (.eml): phiếu",
    "draft_feedback": "Thư nháp (.eml): phản hồi",
    "draft_summary": "Thư nháp (.eml): bảng tổng hợp",
    "papers": "Soạn giấy tờ cuộc họp",
    "next_year": "Tạo thư mục năm sau",
    "send_reminders": "Gửi nhắc nhở đơn vị chưa nộp",
    "draft_reminders": "Thư nháp (.eml): nhắc nhở",
    "receive": "Nhận phiếu từ hộp thư",
    "status": "Tình hình nộp phiếu",
    "send_results": "Gửi kết quả cho từng đơn vị",
    "draft_results": "Thư nháp (.eml): kết quả từng đơn vị",
}
ACTION_ALIASES = {"Gửi email": "send_summary"}  # workbooks made before the mail actions were split
DEFAULT_ACTION = "consolidate"
ACTION_LIST_ERROR = "Chọn việc cần làm trong danh sách thả xuống."

CHECK_HEAD = ("Tệp", "Nội dung", "Kết quả", "Vị trí", "Đơn vị")
CHECK_OK = "Hợp lệ"
RANKING_HEAD = ("STT", "Đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng", "Ghi chú")
PROBLEM_HEAD = ("Mức", "Nội dung", "Vị trí")
SEND_HEAD = ("Nơi nhận", "Kết quả", "Địa chỉ")
RECEIVE_HEAD = ("Người gửi", "Tệp đã lưu / vấn đề", "Thời điểm nhận", "Đơn vị (theo địa chỉ)")
STATUS_HEAD = ("Đơn vị", "Tình trạng / vấn đề đầu tiên", "Thời điểm nhận", "Trễ hạn", "Tệp", "Tệp bị thay thế")

# Status messages (the status cell and Excel's status bar) ------------------------------------------
WORKING = "Đang thực hiện: {action}… (vui lòng chờ)"
DONE_CHECK = "Đã kiểm tra {total} tệp trong {inbox}: {ok} hợp lệ, {bad} có lỗi."
NO_RETURNS = "Thư mục {inbox} chưa có phiếu nào. Lưu các phiếu đơn vị gửi về vào thư mục này rồi bấm lại."
DONE_CONSOLIDATE = "Đã xếp hạng {counted}/{members} đơn vị. Bảng tổng hợp: {summary}"
DONE_CONSOLIDATE_PROBLEMS = " Có {errors} lỗi, {warnings} cảnh báo: chọn “Kiểm tra phiếu” để xem chi tiết."
DONE_PDF = "Đã xuất PDF: {pdf}"
DONE_EMAIL = "Đã gửi {sent}/{total} thư."
DONE_DRAFTS = "Đã tạo {done}/{total} thư nháp (.eml) trong {folder}: mở từng tệp bằng Outlook/Thunderbird rồi bấm Gửi."
DONE_PAPERS = "Đã soạn {count} giấy tờ cuộc họp trong {folder} (mở bằng Word để điền chỗ “………” rồi in)."
DONE_NEXT_YEAR = "Đã tạo thư mục năm {year}: {folder}. Trưởng khối mới mở tệp khối trong thư mục đó."
PAPERS_HEAD = ("Tệp",)
DONE_RECEIVE = "Đã nhận {new} thư mới, lưu {files} tệp vào nhan/; {already} thư đã tải trước đó; {problems} vấn đề."
DONE_STATUS = "Đã nộp {received}/{total} đơn vị; hợp lệ {valid}; chưa được tính {not_counted}; chưa nộp {missing}."
NOT_SENT = "Chưa gửi được email: {reason}"
UNKNOWN_ACTION = "Việc cần làm “{value}” không có trong danh sách. Chọn một trong: {allowed}."
NO_INBOX = "Không thấy thư mục phiếu nhận “{path}”. Sửa ô “" + LABEL_INBOX + "” hoặc tạo thư mục này."
NO_CONTROL = "Không thấy ô “{label}” trên trang “" + SHEET_CONTROL + "”. Không xoá các dòng của trang này."
SAVE_FAILED = "Không lưu được tệp khối ({reason}). Hãy lưu tệp (Ctrl+S) rồi bấm lại."
BLOC_INVALID = "Tệp khối có {count} lỗi; xem danh sách bên dưới, sửa rồi bấm lại."
OFFICE_FAILED = "Không xuất được PDF: {reason}"
EXCEL_PDF_FAILED = "Excel không in được bảng tổng hợp ra PDF ({reason}). Đóng bảng tổng hợp nếu đang mở rồi bấm lại."
UNEXPECTED = ("Lỗi không mong đợi ({kind}: {reason}). Chi tiết đã ghi vào {log}; gửi tệp này cho người "
              "hỗ trợ kỹ thuật, hoặc chạy “thidua doctor” trong cửa sổ lệnh.")
LOG_NAME = "nhat-ky-nut-bam.log"

# Printed to stderr (shown by xlwings in an error box) when no sheet can be written ----------------
NO_EXCEL = ("thidua: không kết nối được với Excel ({reason}). Nút “Thực hiện” chỉ chạy từ tệp khối đang mở "
            "trong Excel; trong cửa sổ lệnh hãy dùng “thidua check” hoặc “thidua consolidate”.")
SHIM_NO_THIDUA = ("Excel đang chạy Python {python}, nhưng Python này chưa cài thidua. Mở cửa sổ lệnh và chạy: "
                  "thidua doctor \"{folder}\" — lệnh này chỉ cho Excel dùng đúng Python đã cài thidua.")

# Command line -------------------------------------------------------------------------------------
HELP_DOCTOR = ("Kiểm tra và sửa cài đặt nút bấm “Thực hiện” của tệp khối trong thư mục DIR: Python, xlwings, "
               "tên tệp, OneDrive; ghi cấu hình xlwings cho Python đang dùng.")
HELP_XLSX = "Tạo tệp khối thường (khoi.xlsx, không có macro và nút bấm) thay cho khoi.xlsm."

# thidua doctor -----------------------------------------------------------------------------------
DOCTOR_TITLE = "Kiểm tra cài đặt nút bấm của tệp khối trong {folder}"
DOCTOR_OK, DOCTOR_WARN, DOCTOR_BAD, DOCTOR_FIXED = "✓", "!", "✗", "→"
DOCTOR_PYTHON = "Python {version}: {executable}"
DOCTOR_PYTHON_OLD = "Python {version} quá cũ; cần Python 3.10 trở lên."
DOCTOR_PYTHON_NON_ASCII = ("Đường dẫn Python có ký tự có dấu ({executable}); Excel trên Windows có thể không "
                           "chạy được. Cài Python vào thư mục không dấu, ví dụ C:\\Python311.")
DOCTOR_XLWINGS = "xlwings {version} đã cài."
DOCTOR_NO_WORKBOOK = "Không có tệp .xlsm nào trong {folder}. Chạy “thidua init {folder}” để tạo tệp khối có nút bấm."
DOCTOR_VBA_VERSION = "{workbook}: mã VBA của xlwings {vba}, khớp với xlwings đã cài."
DOCTOR_VBA_MISMATCH = ("{workbook}: mã VBA của xlwings {vba} khác xlwings đã cài ({installed}). Chạy: "
                       "python -m pip install xlwings=={vba}")
DOCTOR_VBA_MISSING = "{workbook}: không có mã VBA của xlwings; nút bấm sẽ không chạy. Tạo lại tệp bằng “thidua init”."
DOCTOR_VBA_UNREADABLE = "{workbook}: không đọc được mã VBA ({reason})."
DOCTOR_NAME_BAD = ("{workbook}: tên tệp “{stem}” không dùng được làm tên mô-đun Python (chỉ chữ không dấu, số, "
                   "dấu gạch dưới _ , không bắt đầu bằng số). Đổi tên tệp về {default} rồi chạy lại “thidua doctor”.")
DOCTOR_SHIM_OK = "{workbook}: có tệp {shim} đi kèm."
DOCTOR_SHIM_WRITTEN = ("{workbook}: tên tệp đã đổi nên nút bấm tìm tệp {shim}; đã tạo tệp này. Nếu chép tệp "
                       "khối sang nơi khác, chép cả {shim}.")
DOCTOR_SHIM_FOREIGN = "{workbook}: tệp {shim} không phải do thidua tạo; không ghi đè. Đổi tên tệp khối về {default}."
DOCTOR_UNBLOCKED = ("{workbook}: tệp nhận qua email/tải về nên Excel chặn macro; đã gỡ chặn (như Properties › "
                    "Unblock). Đóng rồi mở lại tệp trong Excel.")
DOCTOR_BLOCKED = ("{workbook}: Excel chặn macro của tệp nhận qua email/tải về. Đóng Excel, chuột phải tệp › "
                  "Properties › đánh dấu Unblock › OK, hoặc thêm thư mục khối vào Trusted Locations.")
DOCTOR_CLOUD = ("Thư mục khối nằm trong thư mục đồng bộ {service}. Nên chuyển thư mục khối ra ngoài (ví dụ "
                "D:\\ThiDua); nếu giữ lại, đã ghi đường dẫn OneDrive vào cấu hình xlwings.")
DOCTOR_LOCAL = "Thư mục khối không nằm trong OneDrive/SharePoint."
DOCTOR_CONFIG = "Đã ghi cấu hình xlwings ({keys}) vào {path}."
DOCTOR_MAC_SCRIPT = "Đã bật RunPython cho Excel trên macOS ({path})."
DOCTOR_MAC_SCRIPT_FAILED = "Chưa bật được RunPython cho Excel trên macOS. Trong Terminal, chạy: xlwings runpython install"
DOCTOR_MAC_SCRIPT_OK = "RunPython cho Excel trên macOS đã bật ({path})."
DOCTOR_SUMMARY_OK = "Cài đặt ổn: mở tệp khối trong Excel, bật macro (Enable Content) rồi bấm “Thực hiện”."
DOCTOR_SUMMARY_BAD = "Có {count} vấn đề cần sửa (dấu ✗ ở trên)."
