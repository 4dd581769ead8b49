"""Stage 2 — generate: one protected, validated, print-ready scoring workbook per member unit."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path

import xlsxwriter

from toolkit import __version__
from toolkit import texts as T
from toolkit.bloc.model import MAX_COUNT, Bloc, Criterion, Member, slugify
from toolkit.docstyle import (BASE, CELL, FORM, GROUP_FILL, HEAD_FILL, INPUT_FILL, SCORE, WORKBOOK_OPTIONS,
                              SignBlock, formats, page_setup, row_height, set_widths, signatures)
from toolkit.fileio import atomic_path
from toolkit.seal import form_seal
from toolkit.forms.layout import (COL_INPUT, COL_SCORE, FORMAT_ID, HEADER_ROW,
                                  META_KEYS, META_SHEET, FormLayout, form_layout)
from toolkit.vntext import vn_number

COLUMN_WIDTHS = (7, 60, 8, 24, 11, 10, 36)  # characters, columns A..G
TEXT_SCALE, HOW_SCALE = 0.8, 0.7  # width of a character of the criterion's text and of its 'how' note
_INPUT = {**CELL, "locked": False, "bg_color": INPUT_FILL}
FORM_SPECS = {
    "bloc": {**BASE, "bold": True, "align": "center", "text_wrap": True},
    "title": {**BASE, "bold": True, "font_size": 14, "align": "center"},
    "center": {**BASE, "align": "center", "text_wrap": True},
    "note": {**BASE, "italic": True, "font_size": 11, "text_wrap": True, "valign": "top"},
    "head": {**CELL, "bold": True, "align": "center", "bg_color": HEAD_FILL},
    "group": {**CELL, "bold": True, "bg_color": GROUP_FILL},
    "group_num": {**CELL, "bold": True, "bg_color": GROUP_FILL, "num_format": SCORE},
    "text": CELL,
    "num": {**CELL, "num_format": SCORE, "align": "center"},
    "how": {**CELL, "font_size": 10, "italic": True},
    "input": {**_INPUT, "num_format": SCORE, "align": "center"},
    "evidence": {**_INPUT, "font_size": 11},
    "total": {**CELL, "bold": True, "bg_color": HEAD_FILL},
    "total_num": {**CELL, "bold": True, "bg_color": HEAD_FILL, "num_format": SCORE, "align": "center"},
    "sign": {**BASE, "bold": True, "align": "center"},
}


def form_filename(member: Member) -> str:
    return f"{member.order:02d}-{slugify(member.code)}-{slugify(member.label)}.xlsx"


def generate_forms(bloc: Bloc, out_dir: Path, secret: bytes | None = None) -> list[Path]:
    """Write one form per member into `out_dir` (sealed with `secret`); returns the paths in member order."""
    out_dir = Path(out_dir)
    return [write_form(bloc, m, out_dir / form_filename(m), secret=secret) for m in bloc.members]


def write_form(bloc: Bloc, member: Member, path: Path, form_id: str | None = None,
               secret: bytes | None = None) -> Path:
    """Write the form of `member` to `path` atomically and return `path`; sealed when `secret` is given."""
    meta = form_metadata(bloc, member, form_id or uuid.uuid4().hex, secret)
    with atomic_path(Path(path)) as tmp:
        wb = xlsxwriter.Workbook(str(tmp), WORKBOOK_OPTIONS)
        _FormWriter(wb, bloc, member).write()
        _write_metadata(wb, meta)
        wb.close()
    return Path(path)


def form_metadata(bloc: Bloc, member: Member, form_id: str, secret: bytes | None = None) -> dict[str, str]:
    values = {
        "format": FORMAT_ID, "toolkit_version": __version__, "bloc_key": bloc.key,
        "bloc_name": bloc.name, "unit_code": member.code, "unit_name": member.name,
        "year": str(bloc.year), "period": bloc.period, "fingerprint": bloc.criteria.fingerprint(),
        "form_id": form_id, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    values["seal"] = form_seal(secret, values) if secret else ""
    return {key: values[key] for key in META_KEYS}


def _write_metadata(wb: xlsxwriter.Workbook, meta: dict[str, str]) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for row, (key, value) in enumerate(meta.items()):
        ws.write_string(row, 0, key)
        ws.write_string(row, 1, value)
        if value:
            wb.set_custom_property(f"thidua_{key}", value)
    ws.protect()
    ws.very_hidden()
    wb.set_properties({"title": f"{T.FORM_TITLE} - {meta['unit_name']}", "subject": meta["bloc_name"],
                       "author": "thidua", "comments": f"thidua {meta['toolkit_version']}"})


class _FormWriter:
    def __init__(self, wb: xlsxwriter.Workbook, bloc: Bloc, member: Member):
        self.wb, self.bloc, self.member = wb, bloc, member
        self.tree = bloc.criteria
        self.layout: FormLayout = form_layout(self.tree)
        self.ws = wb.add_worksheet(T.FORM_SHEET)
        self.f = formats(wb, FORM_SPECS)

    def write(self) -> None:
        self._page_setup()
        self._header()
        for criterion in self.tree:
            row = self.layout.rows[criterion.code] - 1
            if criterion.is_group:
                self._group_row(row, criterion)
            else:
                self._leaf_row(row, criterion)
        self._totals()
        self._signatures()
        self.ws.protect("", {"format_columns": True, "format_rows": True})

    def _page_setup(self) -> None:
        set_widths(self.ws, COLUMN_WIDTHS)
        page_setup(self.ws, repeat_rows=(HEADER_ROW - 1, HEADER_ROW - 1), freeze=(HEADER_ROW, 0))

    def _header(self) -> None:
        ws, f, bloc = self.ws, self.f, self.bloc
        chair = bloc.chair_member
        deadline = bloc.deadline.strftime("%d/%m/%Y") if bloc.deadline else ""
        ws.merge_range("A1:G1", bloc.name.upper(), f["bloc"])
        ws.set_row(0, 32)
        ws.merge_range("A2:G2", T.FORM_TITLE, f["title"])
        ws.merge_range("A3:G3", T.period_title(bloc.period, bloc.year), f["center"])
        ws.merge_range("A4:G4", T.FORM_UNIT.format(name=self.member.name), f["bloc"])
        ws.merge_range("A5:G5", T.FORM_DEADLINE.format(chair=chair.name if chair else "",
                                                       deadline=deadline), f["center"])
        ws.merge_range("A6:G6", T.FORM_INSTRUCTIONS, f["note"])
        ws.set_row(5, 64)
        ws.write_row(HEADER_ROW - 1, 0, T.FORM_COLUMNS, f["head"])
        ws.set_row(HEADER_ROW - 1, 32)

    def _score_cell(self, code: str) -> str:
        return f"{COL_SCORE}{self.layout.rows[code]}"

    def _group_row(self, row: int, c: Criterion) -> None:
        ws, f = self.ws, self.f
        refs = ",".join(self._score_cell(ch.code) for ch in self.tree.children(c.code))
        cap = self.bloc.max_points_of(c)
        formula = f"=MIN({_num_f(cap)},SUM({refs}))" if cap else f"=SUM({refs})"
        ws.set_row(row, criterion_height(c.text))
        ws.write_string(row, 0, c.code, f["group"])
        ws.write_string(row, 1, c.text, f["group"])
        ws.write(row, 2, cap if cap else "", f["group_num"])
        ws.write_blank(row, 3, None, f["group"])
        ws.write_blank(row, 4, None, f["group"])
        ws.write_formula(row, 5, formula, f["group_num"], 0)
        ws.write_blank(row, 6, None, f["group"])

    def _leaf_row(self, row: int, c: Criterion) -> None:
        ws, f = self.ws, self.f
        ref = f"{COL_INPUT}{row + 1}"
        ws.set_row(row, criterion_height(c.text, _how(c)))
        ws.write_string(row, 0, c.code, f["text"])
        ws.write_string(row, 1, c.text, f["text"])
        ws.write(row, 2, c.max_points if c.max_points else "", f["num"])
        ws.write_string(row, 3, _how(c), f["how"])
        ws.write_blank(row, 4, None, f["input"])
        ws.write_formula(row, 5, leaf_formula(c, ref), f["num"], "")
        ws.write_blank(row, 6, None, f["evidence"])
        ws.data_validation(row, 4, row, 4, _validation(c, ref, self.bloc.rules.plausible_multiple))
        ws.data_validation(row, 6, row, 6, {
            "validate": "length", "criteria": "<=", "value": 500,
            "input_title": T.VALIDATION["evidence_title"], "input_message": T.VALIDATION["evidence_msg"],
            "error_title": T.VALIDATION["evidence_title"], "error_message": T.VALIDATION["evidence_error"]})

    def _totals(self) -> None:
        ws, f, lay, tree = self.ws, self.f, self.layout, self.tree
        by_section = {s: [g for g in tree.top_groups() if tree.section(g.code) == s]
                      for s in ("base", "bonus", "penalty")}

        def refs(section: str) -> str:
            cells = ",".join(self._score_cell(g.code) for g in by_section[section])
            return f"SUM({cells})" if cells else "0"

        cap = self.bloc.rules.bonus_cap
        lines = [
            (lay.base_total_row, T.FORM_BASE_TOTAL, tree.base_max, f"={refs('base')}"),
            (lay.bonus_total_row, T.FORM_BONUS_TOTAL.format(cap=vn_number(cap)), cap,
             f"=MIN({_num_f(cap)},{refs('bonus')})"),
            (lay.penalty_total_row, T.FORM_PENALTY_TOTAL, "", f"={refs('penalty')}"),
            (lay.grand_total_row, T.FORM_GRAND_TOTAL, "",
             f"={COL_SCORE}{lay.base_total_row}+{COL_SCORE}{lay.bonus_total_row}"
             f"-{COL_SCORE}{lay.penalty_total_row}"),
        ]
        for row, label, maximum, formula in lines:
            ws.merge_range(row - 1, 0, row - 1, 1, label, f["total"])
            ws.write(row - 1, 2, maximum, f["total_num"])
            ws.write_blank(row - 1, 3, None, f["total"])
            ws.write_blank(row - 1, 4, None, f["total"])
            ws.write_formula(row - 1, 5, formula, f["total_num"], 0)
            ws.write_blank(row - 1, 6, None, f["total"])

    def _signatures(self) -> None:
        hint = (T.FORM_SIGN_HINT, "center")
        signatures(self.ws, self.f, self.layout.grand_total_row + 1,
                   [SignBlock(0, 2, ((T.FORM_PREPARER, "sign"), hint)), SignBlock(4, 6, ((T.FORM_HEAD, "sign"), hint))])


def criterion_height(text: str, how: str = "") -> float:
    """Height (points) of a criterion's row: its wrapped text and its 'how' note in full."""
    return row_height([(text, COLUMN_WIDTHS[1], TEXT_SCALE), (how, COLUMN_WIDTHS[3], HOW_SCALE)], FORM)


def _num_f(value: float) -> str:
    """A number as written inside a formula."""
    return repr(float(value)).removesuffix(".0")


def leaf_formula(c: Criterion, ref: str) -> str:
    """The live formula of a leaf's self-score, from its input cell `ref`."""
    if c.kind == "graded":
        return f'=IF({ref}="","",{ref})'
    if c.kind == "passfail":
        return f'=IF({ref}="{T.PASS}",{_num_f(c.max_points)},IF({ref}="{T.FAIL}",0,""))'
    if c.kind == "quantitative":
        half, target = _num_f(c.max_points / 2), _num_f(c.target)
        return f'=IF({ref}="","",IF({ref}>={target},{half},{half}*{ref}/{target}))'
    product = f"{_num_f(c.points)}*{ref}"
    capped = f"MIN({_num_f(c.max_points)},{product})" if c.max_points else product
    return f'=IF({ref}="","",{capped})'


def _how(c: Criterion) -> str:
    if c.kind == "graded":
        key = "graded_step" if c.step else "graded"
        return T.FORM_HOW[key].format(max=vn_number(c.max_points), step=vn_number(c.step))
    if c.kind == "passfail":
        return T.FORM_HOW["passfail"]
    if c.kind == "quantitative":
        return T.FORM_HOW["quantitative"].format(target=vn_number(c.target), unit=c.unit and " " + c.unit)
    key = "count" if c.max_points else "count_nocap"
    return T.FORM_HOW[key].format(points=vn_number(c.points), max=vn_number(c.max_points))


def _validation(c: Criterion, ref: str, multiple: float) -> dict:
    V = T.VALIDATION
    if c.kind == "graded":
        mx, step = _num_f(c.max_points), _num_f(c.step)
        step_rule = f",MOD(ROUND({ref}/{step},9),1)=0" if c.step else ""
        step_text = V["step_text"].format(step=vn_number(c.step)) if c.step else ""
        message = (V["score_step_msg"] if c.step else V["score_msg"]).format(
            max=vn_number(c.max_points), step=vn_number(c.step))
        return {"validate": "custom", "value": f"=AND(ISNUMBER({ref}),{ref}>=0,{ref}<={mx}{step_rule})",
                "input_title": V["score_title"], "input_message": message,
                "error_title": V["score_title"],
                "error_message": V["score_error"].format(max=vn_number(c.max_points), step_text=step_text)}
    if c.kind == "passfail":
        return {"validate": "list", "source": [T.PASS, T.FAIL], "input_title": V["choice_title"],
                "input_message": V["choice_msg"], "error_title": V["choice_title"],
                "error_message": V["choice_error"]}
    if c.kind == "quantitative":
        return _actual_validation(c, multiple)
    return {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": MAX_COUNT,
            "input_title": V["count_title"], "input_message": V["count_msg"].format(max=MAX_COUNT),
            "error_title": V["count_title"], "error_message": V["count_error"].format(max=MAX_COUNT)}


def _actual_validation(c: Criterion, multiple: float) -> dict:
    """A quantitative result: not negative, and at most `multiple` times the target when it has one."""
    V, limit = T.VALIDATION, c.actual_limit(multiple)
    if limit is None:
        return {"validate": "decimal", "criteria": ">=", "value": 0, "input_title": V["actual_title"],
                "input_message": V["actual_msg"], "error_title": V["actual_title"],
                "error_message": V["actual_error"]}
    words = {"limit": vn_number(limit), "multiple": vn_number(multiple), "target": vn_number(c.target)}
    return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": limit,
            "input_title": V["actual_title"], "input_message": V["actual_bound_msg"].format(**words),
            "error_title": V["actual_title"], "error_message": V["actual_bound_error"].format(**words)}
