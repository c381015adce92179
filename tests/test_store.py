# The storage edge: Parquet partitions by year and paper beside the CSVs,
# lazy reading, and SQL with DuckDB.  The archive is the sample page
# (data/zhuzhou-daily-2021-04.txt) copied under made-up manifest rows: one
# copy dated 2021-04-22 in 株洲日报, one dated 2022-04-22 in 株洲晚报, one
# with neither (its date is then read from the text: 2021), one with a
# made-up paper name full of characters no file system takes, and an empty
# file (a problems row with no article).  Expected values come from reading
# the page: 全市共储备编织袋63.6万条 (line 133), so 636000 bags per copy;
# the page has 7 articles.  Case-clash and encoding cases are made up.
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import zzdata as zz
from zzdata import schema, store
from zzdata.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
ODD_PAPER = "Daily/Evening: A*B?"
MANIFEST = f"""file,paper,publication_date,pages,note
a.txt,株洲日报,2021-04-22,2,made up
b.txt,株洲晚报,2022-04-22,2,made up
c.txt,,,2,"no paper, no date"
d.txt,"{ODD_PAPER}",2023-01-05,2,made up
empty.txt,株洲日报,2021-04-23,0,an empty file
"""
BAGS_BY_YEAR = "select year, sum(value) as total from flood_prep where indicator = '编织袋' group by year order by year"


def write_archive(folder: Path) -> Path:
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt", "d.txt"):
        shutil.copy(SAMPLE, folder / name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "manifest.csv").write_text(MANIFEST, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return write_archive(tmp_path_factory.mktemp("store") / "archive")


@pytest.fixture(scope="module")
def out(archive):
    out = archive.parent / "out"
    assert main(["build", str(archive), "--out", str(out)]) == 2  # the empty file is a problem
    return out


@pytest.fixture(scope="module")
def built(archive):
    return zz.build([archive])


def partitions(out: Path, table: str) -> set[str]:
    root = store.current_folder(out) / "parquet" / table  # the version OUT/current names
    return {p.parent.relative_to(root).as_posix() for p in root.rglob("*.parquet")}


def rows(frame: pd.DataFrame) -> list[list]:
    """The rows as lists, None for every kind of missing value."""
    return [[None if pd.isna(v) else v for v in row] for row in frame.astype(object).values.tolist()]


def ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted on every column: partitions need not keep the build's order."""
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_every_table_is_a_csv_and_a_partitioned_parquet_folder(out):
    for name in zz.Tables.names():
        assert (out / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        assert not (out / f"{name}.parquet").exists()
    assert partitions(out, "flood_prep") == {
        "year=2021/paper=株洲日报",
        "year=2022/paper=株洲晚报",
        "year=2021/paper=unknown",
        "year=2023/paper=Daily%2FEvening%3A A%2AB%3F",
    }
    assert partitions(out, "problems") == {"year=unknown/paper=unknown"}  # empty.txt has no article
    assert "year=2021/paper=株洲日报" in partitions(out, "articles")


def test_the_flat_csvs_are_the_current_versions_by_a_relative_symbolic_link(out):
    """Not hard links: renaming a new hard link over the old makes ext4 write
    the whole new CSV out at that moment; a link is renamed over at no cost."""
    if not _makes_symbolic_links(out):
        pytest.skip("this system makes no symbolic links here (Windows without the right)")
    current = store.current_folder(out)
    for name in zz.Tables.names():
        flat = out / f"{name}.csv"
        assert flat.is_symlink() and Path(os.readlink(flat)) == Path("versions", current.name, f"{name}.csv")
        assert os.path.samefile(flat, current / f"{name}.csv")


def _makes_symbolic_links(folder: Path) -> bool:
    probe = folder / ".probe-link"
    try:
        os.symlink("nowhere", probe)
    except (OSError, NotImplementedError):
        return False
    probe.unlink()
    return True


def test_read_back_gives_the_built_tables_without_partition_columns(out, built):
    t = zz.Tables.read(out).materialize()
    for name in zz.Tables.names():
        got, want = getattr(t, name), getattr(built, name)
        assert list(got.columns) == schema.columns(name)
        pd.testing.assert_frame_equal(ordered(got), ordered(want), check_dtype=True, obj=name)


def test_a_table_is_read_when_first_used_and_once(out, monkeypatch):
    read = []
    real = store.read_table
    monkeypatch.setattr(store, "read_table", lambda folder, name, *a: read.append(name) or real(folder, name, *a))
    t = zz.Tables.read(out)
    assert read == []
    assert t.flood_prep["indicator"].eq("编织袋").sum() == 4
    assert len(t.flood_prep) == len(t.flood_prep)  # used twice, read once
    assert read == ["flood_prep"]
    assert "flood_prep" in repr(t) and "layout" not in repr(t)
    assert t.names() == zz.Tables.names()


def test_summary_and_coverage_work_on_lazy_tables(out):
    t = zz.Tables.read(out)
    assert "articles: 28" in t.summary()
    assert t.coverage()["unassigned"].sum() == 0


def test_years_and_papers_read_only_their_partitions(out, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    for part in (store.current_folder(copy) / "parquet").glob("*/year=2021/*/part-0.parquet"):
        part.write_bytes(b"not parquet")  # a reader that opened 2021 would fail
    t = zz.Tables.read(copy, years=2022)
    assert set(t.articles["source"]) == {"b.txt"}
    assert t.flood_prep.query("indicator == '编织袋'")["value"].tolist() == [636000]
    assert t.problems.empty
    assert set(zz.Tables.read(copy, papers=ODD_PAPER).articles["source"]) == {"d.txt"}
    assert set(zz.Tables.read(out, years=[2021, "2023"], papers=["株洲日报", ODD_PAPER]).articles["source"]) == {"a.txt", "d.txt"}
    assert set(zz.Tables.read(out, papers="unknown").articles["source"]) == {"c.txt"}
    assert zz.Tables.read(out, years="unknown").problems["source"].tolist() == ["empty.txt"]


def test_query_sums_bags_by_year(out):
    result = zz.query(BAGS_BY_YEAR, out)
    assert rows(result) == [[2021, 2 * 636000], [2022, 636000], [2023, 636000]]  # a.txt and c.txt in 2021


def test_query_sees_paper_and_year_as_columns(out):
    result = zz.query("select paper, count(*) as n from articles group by paper order by paper nulls last", out)
    assert rows(result) == [[ODD_PAPER, 7], ["株洲日报", 7], ["株洲晚报", 7], [None, 7]]
    problems = zz.query("select source, year, paper from problems", out)
    assert rows(problems) == [["empty.txt", None, None]]


def test_an_empty_table_still_has_a_view_with_its_columns(tmp_path):
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "--out", str(out)]) == 0
    result = zz.query("select * from problems", out)
    assert result.empty
    assert list(result.columns) == schema.columns("problems") + ["paper", "year"]
    assert zz.Tables.read(out).problems.empty


def test_the_query_command_prints_a_table_or_csv(out, capsys):
    assert main(["query", BAGS_BY_YEAR, "--out", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["year", "total"] and lines[2].split() == ["2022", "636000.0"]
    assert main(["query", BAGS_BY_YEAR, "--out", str(out), "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["year,total", "2021,1272000.0", "2022,636000.0", "2023,636000.0"]


@pytest.mark.parametrize(
    "sql, says",
    [
        ("select * from sandbags", "Table with name sandbags does not exist"),
        ("selec year from flood_prep", "syntax error"),
        ("select bags from flood_prep", '"bags" not found'),
    ],
)
def test_a_bad_query_is_one_line_on_stderr_with_the_tables(out, capsys, sql, says):
    assert main(["query", sql, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and says in captured.err
    assert "tables: articles, pages, layout, figures, dates, flood_prep" in captured.err


def test_a_query_without_a_build_says_how_to_make_one(tmp_path, capsys):
    assert main(["query", "select 1", "--out", str(tmp_path / "nothing")]) == 2
    assert "zzdata build" in capsys.readouterr().err


def test_a_rebuild_gives_byte_identical_csvs_and_the_same_partitions(archive, out, tmp_path):
    again = tmp_path / "again"
    main(["build", str(archive), "--out", str(again)])
    for csv in out.glob("*.csv"):
        assert csv.read_bytes() == (again / csv.name).read_bytes(), csv.name
    assert partitions(again, "layout") == partitions(out, "layout")


def test_a_write_that_fails_midway_leaves_the_previous_tables(built, tmp_path, monkeypatch):
    out = tmp_path / "out"
    built.write(out)
    (out / ".cache").mkdir()
    (out / ".cache" / "kept.part").write_bytes(b"cache")
    before = files(out)
    real = store.write_partitions

    def interrupted(tables, folder):
        real(tables, folder)  # every partition staged …
        raise KeyboardInterrupt  # … and Ctrl-C before the renames

    monkeypatch.setattr(store, "write_partitions", interrupted)
    smaller = zz.build([SAMPLE])
    with pytest.raises(KeyboardInterrupt):
        smaller.write(out)
    assert files(out) == before  # nothing staged is left behind either
    monkeypatch.undo()
    smaller.write(out)
    assert partitions(out, "articles") == {"year=2021/paper=株洲日报"}  # data/manifest.csv; the others are gone
    assert (out / ".cache" / "kept.part").read_bytes() == b"cache"


def test_stale_flat_parquet_goes_and_the_rest_of_the_folder_stays(built, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    built.articles.to_parquet(out / "articles.parquet")
    (out / "export").mkdir()
    (out / "export" / "zzdata.xlsx").write_bytes(b"workbook")
    built.write(out)
    assert not (out / "articles.parquet").exists()
    assert (out / "export" / "zzdata.xlsx").read_bytes() == b"workbook"


def test_the_flat_layout_of_earlier_versions_still_reads(built, tmp_path):
    for name in zz.Tables.names():
        getattr(built, name).to_parquet(tmp_path / f"{name}.parquet", index=False)
    assert store.is_built(tmp_path)
    t = zz.Tables.read(tmp_path)
    assert len(t.articles) == len(built.articles)
    with pytest.raises(ValueError, match="rebuild"):
        _ = zz.Tables.read(tmp_path, years=2021).articles


def test_a_build_of_another_version_fails_when_opened(out, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    part = next((store.current_folder(copy) / "parquet" / "pages").rglob("*.parquet"))
    pd.DataFrame({"source": ["x"]}).to_parquet(part)
    with pytest.raises(ValueError, match="rebuild"):
        zz.Tables.read(copy)


def test_papers_that_differ_only_in_case_get_their_own_folders():
    articles = pd.DataFrame({"source": ["a", "b", "c"], "publication_date": ["2021-01-01"] * 3, "paper": ["ABC", "abc", "ABC"]})
    keys = store.partition_keys(articles)
    assert keys["a"] == keys["c"] != keys["b"]
    assert len({k.casefold() for k in keys.values()}) == 2  # also apart on Windows and macOS


@pytest.mark.parametrize("paper", ["株洲日报", "A/B", "50%", "a=b", "C:\\x", " 尾.", "tab\there", "unknown?"])
def test_a_partition_value_is_one_safe_folder_name_that_decodes_back(paper):
    from urllib.parse import unquote

    folder = store.partition_value(paper)
    assert not set(folder) & set('/\\:*?"<>|\t') and not folder.endswith((".", " "))
    assert unquote(folder) == paper.strip()


def test_load_reads_a_build_folder_lazily(out):
    t = zz.load(out)
    assert isinstance(t, store.LazyTables)
    assert len(t.articles) == 28
