"""Shell: the chair's Excel workbook with a button (xlwings RunPython), its entry point, and `thidua doctor`."""
