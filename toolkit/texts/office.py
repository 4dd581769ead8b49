"""Texts about LibreOffice and Excel as PDF printers: what to install on each system, `thidua doctor`'s lines."""

NOT_FOUND = "Không tìm thấy LibreOffice trên máy này. {hint}"
INSTALL = {
    "windows": ("Cài LibreOffice cho Windows (bản x86_64 tại libreoffice.org, cài như bình thường, không cần "
                "đổi thư mục), hoặc bấm nút “Thực hiện” trong Excel: Excel tự in bảng tổng hợp ra PDF."),
    "macos": ("Cài LibreOffice cho macOS (tải tại libreoffice.org, kéo LibreOffice vào thư mục Applications), "
              "hoặc bấm nút “Thực hiện” trong Excel: Excel tự in bảng tổng hợp ra PDF."),
    "linux": "Cài LibreOffice: sudo apt-get install libreoffice-calc-nogui python3-uno (Debian, Ubuntu).",
}
NO_UNO_PYTHON = "Có LibreOffice ({soffice}) nhưng thiếu Python đi kèm để điều khiển nó ({python}). {hint}"
UNO_HINT = {
    "windows": "Cài lại LibreOffice (bản đầy đủ tại libreoffice.org).",
    "macos": "Cài lại LibreOffice (tải tại libreoffice.org).",
    "linux": "Cài gói python3-uno: sudo apt-get install python3-uno.",
}

# thidua doctor: which PDF route works -----------------------------------------------------------------
DOCTOR_PDF_LIBREOFFICE = "Xuất PDF (thidua pdf, consolidate --pdf): LibreOffice {soffice}."
DOCTOR_PDF_EXCEL = "Xuất PDF từ nút “Thực hiện”: Excel tự in bảng tổng hợp ra PDF, không cần LibreOffice."
DOCTOR_PDF_NONE = "Xuất PDF từ dòng lệnh chưa dùng được. {reason}"
