"""The benchmark's data set, made with thidua itself.

- `bench_tree()`: a 60-row criteria tree (6 base groups x 8 leaves of mixed kinds, a bonus group with 2
  leaves, a penalty group with 2 leaves).
- `bench_bloc(n)`: a bloc with n members (real blocs have <= 20; the model allows any number).
- forms: `toolkit.forms.write_form`, exactly as `thidua forms` writes them.
- returns: `fill_fast(form, dst, bloc, values, evidence)`. Filling 20,000 forms with openpyxl (as
  `toolkit.demo.fill_form` does) would take longer than the whole benchmark, so each return is the
  unit's own generated form with only the form sheet's input cells patched: numbers as `<v>`, texts
  (Đạt / Không đạt, evidence) appended to the shared-strings table, the way Excel stores typed text.
  Every other zip part is copied byte for byte. The reader therefore sees exactly the structure a
  unit's form has (protection, formulas, maxima, metadata, custom properties) and must do all of its
  checks; `check_fast_fill_matches_openpyxl` proves on a sample that the values read back equal those of
  the same inputs typed via openpyxl.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from toolkit.bloc import Bloc, CriteriaTree, Criterion, Member, Rules
from toolkit.demo import plausible_inputs
from toolkit.forms import form_filename
from toolkit.forms.layout import COL_EVIDENCE, COL_INPUT, form_layout
from toolkit.forms.writer import write_form

FORM_SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
GROUP_MAXIMA = (20, 20, 16, 16, 16, 12)  # base total 100
LEAF_KINDS = ("graded", "graded", "passfail", "count", "quantitative", "graded", "passfail", "graded")


def bench_tree() -> CriteriaTree:
    """60 rows: 6 groups x 8 leaves (graded, pass/fail, count, quantitative), bonus 2, penalty 2."""
    items = []
    romans = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
    for g, group_max in enumerate(GROUP_MAXIMA):
        code = romans[g]
        items.append(Criterion(code, f"Nhóm tiêu chí {code}: nhiệm vụ trọng tâm số {g + 1}", group_max))
        leaf_max = group_max / 8
        for i, kind in enumerate(LEAF_KINDS, start=1):
            text = f"Tiêu chí {code}.{i}: kết quả thực hiện nhiệm vụ được giao"
            if kind == "graded":
                items.append(Criterion(f"{code}.{i}", text, leaf_max, kind, step=0.25))
            elif kind == "passfail":
                items.append(Criterion(f"{code}.{i}", text, leaf_max, kind))
            elif kind == "count":
                items.append(Criterion(f"{code}.{i}", text, leaf_max, kind, points=leaf_max / 2))
            else:
                items.append(Criterion(f"{code}.{i}", text, leaf_max, kind, target=100, unit="%"))
    items += [Criterion("VII", "Điểm thưởng"),
              Criterion("VII.1", "Bằng khen cấp trên", 6, "bonus", points=2, evidence_required=True),
              Criterion("VII.2", "Sáng kiến được công nhận", 4, "bonus", points=1),
              Criterion("VIII", "Điểm trừ"),
              Criterion("VIII.1", "Báo cáo chậm", 0, "penalty", points=1),
              Criterion("VIII.2", "Vi phạm kỷ luật", 0, "penalty", points=2)]
    return CriteriaTree(tuple(items))


def bench_bloc(n: int, name: str = "Khối thi đua đo hiệu năng") -> Bloc:
    members = tuple(Member(i, f"DV{i:05d}", f"Đơn vị thành viên số {i}", f"Đơn vị {i}",
                           f"dv{i}@bench.example") for i in range(1, n + 1))
    return Bloc(name=name, kind="khoi", year=2026, period="tong-ket", members=members,
                criteria=bench_tree(), rules=Rules(bonus_cap=5), chair=members[0].code,
                place="Hà Nội", deadline=date(2026, 12, 10))


def fill_fast(form: Path, dst: Path, bloc: Bloc, values: dict[str, object],
              evidence: dict[str, str]) -> Path:
    """Copy `form` to `dst` with input cells set (see the module docstring)."""
    layout = form_layout(bloc.criteria)
    with zipfile.ZipFile(form) as src:
        sheet = src.read(FORM_SHEET_PART).decode("utf-8")
        strings = src.read(STRINGS_PART).decode("utf-8")
        count = int(re.search(r'uniqueCount="(\d+)"', strings).group(1))
        new_strings: list[str] = []
        cells: dict[str, str] = {}
        for code, value in values.items():
            cells[layout.cell(COL_INPUT, code)] = value
        for code, note in evidence.items():
            cells[layout.cell(COL_EVIDENCE, code)] = note

        def patch(match: re.Match) -> str:
            ref, style = match.group(1), match.group(2)
            value = cells[ref]
            if isinstance(value, str):
                new_strings.append(value)
                return f'<c r="{ref}" s="{style}" t="s"><v>{count + len(new_strings) - 1}</v></c>'
            return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'

        refs = "|".join(map(re.escape, cells))
        sheet = re.sub(rf'<c r="({refs})" s="(\d+)"/>', patch, sheet)
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in new_strings)
        strings = re.sub(r'count="\d+" uniqueCount="\d+"',
                         f'count="{count + len(new_strings)}" uniqueCount="{count + len(new_strings)}"',
                         strings, count=1).replace("</sst>", items + "</sst>")
        tmp = dst.with_name(".~" + dst.name)
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                if info.filename == FORM_SHEET_PART:
                    out.writestr(info, sheet.encode("utf-8"), zipfile.ZIP_DEFLATED)
                elif info.filename == STRINGS_PART:
                    out.writestr(info, strings.encode("utf-8"), zipfile.ZIP_DEFLATED)
                else:
                    with src.open(info) as fh, out.open(info, "w") as dest:
                        shutil.copyfileobj(fh, dest)
    tmp.replace(dst)
    return dst


def unit_inputs(bloc: Bloc, member: Member) -> tuple[dict, dict]:
    """The demo's plausible inputs (strong units high, some failures, penalties, evidence)."""
    return plausible_inputs(bloc, member, seed=8)


def make_one(args: tuple[Bloc, int, Path, Path]) -> Path:
    """Write member #i's form into forms_dir and its filled return into inbox (a pool task)."""
    bloc, i, forms_dir, inbox = args
    member = bloc.members[i]
    form = write_form(bloc, member, forms_dir / form_filename(member))
    values, evidence = unit_inputs(bloc, member)
    return fill_fast(form, inbox / form.name, bloc, values, evidence)


def check_fast_fill_matches_openpyxl(bloc: Bloc, forms_dir: Path, inbox: Path, work: Path,
                                     sample: int = 3) -> None:
    """The fast fill is faithful: the same inputs typed via openpyxl read back to the same values."""
    from toolkit.demo import fill_form
    from toolkit.returns.reader import read_return
    for member in bloc.members[:sample]:
        values, evidence = unit_inputs(bloc, member)
        form = forms_dir / form_filename(member)
        typed = fill_form(form, work / form.name, bloc, values, evidence)
        fast, slow = read_return(inbox / form.name, bloc), read_return(typed, bloc)
        assert fast.ok and slow.ok, (fast.problems, slow.problems)
        assert fast.submission.values == slow.submission.values
        assert fast.submission.evidence == slow.submission.evidence
