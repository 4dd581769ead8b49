"""Texts of the province-wide consolidation (many blocs at once) and its summary workbook."""

HELP = ("Nếu FOLDER là thư mục tỉnh (không có tệp khối, chứa các thư mục khối) thì tổng hợp từng khối "
        "và ghi bảng tổng hợp toàn tỉnh vào ket-qua/.")
PROGRESS = "Đang tổng hợp các khối"
BLOC_DONE = "✓ {bloc}: {count} đơn vị, dẫn đầu: {leader} ({total} điểm)"
BLOC_NO_LEADER = "! {bloc}: chưa có đơn vị nào đủ điều kiện xếp hạng"
BLOC_FAILED = "✗ {folder}: không tổng hợp được — {reason}"
SUMMARY_WRITTEN = "Bảng tổng hợp toàn tỉnh ({count} khối): {path}"
QUOTA_LINE = ("Đề nghị Cờ thi đua của Chính phủ: tối đa 20 % số đơn vị dẫn đầu ({leaders} đơn vị) "
              "= {quota} đơn vị; đã chọn {chosen}.")
CANDIDATE_LINE = "  {order}. {name} ({bloc}) — {total} điểm"
NO_CANDIDATE = "  (không có đơn vị nào trong hạn mức 20 %)"

SHEET = "Tổng hợp toàn tỉnh"
TITLE = "TỔNG HỢP KẾT QUẢ THI ĐUA CỦA CÁC KHỐI, CỤM THI ĐUA"
ISSUER = "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
COLUMNS = ("STT", "Khối, cụm thi đua", "Số đơn vị", "Đơn vị dẫn đầu", "Tổng điểm", "Xếp loại",
           "Danh hiệu đề nghị", "Đề nghị Cờ thi đua của Chính phủ", "Ghi chú")
PROVINCE_FLAG = "Cờ thi đua của UBND tỉnh"
GOV_FLAG_YES = "Đề nghị"
GOV_FLAG_OVER_QUOTA = "Ngoài hạn mức 20 %"
NOT_EXCELLENT = "Chưa đạt Xuất sắc"
NOT_PROPOSED = "Khối không đề nghị Cờ thi đua của Chính phủ"
NO_BLOCS = "Không có thư mục khối nào (có tệp khoi.xlsx hoặc khoi.xlsm) trong {path}."
NO_LEADER = "Chưa có đơn vị đủ điều kiện xếp hạng"
FAILED = "Không tổng hợp được: {reason}"
TIED_LEADER = "Đồng hạng nhất với: {others}"
CANDIDATES_TITLE = "DANH SÁCH ĐỀ NGHỊ CỜ THI ĐUA CỦA CHÍNH PHỦ"
CANDIDATE_COLUMNS = ("STT", "Đơn vị", "Khối, cụm thi đua", "Tổng điểm")
RULE_NOTE = ("Số đơn vị đề nghị không quá 20 % số đơn vị dẫn đầu các khối, cụm (làm tròn xuống); "
             "chọn theo tổng điểm, rồi ít điểm trừ hơn, rồi nhiều điểm thưởng hơn.")
OPTIONS_NOT_FOR_PROVINCE = ("Thư mục này là thư mục của nhiều khối (tỉnh, ngành): --pdf và --lich-su chỉ dùng cho "
                            "thư mục của một khối. Mỗi khối dùng bảng tổng hợp các kỳ trước trong ket-qua/lich-su/ "
                            "của khối đó; hãy chạy lại không có hai tuỳ chọn này, hoặc chạy cho từng khối.")
