"""The control sheet (Điều khiển) of the chair's .xlsm: the inbox and output folders, the action, the
button, the status line and the results area the button fills."""

from __future__ import annotations

from toolkit import texts as T
from toolkit.docstyle import page_setup

B = T.button
BUTTON_MACRO = "SampleCall"

# 0-based rows of the control sheet as written; the button reads them back by their labels.
CONTROL_ROWS = {"title": 0, "help": 1, "inbox": 3, "output": 4, "action": 5, "status": 7, "results": 9}
CONTROL_LABELS = {"inbox": B.LABEL_INBOX, "output": B.LABEL_OUTPUT, "action": B.LABEL_ACTION,
                  "status": B.LABEL_STATUS, "results": B.LABEL_RESULTS}
RESULT_WIDTHS = (24, 60, 14, 18, 14, 30)   # results: the long text (unit, message) goes in column B
RESULT_COLUMNS = len(RESULT_WIDTHS)
ACTION_LIST_COLUMN = RESULT_COLUMNS + 2  # hidden column holding the actions the validation lists


def control_formats(wb) -> dict:
    """The cell formats of the control sheet, added to an XlsxWriter workbook."""
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "vcenter"}
    return {
        "title": wb.add_format({**base, "bold": True, "font_size": 14}),
        "help": wb.add_format({**base, "italic": True, "font_color": "#595959", "text_wrap": True}),
        "cell": wb.add_format(base),
        "first": wb.add_format({**base, "align": "left"}),
        "number": wb.add_format({**base, "num_format": "0.00"}),
        "wrap": wb.add_format({**base, "text_wrap": True}),
        "head": wb.add_format({**base, "bold": True, "bottom": 1}),
        "label": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "input": wb.add_format({**base, "border": 1, "bg_color": "#FFF2CC"}),
        "status": wb.add_format({**base, "border": 1, "text_wrap": True, "bold": True, "font_color": "#1F4E79"}),
    }


def write_control(ws, fmt: dict, inbox: str, output: str) -> None:
    """Fill the control sheet; `inbox` and `output` are the folders shown, relative to the workbook."""
    rows = CONTROL_ROWS
    # column formats: what the button writes into the results area takes them
    column_formats = [fmt["first"], fmt["wrap"], fmt["number"]] + [fmt["cell"]] * (RESULT_COLUMNS - 3)
    for col, (width, column_format) in enumerate(zip(RESULT_WIDTHS, column_formats)):
        ws.set_column(col, col, width, column_format)
    ws.set_row(rows["results"] + 1, None, fmt["head"])
    ws.set_row(rows["status"], 48)
    ws.set_row(rows["help"], 32)
    page_setup(ws, freeze=(rows["results"] + 2, 0))  # A4 landscape, the results' columns on the width
    ws.write_string(rows["title"], 0, B.CONTROL_TITLE, fmt["title"])
    ws.merge_range(rows["help"], 0, rows["help"], RESULT_COLUMNS - 1, B.CONTROL_HELP, fmt["help"])
    for key, value in (("inbox", inbox), ("output", output), ("action", B.ACTIONS[B.DEFAULT_ACTION])):
        ws.write_string(rows[key], 0, CONTROL_LABELS[key], fmt["label"])
        ws.write_string(rows[key], 1, value, fmt["input"])
    _action_list(ws, rows["action"])
    ws.write_string(rows["status"], 0, B.LABEL_STATUS, fmt["label"])
    ws.merge_range(rows["status"], 1, rows["status"], RESULT_COLUMNS - 1, B.STATUS_NEW, fmt["status"])
    ws.write_string(rows["results"], 0, B.LABEL_RESULTS, fmt["title"])
    ws.insert_button(rows["inbox"], 2, {"macro": BUTTON_MACRO, "caption": B.BUTTON_CAPTION,
                                        "width": 190, "height": 62, "x_offset": 12, "y_offset": 2})
    ws.activate()


def _action_list(ws, row: int) -> None:
    """The action cell's drop-down: the actions written down a hidden column and listed from that range
    (a literal list is limited to 255 characters, which the actions' names exceed)."""
    from xlsxwriter.utility import xl_range_abs

    labels = list(B.ACTIONS.values())
    for i, label in enumerate(labels):
        ws.write_string(i, ACTION_LIST_COLUMN, label)
    ws.set_column(ACTION_LIST_COLUMN, ACTION_LIST_COLUMN, None, None, {"hidden": True})
    source = "=" + xl_range_abs(0, ACTION_LIST_COLUMN, len(labels) - 1, ACTION_LIST_COLUMN)
    ws.data_validation(row, 1, row, 1, {"validate": "list", "source": source,
                                        "error_title": B.LABEL_ACTION, "error_message": B.ACTION_LIST_ERROR})
