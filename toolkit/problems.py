"""Problems found in a bloc workbook or a returned form, each pinned to file, sheet and cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.texts.problems import CATALOG, ERROR, WARNING, Entry

__all__ = ["Problem", "ProblemError", "FolderError", "UserError", "ERROR", "WARNING", "problem", "has_errors"]


@dataclass(frozen=True)
class Problem:
    """One catalogued problem: `code` names its kind; `message` is the formatted Vietnamese text."""

    code: str
    severity: str
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    unit: str = ""
    params: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        """'file › sheet › cell' with the parts that are known."""
        return " › ".join(part for part in (self.file, self.sheet, self.cell) if part)

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                "file": self.file, "sheet": self.sheet, "cell": self.cell, "unit": self.unit}


def problem(code: str, /, *, file: str = "", sheet: str = "", cell: str = "", unit: str = "",
            **params) -> Problem:
    """Build a Problem from the catalog. Programming errors: an unknown code (KeyError), parameters
    missing or not declared by the entry, or a location field of the template left blank (TypeError)."""
    entry = CATALOG[code]
    _check_fields(code, entry, params, {"file": file, "sheet": sheet, "cell": cell})
    message = entry.template.format(file=file, sheet=sheet, cell=cell, **params)
    return Problem(code, entry.severity, message, file, sheet, cell, unit, params)


def _check_fields(code: str, entry: Entry, params: dict, location: dict[str, str]) -> None:
    missing, extra = entry.params - params.keys(), params.keys() - entry.params
    blank = {name for name in entry.fields.split() if name in location and not location[name]}
    if missing or extra or blank:
        raise TypeError(f"problem {code!r}: missing {sorted(missing)}, not declared {sorted(extra)}, "
                        f"blank location {sorted(blank)}")


def has_errors(problems: list[Problem]) -> bool:
    return any(p.is_error for p in problems)


class UserError(Exception):
    """An error the user can act on, its message already in Vietnamese: the shells (CLI, button)
    show it without a traceback. Every such error derives from this one class."""


class ProblemError(UserError):
    """Raised when an input cannot be used at all; carries the problems that explain why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class FolderError(UserError):
    """A user error about folders (message already in Vietnamese)."""
