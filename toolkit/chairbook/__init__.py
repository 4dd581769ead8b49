"""The chair's workbook (khoi.xlsm / khoi.xlsx): writing and reading every sheet of it — Thông tin,
Thành viên, Tiêu chí, Quy tắc, the meeting's sheets, the control sheet — the .xlsm with its VBA and
the khoi.py shim its button imports."""

from toolkit.chairbook.book import ChairBook, load_bloc, read_chairbook, write_bloc_workbook
from toolkit.chairbook.xlsm import write_chair_xlsm

__all__ = ["ChairBook", "load_bloc", "read_chairbook", "write_bloc_workbook",
           "write_chair_xlsm"]
