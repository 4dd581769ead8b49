"""The package's shape, measured from the code: no import circle (imports inside functions count: they
hid the one circle there was), no stage module importing a shell, no module past the size a reader can
hold in mind."""

from __future__ import annotations

import ast
from pathlib import Path

TOOLKIT = Path(__file__).resolve().parents[1] / "toolkit"
SHELLS = ("toolkit.cli", "toolkit.console", "toolkit.excel", "toolkit.ask_password", "toolkit.intake_shell",
          "toolkit.__main__")
MAX_LINES = 460  # "no module over ~450 lines"


def _module(path: Path) -> str:
    parts = path.relative_to(TOOLKIT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The toolkit modules `path` imports anywhere in it; `from package import submodule` is an arrow to
    the submodule (a package's own modules importing each other through it is no circle)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{a.name}" for a in node.names} & modules
            names = [a.name for a in node.names if f"{node.module}.{a.name}" not in modules]
            found |= submodules | ({node.module} if node.module in modules and names else set())
    return found - {_module(path)}


def _graph() -> dict[str, set[str]]:
    files = {p for p in TOOLKIT.rglob("*.py") if "__pycache__" not in p.parts}
    modules = {_module(p) for p in files}
    return {_module(p): _imports(p, modules) for p in files}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import circle as a list of modules, [] when there is none (depth-first search)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str]:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n):] + [n]
            if n not in state and (found := visit(n)):
                return found
        stack.pop()
        state[m] = 2
        return []

    for m in sorted(graph):
        if m not in state and (found := visit(m)):
            return found
    return []


def _is_shell(module: str) -> bool:
    return any(module == s or module.startswith(s + ".") for s in SHELLS)


def test_the_import_graph_has_no_circle_even_through_imports_inside_functions():
    assert _cycle(_graph()) == []


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) == []


def test_no_stage_module_imports_a_shell():
    wrong = {m: sorted(n for n in ns if _is_shell(n)) for m, ns in _graph().items() if not _is_shell(m)}
    assert {m: ns for m, ns in wrong.items() if ns} == {}


def test_no_module_is_longer_than_a_reader_can_follow():
    long = {str(p.relative_to(TOOLKIT)): n for p in TOOLKIT.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
