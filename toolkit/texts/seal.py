"""Texts of the issued-forms ledger (a sheet of the chair's workbook) and of the forms' seal."""

LEDGER_SHEET = "Phiếu đã phát"
LEDGER_COLUMNS = ("STT", "Mã đơn vị", "Tên đơn vị", "Mã phiếu", "Mã bộ tiêu chí", "Thời điểm phát",
                  "Tệp phiếu", "Mã SHA-256 của tệp")
LEDGER_LOCKED = ("Tệp khối {path} đang mở (hoặc bị khoá) nên không ghi được sổ “Phiếu đã phát”. "
                 "Hãy đóng tệp trong Excel/LibreOffice rồi chạy lại “thidua forms”.")
LEDGER_UNREADABLE = ("Không đọc được tệp khối {path} để ghi sổ “Phiếu đã phát” ({reason}). "
                     "Hãy mở và lưu lại tệp khối bằng Excel rồi chạy lại “thidua forms”.")

# Nguồn sheet of the summary: the issued form each file matches.
SOURCES_ISSUED_COLUMN = "Đối chiếu sổ phiếu đã phát"
SOURCE_ISSUED = "Phiếu phát cho {unit} lúc {time}"
SOURCE_NOT_ISSUED = "Không khớp phiếu nào đã phát"
SOURCE_SHARED_ID = "CẢNH BÁO: mã phiếu này dùng cho {count} đơn vị ({units})"
SOURCE_NO_FORM_ID = "Không có mã phiếu"

# Why a unit's file was chosen among several with different forms (returns.forms_differ).
CHOSEN_NEWEST_ISSUE = "thuộc lần phát phiếu mới nhất của Trưởng khối"
CHOSEN_NEWEST_SAVE = ("lưu muộn nhất theo thời gian do chính tệp ghi — thời gian này không đáng tin, "
                      "khối chưa có sổ phiếu đã phát để đối chiếu")
