"""Shell: the entry point of the chair's button (xlwings RunPython) and `thidua doctor`; the workbook
itself (the .xlsm, its control sheet and shim) is `toolkit.chairbook`."""
