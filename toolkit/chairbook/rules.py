"""The Quy tắc sheet: bonus cap, tie-break chain, weights, meeting thresholds, quotas, grade table."""

from __future__ import annotations

import re
from fractions import Fraction

from toolkit import texts as T
from toolkit.bloc.model import CriteriaTree, GradeBand, Rules, TieBreak
from toolkit.docstyle import fit_row, page_setup, set_widths
from toolkit.chairbook.cells import Collector, Rows, cell_ref, key_values, number, text, yes_no
from toolkit.chairbook.percent import read_percent
from toolkit.vntext import match_key, parse_number, vn_number

SHEET = T.SHEET_RULES
PERCENT_FIELDS = ("quorum", "approval")  # rules-sheet fields that are percentages (quorum: or a fraction)
GRADE_TABLE_ROW = 10  # 1-based row of the grade table title on the rules sheet (at least; found by its title)
R = T.rules


# --- writing --------------------------------------------------------------------------------------

def write_rules(ws, fmt: dict, rules: Rules) -> None:
    """Fill the Quy tắc sheet: one labelled value per row, then the grade table."""
    set_widths(ws, (40, 60, 60))
    page_setup(ws, repeat_rows=(0, 0), freeze=(1, 0))
    ws.write_row(0, 0, T.INFO_HEADER, fmt["head"])
    values = {
        "bonus_cap": rules.bonus_cap, "tie_break": rules.tie_break.text,
        "weight_self": rules.weight_self, "weight_review": rules.weight_review,
        "weight_cross": rules.weight_cross, **rule_values(rules),
    }
    fields = {**T.RULE_FIELDS, **R.RULE_FIELDS}
    for row, (key, label) in enumerate(fields.items(), start=1):
        ws.write_string(row, 0, label, fmt["text"])
        fit_row(ws, row, [(label, 40), (str(values[key]), 60)])
        cell_format = fmt["percent"] if key in PERCENT_FIELDS else fmt["num"]
        ws.write(row, 1, values[key], fmt["text"] if isinstance(values[key], str) else cell_format)
    cross_row = list(fields).index("cross_scoring") + 1
    ws.data_validation(cross_row, 1, cross_row, 1, {"validate": "list", "source": [T.YES, T.NO]})
    for key in PERCENT_FIELDS:
        row = list(fields).index(key) + 1
        ws.data_validation(row, 1, row, 1, percent_validation(fields[key], key != "quorum"))
    title = max(GRADE_TABLE_ROW, len(fields) + 3)
    ws.write_string(title - 1, 0, T.GRADE_TABLE_TITLE, fmt["title"])
    ws.write_row(title, 0, T.GRADE_COLUMNS, fmt["head"])
    for i, band in enumerate(rules.grade_bands, start=title + 1):
        ws.write_string(i, 0, band.name, fmt["text"])
        ws.write_number(i, 1, band.min_total, fmt["num"])
        ws.write_number(i, 2, round(band.min_group_share * 100, 4), fmt["percent"])
    ws.data_validation(title + 1, 2, title + 20, 2, percent_validation(T.GRADE_COLUMNS[2]))


def percent_validation(label: str, numeric: bool = True) -> dict:
    """Data validation of a percentage cell: a number 0..100 (85 or 85%, which Excel stores as 0.85),
    with an input message saying so; `numeric=False` (the quorum, which may be a fraction like 2/3)
    only shows the message."""
    message = {"input_title": T.PERCENT_INPUT_TITLE, "input_message": T.PERCENT_INPUT_MESSAGE.format(field=label)[:255]}
    if not numeric:
        return {"validate": "any", **message}
    return {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
            "error_title": T.PERCENT_INPUT_TITLE, "error_message": T.PERCENT_ERROR, **message}


def rule_values(rules: Rules) -> dict[str, object]:
    """Values written on the rules sheet for the keys of `texts.rules.RULE_FIELDS`."""
    return {
        "group_weights": "; ".join(f"{code}={vn_number(w)}" for code, w in rules.group_weights),
        "cross_scoring": T.YES if rules.cross_scoring else T.NO,
        "cross_flag_threshold": rules.cross_flag_threshold,
        "quorum": _fraction_text(rules.quorum),
        "approval": round(rules.approval * 100, 4),
        "flag_quota": rules.flag_quota,
        "certificate_quota": rules.certificate_quota,
        "plausible_multiple": rules.plausible_multiple,
    }


def _fraction_text(share: float) -> str:
    fraction = Fraction(share).limit_denominator(100)
    return f"{fraction.numerator}/{fraction.denominator}" if abs(float(fraction) - share) < 1e-9 \
        else vn_number(round(share * 100, 4)) + "%"


# --- reading --------------------------------------------------------------------------------------

def read_rules(rows: Rows, tree: CriteriaTree, out: Collector) -> Rules:
    """The bloc's rules (blank = default); bad values are pinned problems."""
    title = next((i for i, row in enumerate(rows, start=1)
                  if row and match_key(text(row[0])) == match_key(T.GRADE_TABLE_TITLE)), GRADE_TABLE_ROW)
    kv = key_values(rows[:title - 1])
    defaults = Rules()

    def num(key: str, default: float) -> float:
        value, row = kv.get(match_key(T.RULE_FIELDS[key]), (None, 0))
        if text(value) == "":
            return default
        return number(value, SHEET, cell_ref(2, row), T.RULE_FIELDS[key], out)

    chain_value, chain_row = kv.get(match_key(T.RULE_FIELDS["tie_break"]), (None, 0))
    chain = _parse_tie_break(text(chain_value), tree, cell_ref(2, chain_row), out)
    return Rules(
        bonus_cap=num("bonus_cap", defaults.bonus_cap),
        grade_bands=_read_grades(rows, title, out) or defaults.grade_bands,
        tie_break=chain,
        weight_self=num("weight_self", defaults.weight_self),
        weight_review=num("weight_review", defaults.weight_review),
        weight_cross=num("weight_cross", defaults.weight_cross),
        **_read_meeting_rules(kv, {g.code for g in tree.top_groups()}, out),
        **_read_plausible_multiple(kv, out),
    )


def _parse_tie_break(found: str, tree: CriteriaTree, cell: str, out: Collector) -> TieBreak:
    chain, bad = TieBreak.parse(found, {g.code for g in tree.top_groups()})
    for part in bad:
        out.add("bloc.bad_tie_break", sheet=SHEET, cell=cell, value=part, allowed=TieBreak.choices())
    return chain


def _read_grades(rows: Rows, title: int, out: Collector) -> tuple[GradeBand, ...]:
    bands = []
    for i, row in enumerate(rows[title + 1:], start=title + 2):
        row = (list(row) + [None] * 3)[:3]
        if text(row[0]) == "":
            continue
        total = number(row[1], SHEET, cell_ref(2, i), T.GRADE_COLUMNS[1], out)
        share = percent(row[2], cell_ref(3, i), T.GRADE_COLUMNS[2], out)
        bands.append(GradeBand(text(row[0]), total, (share or 0.0) / 100))
    return tuple(sorted(bands, key=lambda b: -b.min_total))


def _read_meeting_rules(kv: dict[str, tuple[object, int]], top_codes: set[str], out: Collector) -> dict:
    """Keyword arguments of `Rules` from the rules sheet's meeting fields (blank = default)."""
    defaults, found = Rules(), {}

    def get(key: str):
        value, row = kv.get(match_key(R.RULE_FIELDS[key]), (None, 0))
        return value, cell_ref(2, row) if row else "", R.RULE_FIELDS[key]

    def bad(got, hint: str) -> None:
        value, cell, label = got
        out.add("bloc.bad_value", sheet=SHEET, cell=cell, value=text(value), field=label, hint=hint)

    got = get("group_weights")
    if text(got[0]):
        found["group_weights"] = _group_weights(got, top_codes, bad)
    got = get("cross_scoring")
    if text(got[0]):
        choice = yes_no(got[0])
        if choice is None:
            bad(got, T.HINTS["choice"].format(choices=T.CHOICE_JOIN.join((T.YES, T.NO))))
        found["cross_scoring"] = bool(choice)
    got = get("cross_flag_threshold")
    if text(got[0]):
        found["cross_flag_threshold"] = number(got[0], SHEET, got[1], got[2], out)
    for key in PERCENT_FIELDS:
        value, cell, label = get(key)
        if text(value):
            share = _fraction(value) if key == "quorum" else None
            if share is None:
                share = percent(value, cell, label, out, "fraction" if key == "quorum" else "percent")
                share = None if share is None else share / 100
            found[key] = getattr(defaults, key) if share is None else share
    for key in ("flag_quota", "certificate_quota"):
        got = get(key)
        if text(got[0]):
            whole, _ = parse_number(got[0])
            if whole is None or whole < 0 or not whole.is_integer():
                bad(got, T.HINTS["whole"])
            else:
                found[key] = int(whole)
    return found


def _read_plausible_multiple(kv: dict[str, tuple[object, int]], out: Collector) -> dict:
    """{"plausible_multiple": m} when the chair wrote one (a number ≥ 1), else {} (the default)."""
    label = R.RULE_FIELDS["plausible_multiple"]
    value, row = kv.get(match_key(label), (None, 0))
    if not text(value):
        return {}
    multiple, _ = parse_number(value)
    if multiple is None or not 1 <= multiple < 1e6:
        out.add("bloc.bad_value", sheet=SHEET, cell=cell_ref(2, row), value=text(value), field=label,
                hint=R.MULTIPLE_HINT)
        return {}
    return {"plausible_multiple": multiple}


def _group_weights(got, top_codes: set[str], bad) -> tuple[tuple[str, float], ...]:
    weights = []
    for part in (p.strip() for p in text(got[0]).split(";") if p.strip()):
        code, sep, value = part.partition("=")
        weight, _ = parse_number(value.strip()) if sep else (None, False)
        code = code.strip().upper().rstrip(".")
        if code not in top_codes or weight is None or weight < 0:
            bad(got, T.HINTS["group_weights"])
            continue
        weights.append((code, weight))
    return tuple(weights)


def percent(value, cell: str, field: str, out: Collector, hint: str = "percent") -> float | None:
    """A percentage 0..100 read by `read_percent` (85, 85%, "85 %"...); a pinned problem and None
    when it is not one."""
    found, why = read_percent(value)
    if why == "fraction":
        example = vn_number(round(parse_number(value)[0] * 100, 4))
        out.add("bloc.bare_fraction", sheet=SHEET, cell=cell, value=text(value), field=field, percent=example)
    elif why:
        out.add("bloc.bad_value", sheet=SHEET, cell=cell, value=text(value), field=field, hint=T.HINTS[hint])
    return found


def _fraction(value) -> float | None:
    """'2/3' -> 0.667 (a share of at most 1 written as a fraction), else None."""
    match = re.fullmatch(r"(\d+)/(\d+)", text(value).replace(" ", ""))
    if not match:
        return None
    numerator, denominator = map(int, match.groups())
    return numerator / denominator if 0 < denominator and numerator <= denominator else None
