"""Texts of the chair's changes after the forms went out (toolkit.issued)."""

CHANGE = "{what}: {old} → {new}"
CHANGE_JOIN = "; "
CRITERION_ADDED = "thêm tiêu chí “{code}”"
CRITERION_REMOVED = "xoá tiêu chí “{code}”"
CRITERION_FIELD = "“{code}” {field}"  # e.g. “I.1” Điểm tối đa
GRADE_BAND = "Xếp loại “{name}”"
GRADE_BAND_VALUE = "tổng từ {total}, mỗi nhóm từ {share} %"
NO_BAND = "(không có)"
EMPTY = "(trống)"
PERCENT = "{value} %"
CRITERIA_ORDER = "thứ tự các tiêu chí"
# Why a unit's return is not counted when the chair changed the criteria without issuing new forms.
SET_ASIDE = ("Trưởng khối đã đổi bảng tiêu chí sau khi phát phiếu; phiếu của đơn vị điền theo bảng cũ "
             "nên chưa tính (không phải lỗi của đơn vị)")
# The command line's closing line when the chair's workbook no longer matches the issued forms.
CLI_CHANGED_ERROR = ("LỖI: tệp khối không còn khớp với phiếu đã phát; kết quả xếp hạng này KHÔNG dùng được. "
                     "Xem thông báo ở trên.")
CLI_CHANGED_WARNING = ("CẢNH BÁO: quy tắc đã đổi sau khi phát phiếu và đã được áp dụng cho phiếu nhận về. "
                       "Xem thông báo ở trên.")
FILE_SET_ASIDE = "✗ {file}: không tính (đơn vị {unit}) — {reason}"
