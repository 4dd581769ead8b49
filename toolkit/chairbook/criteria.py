"""The Tiêu chí sheet: the criteria tree (dotted codes, kinds, maxima, steps, targets, evidence)."""

from __future__ import annotations

from toolkit import texts as T
from toolkit.bloc.builtin import default_criteria
from toolkit.bloc.model import Bloc, CriteriaTree, Criterion
from toolkit.docstyle import fit_row, page_setup, row_height, set_widths
from toolkit.chairbook.cells import Collector, Rows, cell_ref, data_rows, number, text
from toolkit.vntext import match_key, vn_number

SHEET = T.SHEET_CRITERIA
WIDTHS = (8, 70, 11, 16, 10, 12, 10, 11, 12)


def write_criteria(ws, fmt: dict, bloc: Bloc | None) -> None:
    """Fill the Tiêu chí sheet (the default criteria for an empty template)."""
    tree = bloc.criteria if bloc else default_criteria()
    set_widths(ws, WIDTHS)
    page_setup(ws, repeat_rows=(0, 0), freeze=(1, 0))
    ws.write_row(0, 0, T.CRITERIA_COLUMNS, fmt["head"])
    ws.set_row(0, row_height(zip(T.CRITERIA_COLUMNS, WIDTHS)))
    for row, c in enumerate(tree, start=1):
        ws.write_string(row, 0, c.code, fmt["text"])
        ws.write_string(row, 1, c.text, fmt["text"])
        fit_row(ws, row, [(c.text, WIDTHS[1])])
        for col, value in ((2, c.max_points), (4, c.step), (5, c.points), (6, c.target)):
            ws.write(row, col, value if value else "", fmt["num"])
        ws.write_string(row, 3, T.KIND_LABELS[c.kind], fmt["text"])
        ws.write_string(row, 7, c.unit, fmt["text"])
        ws.write_string(row, 8, T.YES if c.evidence_required else "", fmt["text"])
    last = max(len(tree) + 200, 300)
    ws.data_validation(1, 3, last, 3, {"validate": "list", "source": list(T.KIND_LABELS.values())})
    ws.data_validation(1, 8, last, 8, {"validate": "list", "source": [T.YES, T.NO]})


def read_criteria(rows: Rows, out: Collector) -> CriteriaTree:
    """The criteria tree; bad rows are left out and the tree's shape is checked, all pinned to cells."""
    kinds = {match_key(label): key for key, label in T.KIND_LABELS.items()}
    items, seen = [], {}
    for i, row in data_rows(rows, 9):
        code = text(row[0]).rstrip(".")
        if not code:
            out.add("bloc.missing_field", sheet=SHEET, cell=cell_ref(1, i), field=T.CRITERIA_COLUMNS[0])
            continue
        if code in seen:
            out.add("bloc.duplicate_code", sheet=SHEET, cell=cell_ref(1, i), code=code, other_row=seen[code])
            continue
        seen[code] = i
        kind = kinds.get(match_key(text(row[3])) or match_key(T.KIND_LABELS["group"]))
        if kind is None:
            out.add("bloc.unknown_kind", sheet=SHEET, cell=cell_ref(4, i), value=text(row[3]),
                    allowed=", ".join(T.KIND_LABELS.values()))
            continue
        nums = [number(row[col], SHEET, cell_ref(col + 1, i), T.CRITERIA_COLUMNS[col], out)
                for col in (2, 4, 5, 6)]
        items.append((i, Criterion(code, text(row[1]), nums[0], kind, nums[1], nums[2], nums[3],
                                   text(row[7]), match_key(text(row[8])) == match_key(T.YES))))
    if not items and not out.problems:
        out.add("bloc.no_criteria", sheet=SHEET)
    tree = CriteriaTree(tuple(c for _, c in items))
    _check_tree(items, tree, out)
    return tree


def _check_tree(items: list[tuple[int, Criterion]], tree: CriteriaTree, out: Collector) -> None:
    rows = {c.code: i for i, c in items}
    known: set[str] = set()
    for i, c in items:
        parent = c.parent_code
        if parent is not None and parent not in known:
            out.add("bloc.orphan", sheet=SHEET, cell=cell_ref(1, i), code=c.code, parent=parent)
        known.add(c.code)
        children = tree.children(c.code)
        if children and not c.is_group:
            out.add("bloc.leaf_with_children", sheet=SHEET, cell=cell_ref(4, i), code=c.code)
        if c.is_group and not children:
            out.add("bloc.empty_group", sheet=SHEET, cell=cell_ref(1, i), code=c.code)
    for group in (c for _, c in items if c.is_group):
        leaves = tree.leaves_under(group.code)
        special = [c for c in leaves if c.kind in ("bonus", "penalty")]
        if special and (len(special) != len(leaves) or len({c.kind for c in special}) > 1):
            out.add("bloc.mixed_section", sheet=SHEET, cell=cell_ref(1, rows[group.code]), code=group.code)
        elif not special:
            total = sum(c.max_points for c in tree.children(group.code))
            if abs(total - group.max_points) > 1e-9:
                out.add("bloc.sum_mismatch", sheet=SHEET, cell=cell_ref(3, rows[group.code]),
                        code=group.code, children=vn_number(total), max=vn_number(group.max_points))
