"""The chair's workbook: the sheets thidua reads from and writes into khoi.xlsx / khoi.xlsm."""
