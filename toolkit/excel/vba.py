"""Read the VBA source inside a macro-enabled workbook (oletools): modules, macros, xlwings version."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

XLWINGS_VERSION = re.compile(r'XLWINGS_VERSION\s+As\s+String\s*=\s*"([^"]+)"', re.IGNORECASE)
SUB = re.compile(r"^\s*(?:Public\s+|Private\s+)?Sub\s+(\w+)\s*\(", re.IGNORECASE | re.MULTILINE)


class VbaError(Exception):
    """The workbook's VBA project cannot be read."""


def vba_modules(path: Path) -> dict[str, str]:
    """Module file name (e.g. 'Module1.bas') -> source code; empty when the file has no VBA."""
    with warnings.catch_warnings():      # oletools still uses pyparsing's deprecated names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    try:
        parser = VBA_Parser(str(path))
    except Exception as exc:  # oletools raises its own classes for unreadable or foreign files
        raise VbaError(f"{type(exc).__name__}: {exc}") from None
    try:
        if not parser.detect_vba_macros():
            return {}
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def macro_names(modules: dict[str, str]) -> set[str]:
    """Every Sub defined in the modules (the macros a button can be bound to)."""
    return {name for code in modules.values() for name in SUB.findall(code)}


def xlwings_vba_version(modules: dict[str, str]) -> str | None:
    """The version string of the xlwings VBA module (`Public Const XLWINGS_VERSION`), if present."""
    for code in modules.values():
        match = XLWINGS_VERSION.search(code)
        if match:
            return match.group(1)
    return None
