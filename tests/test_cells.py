# Spreadsheet-safe cells (issue #17 item 9): the OWASP rule of zzdata/cells.py on every dtype pandas gives text.
# Cases are made up: formula starts (= + - @ tab CR) and look-alikes that must stay as they are.
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, strategies as st

from zzdata.cells import FORMULA_STARTS, is_formula_like, safe_cell, safe_frame


@pytest.mark.parametrize("dtype", [object, "string", "str"])
def test_safe_frame_on_every_text_dtype(dtype):
    frame = pd.DataFrame({"headline": pd.Series(["=HYPERLINK(\"http://x\")", "株洲", None], dtype=dtype), "value": [-3.2, 1.0, 2.0]})
    safe = safe_frame(frame)
    assert safe["headline"].tolist()[:2] == ["'=HYPERLINK(\"http://x\")", "株洲"]
    assert pd.isna(safe["headline"].tolist()[2])
    assert safe["value"].tolist() == [-3.2, 1.0, 2.0]  # numbers are never touched
    assert frame["headline"].tolist()[0].startswith("=")  # the input is not changed


def test_clean_frame_is_returned_as_is():
    frame = pd.DataFrame({"text": ["近6千人次", "13万余家"]})
    assert safe_frame(frame) is frame


@given(st.text())
def test_a_safe_cell_never_starts_a_formula(text):
    cell = safe_cell(text)
    assert not is_formula_like(cell)
    assert cell.removeprefix("'") == text or cell == text


def test_every_start_is_neutralised():
    for start in FORMULA_STARTS:
        assert safe_cell(start + "1") == "'" + start + "1"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_part_keeps_safe_lines_for_every_formula_start(start):
    """parts.to_part only runs the exact pass when its scan of the CSV bytes sees a formula-like cell:
    the scan must see each start, wherever the cell stands in the row."""
    from zzdata.parts import FileRows, to_part

    row = {"source": "a.txt", "kind": "empty", "message": start + "SUM(A1)", "line": None, "offset": None}
    part = to_part(FileRows("a.txt", {"problems": (row,)}))
    assert "problems" in part.sheet
    assert ("'" + start + "SUM(A1)").encode() in part.sheet["problems"] or start in "\t\r"


def test_a_clean_part_has_no_safe_lines():
    from zzdata.parts import FileRows, to_part

    row = {"source": "a.txt", "kind": "empty", "message": "近6千人次 -3", "line": None, "offset": None}
    assert to_part(FileRows("a.txt", {"problems": (row,)})).sheet == {}
