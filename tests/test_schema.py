# The schema is defined once in zzdata/schema.py; these tests keep the data
# dictionary (docs/tables.md) and every built table in step with it.
from pathlib import Path

import pytest

import zzdata as zz
from zzdata import schema, tables

ROOT = Path(__file__).resolve().parents[1]


def test_data_dictionary_is_up_to_date():
    written = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    assert written == schema.render_markdown() + "\n", "run: zzdata schema > docs/tables.md"


@pytest.fixture(scope="module")
def built():
    return zz.load(ROOT / "data")


@pytest.mark.parametrize("name", zz.Tables.names())
def test_built_tables_follow_the_schema(built, name):
    frame = getattr(built, name)
    assert list(frame.columns) == schema.columns(name)
    assert frame.equals(schema.conform(name, frame))


def test_every_table_is_documented():
    assert set(zz.Tables.names()) == set(schema.TABLES)


def test_a_row_with_an_unknown_column_is_refused():
    row = {c: None for c in schema.columns("problems")} | {"surprise": 1}
    with pytest.raises(ValueError, match="surprise"):
        tables.frame("problems", [row])


def test_a_row_missing_a_column_is_refused():
    row = {c: None for c in schema.columns("problems") if c != "message"}
    with pytest.raises(ValueError, match="message"):
        tables.frame("problems", [row])
