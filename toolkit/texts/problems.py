"""The problem catalog: every problem thidua reports, with a stable code, severity and a Vietnamese
message template. Templates use str.format fields; `toolkit.problems` formats them."""

ERROR, WARNING = "error", "warning"

CATALOG: dict[str, tuple[str, str]] = {
    # --- the chair's bloc workbook -------------------------------------------------------------
    "bloc.unreadable": (ERROR, "Không mở được tệp khối: {reason}. Hãy mở và lưu lại tệp bằng Excel dạng .xlsx/.xlsm."),
    "bloc.missing_sheet": (ERROR, "Thiếu trang tính “{sheet}”. Không đổi tên hay xoá các trang tính của tệp khối."),
    "bloc.missing_field": (ERROR, "Chưa nhập “{field}”. Hãy nhập giá trị này."),
    "bloc.bad_value": (ERROR, "Giá trị “{value}” của “{field}” không hợp lệ: {hint}."),
    "bloc.duplicate_code": (ERROR, "Mã “{code}” bị trùng với dòng {other_row}. Mỗi mã chỉ dùng một lần."),
    "bloc.unknown_kind": (ERROR, "Loại tiêu chí “{value}” không hợp lệ. Chọn một trong: {allowed}."),
    "bloc.sum_mismatch": (ERROR, "Tổng điểm tối đa các tiêu chí con của “{code}” là {children}, khác điểm tối đa của nhóm ({max}). Sửa lại cho khớp."),
    "bloc.orphan": (ERROR, "Tiêu chí “{code}” không có nhóm cha “{parent}” đứng trước nó. Thêm nhóm cha hoặc sửa mã."),
    "bloc.empty_group": (ERROR, "Nhóm “{code}” không có tiêu chí con nào."),
    "bloc.leaf_with_children": (ERROR, "“{code}” có tiêu chí con nên phải có loại “Nhóm”."),
    "bloc.mixed_section": (ERROR, "Nhóm “{code}” trộn tiêu chí điểm thưởng/điểm trừ với tiêu chí chấm điểm thường. Tách thành nhóm riêng."),
    "bloc.unknown_member": (ERROR, "Mã đơn vị “{code}” không có trong trang “Thành viên”."),
    "bloc.no_members": (ERROR, "Trang “Thành viên” chưa có đơn vị nào."),
    "bloc.no_criteria": (ERROR, "Trang “Tiêu chí” chưa có tiêu chí nào."),
    "bloc.bad_tie_break": (ERROR, "Tiêu chí phụ khi bằng điểm “{value}” không hợp lệ. Dùng: {allowed}."),
    # --- a returned file as a file --------------------------------------------------------------
    "file.unreadable": (ERROR, "Không đọc được tệp: {reason}. Hãy gửi lại tệp."),
    "file.link": (ERROR, "Tệp này chỉ là một liên kết (lối tắt) tới tệp khác nên không được đọc. Hãy chép chính tệp phiếu (không phải lối tắt) vào thư mục nhan/."),
    "file.not_xlsx": (ERROR, "Tệp dạng {format} không được nhận. Hãy mở phiếu bằng Excel hoặc LibreOffice và lưu dạng Excel (.xlsx), rồi gửi lại."),
    "file.encrypted": (ERROR, "Tệp có đặt mật khẩu mở. Hãy bỏ mật khẩu (Tệp > Thông tin > Bảo vệ sổ làm việc) rồi gửi lại."),
    "file.corrupt": (ERROR, "Tệp bị hỏng hoặc không đầy đủ ({reason}). Hãy lưu lại và gửi lại tệp."),
    "file.too_large": (ERROR, "Tệp quá lớn ({size}). Phiếu chấm điểm chỉ vài chục KB; hãy gửi đúng phiếu đã nhận."),
    "file.unsafe": (ERROR, "Tệp chứa nội dung không an toàn ({reason}) nên không được đọc. Hãy dùng đúng phiếu đã nhận."),
    # --- identity and structure of a form ----------------------------------------------------------
    "form.not_a_form": (ERROR, "Tệp không phải phiếu chấm điểm của khối (không có thông tin nhận dạng phiếu). Hãy nhập điểm vào đúng phiếu Trưởng khối đã gửi."),
    "form.other_bloc": (ERROR, "Phiếu của “{found}”, không phải của “{expected}”. Hãy dùng phiếu của khối này."),
    "form.other_period": (ERROR, "Phiếu của kỳ “{found}”, không phải kỳ “{expected}”. Hãy dùng phiếu của kỳ này."),
    "form.old_criteria": (ERROR, "Phiếu được tạo từ bảng tiêu chí khác (mã {found}, hiện hành {expected}). Hãy chuyển điểm sang phiếu mới nhất Trưởng khối đã gửi."),
    "form.unknown_unit": (ERROR, "Mã đơn vị “{code}” trên phiếu không có trong danh sách thành viên của khối."),
    "form.sheet_missing": (ERROR, "Không tìm thấy trang tính “{sheet}”. Không đổi tên hay xoá trang tính của phiếu."),
    "form.row_mismatch": (ERROR, "Ô {cell}: cần mã tiêu chí “{expected}” nhưng thấy “{found}”. Dòng đã bị thêm, xoá hoặc di chuyển; hãy nhập lại vào phiếu gốc."),
    "form.max_changed": (ERROR, "Ô {cell}: điểm tối đa của “{code}” là {expected} nhưng phiếu ghi {found}. Không sửa điểm tối đa."),
    "form.formula_overwritten": (WARNING, "Ô {cell}: công thức đã bị ghi đè bằng giá trị. Điểm được tính lại từ số liệu nhập."),
    "form.protection_removed": (WARNING, "Trang tính đã bị bỏ bảo vệ. Điểm được tính lại từ số liệu nhập; lần sau không bỏ bảo vệ."),
    # --- values typed by the unit -----------------------------------------------------------------
    "value.missing": (ERROR, "Ô {cell}: chưa nhập số liệu cho tiêu chí “{code}”."),
    "value.not_number": (ERROR, "Ô {cell}: “{value}” không phải là số. Hãy nhập số (ví dụ 9,5 hoặc 9.5)."),
    "value.negative": (ERROR, "Ô {cell}: “{value}” là số âm. Nhập số từ 0 trở lên."),
    "value.over_max": (ERROR, "Ô {cell}: {value} vượt điểm tối đa {max} của tiêu chí “{code}”."),
    "value.step": (ERROR, "Ô {cell}: {value} không phải bội số của {step}. Làm tròn theo bước {step}."),
    "value.not_integer": (ERROR, "Ô {cell}: số lần phải là số nguyên, không phải {value}."),
    "value.bad_choice": (ERROR, "Ô {cell}: “{value}” không hợp lệ; chọn “Đạt” hoặc “Không đạt”."),
    "value.decimal_comma": (WARNING, "Ô {cell}: “{value}” được đọc là {number} (dấu phẩy thập phân)."),
    "evidence.missing": (ERROR, "Ô {cell}: tiêu chí “{code}” bắt buộc ghi minh chứng (số, ký hiệu văn bản)."),
    "text.repaired": (WARNING, "Ô {cell}: chữ mã {encoding} đã được chuyển sang Unicode: “{text}”."),
    # --- the set of returns -------------------------------------------------------------------------
    "returns.superseded": (WARNING, "Đơn vị gửi {count} tệp; dùng tệp lưu lúc {used_time} ({used}), bỏ qua: {others}."),
    "returns.missing": (ERROR, "Đơn vị chưa gửi phiếu."),
    # --- mail: one message that could not be sent (issue 7) -------------------------------------------
    "mail.no_email": (ERROR, "Chưa có email của “{name}”. Điền email ở {where} của tệp khối rồi gửi lại."),
    "mail.no_attachment": (ERROR, "Chưa có tệp {file} để đính kèm. {hint}"),
    "mail.bad_address": (ERROR, "Địa chỉ email “{address}” không hợp lệ. Sửa lại trong tệp khối."),
    "mail.refused": (ERROR, "Máy chủ thư từ chối địa chỉ {addresses} ({reason}). Kiểm tra lại email trong tệp khối."),
    "mail.partly_refused": (WARNING, "Đã gửi, nhưng máy chủ thư từ chối địa chỉ {addresses} ({reason})."),
    "mail.failed": (ERROR, "Gửi thư không thành công ({reason}). Chạy lại lệnh gửi để gửi lại thư này."),
    "mail.connect_failed": (ERROR, "Không kết nối được máy chủ thư {host}:{port} ({reason}). Kiểm tra máy chủ, cổng, kiểu bảo mật và mạng."),
    "mail.login_failed": (ERROR, "Máy chủ thư {host} không cho đăng nhập tài khoản {user} ({reason}). Kiểm tra tài khoản và mật khẩu (Gmail, Outlook cần mật khẩu ứng dụng)."),
    # --- rules: the meeting's sheets of the chair's workbook (review, cross scores, votes) ---------
    "meeting.unknown_criterion": (ERROR, "Mã tiêu chí “{code}” không có trong trang “Tiêu chí” hoặc là mã nhóm. Ghi mã tiêu chí chấm điểm, ví dụ I.1."),
    "meeting.over_max": (ERROR, "Ô {cell}: {value} vượt điểm tối đa {max} của “{code}”. Dòng này không được tính."),
    "meeting.passfail_points": (ERROR, "Ô {cell}: tiêu chí “{code}” là Đạt/Không đạt nên điểm chỉ là 0 hoặc {max}, không phải {value}."),
    "meeting.duplicate_row": (ERROR, "Đơn vị và tiêu chí này đã có ở dòng {other_row}. Mỗi tiêu chí của một đơn vị ghi một dòng; dòng này không được tính."),
    "meeting.missing_reason": (WARNING, "Ô {cell}: chưa ghi lý do thẩm định tiêu chí “{code}”. Mỗi lần thay đổi điểm cần ghi lý do."),
    "meeting.self_cross": (WARNING, "Ô {cell}: đơn vị không chấm chéo chính mình; dòng này không được tính."),
    "meeting.present_over_members": (ERROR, "Ô {cell}: số thành viên có mặt ({present}) lớn hơn số thành viên của khối ({members})."),
    "meeting.votes_over_present": (ERROR, "Ô {cell}: số phiếu đồng ý ({votes}) lớn hơn số thành viên có mặt ({present})."),
    "history.unreadable": (ERROR, "Không đọc được bảng tổng hợp kỳ trước: {reason}. Dùng đúng tệp tổng hợp thidua đã lập."),
    "peer.not_a_peer_form": (ERROR, "Tệp không phải phiếu chấm chéo của khối. Hãy nhập điểm vào đúng phiếu chấm chéo Trưởng khối đã gửi."),
    "peer.other_bloc": (ERROR, "Phiếu chấm chéo của “{found}”, không phải của “{expected}”. Hãy dùng phiếu của khối và kỳ này."),
    "peer.other_scorer": (ERROR, "Có dòng ghi đơn vị chấm khác “{code}” (đơn vị của phiếu); các dòng đó không được tính. Không sửa cột đơn vị chấm."),
}

# --- returns (issue 3): more checks of returned forms ---------------------------------------------
CATALOG.update({
    "file.macros": (WARNING, "Tệp có macro (.xlsm); macro không bao giờ được chạy, chỉ đọc số liệu. Lần sau hãy lưu phiếu dạng Excel (.xlsx)."),
    "form.owner_mismatch": (ERROR, "Ô {cell}: dòng đơn vị ghi “{found}” nhưng phiếu được cấp cho “{expected}”. Hãy nhập điểm vào đúng phiếu Trưởng khối đã gửi cho đơn vị mình."),
    "form.columns_moved": (ERROR, "Ô {cell}: cần tiêu đề cột “{expected}” nhưng thấy “{found}”. Cột đã bị thêm, xoá hoặc di chuyển; hãy nhập lại số liệu vào phiếu gốc."),
    "form.sheet_added": (WARNING, "Trang tính “{sheet}” không có trong phiếu gốc nên bị bỏ qua. Chỉ nhập số liệu vào trang “{form_sheet}”."),
    "form.locked_edited": (WARNING, "Ô {cell}: nội dung tiêu chí “{code}” đã bị sửa (ô bị khoá). Điểm vẫn chấm theo tiêu chí gốc: “{expected}”."),
    "value.formula": (ERROR, "Ô {cell}: ô nhập số liệu chứa công thức “{formula}”. Hãy nhập trực tiếp con số, không dùng công thức."),
    "text.nfd": (WARNING, "Ô {cell}: chữ tiếng Việt dạng tổ hợp (NFD) đã được chuẩn hoá sang Unicode dựng sẵn: “{text}”."),
    "returns.newer_invalid": (WARNING, "Tệp {newer} (lưu lúc {newer_time}) mới hơn nhưng có lỗi nên không dùng; dùng tệp {used} (lưu lúc {used_time})."),
})

# --- issued-forms ledger and seal (issue 14) --------------------------------------------------------
CATALOG.update({
    "form.not_issued": (ERROR, "Phiếu ghi là của “{claimed}” nhưng mã phiếu {form_id} không có trong sổ “Phiếu đã phát” của Trưởng khối (chưa từng được phát cho đơn vị nào) nên không được tính. Đơn vị gửi tệp này hãy xin Trưởng khối gửi lại đúng phiếu của đơn vị mình rồi nhập điểm vào phiếu đó."),
    "form.issued_to_other": (ERROR, "Phiếu ghi là của “{claimed}” nhưng mã phiếu {form_id} được phát cho “{issued}” nên không được tính. Đơn vị gửi tệp này hãy xin Trưởng khối gửi lại đúng phiếu của đơn vị mình rồi nhập điểm vào phiếu đó."),
    "form.seal_invalid": (ERROR, "Dấu niêm phong của phiếu không khớp: tệp không phải phiếu Trưởng khối phát cho “{claimed}” hoặc thông tin nhận dạng đã bị sửa sau khi phát, nên không được tính. Đơn vị gửi tệp này hãy xin Trưởng khối gửi lại đúng phiếu của đơn vị mình rồi nhập điểm vào phiếu đó."),
    "form.older_issue": (WARNING, "Phiếu thuộc lần phát lúc {issued_time}; Trưởng khối đã phát phiếu mới hơn lúc {latest_time}. Phiếu vẫn được tính; lần sau hãy dùng phiếu mới nhất."),
    "form.meta_sheet_missing": (WARNING, "Phiếu thiếu trang thông tin nhận dạng (“{sheet}”); nhận dạng phiếu chỉ dựa vào thuộc tính tệp. Không xoá trang tính nào của phiếu."),
    "returns.no_ledger": (WARNING, "Tệp khối chưa có sổ “Phiếu đã phát” (thư mục lập bằng phiên bản cũ) nên không đối chiếu được mã phiếu và dấu niêm phong. Hãy chạy “thidua forms” để phát lại phiếu có niêm phong."),
    "returns.no_secret": (WARNING, "Không tìm thấy khoá niêm phong ({path}) nên không kiểm tra được dấu niêm phong của các phiếu. Hãy chép lại khoá từ bản bàn giao của Trưởng khối."),
    "returns.forms_differ": (WARNING, "Đơn vị gửi {count} tệp thuộc các phiếu khác nhau (mã phiếu hoặc dấu niêm phong khác nhau); dùng {used} vì {reason}; để riêng, không dùng: {others}. Hãy hỏi lại đơn vị tệp nào là phiếu của mình."),
})
