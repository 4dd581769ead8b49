"""What the forms were issued with, remembered on the chair's side, and what the chair changed since.

`make_forms` records the bloc's definition (criteria and rules) in the chair-only folder .thidua/
(toolkit.paths `BlocFolder.issued`) with the id of every form issued from it. A return is read against
the definition its form was issued with, and the chair's workbook is compared with the latest issue:

- a rule that does not change what a unit typed (bonus cap, weights, grade bands, tie-break, quotas...)
  is applied to the returned values, with one warning to the chair;
- a changed criteria table means the issued forms no longer fit: one error to the chair, and returns
  of the old table are not counted until new forms are issued or the old values are put back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from toolkit import texts as T
from toolkit.bloc.model import Bloc, CriteriaTree, Criterion, GradeBand, Rules, TieBreak, TieKey, TieStep
from toolkit.fileio import atomic_path
from toolkit.paths import BlocFolder
from toolkit.problems import Problem, problem
from toolkit.texts import issued as TI
from toolkit.vntext import vn_number

CRITERION_FIELDS = ("text", "max_points", "kind", "step", "points", "target", "unit", "evidence_required")
PERCENT_RULES = ("quorum", "approval")
MISMATCH_CODES = ("rules.changed_after_issue", "rules.criteria_changed_after_issue")


@dataclass(frozen=True)
class Change:
    """One difference between the issued definition and the chair's workbook, in the chair's words.
    `criteria`: it changes what a unit types, so the issued forms no longer fit."""

    what: str
    old: str
    new: str
    criteria: bool = False

    @property
    def text(self) -> str:
        return TI.CHANGE.format(what=self.what, old=self.old, new=self.new) if self.old or self.new \
            else self.what


@dataclass(frozen=True)
class Definition:
    """The criteria and rules a set of forms was issued with."""

    criteria: CriteriaTree
    rules: Rules

    @classmethod
    def of_bloc(cls, bloc: Bloc) -> Definition:
        return cls(bloc.criteria, bloc.rules)

    @cached_property
    def fingerprint(self) -> str:
        return self.criteria.fingerprint()

    @cached_property
    def key(self) -> str:
        """A hash of the whole definition (the criteria fingerprint leaves the rules out)."""
        text = json.dumps(self.as_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def as_json(self) -> dict:
        return {"criteria": [dataclasses.asdict(c) for c in self.criteria],
                "rules": dataclasses.asdict(self.rules)}

    @classmethod
    def from_json(cls, data: dict) -> Definition:
        tree = CriteriaTree(tuple(Criterion(**row) for row in data["criteria"]))
        return cls(tree, _rules_from_json(data["rules"]))

    def bloc_for(self, bloc: Bloc) -> Bloc:
        """`bloc` as its forms were issued: the issued criteria and bonus cap (what the form shows);
        `bloc` itself when they are the same. Made once per bloc: many returns share it."""
        made = self._blocs.get(id(bloc))
        if made is None or made[0] is not bloc:
            same = self.criteria == bloc.criteria and self.rules.bonus_cap == bloc.rules.bonus_cap
            issued = bloc if same else dataclasses.replace(
                bloc, criteria=self.criteria, rules=dataclasses.replace(bloc.rules, bonus_cap=self.rules.bonus_cap))
            made = self._blocs[id(bloc)] = (bloc, issued)
        return made[1]

    @cached_property
    def _blocs(self) -> dict[int, tuple[Bloc, Bloc]]:
        return {}

    def changes_to(self, now: Definition) -> list[Change]:
        """What differs in `now` (the chair's workbook) from this issued definition."""
        if self.key == now.key:
            return []
        return _criteria_changes(self.criteria, now.criteria) + _rule_changes(self.rules, now.rules)


@dataclass(frozen=True)
class IssuedForms:
    """Every definition forms were issued with (by key), the definition of each form id, the latest."""

    definitions: dict[str, Definition]
    forms: dict[str, str]
    latest: str = ""

    def of_form(self, form_id: str, fingerprint: str) -> Definition | None:
        """The definition form `form_id` was issued with, when known and of the criteria it claims."""
        found = self.definitions.get(self.forms.get(form_id, ""))
        return found if found is not None and found.fingerprint == fingerprint else None

    @property
    def latest_definition(self) -> Definition | None:
        return self.definitions.get(self.latest)

    def criteria_current(self, bloc: Bloc) -> bool:
        """Whether the latest forms were issued with the criteria of `bloc` (else the chair changed them)."""
        latest = self.latest_definition
        return latest is None or latest.fingerprint == bloc.criteria.fingerprint()

    def with_issue(self, definition: Definition, form_ids: list[str]) -> IssuedForms:
        forms = {**self.forms, **{form_id: definition.key for form_id in form_ids}}
        return IssuedForms({**self.definitions, definition.key: definition}, forms, definition.key)


def load_issued(folder: Path) -> IssuedForms | None:
    """What the folder's forms were issued with; None when not recorded (forms issued by an older
    thidua, or the .thidua/ folder not handed over) or unreadable."""
    try:
        data = json.loads(BlocFolder.at(folder).issued.read_text(encoding="utf-8"))
        definitions = {k: Definition.from_json(v) for k, v in data["definitions"].items()}
        return IssuedForms(definitions, dict(data["forms"]), data["latest"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_issued(folder: Path, bloc: Bloc, form_ids: list[str]) -> None:
    """Remember that `form_ids` were issued with the definition of `bloc` (earlier issues are kept)."""
    issued = (load_issued(folder) or IssuedForms({}, {})).with_issue(Definition.of_bloc(bloc), form_ids)
    data = {"definitions": {k: d.as_json() for k, d in issued.definitions.items()},
            "forms": issued.forms, "latest": issued.latest}
    with atomic_path(BlocFolder.at(folder).issued) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def definition_problems(issued: IssuedForms | None, bloc: Bloc, set_aside: int) -> list[Problem]:
    """The one chair-level problem when the chair's workbook no longer matches the latest issued forms:
    an error when the criteria changed (`set_aside` returns not counted), else a warning."""
    latest = issued.latest_definition if issued else None
    changes = latest.changes_to(Definition.of_bloc(bloc)) if latest else []
    if not changes:
        return []
    text = TI.CHANGE_JOIN.join(c.text for c in changes)
    if any(c.criteria for c in changes):
        return [problem("rules.criteria_changed_after_issue", changes=text, count=set_aside)]
    return [problem("rules.changed_after_issue", changes=text)]


# --- differences, in the chair's words ------------------------------------------------------------

def _criteria_changes(old: CriteriaTree, new: CriteriaTree) -> list[Change]:
    if old.fingerprint() == new.fingerprint():
        return []
    before, after = {c.code: c for c in old}, {c.code: c for c in new}
    out = [Change(TI.CRITERION_REMOVED.format(code=code), "", "", True) for code in before if code not in after]
    out += [Change(TI.CRITERION_ADDED.format(code=code), "", "", True) for code in after if code not in before]
    labels = dict(zip(CRITERION_FIELDS, T.CRITERIA_COLUMNS[1:]))
    for code in (c for c in before if c in after):
        for name in CRITERION_FIELDS:
            was, now = getattr(before[code], name), getattr(after[code], name)
            if was != now:
                what = TI.CRITERION_FIELD.format(code=code, field=labels[name])
                out.append(Change(what, _criterion_value(name, was), _criterion_value(name, now), True))
    return out or [Change(TI.CRITERIA_ORDER, "", "", True)]


def _criterion_value(name: str, value) -> str:
    if name == "kind":
        return T.KIND_LABELS.get(str(value), str(value))
    if isinstance(value, bool):
        return T.YES if value else T.NO
    if isinstance(value, (int, float)):
        return vn_number(value)
    return value or TI.EMPTY


def _rule_changes(old: Rules, new: Rules) -> list[Change]:
    labels = {**T.RULE_FIELDS, **T.rules.RULE_FIELDS}
    out = []
    for f in dataclasses.fields(Rules):
        was, now = getattr(old, f.name), getattr(new, f.name)
        if f.name == "grade_bands":
            out += _band_changes(was, now)
        elif was != now:
            out.append(Change(labels.get(f.name, f.name), _rule_value(f.name, was), _rule_value(f.name, now)))
    return out


def _rule_value(name: str, value) -> str:
    if isinstance(value, TieBreak):
        return value.text or TI.EMPTY
    if name == "group_weights":
        return "; ".join(f"{code}={vn_number(w)}" for code, w in value) or TI.EMPTY
    if isinstance(value, bool):
        return T.YES if value else T.NO
    if name in PERCENT_RULES:
        return TI.PERCENT.format(value=vn_number(round(value * 100, 4)))
    return vn_number(value) if isinstance(value, (int, float)) else str(value)


def _band_changes(old: tuple[GradeBand, ...], new: tuple[GradeBand, ...]) -> list[Change]:
    names = list(dict.fromkeys([b.name for b in old] + [b.name for b in new]))
    before, after = {b.name: b for b in old}, {b.name: b for b in new}
    return [Change(TI.GRADE_BAND.format(name=name), _band_value(before.get(name)), _band_value(after.get(name)))
            for name in names if before.get(name) != after.get(name)]


def _band_value(band: GradeBand | None) -> str:
    if band is None:
        return TI.NO_BAND
    return TI.GRADE_BAND_VALUE.format(total=vn_number(band.min_total),
                                      share=vn_number(round(band.min_group_share * 100, 4)))


def _rules_from_json(data: dict) -> Rules:
    """Rules as recorded; a field this thidua does not know is left out, a missing one is the default."""
    known = {f.name for f in dataclasses.fields(Rules)}
    values = {k: v for k, v in data.items() if k in known}
    if "grade_bands" in values:
        values["grade_bands"] = tuple(GradeBand(**b) for b in values["grade_bands"])
    if "tie_break" in values:
        values["tie_break"] = TieBreak(tuple(TieStep(TieKey(s["key"]), s["code"])
                                             for s in values["tie_break"]["steps"]))
    if "group_weights" in values:
        values["group_weights"] = tuple((code, w) for code, w in values["group_weights"])
    return Rules(**values)
