"""Standing rule: every text a user sees lives in toolkit/texts/. A Vietnamese string literal anywhere
else in the package is a defect — docstrings, single characters (letter mappings such as đ -> d) and the
data tables of vntext and the built-in blocs aside."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import toolkit

PACKAGE = Path(toolkit.__file__).parent
# Data, not messages: the legacy-encoding tables and the seed blocs' names and criteria.
DATA_MODULES = {"vntext.py", "bloc/builtin.py"}
VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ]", re.I)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _vietnamese_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            and len(node.value) > 1 and VIETNAMESE.search(node.value)]


def test_no_user_text_outside_the_texts_package():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("texts/") or relative in DATA_MODULES:
            continue
        found += _vietnamese_literals(path)
    assert found == []
