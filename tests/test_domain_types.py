"""Domain words as types: criterion kinds and sections, the tie-break chain, a criterion's maximum as
scored; and the ranking package's shape (no circle, no private imports across its modules)."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import openpyxl
import pytest

from toolkit import texts as T
from toolkit.bloc import builtin_bloc
from toolkit.chairbook import load_bloc, write_bloc_workbook
from toolkit.bloc.model import (DEFAULT_TIE_BREAK, CriteriaTree, Criterion, Kind, Section, TieBreak, TieKey,
                                TieStep)
from toolkit.problems import ProblemError

RANKING = Path(__file__).resolve().parents[1] / "toolkit" / "ranking"


def test_kinds_are_typed_yet_equal_to_and_printed_as_their_words():
    c = Criterion("I.1", "Kết quả", 10, "graded")
    assert c.kind is Kind.GRADED and c.kind == "graded"
    assert f"{c.kind}" == "graded" and json.dumps([c.kind]) == '["graded"]'
    assert T.KIND_LABELS[c.kind] == T.KIND_LABELS["graded"]
    with pytest.raises(ValueError):
        Criterion("I.2", "Sai", 10, "chấm bừa")


def test_sections_are_typed():
    tree = builtin_bloc().criteria
    sections = {g.code: tree.section(g.code) for g in tree.top_groups()}
    assert set(sections.values()) == {Section.BASE, Section.BONUS, Section.PENALTY}
    assert all(isinstance(s, Section) for s in sections.values())


def test_a_top_bonus_groups_maximum_is_the_bonus_cap_and_only_there():
    C = Criterion
    tree = CriteriaTree((C("I", "Cơ bản", 10), C("I.1", "Kết quả", 10, "graded"),
                         C("II", "Thưởng", 7), C("II.1", "Nhóm thưởng", 4), C("II.1.a", "Bằng khen", 4, "bonus", points=1),
                         C("III", "Trừ", 5), C("III.1", "Chậm", 5, "penalty", points=1)))
    bloc = dataclasses.replace(builtin_bloc(), criteria=tree,
                               rules=dataclasses.replace(builtin_bloc().rules, bonus_cap=3))
    maxima = {c.code: bloc.max_points_of(c) for c in tree}
    assert maxima == {"I": 10, "I.1": 10, "II": 3, "II.1": 4, "II.1.a": 4, "III": 5, "III.1": 5}


def test_the_chain_is_parsed_back_from_its_own_words():
    chain = TieBreak((TieStep(TieKey.BONUS), TieStep.group("III"), TieStep(TieKey.PENALTY)))
    assert TieBreak.parse(chain.text, {"I", "II", "III"}) == (chain, [])
    assert TieBreak.parse(chain.text.upper(), {"I", "II", "III"}) == (chain, [])
    assert TieBreak.parse("", {"I"}) == (DEFAULT_TIE_BREAK, [])


def test_parts_naming_no_step_or_an_unknown_group_are_returned():
    text = f"{TieStep.group('IX').text}; {TieStep(TieKey.PENALTY).text}; ai cao hơn"
    chain, bad = TieBreak.parse(text, {"I", "II"})
    assert chain == TieBreak((TieStep(TieKey.PENALTY),))
    assert bad == [TieStep.group("IX").text, "ai cao hơn"]


def _rules_cell(path: Path) -> str:
    ws = openpyxl.load_workbook(path)[T.SHEET_RULES]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == T.RULE_FIELDS["tie_break"])
    return f"B{row}"


def test_the_chairs_chain_round_trips_and_a_bad_part_is_pinned(tmp_path):
    bloc = builtin_bloc()
    chain = TieBreak((TieStep.group("II"), TieStep(TieKey.BONUS)))
    bloc = dataclasses.replace(bloc, rules=dataclasses.replace(bloc.rules, tie_break=chain))
    path = tmp_path / "khoi.xlsx"
    write_bloc_workbook(path, bloc)
    assert load_bloc(path).rules.tie_break == chain
    cell = _rules_cell(path)
    wb = openpyxl.load_workbook(path)
    wb[T.SHEET_RULES][cell] = f"{TieStep(TieKey.PENALTY).text}; điểm nhóm IX cao hơn"
    wb.save(path)
    with pytest.raises(ProblemError) as info:
        load_bloc(path)
    [p] = info.value.problems
    assert (p.code, p.sheet, p.cell) == ("bloc.bad_tie_break", T.SHEET_RULES, cell)
    assert "điểm nhóm IX cao hơn" in p.message and TieBreak.choices() in p.message


def _ranking_imports() -> dict[str, list[ast.ImportFrom]]:
    return {path.stem: [n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                        if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("toolkit.ranking.")]
            for path in RANKING.glob("*.py")}


def test_ranking_modules_import_no_private_names_and_form_no_circle():
    imports = _ranking_imports()
    private = [(m, a.name) for m, nodes in imports.items() for n in nodes for a in n.names
               if a.name.startswith("_")]
    assert private == []
    uses = {m: {n.module.rsplit(".", 1)[1] for n in nodes} for m, nodes in imports.items()}
    done: set[str] = set()
    while len(done) < len(uses):  # peel off modules whose imports are all peeled: fails on a circle
        ready = {m for m, used in uses.items() if m not in done and used <= done}
        assert ready, f"import circle among {sorted(set(uses) - done)}"
        done |= ready
    assert all(len(p.read_text(encoding="utf-8").splitlines()) <= 450 for p in RANKING.glob("*.py"))
