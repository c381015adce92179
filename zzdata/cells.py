"""Spreadsheet-safe cells: text that a spreadsheet would run as a formula.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is read by Excel, LibreOffice and Google Sheets as a formula (or DDE call):
a page whose headline starts with ``=HYPERLINK(`` becomes a live link that
leaks data when the CSV is opened. OWASP's advice ("CSV Injection") is to
prefix such a cell with a single quote, which spreadsheets show as text and
which a reader of the CSV can strip. Numbers are never touched: ``-3.2`` in
a numeric column stays a number, only strings are neutralised.

>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_cell("-8.5%"), safe_cell("株洲"), safe_cell(-3.2)
("'-8.5%", '株洲', -3.2)
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def is_formula_like(value) -> bool:
    """True for a string a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_cell(value):
    """The value with a leading quote when it is formula-like text; any other
    value unchanged."""
    return QUOTE + value if is_formula_like(value) else value


def safe_frame(frame):
    """A copy of the DataFrame whose text cells are all :func:`safe_cell`-ed;
    columns without a formula-like string are not copied cell by cell."""
    out = frame
    for column in frame.columns:
        series = frame[column]
        if series.dtype != object and str(series.dtype) not in ("string", "str"):
            continue
        cells = series.tolist()
        if any(map(is_formula_like, cells)):
            if out is frame:
                out = frame.copy()
            out[column] = type(series)([safe_cell(v) for v in cells], index=series.index, dtype=series.dtype)
    return out
