"""The problem catalog: every problem thidua reports, with a stable code, severity, the fields its
message template needs and the Vietnamese template. Templates use str.format fields; `toolkit.problems`
formats them and refuses a problem built with missing or extra fields."""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "error", "warning"
LOCATION_FIELDS = frozenset({"file", "sheet", "cell"})  # filled from the problem's location, not params


@dataclass(frozen=True)
class Entry:
    """One catalog entry: severity, the template's fields (space-separated) and the template."""

    severity: str
    fields: str
    template: str

    @property
    def params(self) -> frozenset[str]:
        """The fields a caller passes as parameters (the location fields come from file, sheet, cell)."""
        return frozenset(self.fields.split()) - LOCATION_FIELDS


E = Entry

CATALOG: dict[str, Entry] = {
    # --- the chair's bloc workbook -------------------------------------------------------------
    "bloc.unreadable": E(ERROR, "reason", "Không mở được tệp khối: {reason}. Hãy mở và lưu lại tệp bằng Excel dạng .xlsx/.xlsm, hoặc dùng bản sao lưu."),
    "bloc.in_use": E(ERROR, "", "Không mở được tệp khối: tệp đang được mở hoặc bị khoá bởi chương trình khác (Excel, LibreOffice). Hãy lưu và đóng tệp trong Excel rồi chạy lại."),
    "bloc.no_permission": E(ERROR, "", "Không có quyền đọc tệp khối. Hãy chép tệp vào thư mục của mình (hoặc xin quyền đọc) rồi chạy lại."),
    "bloc.not_found": E(ERROR, "", "Không tìm thấy tệp khối (hoặc đó là một thư mục). Kiểm tra tên và vị trí tệp khối."),
    "bloc.not_xlsx": E(ERROR, "", "Tệp khối không phải tệp Excel .xlsx/.xlsm. Hãy mở bằng Excel hoặc LibreOffice và lưu dạng Excel (.xlsx)."),
    "bloc.encrypted": E(ERROR, "", "Tệp khối có đặt mật khẩu mở nên thidua không đọc được. Hãy bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi chạy lại."),
    "bloc.missing_sheet": E(ERROR, "sheet", "Thiếu trang tính “{sheet}”. Không đổi tên hay xoá các trang tính của tệp khối."),
    "bloc.missing_field": E(ERROR, "field", "Chưa nhập “{field}”. Hãy nhập giá trị này."),
    "bloc.bad_value": E(ERROR, "value field hint", "Giá trị “{value}” của “{field}” không hợp lệ: {hint}."),
    "bloc.bare_fraction": E(ERROR, "value field percent", "“{field}” ghi {value}: không rõ là {value}% hay {percent}%. Ghi {percent} hoặc {percent}% (phần trăm), không ghi phân số thập phân."),
    "bloc.duplicate_code": E(ERROR, "code other_row", "Mã “{code}” bị trùng với dòng {other_row}. Mỗi mã chỉ dùng một lần."),
    "bloc.unknown_kind": E(ERROR, "value allowed", "Loại tiêu chí “{value}” không hợp lệ. Chọn một trong: {allowed}."),
    "bloc.sum_mismatch": E(ERROR, "code children max", "Tổng điểm tối đa các tiêu chí con của “{code}” là {children}, khác điểm tối đa của nhóm ({max}). Sửa lại cho khớp."),
    "bloc.orphan": E(ERROR, "code parent", "Tiêu chí “{code}” không có nhóm cha “{parent}” đứng trước nó. Thêm nhóm cha hoặc sửa mã."),
    "bloc.empty_group": E(ERROR, "code", "Nhóm “{code}” không có tiêu chí con nào."),
    "bloc.leaf_with_children": E(ERROR, "code", "“{code}” có tiêu chí con nên phải có loại “Nhóm”."),
    "bloc.mixed_section": E(ERROR, "code", "Nhóm “{code}” trộn tiêu chí điểm thưởng/điểm trừ với tiêu chí chấm điểm thường. Tách thành nhóm riêng."),
    "bloc.unknown_member": E(ERROR, "code", "Mã đơn vị “{code}” không có trong trang “Thành viên”."),
    "bloc.no_members": E(ERROR, "", "Trang “Thành viên” chưa có đơn vị nào."),
    "bloc.no_criteria": E(ERROR, "", "Trang “Tiêu chí” chưa có tiêu chí nào."),
    "bloc.bad_tie_break": E(ERROR, "value allowed", "Tiêu chí phụ khi bằng điểm “{value}” không hợp lệ. Dùng: {allowed}."),
    # --- a returned file as a file --------------------------------------------------------------
    "file.unreadable": E(ERROR, "reason", "Không đọc được tệp: {reason}. Hãy gửi lại tệp."),
    "file.link": E(ERROR, "", "Tệp này chỉ là một liên kết (lối tắt) tới tệp khác nên không được đọc. Hãy chép chính tệp phiếu (không phải lối tắt) vào thư mục nhan/."),
    "file.not_xlsx": E(ERROR, "format", "Tệp dạng {format} không được nhận. Hãy mở phiếu bằng Excel hoặc LibreOffice và lưu dạng Excel (.xlsx), rồi gửi lại."),
    "file.encrypted": E(ERROR, "", "Tệp có đặt mật khẩu mở. Hãy bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại."),
    "file.corrupt": E(ERROR, "reason", "Tệp bị hỏng hoặc không đầy đủ ({reason}). Hãy lưu lại và gửi lại tệp."),
    "file.too_large": E(ERROR, "size", "Tệp quá lớn ({size}). Phiếu chấm điểm chỉ vài chục KB; hãy gửi đúng phiếu đã nhận."),
    "file.unsafe": E(ERROR, "reason", "Tệp chứa nội dung không an toàn ({reason}) nên không được đọc. Hãy dùng đúng phiếu đã nhận."),
    # --- identity and structure of a form ----------------------------------------------------------
    "form.not_a_form": E(ERROR, "", "Tệp không phải phiếu chấm điểm của khối (không có thông tin nhận dạng phiếu). Hãy nhập điểm vào đúng phiếu Trưởng khối đã gửi."),
    "form.other_bloc": E(ERROR, "found expected", "Phiếu của “{found}”, không phải của “{expected}”. Hãy dùng phiếu của khối này."),
    "form.other_period": E(ERROR, "found expected", "Phiếu của kỳ “{found}”, không phải kỳ “{expected}”. Hãy dùng phiếu của kỳ này."),
    "form.old_criteria": E(ERROR, "found expected", "Phiếu được tạo từ bảng tiêu chí khác (mã {found}, hiện hành {expected}). Hãy chuyển điểm sang phiếu mới nhất Trưởng khối đã gửi."),
    "form.unknown_unit": E(ERROR, "code", "Mã đơn vị “{code}” trên phiếu không có trong danh sách thành viên của khối."),
    "form.sheet_missing": E(ERROR, "sheet", "Không tìm thấy trang tính “{sheet}”. Không đổi tên hay xoá trang tính của phiếu."),
    "form.row_mismatch": E(ERROR, "cell expected found", "Ô {cell}: cần mã tiêu chí “{expected}” nhưng thấy “{found}”. Dòng đã bị thêm, xoá hoặc di chuyển; hãy nhập lại vào phiếu gốc."),
    "form.max_changed": E(ERROR, "cell code expected found", "Ô {cell}: điểm tối đa của “{code}” là {expected} nhưng phiếu ghi {found}. Không sửa điểm tối đa."),
    "form.formula_overwritten": E(WARNING, "cell", "Ô {cell}: công thức đã bị ghi đè bằng giá trị. Điểm được tính lại từ số liệu nhập."),
    "form.protection_removed": E(WARNING, "", "Trang tính đã bị bỏ bảo vệ. Điểm được tính lại từ số liệu nhập; lần sau không bỏ bảo vệ."),
    # --- values typed by the unit -----------------------------------------------------------------
    "value.missing": E(ERROR, "cell code", "Ô {cell}: chưa nhập số liệu cho tiêu chí “{code}”."),
    "value.not_number": E(ERROR, "cell value", "Ô {cell}: “{value}” không phải là số. Hãy nhập số (ví dụ 9,5 hoặc 9.5)."),
    "value.negative": E(ERROR, "cell value", "Ô {cell}: “{value}” là số âm. Nhập số từ 0 trở lên."),
    "value.over_max": E(ERROR, "cell value max code", "Ô {cell}: {value} vượt điểm tối đa {max} của tiêu chí “{code}”."),
    "value.step": E(ERROR, "cell value step", "Ô {cell}: {value} không phải bội số của {step}. Làm tròn theo bước {step}."),
    "value.not_integer": E(ERROR, "cell value", "Ô {cell}: số lần phải là số nguyên, không phải {value}."),
    "value.bad_choice": E(ERROR, "cell value", "Ô {cell}: “{value}” không hợp lệ; chọn “Đạt” hoặc “Không đạt”."),
    "value.decimal_comma": E(WARNING, "cell value number", "Ô {cell}: “{value}” được đọc là {number} (dấu phẩy thập phân)."),
    "evidence.missing": E(ERROR, "cell code", "Ô {cell}: tiêu chí “{code}” bắt buộc ghi minh chứng (số, ký hiệu văn bản)."),
    "text.repaired": E(WARNING, "cell encoding text", "Ô {cell}: chữ mã {encoding} đã được chuyển sang Unicode: “{text}”."),
    # --- the set of returns -------------------------------------------------------------------------
    "returns.superseded": E(WARNING, "count used_time used others", "Đơn vị gửi {count} tệp; dùng tệp lưu lúc {used_time} ({used}), bỏ qua: {others}."),
    # --- mail: one message that could not be sent (issue 7) -------------------------------------------
    "mail.no_email": E(ERROR, "name where", "Chưa có email của “{name}”. Điền email ở {where} của tệp khối rồi gửi lại."),
    "mail.no_attachment": E(ERROR, "file hint", "Chưa có tệp {file} để đính kèm. {hint}"),
    "mail.bad_address": E(ERROR, "address", "Địa chỉ email “{address}” không hợp lệ. Sửa lại trong tệp khối."),
    "mail.refused": E(ERROR, "addresses reason", "Máy chủ thư từ chối địa chỉ {addresses} ({reason}). Kiểm tra lại email trong tệp khối."),
    "mail.partly_refused": E(WARNING, "addresses reason", "Đã gửi, nhưng máy chủ thư từ chối địa chỉ {addresses} ({reason})."),
    "mail.failed": E(ERROR, "reason", "Gửi thư không thành công ({reason}). Chạy lại lệnh gửi để gửi lại thư này."),
    "mail.connect_failed": E(ERROR, "host port reason", "Không kết nối được máy chủ thư {host}:{port} ({reason}). Kiểm tra máy chủ, cổng, kiểu bảo mật và mạng."),
    "mail.login_failed": E(ERROR, "host user reason", "Máy chủ thư {host} không cho đăng nhập tài khoản {user} ({reason}). Kiểm tra tài khoản và mật khẩu (Gmail, Outlook cần mật khẩu ứng dụng)."),
    # --- rules: the meeting's sheets of the chair's workbook (review, cross scores, votes) ---------
    "meeting.unknown_criterion": E(ERROR, "code", "Mã tiêu chí “{code}” không có trong trang “Tiêu chí” hoặc là mã nhóm. Ghi mã tiêu chí chấm điểm, ví dụ I.1."),
    "meeting.over_max": E(ERROR, "cell value max code", "Ô {cell}: {value} vượt điểm tối đa {max} của “{code}”. Dòng này không được tính."),
    "meeting.passfail_points": E(ERROR, "cell code max value", "Ô {cell}: tiêu chí “{code}” là Đạt/Không đạt nên điểm chỉ là 0 hoặc {max}, không phải {value}."),
    "meeting.duplicate_row": E(ERROR, "other_row", "Đơn vị và tiêu chí này đã có ở dòng {other_row}. Mỗi tiêu chí của một đơn vị ghi một dòng; dòng này không được tính."),
    "meeting.missing_reason": E(WARNING, "cell code", "Ô {cell}: chưa ghi lý do thẩm định tiêu chí “{code}”. Mỗi lần thay đổi điểm cần ghi lý do."),
    "meeting.self_cross": E(WARNING, "cell", "Ô {cell}: đơn vị không chấm chéo chính mình; dòng này không được tính."),
    "meeting.present_over_members": E(ERROR, "cell present members", "Ô {cell}: số thành viên có mặt ({present}) lớn hơn số thành viên của khối ({members})."),
    "meeting.votes_over_present": E(ERROR, "cell votes present", "Ô {cell}: số phiếu đồng ý ({votes}) lớn hơn số thành viên có mặt ({present})."),
    "history.unreadable": E(ERROR, "reason", "Không đọc được bảng tổng hợp kỳ trước: {reason}. Dùng đúng tệp tổng hợp thidua đã lập."),
    "peer.not_a_peer_form": E(ERROR, "", "Tệp không phải phiếu chấm chéo của khối. Hãy nhập điểm vào đúng phiếu chấm chéo Trưởng khối đã gửi."),
    "peer.other_bloc": E(ERROR, "found expected", "Phiếu chấm chéo của “{found}”, không phải của “{expected}”. Hãy dùng phiếu của khối và kỳ này."),
    "peer.other_scorer": E(ERROR, "code", "Có dòng ghi đơn vị chấm khác “{code}” (đơn vị của phiếu); các dòng đó không được tính. Không sửa cột đơn vị chấm."),
}

# --- returns (issue 3): more checks of returned forms ---------------------------------------------
CATALOG.update({
    "file.macros": E(WARNING, "", "Tệp có macro (.xlsm); macro không bao giờ được chạy, chỉ đọc số liệu. Lần sau hãy lưu phiếu dạng Excel (.xlsx)."),
    "form.owner_mismatch": E(ERROR, "cell found expected", "Ô {cell}: dòng đơn vị ghi “{found}” nhưng phiếu được cấp cho “{expected}”. Hãy nhập điểm vào đúng phiếu Trưởng khối đã gửi cho đơn vị mình."),
    "form.columns_moved": E(ERROR, "cell expected found", "Ô {cell}: cần tiêu đề cột “{expected}” nhưng thấy “{found}”. Cột đã bị thêm, xoá hoặc di chuyển; hãy nhập lại số liệu vào phiếu gốc."),
    "form.sheet_added": E(WARNING, "sheet form_sheet", "Trang tính “{sheet}” không có trong phiếu gốc nên bị bỏ qua. Chỉ nhập số liệu vào trang “{form_sheet}”."),
    "form.locked_edited": E(WARNING, "cell code expected", "Ô {cell}: nội dung tiêu chí “{code}” đã bị sửa (ô bị khoá). Điểm vẫn chấm theo tiêu chí gốc: “{expected}”."),
    "value.formula": E(ERROR, "cell formula", "Ô {cell}: ô nhập số liệu chứa công thức “{formula}”. Hãy nhập trực tiếp con số, không dùng công thức."),
    "text.nfd": E(WARNING, "cell text", "Ô {cell}: chữ tiếng Việt dạng tổ hợp (NFD) đã được chuẩn hoá sang Unicode dựng sẵn: “{text}”."),
    "returns.newer_invalid": E(WARNING, "newer newer_time used used_time", "Tệp {newer} (lưu lúc {newer_time}) mới hơn nhưng có lỗi nên không dùng; dùng tệp {used} (lưu lúc {used_time})."),
    "form.not_issued": E(ERROR, "claimed form_id", "Phiếu ghi là của “{claimed}” nhưng mã phiếu {form_id} không có trong sổ “Phiếu đã phát” của Trưởng khối (chưa từng được phát cho đơn vị nào) nên không được tính. Đơn vị gửi tệp này hãy xin Trưởng khối gửi lại đúng phiếu của đơn vị mình rồi nhập điểm vào phiếu đó."),
    "form.issued_to_other": E(ERROR, "claimed form_id issued", "Phiếu ghi là của “{claimed}” nhưng mã phiếu {form_id} được phát cho “{issued}” nên không được tính. Đơn vị gửi tệp này hãy xin Trưởng khối gửi lại đúng phiếu của đơn vị mình rồi nhập điểm vào phiếu đó."),
    "form.seal_invalid": E(ERROR, "claimed", "Dấu niêm phong của phiếu không khớp: tệp không phải phiếu Trưởng khối phát cho “{claimed}” hoặc thông tin nhận dạng đã bị sửa sau khi phát, nên không được tính. Đơn vị gửi tệp này hãy xin Trưởng khối gửi lại đúng phiếu của đơn vị mình rồi nhập điểm vào phiếu đó."),
    "form.older_issue": E(WARNING, "issued_time latest_time", "Phiếu thuộc lần phát lúc {issued_time}; Trưởng khối đã phát phiếu mới hơn lúc {latest_time}. Phiếu vẫn được tính; lần sau hãy dùng phiếu mới nhất."),
    "form.meta_sheet_missing": E(WARNING, "sheet", "Phiếu thiếu trang thông tin nhận dạng (“{sheet}”); nhận dạng phiếu chỉ dựa vào thuộc tính tệp. Không xoá trang tính nào của phiếu."),
    "returns.no_ledger": E(WARNING, "", "Tệp khối chưa có sổ “Phiếu đã phát” (thư mục lập bằng phiên bản cũ) nên không đối chiếu được mã phiếu và dấu niêm phong. Hãy chạy “thidua forms” để phát lại phiếu có niêm phong."),
    "returns.no_secret": E(WARNING, "path", "Không tìm thấy khoá niêm phong ({path}) nên không kiểm tra được dấu niêm phong của các phiếu. Hãy chép lại khoá từ bản bàn giao của Trưởng khối."),
    "returns.forms_differ": E(WARNING, "count used reason others", "Đơn vị gửi {count} tệp thuộc các phiếu khác nhau (mã phiếu hoặc dấu niêm phong khác nhau); dùng {used} vì {reason}; để riêng, không dùng: {others}. Hãy hỏi lại đơn vị tệp nào là phiếu của mình."),
})

# --- the chair's workbook changed after the forms went out (issue 13, item 3) --------------------
CATALOG.update({
    "rules.changed_after_issue": E(WARNING, "changes", "Quy tắc trong tệp khối đã đổi sau khi phát phiếu: {changes}. Thay đổi này không làm sai số liệu đơn vị đã nhập nên đã được áp dụng cho mọi phiếu nhận về; các đơn vị không phải làm gì. Nếu đổi nhầm, hãy đặt lại giá trị cũ trong tệp khối rồi tổng hợp lại."),
    "rules.criteria_changed_after_issue": E(ERROR, "changes count", "Bảng tiêu chí trong tệp khối đã đổi sau khi phát phiếu: {changes}. Phiếu đã phát không còn khớp nên {count} phiếu nhận về theo bảng cũ chưa được tính (không phải lỗi của đơn vị) và kết quả xếp hạng chưa dùng được. Hãy phát phiếu mới bằng “thidua forms” rồi gửi lại cho các đơn vị, hoặc đặt lại giá trị cũ trong tệp khối rồi tổng hợp lại."),
})

# --- implausible values typed by a unit (issue 13) ---------------------------------------------------
CATALOG.update({
    "value.date": E(ERROR, "cell value", "Ô {cell}: ô chứa ngày tháng ({value}), không phải số. Ô đã bị định dạng kiểu Ngày; hãy chọn định dạng Số (General) cho ô rồi nhập lại con số."),
    "value.time": E(ERROR, "cell value", "Ô {cell}: ô chứa giờ ({value}), không phải số. Ô đã bị định dạng kiểu Giờ; hãy chọn định dạng Số (General) cho ô rồi nhập lại con số."),
    "value.boolean": E(ERROR, "cell value", "Ô {cell}: ô chứa giá trị đúng/sai ({value}), không phải số liệu. Hãy xoá ô rồi nhập lại số liệu (tiêu chí Đạt/Không đạt: chọn trong danh sách)."),
    "value.count_over": E(ERROR, "cell value max code", "Ô {cell}: {value} lần vượt số lần tối đa {max} của tiêu chí “{code}”. Hãy kiểm tra lại số liệu (nhập số lần, không phải số điểm)."),
    "value.implausible": E(ERROR, "cell value code multiple target", "Ô {cell}: kết quả {value} của tiêu chí “{code}” gấp hơn {multiple} lần chỉ tiêu {target} nên chưa được nhận. Hãy kiểm tra lại số liệu (đơn vị tính, dấu thập phân) rồi gửi lại phiếu."),
})

# --- intake (issue 17): what the chair's mailbox brought ------------------------------------------
CATALOG.update({
    "intake.ignored": E(WARNING, "name", "Tệp đính kèm “{name}” không phải phiếu (chỉ nhận .xlsx, .xlsm, .xls, .ods, .zip) nên không được lưu."),
    "intake.too_large": E(ERROR, "name size limit", "Tệp “{name}” quá lớn ({size}, giới hạn {limit}) nên không được lưu. Đề nghị đơn vị gửi đúng phiếu đã nhận."),
    "intake.zip_refused": E(ERROR, "name entry reason", "Trong tệp nén “{name}”, “{entry}” không được giải nén: {reason}."),
    "intake.malformed": E(WARNING, "reason", "Thư có cấu trúc MIME lỗi ({reason}); các tệp đính kèm đọc được vẫn được lưu, thư gốc giữ nguyên trong nhan/thu-goc/."),
    "intake.message_too_large": E(ERROR, "size limit", "Thư quá lớn ({size}, giới hạn {limit}) nên không được tải về. Hãy mở thư bằng webmail."),
    "intake.dropped": E(ERROR, "reason", "Mất kết nối khi đang tải thư ({reason}). Thư đang tải dở không được lưu; chạy lại “thidua nhan” để tải tiếp."),
})

# --- the meeting's attendance (issue 16): one number of the meeting ------------------------------
CATALOG.update({
    "meeting.present_disagrees": E(ERROR, "sheet cells values", "Trang “{sheet}” ghi số thành viên có mặt khác nhau ở các ô {cells} ({values}) nên chưa tính phiếu biểu quyết nào. Số thành viên có mặt là một con số của cuộc họp: hãy ghi số đó một lần, ở một ô (xoá các số còn lại), rồi tổng hợp lại."),
    "meeting.present_missing": E(ERROR, "sheet cell", "Trang “{sheet}”, ô {cell}: chưa ghi số thành viên có mặt tại cuộc họp nên chưa tính phiếu biểu quyết nào. Hãy ghi số thành viên có mặt một lần rồi tổng hợp lại."),
    "meeting.present_vs_absent": E(ERROR, "sheet cell present absent members expected", "Trang “{sheet}”, ô {cell} ghi {present} thành viên có mặt, nhưng trang “Thông tin” ghi {absent} đơn vị vắng mặt khi họp (khối có {members} thành viên, tức {expected} có mặt) nên chưa tính phiếu biểu quyết nào. Biên bản họp dùng danh sách vắng mặt ở trang “Thông tin”: hãy sửa cho hai nơi khớp nhau rồi tổng hợp lại."),
})
