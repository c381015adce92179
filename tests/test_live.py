# Tables that follow a build folder (zzdata/explore/live.py): an explorer
# built from ``open_tables(follow=True)`` takes the rows of each newer
# version published, its filters kept where they still exist; a damaged
# version leaves the old rows and the notice says so; a pointer that did not
# change redraws nothing.  The pages are made up here, short reports in the
# paper's style with numbers chosen by us (the figures each one prints are
# named beside it).  No test waits on a sleep: each one publishes a version
# (``zzdata build``), then calls the poll step (``LiveTables.poll``) itself;
# the one test in a real kernel (nbclient) waits there on the version shown,
# a condition with a generous bound.
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import zzdata as zz
from zzdata import explore as ex
from zzdata.cli import main
from zzdata.explore.live import LiveTables, version_label
from zzdata.store import current_folder

# Prints 编织袋三千条 and 救生衣二百件: two stockpile figures.
PAGE_A = (
    "荷塘区防汛物资储备到位\n"
    "本报讯(记者 王小明)近日,荷塘区宋家桥街道新增编织袋三千条、救生衣二百件,用于防汛准备。\n"
)
# Prints 冲锋舟12艘 and 抽水机46台: two more stockpile figures, on another page.
PAGE_B = (
    "渌口区备足物资迎战主汛期\n"
    "本报讯(记者 李小红)截至6月3日,渌口区防汛仓库储备冲锋舟12艘、抽水机46台,随时可调用。\n"
)


def _build(project: Path) -> str:
    """``zzdata build data --out build`` in ``project``: the name of the version published."""
    assert main(["build", str(project / "data"), "--out", str(project / "build"), "--jobs", "1", "--no-progress"]) == 0
    return current_folder(project / "build").name


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with one page in data/, built once into build/."""
    monkeypatch.delenv("ZZDATA_HOME", raising=False)
    _write(tmp_path / "data" / "a.txt", PAGE_A)
    _build(tmp_path)
    return tmp_path


def _sources(explorer) -> set[str]:
    return set(explorer.frame["source"])


def test_an_explorer_takes_the_rows_of_a_newer_version(project):
    t = ex.open_tables(project, follow=True)
    assert isinstance(t, LiveTables) and t.version.startswith("000001-")
    assert "第 1 版" in t.notice.value
    flood, figures = ex.flood_explorer(t), ex.figure_explorer(t)
    assert _sources(flood) == _sources(figures) == {"a.txt"}
    assert t.notice in flood.widget.children  # the notice is shown above each explorer
    flood.dropdowns["category"].value = "stockpile"
    assert len(flood.selection) == 2  # page a's 编织袋三千条 and 救生衣二百件
    figures.dropdowns["unit"].value = "条"
    assert len(figures.selection) == 1  # 编织袋三千条
    drawn = flood._drawn

    _write(project / "data" / "b.txt", PAGE_B)
    second = _build(project)
    assert t.poll() is True
    assert t.version == second
    assert flood._drawn == drawn + 1  # redrawn once, not once per filter
    assert _sources(flood) == _sources(figures) == {"a.txt", "b.txt"}
    assert flood.dropdowns["category"].value == "stockpile"  # the filters are kept: the new rows have them
    assert figures.dropdowns["unit"].value == "条" and len(figures.selection) == 1
    assert len(flood.selection) == 4  # and page b's 冲锋舟12艘 and 抽水机46台
    assert "共 4 行" in flood.count.value
    assert "冲锋舟" in flood.chart_text.value and "12艘" in flood.chart_text.value  # the chart is redrawn from the new rows
    assert "已更新到第 2 版" in t.notice.value
    assert set(t.articles["source"]) == {"a.txt", "b.txt"}  # the tables themselves are the new version's


def test_a_poll_with_no_change_redraws_nothing(project):
    t = ex.open_tables(project, follow=True)
    explorer = ex.service_explorer(t)
    drawn, notice = explorer._drawn, t.notice.value
    assert t.poll() is False
    assert t.poll() is False
    assert explorer._drawn == drawn and t.notice.value == notice


def test_a_damaged_version_keeps_the_old_rows_and_says_so(project):
    t = ex.open_tables(project, follow=True)
    explorer = ex.checks_explorer(t)
    rows = explorer.frame.copy()
    _write(project / "data" / "b.txt", PAGE_B)
    damaged = current_folder(project / "build").parent / _build(project)
    for part in (damaged / "parquet" / "articles").rglob("*.parquet"):
        part.write_bytes(b"not parquet")
    assert t.poll() is False
    pd.testing.assert_frame_equal(explorer.frame, rows)
    assert t.version.startswith("000001-") and set(t.articles["source"]) == {"a.txt"}
    assert "第 2 版" in t.notice.value and "读取失败" in t.notice.value and "仍显示第 1 版" in t.notice.value
    drawn = explorer._drawn
    assert t.poll() is False and explorer._drawn == drawn  # tried once, not at every poll
    _write(project / "data" / "c.txt", PAGE_A.replace("荷塘区", "芦淞区"))
    _build(project)  # a sound version after the damaged one is taken
    assert t.poll() is True and "已更新到第 3 版" in t.notice.value


def test_a_pointer_or_build_folder_gone_keeps_what_is_shown(project):
    t = ex.open_tables(project, follow=True)
    explorer = ex.article_explorer(t)
    notice, drawn = t.notice.value, explorer._drawn
    (project / "build" / "current").unlink()
    assert t.poll() is False
    (project / "build" / "current").write_text("no-such-version\n", encoding="utf-8")
    assert t.poll() is False
    shutil.rmtree(project / "build")
    assert t.poll() is False
    assert (t.notice.value, explorer._drawn) == (notice, drawn)
    assert set(explorer.frame["source"]) == {"a.txt"}


def test_a_narrowed_filter_is_kept_narrowed(project):
    t = ex.open_tables(project, follow=True)
    flood = ex.flood_explorer(t)
    flood.dropdowns["category"].value = "stockpile"
    flood.dropdowns["indicator"].value = "编织袋"  # page a prints 编织袋三千条
    _write(project / "data" / "b.txt", PAGE_B)
    _build(project)
    assert t.poll() is True
    assert (flood.dropdowns["category"].value, flood.dropdowns["indicator"].value) == ("stockpile", "编织袋")
    assert flood.selection["text"].tolist() == ["三千条"]
    indicators = [o[1] if isinstance(o, tuple) else o for o in flood.dropdowns["indicator"].options]
    assert len(indicators) == 5  # 全部 and the four stockpiled materials of pages a and b


def test_filters_missing_from_the_new_rows_fall_back_to_all(project):
    t = ex.open_tables(project, follow=True)
    flood = ex.flood_explorer(t)
    indicators = [o[1] if isinstance(o, tuple) else o for o in flood.dropdowns["indicator"].options]
    chosen = indicators[1]  # an indicator of page a
    flood.dropdowns["indicator"].value = chosen
    (project / "data" / "a.txt").unlink()
    _write(project / "data" / "b.txt", PAGE_B)
    _build(project)
    assert t.poll() is True
    assert _sources(flood) == {"b.txt"}
    assert flood.dropdowns["indicator"].value == ex.ALL  # page a's indicator is gone
    assert len(flood.selection) == len(flood.frame)


def test_tables_built_in_memory_follow_only_a_build_folder(project, tmp_path_factory, monkeypatch):
    # build/ older than data/: the pages are read in memory, the stale version is not loaded
    _write(project / "data" / "b.txt", PAGE_B)
    t = ex.open_tables(project, follow=True)
    assert isinstance(t, LiveTables) and t.version is None and "data/" in t.notice.value
    assert t.poll() is False and set(t.articles["source"]) == {"a.txt", "b.txt"}
    _build(project)  # the next version published is taken
    assert t.poll() is True and t.version.startswith("000002-")
    # no build/ at all: plain tables, nothing follows
    bare = tmp_path_factory.mktemp("bare")
    _write(bare / "data" / "a.txt", PAGE_A)
    assert not isinstance(ex.open_tables(bare, follow=True), LiveTables)
    assert not isinstance(ex.open_tables(project), LiveTables)  # follow is asked for


def test_tables_opened_again_take_over_the_earlier_follower(project):
    # a notebook run again in the same kernel: its first cell opens the tables again
    first = ex.open_tables(project, follow=True)
    old_flood, old_articles = ex.flood_explorer(first), ex.article_explorer(first)
    again = ex.open_tables(project, follow=True)
    again.take_over(first)  # what start() does in a kernel
    assert again.notice is first.notice and old_flood.widget.children[0] is again.notice
    new_flood = ex.flood_explorer(again)  # built again: replaces the earlier run's flood explorer
    assert {id(e) for e in again.explorers()} == {id(new_flood), id(old_articles)}
    _write(project / "data" / "b.txt", PAGE_B)
    _build(project)
    assert first.poll() is False  # the earlier one no longer follows by itself…
    drawn = old_flood._drawn
    assert again.poll() is True
    assert _sources(new_flood) == _sources(old_articles) == {"a.txt", "b.txt"}  # …its explorers follow the new one
    assert old_flood._drawn == drawn and _sources(old_flood) == {"a.txt"}  # not the one built again
    assert set(first.articles["source"]) == {"a.txt", "b.txt"}  # and it reads through the new one
    assert "已更新到第 2 版" in first.notice.value


def test_outside_a_kernel_nothing_polls(project):
    t = ex.open_tables(project, follow=True)
    assert t.task is None and t.start() is False


def test_live_tables_read_like_the_tables(project):
    t = ex.open_tables(project, follow=True)
    assert list(t.names()) == list(zz.Tables.names())
    assert "flood_prep" in dir(t) and "LiveTables(" in repr(t)
    with pytest.raises(AttributeError):
        t.no_such_table


@given(st.integers(1, 999_999), st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31)))
def test_version_labels_name_the_number_and_the_time(number, when):
    name = f"{number:06d}-{when:%Y%m%dT%H%M%S}Z"
    assert version_label(name, local=False) == f"第 {number} 版（{when:%Y-%m-%d %H:%M:%S} 发布）"
    local = when.replace(tzinfo=timezone.utc).astimezone()
    assert version_label(name).startswith(f"第 {number} 版（") and f"{local:%H:%M:%S} 发布）" in version_label(name)


@given(st.text(max_size=30))
def test_any_folder_name_gets_a_label(name):
    assert version_label(name)


def test_in_a_kernel_the_tables_follow_on_its_loop(project):
    """A real kernel (nbclient): open_tables(follow=True) polls on the
    kernel's asyncio loop; a version published while the kernel is idle
    (here: awaiting in a cell) reaches the explorer. The wait is on the
    version shown, with a generous bound, never a fixed delay."""
    import nbformat
    from nbclient import NotebookClient

    cells = [
        f"from zzdata import explore as ex\nt = ex.open_tables({str(project)!r}, follow=True)\n"
        "flood = ex.flood_explorer(t)\nprint(t.task is not None, len(flood.frame))",
        "import asyncio\nfor _ in range(2400):\n    if t.version == NAME:\n        break\n    await asyncio.sleep(0.05)\n"
        "print(t.version == NAME, len(flood.frame), t.notice.value)",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    client = NotebookClient(nb, timeout=300, kernel_name="python3")
    with client.setup_kernel():
        client.execute_cell(nb.cells[0], 0)
        assert nb.cells[0].outputs[-1]["text"].split() == ["True", "2"]  # polling; page a's two stockpile figures
        _write(project / "data" / "b.txt", PAGE_B)
        nb.cells[1].source = f"NAME = {_build(project)!r}\n" + nb.cells[1].source
        client.execute_cell(nb.cells[1], 1)
    shown = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert shown.startswith("True 4 ") and "已更新到第 2 版" in shown, nb.cells[1].outputs
