# Re-builds that cost what changed (issue #18, item 1 wired into the engine): the build cache keeps a stat index
# (zzdata/statindex.py; its own rules are tested in tests/test_statindex.py), so a re-build reads only the pages
# whose size or times changed. Pages are copies of the sample page (data/zhuzhou-daily-2021-04.txt); the edits
# (one figure changed, a touch, a removal) are made up here. Times are set back with os.utime so no test sleeps.
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from zzdata import pipeline
from zzdata.engine import BuildOptions, RunStats

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "zhuzhou-daily-2021-04.txt"
OLD = 1_600_000_000  # 2020-09-13: any time well before the index is written is "not racy"


def _pages(folder: Path, n: int = 3) -> list[Path]:
    folder.mkdir()
    pages = []
    for i in range(n):
        page = folder / f"page{i}.txt"
        shutil.copyfile(SAMPLE, page)
        os.utime(page, (OLD, OLD))
        pages.append(page)
    return pages


def _build(src: Path, cache: Path) -> RunStats:
    stats = RunStats()
    pipeline.build_parts([src], BuildOptions(cache=cache, jobs=1, progress=False), stats)
    return stats


def test_a_rebuild_with_nothing_changed_reads_no_page(tmp_path, monkeypatch):
    src, cache = tmp_path / "src", tmp_path / "cache"
    _pages(src)
    first = _build(src, cache)
    assert (first.processed, first.hashed) == (3, 3)
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self.name) or original(self))
    again = _build(src, cache)
    assert (again.processed, again.cached, again.hashed) == (0, 3, 0)
    assert not [name for name in read if name.startswith("page")]


def test_an_edited_page_is_read_and_processed_alone(tmp_path):
    src, cache = tmp_path / "src", tmp_path / "cache"
    pages = _pages(src)
    _build(src, cache)
    text = pages[1].read_text(encoding="utf-8")
    assert "63.6万条" in text
    pages[1].write_text(text.replace("63.6万条", "64.6万条"), encoding="utf-8")  # same size, new bytes
    os.utime(pages[1], (OLD, OLD))  # mtime put back: ctime still tells
    stats = _build(src, cache)
    assert (stats.hashed, stats.processed, stats.cached) == (1, 1, 2)


def test_a_touch_is_read_not_processed(tmp_path):
    src, cache = tmp_path / "src", tmp_path / "cache"
    pages = _pages(src)
    _build(src, cache)
    os.utime(pages[2], (OLD + 60, OLD + 60))
    stats = _build(src, cache)
    assert (stats.hashed, stats.processed, stats.cached) == (1, 0, 3)


def test_a_removed_page_leaves_the_index(tmp_path):
    src, cache = tmp_path / "src", tmp_path / "cache"
    pages = _pages(src)
    _build(src, cache)
    pages[0].unlink()
    stats = _build(src, cache)
    assert (stats.files, stats.hashed, stats.processed) == (2, 0, 0)
    index = (cache / "stat-index.json").read_text(encoding="utf-8")
    assert "page0.txt" not in index and "page1.txt" in index


def _current(out: Path) -> str | None:
    try:
        return (out / "current").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _wait_for(condition, timeout: float = 60.0, what: str = "") -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)  # polling a condition, not waiting a fixed time


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is TerminateProcess on Windows: no clean stop to check")
def test_zzdata_watch_publishes_each_change_and_stops_cleanly(tmp_path):
    """The command line's watch: a catch-up build, then one new version per dropped, edited and removed page;
    SIGTERM stops it with exit 0 and the current version whole (zz.load reads it)."""
    import signal
    import subprocess

    import zzdata as zz

    src, out = tmp_path / "src", tmp_path / "out"
    _pages(src, 1)
    watcher = subprocess.Popen([sys.executable, "-m", "zzdata", "watch", str(src), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        _wait_for(lambda: _current(out) is not None, what="the catch-up build")
        first = _current(out)
        assert len(zz.load(out).articles) == 7
        shutil.copyfile(SAMPLE, src / "dropped.txt")
        _wait_for(lambda: _current(out) not in (None, first), what="the dropped page's version")
        second = _current(out)
        _wait_for(lambda: len(zz.load(out).articles) == 14, what="the dropped page's articles")
        (src / "dropped.txt").unlink()
        _wait_for(lambda: _current(out) not in (None, first, second), what="the removal's version")
        assert len(zz.load(out).articles) == 7
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    assert "changed" in err and "published" in err and "stopped" in err, err  # one line per update, then the stop
    assert len(zz.load(out).articles) == 7
