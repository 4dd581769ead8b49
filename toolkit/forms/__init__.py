"""Stage 2 — generate the scoring forms; `layout` is the contract shared with the reader."""

from toolkit.forms.layout import META_SHEET, FormLayout, form_layout

WRITER_NAMES = ("form_filename", "generate_forms", "leaf_formula", "write_form")


def __getattr__(name: str):
    """The writer's names, imported on first use: the reader needs only the layout, not XlsxWriter."""
    if name in WRITER_NAMES:
        from toolkit.forms import writer
        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["META_SHEET", "FormLayout", "form_filename", "form_layout", "generate_forms", "leaf_formula",
           "write_form"]
