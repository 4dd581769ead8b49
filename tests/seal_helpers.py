"""Forging returns as a unit that wants a rival to drop would (issue 14), and the expected messages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from tests.returns_corpus import set_saved
from toolkit import texts as T
from toolkit.bloc import Bloc
from toolkit.forms import form_filename, form_layout
from toolkit.forms.layout import COL_INPUT, META_SHEET

LOW = {"I.1": 50, "I.2": 2, "II.1": T.FAIL, "II.2": 0, "III.1": 0, "IV.1": 3}
HONEST = {
    "A": {"I.1": 110, "I.2": 9.5, "II.1": T.PASS, "II.2": 1, "III.1": 2, "IV.1": 1},
    "B": {"I.1": 100, "I.2": 8, "II.1": T.FAIL, "II.2": 3, "III.1": 1, "IV.1": 0},
    "C": {"I.1": 105, "I.2": 10, "II.1": T.PASS, "II.2": 0, "III.1": 0, "IV.1": 0},
}
LATER = datetime(2027, 1, 5, 8, 0)
ASK = "Đơn vị gửi tệp này hãy xin Trưởng khối gửi lại đúng phiếu của đơn vị mình rồi nhập điểm vào phiếu đó."


def forge(src: Path, dst: Path, bloc: Bloc, as_unit: str, *, sheet: bool = True, props: bool = True,
          delete_sheet: bool = False, form_id: str | None = None, seal: str | None = None) -> Path:
    """Copy a unit's own return `src` to `dst` claiming to be `as_unit`: the metadata sheet (or only
    the custom properties, the sheet deleted), the unit line A4, low scores, a later save time."""
    member = bloc.member(as_unit)
    changes = {"unit_code": member.code, "unit_name": member.name}
    changes.update({k: v for k, v in (("form_id", form_id), ("seal", seal)) if v is not None})
    wb = openpyxl.load_workbook(src)
    if delete_sheet:
        del wb[META_SHEET]
    elif sheet:
        for key_cell, value_cell in wb[META_SHEET].iter_rows(max_col=2):
            if key_cell.value in changes:
                value_cell.value = changes[key_cell.value]
    if props:
        for prop in wb.custom_doc_props.props:
            key = prop.name.removeprefix("thidua_")
            if key in changes:
                prop.value = changes[key]
    ws = wb[T.FORM_SHEET]
    ws["A4"] = T.FORM_UNIT.format(name=member.name)
    layout = form_layout(bloc.criteria)
    for code, value in LOW.items():
        ws[layout.cell(COL_INPUT, code)] = value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    set_saved(dst, LATER)
    return dst


def meta_of(path: Path) -> dict[str, str]:
    ws = openpyxl.load_workbook(path)[META_SHEET]
    return {k.value: v.value for k, v in ws.iter_rows(max_col=2)}


def returned(folder: Path, bloc: Bloc, unit: str) -> Path:
    return folder / "nhan" / form_filename(bloc.member(unit))


def issued_to_other(claimed: str, form_id: str, issued: str) -> str:
    return (f"Phiếu ghi là của “{claimed}” nhưng mã phiếu {form_id} được phát cho “{issued}” nên không "
            f"được tính. {ASK}")


def not_issued(claimed: str, form_id: str) -> str:
    return (f"Phiếu ghi là của “{claimed}” nhưng mã phiếu {form_id} không có trong sổ “Phiếu đã phát” "
            f"của Trưởng khối (chưa từng được phát cho đơn vị nào) nên không được tính. {ASK}")


def seal_invalid(claimed: str) -> str:
    return (f"Dấu niêm phong của phiếu không khớp: tệp không phải phiếu Trưởng khối phát cho “{claimed}” "
            f"hoặc thông tin nhận dạng đã bị sửa sau khi phát, nên không được tính. {ASK}")


META_SHEET_MISSING = ("Phiếu thiếu trang thông tin nhận dạng (“_thidua”); nhận dạng phiếu chỉ dựa vào "
                      "thuộc tính tệp. Không xoá trang tính nào của phiếu.")
