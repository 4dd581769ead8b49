"""Texts of the `thidua` command line."""

HELP = "thidua: chấm điểm, tổng hợp và xếp hạng thi đua của khối/cụm thi đua, ngay trong Excel."
HELP_DEMO = "Tạo thư mục khối mẫu (khối mặc định), sinh phiếu, điền thử, đọc lại, xếp hạng và ghi bảng tổng hợp."
HELP_INIT = "Tạo thư mục khối với tệp khối của Trưởng khối (khối có sẵn hoặc mẫu trống)."
HELP_FORMS = "Sinh phiếu chấm điểm cho từng đơn vị thành viên vào thư mục phieu/."
HELP_CHECK = "Kiểm tra các phiếu đơn vị gửi lại; mã thoát 0 khi mọi phiếu hợp lệ."
HELP_CONSOLIDATE = "Đọc các phiếu trong nhan/, xếp hạng và ghi bảng tổng hợp vào ket-qua/."
HELP_BLOC = "Khối có sẵn: {names}; hoặc “trong” để tạo mẫu trống."
HELP_KHOI = "Tệp khối hoặc thư mục khối dùng để kiểm tra (mặc định: tìm từ thư mục chứa tệp)."
HELP_JSON = "In kết quả dạng JSON (cho máy đọc)."

CREATED_FOLDER = "Đã tạo thư mục khối: {path}"
DEMO_NOT_ITS_FOLDER = ("Thư mục {path} đã có tệp khối không do lệnh demo tạo. Bản chạy thử sẽ điền phiếu mẫu và "
                       "biểu quyết vào đó, nên không chạy ở đây: hãy chọn một thư mục mới, ví dụ thidua demo thidua-demo.")
CHAIR_WORKBOOK = "Tệp khối của Trưởng khối: {path}"
FORMS_WRITTEN = "Đã sinh {count} phiếu chấm điểm trong {path}"
RETURNS_FILLED = "Đã điền thử {count} phiếu (như đơn vị điền) vào {path}"
SUMMARY_WRITTEN = "Bảng tổng hợp: {path}"
NEXT_STEPS = "Tiếp theo: gửi các phiếu trong phieu/ cho đơn vị; lưu phiếu nhận lại vào nhan/; chạy: thidua consolidate {path}"
RANKING_TITLE = "KẾT QUẢ XẾP HẠNG — {title}"
RANKING_HEAD = ("STT", "Đơn vị", "Tổng điểm", "Xếp loại", "Xếp hạng", "Đề nghị khen thưởng")
GOV_FLAG_TAG = " (đề nghị Cờ Chính phủ)"
AWAITING_VOTE_TAG = ", chờ biểu quyết"
NOTE_LINE = "      ↳ {note}"
NOT_COUNTED_LINE = "Không tính: {name} — {reason}"
PROBLEMS_TITLE = "Vấn đề phát hiện ({errors} lỗi, {warnings} cảnh báo):"
FILE_OK = "✓ {file}: hợp lệ (đơn vị {unit})"
FILE_BAD = "✗ {file}: {count} lỗi"
FILE_WARN = "! {file}: hợp lệ, {count} cảnh báo (đơn vị {unit})"
CHECK_TOTAL = "Tổng cộng: {ok}/{total} tệp hợp lệ."
NO_FILES = "Không có tệp nào để kiểm tra trong {path}."
FOLDER_EXISTS = "Thư mục {path} đã có tệp khối; không ghi đè. Chọn thư mục khác hoặc xoá tệp khối cũ."
NO_CHAIR_WORKBOOK = "Không tìm thấy tệp khối (khoi.xlsx hoặc khoi.xlsm) trong {path} hay các thư mục cha. Chạy “thidua init” trước hoặc dùng --khoi."
UNKNOWN_BLOC = "Không có khối “{name}”. Các khối có sẵn: {names}."
BLOC_INVALID = "Tệp khối có lỗi, hãy sửa rồi chạy lại:"
FILE_MISSING = "Không tìm thấy: {path}"
OS_ERROR = "Không ghi/đọc được tệp: {path} ({reason}). Kiểm tra tệp có đang mở trong Excel không, hoặc quyền ghi thư mục."
EMPTY_BLOC_NAMES = ("trong", "trống", "empty")

# click's own messages (usage, help headings, parameter errors), by click's English message id.
CLICK_MESSAGES = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Gõ “{command} {option}” để xem hướng dẫn.",
    "Aborted!": "Đã huỷ.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing command.": "Thiếu lệnh.",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là thư mục.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là tệp.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không đọc được.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không ghi được.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải số hợp lệ.",
    "{value} is not in the range {range}.": "{value} không nằm trong khoảng {range}.",
    "Choose from:\n\t{choices}": "Chọn một trong:\n\t{choices}",
    "file": "tệp",
    "directory": "thư mục",
    "Directory": "Thư mục",
    "File": "Tệp",
    "Path": "Đường dẫn",
    "path": "đường dẫn",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "Repeat for confirmation": "Nhập lại để xác nhận",
    "Error: The two entered values do not match.": "Lỗi: hai giá trị đã nhập không khớp.",
    "Error: invalid input": "Lỗi: giá trị nhập không hợp lệ",
    "Do you want to continue?": "Tiếp tục?",
}
OPTIONS_METAVAR = "[TÙY_CHỌN]"
SUBCOMMAND_METAVAR = "LỆNH [THAM_SỐ]..."
FOLDER_METAVAR = "THƯ_MỤC"
FILES_METAVAR = "TỆP..."
PATH_METAVAR = "ĐƯỜNG_DẪN"
NAME_METAVAR = "TÊN"

# --- returns (issue 3): check --phan-hoi ---------------------------------------------------------
HELP_FEEDBACK = "Ghi phiếu phản hồi (bản sao phiếu có tô ô lỗi và trang “Phản hồi”) cho mỗi đơn vị có vấn đề vào ket-qua/phan-hoi/."
FEEDBACK_WRITTEN = "Phiếu phản hồi: {path}"
FEEDBACK_COUNT = "Đã ghi {count} phiếu phản hồi cho đơn vị vào {path}"
