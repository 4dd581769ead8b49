"""Texts of reading returned forms: reasons a file cannot be read, not-counted notes, feedback workbook."""

# Why a file cannot be read (XlsxError.detail -> Vietnamese), shown inside file.* problems.
UNEXPECTED = "thidua gặp lỗi không lường trước khi đọc tệp; báo cho Trưởng khối"
REASONS = {
    "empty": "tệp rỗng",
    "not-zip": "không phải tệp Excel .xlsx thật",
    "zip": "tệp nén bị hỏng hoặc bị cắt cụt",
    "xml": "nội dung XML bị hỏng",
    "part": "thiếu thành phần bên trong tệp",
    "zip-bomb": "dữ liệu nén phình to bất thường",
    "xml-entities": "XML có khai báo thực thể (DOCTYPE/ENTITY)",
}
FORMATS = {"xls": "Excel 97-2003 (.xls)", "ods": "OpenDocument (.ods)", "xlsb": "Excel nhị phân (.xlsb)",
           "csv": "CSV (.csv)", "zip": "ZIP"}

NOT_COUNTED_REASON = "Phiếu không hợp lệ: {message}"
NOT_COUNTED_MORE = " (và {count} lỗi khác)"

# The feedback workbook sent back to a unit.
FEEDBACK_SHEET = "Phản hồi"
FEEDBACK_TITLE = "PHẢN HỒI PHIẾU CHẤM ĐIỂM — {unit}"
FEEDBACK_BAD = "Phiếu có {errors} lỗi nên CHƯA được tính điểm. Hãy sửa các ô được tô đỏ trên phiếu gốc rồi gửi lại."
FEEDBACK_WARN = "Phiếu được tính điểm. Có {warnings} cảnh báo dưới đây để đơn vị lưu ý (ô tô vàng)."
FEEDBACK_COLUMNS = ("STT", "Vị trí (tệp › trang tính › ô)", "Mức độ", "Sai ở đâu, sai gì", "Cần làm gì", "Mã lỗi")
CELL_PREFIX = "Ô {cell}: "  # how a problem message names its cell (left out where the location shows it)
FEEDBACK_TODO = {"error": "Sửa ô này trên phiếu gốc rồi gửi lại phiếu.",
                 "warning": "Lưu ý cho lần sau; không cần gửi lại."}  # when the message names no action
FEEDBACK_UNKNOWN_UNIT = "(chưa xác định đơn vị)"
FEEDBACK_FALLBACK_NAME = "tep"  # file-name part when a returned file's name has no letters or digits
COMMENT_AUTHOR = "thidua"

# How a value that is not a number is shown in value.date / value.time / value.boolean (issue 13).
BOOLEAN_SHOWN = {True: "TRUE", False: "FALSE"}  # as Excel and LibreOffice show them
DATE_SHOWN = "{day:02d}/{month:02d}/{year}"
TIME_SHOWN = "{hour:02d}:{minute:02d}"
