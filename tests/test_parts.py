# Per-file parts and the incremental writer: a worker's columnar part of a
# file gives the same tables as its row dicts; the CLI, which writes parts
# without DataFrames, writes the same CSV bytes and Parquet rows as
# Tables.write; a re-build rewrites only the partitions whose files changed;
# the summary counted from parts is the one counted from the tables.  The
# archive is the sample page (data/zhuzhou-daily-2021-04.txt) copied under
# made-up manifest rows, one year each, plus an empty file; the edit changes
# 全市共储备编织袋63.6万条 (line 133 of the page) to 64.6万条, so its year's
# bags go from 636000 to 646000.  The round-trip property's values are made
# up by hypothesis.
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zzdata as zz
from zzdata import parts, read, schema, store, tables
from zzdata.cli import main
from zzdata.pipeline import assemble, build_parts, file_rows, process_page, tasks_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
MANIFEST = """file,paper,publication_date,pages,note
a.txt,株洲日报,2021-04-22,2,made up
b.txt,株洲日报,2022-04-22,2,made up
c.txt,株洲日报,2023-04-22,2,made up
empty.txt,株洲日报,2021-04-23,0,an empty file
"""
BAGS = "select year, sum(value) as total from flood_prep where indicator = '编织袋' group by year order by year"


@pytest.fixture()
def archive(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SAMPLE, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return folder


def build_cli(archive: Path, out: Path) -> None:
    assert main(["build", str(archive), "--out", str(out), "--jobs", "1"]) == 2  # the empty file is a problem


def part_files(out: Path) -> dict[str, int]:
    """Parquet part file → its inode: a file linked from the last build keeps it."""
    root = store.current_folder(out) / "parquet"  # the version OUT/current names
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*.parquet")}


def test_a_files_part_gives_the_tables_its_row_dicts_give():
    task = tasks_of([SAMPLE])[0]
    text, encoding = read.decode_bytes(task.content())
    found = file_rows(process_page(read.Page(task.source, task.path, text, encoding), task.manifest_date, task.paper))
    rows, built = found.rows, assemble([parts.to_part(found)])
    for name in zz.Tables.names():
        expected = tables.frame(name, list(rows.get(name, ())))
        pd.testing.assert_frame_equal(getattr(built, name), expected, obj=name)
    assert len(built.articles) == 7 and (built.flood_prep["value"] == 636000).any()


def test_values_of_another_type_are_converted_as_pandas_would():
    row = {"source": "a.txt", "line": 3.0, "offset": None, "kind": 7, "message": "m"}
    table = parts.arrow_table("problems", [row])
    assert table.column("line").to_pylist() == [3] and table.column("kind").to_pylist() == ["7"]
    with pytest.raises(ValueError, match="unexpected"):
        parts.arrow_table("problems", [{**row, "extra": 1}])


def test_the_cli_writes_what_tables_write_writes(archive, tmp_path):
    by_parts, by_frames = tmp_path / "parts", tmp_path / "frames"
    build_cli(archive, by_parts)
    zz.build([archive]).write(by_frames)
    for name in zz.Tables.names():
        assert (by_parts / f"{name}.csv").read_bytes() == (by_frames / f"{name}.csv").read_bytes(), name
    assert set(part_files(by_parts)) == set(part_files(by_frames))
    for path in part_files(by_parts):
        mine, theirs = pq.read_table(store.current_folder(by_parts) / "parquet" / path), pq.read_table(store.current_folder(by_frames) / "parquet" / path)
        assert mine.to_pylist() == theirs.to_pylist(), path


def test_a_rebuild_after_one_file_changed_rewrites_only_its_partitions(archive, tmp_path):
    out = tmp_path / "out"
    build_cli(archive, out)
    before = part_files(out)
    page = archive / "b.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("63.6万条", "64.6万条"), encoding="utf-8")
    build_cli(archive, out)
    after = part_files(out)
    assert set(after) == set(before)
    rewritten = {path for path in after if after[path] != before[path]}
    assert rewritten and all("/year=2022/" in path for path in rewritten)
    assert "flood_prep/year=2022/paper=株洲日报/part-0.parquet" in rewritten
    assert "pages/year=2022/paper=株洲日报/part-0.parquet" not in rewritten  # b's pages rows did not change
    assert zz.query(BAGS, out)["total"].tolist() == [636000, 646000, 636000]
    fresh = tmp_path / "fresh"
    build_cli(archive, fresh)
    for name in zz.Tables.names():
        assert (out / f"{name}.csv").read_bytes() == (fresh / f"{name}.csv").read_bytes(), name


def test_a_deleted_file_takes_its_partitions_with_it(archive, tmp_path):
    out = tmp_path / "out"
    build_cli(archive, out)
    (archive / "c.txt").unlink()
    build_cli(archive, out)
    assert not any("year=2023" in path for path in part_files(out))
    digests = json.loads((store.current_folder(out) / "parquet" / "_digests.json").read_text(encoding="utf-8"))
    assert not any("year=2023" in key for table in digests.values() for key in table)
    assert zz.query(BAGS, out)["year"].tolist() == [2021, 2022]


def test_without_the_last_builds_digests_every_partition_is_written_again(archive, tmp_path):
    out = tmp_path / "out"
    build_cli(archive, out)
    before = part_files(out)
    (store.current_folder(out) / "parquet" / "_digests.json").unlink()  # as after Tables.write, or a build by an older zzdata
    with (archive / "a.txt").open("a", encoding="utf-8") as page:  # a change, or nothing would be published
        page.write("\n本报讯 全市新增编织袋1万条。\n")
    build_cli(archive, out)
    after = part_files(out)
    assert set(after) == set(before) and all(after[p] != before[p] for p in after)
    fresh = tmp_path / "fresh"
    build_cli(archive, fresh)
    for name in zz.Tables.names():  # the partitions of unchanged files, taken from the last build's, hold the same rows
        assert zz.query(f"select * from {name}", out).equals(zz.query(f"select * from {name}", fresh)), name


def test_tables_write_leaves_no_digests_so_the_next_build_trusts_nothing(archive, tmp_path):
    out = tmp_path / "out"
    build_cli(archive, out)
    zz.build([archive / "a.txt"]).write(out)
    assert not (store.current_folder(out) / "parquet" / "_digests.json").exists()
    build_cli(archive, out)
    assert zz.query(BAGS, out)["total"].tolist() == [636000, 636000, 636000]


def test_the_summary_counted_from_parts_is_the_one_counted_from_tables(archive):
    found = build_parts([archive])
    summary = parts.total(found)
    assert summary.render() == assemble(found).summary()
    assert summary.files == 4 and summary.rows["articles"] == 21 and summary.unassigned == 0
    assert [(p.source, p.kind) for p in summary.problems] == [("empty.txt", "empty")]


def test_a_part_keeps_what_its_partition_needs(archive):
    found = {p.source: p for p in build_parts([archive])}
    assert (found["b.txt"].date, found["b.txt"].paper) == ("2022-04-22", "株洲日报")
    empty = found["empty.txt"]
    assert empty.date is None and empty.count("articles") == 0 and empty.count("problems") == 1  # year=unknown


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
def test_a_rebuild_with_nothing_changed_writes_no_parquet_file_again(archive, tmp_path):
    out = tmp_path / "out"
    build_cli(archive, out)
    before = part_files(out)
    (archive / "a.txt").touch()  # read again to learn its digest: the same, so nothing is processed
    build_cli(archive, out)
    assert part_files(out) == before
    assert len(list((out / "versions").iterdir())) == 1  # the same tables: no new version
    (archive / "c.txt").write_text((archive / "c.txt").read_text(encoding="utf-8") + "\n本报讯 新增编织袋1万条。\n", encoding="utf-8")
    build_cli(archive, out)
    after = part_files(out)
    unchanged = {p for p in before if "year=2023" not in p}  # c.txt's partitions alone are written again
    assert unchanged and all(after[p] == before[p] for p in unchanged)
    assert after["figures/year=2023/paper=株洲日报/part-0.parquet"] != before["figures/year=2023/paper=株洲日报/part-0.parquet"]
    build_cli(archive, out)
    versions = sorted(p.name for p in (out / "versions").iterdir())
    assert len(versions) == 2 and store.current_folder(out).name == versions[-1]
    assert all(p.stat().st_nlink == 2 for p in (store.current_folder(out) / "parquet").rglob("*.parquet") if "year=2023" not in str(p))


# Property: whatever a table holds, its CSV lines read back to the same
# values (quotes, commas, line breaks, empty strings against missing ones,
# extreme floats and integers).
_VALUES = {
    "string": st.none() | st.text(alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from('",\r\n ')),
    "int": st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "float": st.none() | st.floats(allow_nan=False, allow_infinity=False),
    "bool": st.none() | st.booleans(),
}


@st.composite
def _table_rows(draw):
    name = draw(st.sampled_from(sorted(schema.TABLES)))
    columns = schema.TABLES[name][1]
    rows = draw(st.lists(st.fixed_dictionaries({c.name: _VALUES[c.dtype] for c in columns}), min_size=1, max_size=5))
    return name, rows


@settings(max_examples=200, deadline=None)
@given(_table_rows())
def test_csv_lines_read_back_to_the_values_written(case):
    name, rows = case
    table = parts.arrow_table(name, rows)
    assert parts.read_lines(name, parts.csv_lines(table)).equals(table)
