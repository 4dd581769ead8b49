"""Stage 2 — generate the scoring forms; `layout` is the contract shared with the reader."""

from toolkit.forms.layout import META_SHEET, FormLayout, form_layout
from toolkit.forms.writer import form_filename, generate_forms, leaf_formula, write_form

__all__ = ["META_SHEET", "FormLayout", "form_filename", "form_layout", "generate_forms", "leaf_formula",
           "write_form"]
