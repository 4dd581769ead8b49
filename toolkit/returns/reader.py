"""Stage 3 — read back: check one returned form and turn it into a Submission or problems.

Nothing in the file is trusted: identity comes from the form's metadata and is checked against the
bloc; every value is re-read from the input cells; scores are recomputed later, never read.
"""

from __future__ import annotations

import hashlib
import logging
import math
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from toolkit import texts as T
from toolkit.texts import returns as TR
from toolkit.bloc.model import MAX_COUNT, Bloc, Criterion
from toolkit.fileio import sha256_file
from toolkit.numformat import DATE, NUMBER, serial_parts
from toolkit.forms.layout import FORMAT_ID, META_KEYS, META_SHEET
from toolkit.problems import Problem, has_errors, problem
from toolkit.returns.expected import (FixedRow, expected_of, fingerprint_of, find_sheet, members_by_key,
                                     same_key)
from toolkit.seal import Custody
from toolkit.texts import issued as TI
from toolkit.texts.problems import CATALOG
from toolkit.vntext import clean, match_key, parse_number, repair, vn_number
from toolkit.xlsx import Sheet, Workbook, XlsxError, file_bytes, open_workbook

LOG = logging.getLogger(__name__)
UNIT_LINE_CELL = "A4"  # "Đơn vị: <name>", written by the form writer's header
PASS_VALUES = {match_key(T.PASS): 1.0, match_key(T.FAIL): 0.0}
PASS_CHOICES = {T.PASS: 1.0, T.FAIL: 0.0}  # exactly as the form's list offers them
NO_CELL = (None, "")
XLSX_ERRORS = {"not_xlsx": "file.not_xlsx", "encrypted": "file.encrypted", "corrupt": "file.corrupt",
               "too_large": "file.too_large", "unsafe": "file.unsafe"}


@dataclass(slots=True)  # slots: a country's 20,000 of them (and their read results) stay small
class Submission:
    """What one unit returned: its input values (self-score, pass=1/fail=0, count or actual value)."""

    unit_code: str
    path: Path
    sha256: str
    form_id: str
    saved_at: datetime | None
    revision: int
    values: dict[str, float]
    evidence: dict[str, str] = field(default_factory=dict)
    seal: str = ""


@dataclass(slots=True)
class ReadResult:
    """The outcome for one file: a submission when it has no errors, and every problem found."""

    path: Path
    sha256: str
    unit_code: str = ""
    submission: Submission | None = None
    problems: list[Problem] = field(default_factory=list)
    saved_at: datetime | None = None
    revision: int = 0
    form_version: str = ""  # the thidua version that generated the form, from its metadata
    form_id: str = ""  # the form id its metadata claims, whether or not the file is valid
    set_aside: str = ""  # why a file without errors is not counted: the chair changed the criteria since

    @property
    def ok(self) -> bool:
        return self.submission is not None


def read_return(path: Path, bloc: Bloc, custody: Custody | None = None) -> ReadResult:
    """Read and check one returned file. Never raises for a bad file; the file is only read, and a
    symbolic link is reported as such without touching what it points to.
    `custody`: the chair's ledger and seal secret to check the form's identity against.

    Whatever goes wrong inside becomes a problem of this file (logged with its traceback for the
    developers), so one file can never stop the rest of the bloc."""
    path = Path(path)
    if path.is_symlink():  # never followed: a link may point anywhere (/etc/passwd named .xls)
        return ReadResult(path, "", problems=[problem("file.link", file=path.name)])
    try:
        return _read_return(path, bloc, custody)
    except Exception:  # the last guard; known failures are reported precisely below
        LOG.exception("unexpected failure reading %s", path)
        result = ReadResult(path, _sha256_or_blank(path))
        result.problems.append(problem("file.unreadable", file=path.name,
                                       reason=TR.UNEXPECTED))
        return result


def _sha256_or_blank(path: Path) -> str:
    try:
        return sha256_file(path)
    except OSError:
        return ""


def _read_return(path: Path, bloc: Bloc, custody: Custody | None = None) -> ReadResult:
    data = file_bytes(path)  # read once: hashed and opened from memory
    result = ReadResult(path, hashlib.sha256(data).hexdigest() if data is not None else sha256_file(path))
    try:
        book = open_workbook(path, data)
    except XlsxError as exc:
        result.problems.append(file_problem(path, exc))
        return result
    result.saved_at, result.revision = book.modified, book.revision
    try:
        _ReturnCheck(book, bloc, result, custody).run()
    except XlsxError as exc:
        result.problems.append(file_problem(path, exc))
        result.submission = None
    finally:
        book.close()
    return result


def file_problem(path: Path, exc: XlsxError) -> Problem:
    """The problem naming why `path` cannot be read as an xlsx (also used for peer-scoring forms)."""
    detail = exc.detail or path.suffix.lstrip(".").lower()
    params = {"format": TR.FORMATS.get(detail, detail.upper()), "reason": TR.REASONS.get(detail, detail),
              "size": f"{path.stat().st_size / 1e6:.1f} MB".replace(".", ",")}
    code = XLSX_ERRORS[exc.kind]
    return problem(code, file=path.name, **{k: v for k, v in params.items() if k in CATALOG[code].params})


class _ReturnCheck:
    def __init__(self, book: Workbook, bloc: Bloc, result: ReadResult, custody: Custody | None = None):
        self.book, self.bloc, self.result, self.custody = book, bloc, result, custody
        self.form_bloc = bloc  # the bloc as this form was issued (criteria and bonus cap), see _definition
        self.file = book.path.name

    def add(self, code: str, /, sheet: str = "", cell: str = "", **params) -> None:
        self.result.problems.append(problem(code, file=self.file, sheet=sheet, cell=cell,
                                            unit=self.result.unit_code, **params))

    def run(self) -> None:
        meta = self._metadata()
        if meta is None or not self._identity(meta) or not self._definition(meta):
            return
        if not self._custody(meta) or self.result.set_aside:
            if has_errors(self.result.problems):
                self.result.set_aside = ""  # the file's own errors come first
            return
        if self.book.has_macros:
            self.add("file.macros")
        sheet = self._form_sheet()
        if sheet is None or not self._owner(sheet, meta) or not self._structure(sheet):
            return
        values, evidence = self._values(sheet)
        if has_errors(self.result.problems):
            return
        self.result.submission = Submission(
            self.result.unit_code, self.result.path, self.result.sha256, meta.get("form_id", ""),
            self.book.modified, self.book.revision, values, evidence, meta.get("seal", ""))

    def _metadata(self) -> dict[str, str] | None:
        meta = {}
        name = find_sheet(self.book.sheet_names, META_SHEET)
        if name is not None:
            sheet = self.book.sheet(name)
            for row in range(1, len(META_KEYS) + 1):
                key, value = sheet.value(f"A{row}"), sheet.value(f"B{row}")
                if isinstance(key, str) and value is not None:
                    meta[clean(key)] = clean(str(value))
        if not meta:
            meta = {k.removeprefix("thidua_"): clean(v) for k, v in self.book.custom.items()
                    if k.startswith("thidua_")}
        if meta.get("format") != FORMAT_ID:
            self.add("form.not_a_form")
            return None
        if name is None:
            self.add("form.meta_sheet_missing", sheet=META_SHEET)
        self.result.form_version, self.result.form_id = meta.get("toolkit_version", ""), meta.get("form_id", "")
        return meta

    def _custody(self, meta: dict[str, str]) -> bool:
        """The form id must be one the chair issued to this unit, and the seal must verify."""
        for code, params in self.custody.check(meta) if self.custody else ():
            self.add(code, **params)
        return not has_errors(self.result.problems)

    def _identity(self, meta: dict[str, str]) -> bool:
        bloc = self.bloc
        member = members_by_key(bloc).get(match_key(meta.get("unit_code", "")))
        if meta.get("bloc_key") != bloc.key:  # its unit codes mean nothing in this bloc
            self.add("form.other_bloc", found=meta.get("bloc_name", ""), expected=bloc.name)
            return False
        self.result.unit_code = member.code if member else meta.get("unit_code", "")
        if meta.get("year") != str(bloc.year) or meta.get("period") != bloc.period:
            period = T.PERIODS.get(meta.get("period", ""), meta.get("period", ""))
            self.add("form.other_period", found=f"{period} {meta.get('year', '')}",
                     expected=T.period_title(bloc.period, bloc.year))
        elif member is None:
            self.add("form.unknown_unit", code=meta.get("unit_code", ""))
        return not has_errors(self.result.problems)

    def _definition(self, meta: dict[str, str]) -> bool:
        """The form is read against the definition it was issued with, when the chair's side remembers
        it. Another criteria table than the chair's: the unit's fault when the chair has issued forms
        of the current table since (form.old_criteria), else the chair's change: set aside, unblamed
        (the chair is told once, by the collection)."""
        found, current = meta.get("fingerprint", ""), fingerprint_of(self.bloc.criteria)
        issued = self.custody.issued if self.custody else None
        definition = issued.of_form(meta.get("form_id", ""), found) if issued else None
        if definition is not None:
            self.form_bloc = definition.bloc_for(self.bloc)
        if found == current:
            return True
        if definition is not None and not issued.criteria_current(self.bloc):
            self.result.set_aside = TI.SET_ASIDE  # still checked against the ledger and seal, then stops
            return True
        self.add("form.old_criteria", found=found, expected=current)
        return False

    def _form_sheet(self) -> Sheet | None:
        known = (T.FORM_SHEET, META_SHEET)
        for extra in (s for s in self.book.sheet_names if not any(same_key(s, k) for k in known)):
            self.add("form.sheet_added", sheet=extra, form_sheet=T.FORM_SHEET)
        name = find_sheet(self.book.sheet_names, T.FORM_SHEET)
        if name is None:
            self.add("form.sheet_missing", sheet=T.FORM_SHEET)
            return None
        return self.book.sheet(name)

    def _owner(self, sheet: Sheet, meta: dict[str, str]) -> bool:
        """The unit line printed on the form must name the unit the metadata says it was made for."""
        expected = T.FORM_UNIT.format(name=meta.get("unit_name", ""))
        found = clean(str(sheet.value(UNIT_LINE_CELL) or ""))
        if not same_key(found, expected):
            self.add("form.owner_mismatch", sheet=sheet.name, cell=UNIT_LINE_CELL, found=found,
                     expected=meta.get("unit_name", ""))
            return False
        return True

    def _structure(self, sheet: Sheet) -> bool:
        """Headers, codes, locked texts, maxima and formulas as the form was made. Each cell is first
        compared exactly with what was written (the usual case, cheap); only a difference is looked
        at closely (Unicode forms, spacing, numbers typed as text) before it becomes a problem."""
        expected = expected_of(self.form_bloc)
        if not sheet.protected:
            self.add("form.protection_removed", sheet=sheet.name)
        for ref, header in expected.headers:
            if sheet.value(ref) != header and not self._same_text(sheet, ref, header, "form.columns_moved"):
                return False
        for row in expected.rows:
            if sheet.value(row.code_ref) != row.criterion.code and not self._same_text(
                    sheet, row.code_ref, row.criterion.code, "form.row_mismatch"):
                return False
        for row in expected.rows:
            self._check_fixed_cells(sheet, row)
        for ref in expected.total_refs:
            if not sheet.has_formula(ref):
                self.add("form.formula_overwritten", sheet=sheet.name, cell=ref)
        return not has_errors(self.result.problems)

    def _same_text(self, sheet: Sheet, ref: str, expected: str, code: str) -> bool:
        """A header or criterion code that differs from the form: the same text in another Unicode
        form or spacing is accepted; anything else is the problem `code`."""
        found = clean(str(sheet.value(ref) or ""))
        if same_key(found, expected):
            return True
        self.add(code, sheet=sheet.name, cell=ref, expected=expected, found=found)
        return False

    def _check_fixed_cells(self, sheet: Sheet, row: "FixedRow") -> None:
        c = row.criterion
        text = sheet.value(row.text_ref)
        if text != c.text and not same_key(str(text or ""), c.text):
            self.add("form.locked_edited", sheet=sheet.name, cell=row.text_ref, code=c.code, expected=c.text)
        shown = sheet.value(row.max_ref)
        if shown != row.max_points:
            found, _ = parse_number(shown) if shown not in (None, "") else (0.0, False)
            if found is None or abs(found - row.max_points) > 1e-9:
                self.add("form.max_changed", sheet=sheet.name, cell=row.max_ref, code=c.code,
                         expected=vn_number(row.max_points),
                         found=vn_number(found) if found is not None else clean(str(shown)))
        if not sheet.has_formula(row.score_ref):
            self.add("form.formula_overwritten", sheet=sheet.name, cell=row.score_ref)

    def _values(self, sheet: Sheet) -> tuple[dict[str, float], dict[str, str]]:
        values, evidence = {}, {}
        for row in expected_of(self.form_bloc).inputs:
            c = row.criterion
            value = self._leaf_value(sheet, row.input_ref, c)
            if value is not None:
                values[c.code] = value
            note = self._text(sheet, row.evidence_ref)
            if note:
                evidence[c.code] = note
            elif c.evidence_required and value:
                self.add("evidence.missing", sheet=sheet.name, cell=row.evidence_ref, code=c.code)
        return values, evidence

    def _text(self, sheet: Sheet, ref: str) -> str:
        raw = sheet.value(ref)
        if raw is None:
            return ""
        if not isinstance(raw, str):
            return clean(vn_number(raw) if isinstance(raw, float) else str(raw))
        text, encoding = repair(raw)
        if encoding:
            self.add("text.repaired", sheet=sheet.name, cell=ref, encoding=encoding.upper(), text=text)
        elif not unicodedata.is_normalized("NFC", raw):
            self.add("text.nfd", sheet=sheet.name, cell=ref, text=text)
        return text

    def _leaf_value(self, sheet: Sheet, ref: str, c: Criterion) -> float | None:
        raw, formula = sheet.cells.get(ref, NO_CELL)
        if formula:  # its cached result is not trusted
            self.add("value.formula", sheet=sheet.name, cell=ref, formula=formula)
            return None
        if type(raw) is float and c.kind != "passfail":  # a number typed in: the usual case
            if not math.isfinite(raw):
                return self._not_number(sheet, ref, raw)
            if sheet.number_kind(ref) != NUMBER:  # a date or time: its serial is no count
                return self._dated(sheet, ref, raw)
            return raw if self._in_range(sheet, ref, c, raw) else None
        if isinstance(raw, bool):  # TRUE/FALSE is never a number nor a choice
            self.add("value.boolean", sheet=sheet.name, cell=ref, value=TR.BOOLEAN_SHOWN[raw])
            return None
        if type(raw) is float and sheet.number_kind(ref) != NUMBER:
            return self._dated(sheet, ref, raw)
        if c.kind == "passfail" and raw in PASS_CHOICES:  # picked from the list: the usual case
            return PASS_CHOICES[raw]
        if raw is None or (isinstance(raw, str) and clean(raw) == ""):
            if c.kind in ("bonus", "penalty"):
                return 0.0  # nothing to add or subtract
            self.add("value.missing", sheet=sheet.name, cell=ref, code=c.code)
            return None
        if c.kind == "passfail":
            choice = PASS_VALUES.get(match_key(repair(str(raw))[0]))
            if choice is None:
                self.add("value.bad_choice", sheet=sheet.name, cell=ref, value=clean(str(raw)))
            return choice
        number, converted = parse_number(raw)
        if number is None:
            return self._not_number(sheet, ref, raw)
        if converted:
            self.add("value.decimal_comma", sheet=sheet.name, cell=ref, value=clean(str(raw)),
                     number=vn_number(number))
        return number if self._in_range(sheet, ref, c, number) else None

    def _dated(self, sheet: Sheet, ref: str, serial: float) -> None:
        """A number the cell's format shows as a date or a time: value.date / value.time."""
        kind, when = sheet.number_kind(ref), serial_parts(serial)
        if when is None:
            shown = vn_number(serial)
        elif kind == DATE:
            shown = TR.DATE_SHOWN.format(day=when.day, month=when.month, year=when.year)
        else:
            shown = TR.TIME_SHOWN.format(hour=when.hour, minute=when.minute)
        self.add(f"value.{kind}", sheet=sheet.name, cell=ref, value=shown)

    def _not_number(self, sheet: Sheet, ref: str, raw) -> None:
        self.add("value.not_number", sheet=sheet.name, cell=ref, value=clean(str(raw)))

    def _in_range(self, sheet: Sheet, ref: str, c: Criterion, number: float) -> bool:
        if number < 0:
            self.add("value.negative", sheet=sheet.name, cell=ref, value=vn_number(number))
            return False
        if c.kind == "graded":
            if number > c.max_points + 1e-9:
                self.add("value.over_max", sheet=sheet.name, cell=ref, value=vn_number(number),
                         max=vn_number(c.max_points), code=c.code)
                return False
            if c.step and abs(number / c.step - round(number / c.step)) > 1e-6:
                self.add("value.step", sheet=sheet.name, cell=ref, value=vn_number(number), step=vn_number(c.step))
                return False
        if c.input_kind == "count":
            return self._count_ok(sheet, ref, c, number)
        limit = c.actual_limit(self.bloc.rules.plausible_multiple) if c.kind == "quantitative" else None
        if limit is not None and number > limit + 1e-9:
            self.add("value.implausible", sheet=sheet.name, cell=ref, value=vn_number(number), code=c.code,
                     multiple=vn_number(self.bloc.rules.plausible_multiple), target=vn_number(c.target))
            return False
        return True

    def _count_ok(self, sheet: Sheet, ref: str, c: Criterion, number: float) -> bool:
        """A count is a whole number from 0 to MAX_COUNT."""
        if number > MAX_COUNT:
            self.add("value.count_over", sheet=sheet.name, cell=ref, value=vn_number(number),
                     max=vn_number(MAX_COUNT), code=c.code)
            return False
        if not float(number).is_integer():
            self.add("value.not_integer", sheet=sheet.name, cell=ref, value=vn_number(number))
            return False
        return True
