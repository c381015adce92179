# Watch mode (zzdata/watch.py): pages dropped, edited and removed in a
# source folder are in the published tables within seconds, each update is
# one log line, and the watch stops cleanly.  The pages are made up here
# (short reports in the paper's style, numbers chosen by us).  Every test
# waits on the published version (the updates the watch reports, or
# OUT/current), never on a fixed sleep: a change is made, then the test
# blocks until an update shows it, with a generous timeout.
import csv
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from zzdata.cli import main
from zzdata.store import current_folder
from zzdata.watch import Batch, Update, is_page, published_version, watch_sources

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120  # seconds: a generous bound on a shared, loaded machine


def _page(n: int, bags: str = "三千") -> str:
    return (
        f"防汛物资储备第{n}批到位\n"
        f"本报讯(记者 王小明)近日,荷塘区宋家桥街道新增编织袋{bags}条、救生衣二百件,用于第{n}批防汛准备。\n"
    )


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class _Watch:
    """watch_sources in a thread; ``next(pred)`` waits for an update."""

    def __init__(self, src, out, rebuild, **kw):
        self.updates: queue.Queue[Update] = queue.Queue()
        self.batches: list[Batch] = []
        self.lines: list[str] = []
        self.stop = threading.Event()

        def recorded(batch):
            self.batches.append(batch)
            return rebuild(batch)

        self.thread = threading.Thread(
            target=watch_sources, args=([src], out, recorded, self.stop),
            kwargs={"log": self.lines.append, "on_update": self.updates.put, **kw}, daemon=True,
        )

    def __enter__(self):
        self.thread.start()
        return self

    def next(self, until=lambda update: True) -> Update:
        """The first update (from now on) for which ``until`` holds."""
        while True:
            update = self.updates.get(timeout=TIMEOUT)
            if until(update):
                return update

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=TIMEOUT)
        assert not self.thread.is_alive(), "the watch did not stop"


def _fake_publisher(out: Path):
    """A stand-in re-build: publishes an empty version (as store.py names
    and points at them) and returns 0."""
    count = [0]

    def rebuild(batch):
        count[0] += 1
        name = f"{count[0]:06d}-20260101T000000Z"
        (out / "versions" / name).mkdir(parents=True)
        (out / "current").write_text(name + "\n", encoding="utf-8")
        return 0

    return rebuild


def _cli_rebuild(src: Path, out: Path):
    """The re-build ``zzdata build`` does, as the command line runs it."""
    return lambda batch: main(["build", str(src), "--out", str(out), "--jobs", "1", "--no-progress"])


def _rows(out: Path, table: str) -> list[dict]:
    with (current_folder(out) / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _sources(out: Path) -> set[str]:
    return {row["source"] for row in _rows(out, "articles")}


def test_pages_dropped_edited_and_removed_are_published(tmp_path, capsys):
    src, out = tmp_path / "pages", tmp_path / "build"
    _write(src / "a.txt", _page(1))
    _write(src / "b.txt", _page(2))
    with _Watch(src, out, _cli_rebuild(src, out)) as watch:
        first = watch.next()
        assert first.published and first.status == 0 and _sources(out) == {"a.txt", "b.txt"}

        _write(src / "2021" / "c.txt", _page(3))  # dropped
        update = watch.next(lambda u: "2021/c.txt" in _sources(out))
        assert (update.changed, update.removed, update.status) == (1, 0, 0)

        _write(src / "a.txt", _page(1, bags="九千"))  # edited: 三千 → 九千 bags
        watch.next(lambda u: any(r["text"] == "九千条" for r in _rows(out, "figures")))
        assert not any(r["text"] == "三千条" and r["source"] == "a.txt" for r in _rows(out, "figures"))

        (src / "b.txt").unlink()  # removed
        update = watch.next(lambda u: "b.txt" not in _sources(out))
        assert (update.changed, update.removed) == (0, 1)
        version = published_version(out)
    assert watch.lines[-1].startswith("+0 changed, 1 removed → version ") and watch.lines[-1].endswith(" s")
    # the same tables as a one-shot build of the same pages
    assert main(["build", str(src), "--out", str(tmp_path / "once"), "--jobs", "1", "--no-progress"]) == 0
    for table in ("articles", "figures", "layout"):
        watched = (out / "versions" / version / f"{table}.csv").read_bytes()
        assert watched == (current_folder(tmp_path / "once") / f"{table}.csv").read_bytes(), table


def test_one_update_per_burst_counts_pages_and_folders(tmp_path):
    src, out = tmp_path / "pages", tmp_path / "build"
    _write(src / "a.txt", _page(1))
    with _Watch(src, out, _fake_publisher(out)) as watch:
        assert watch.next().version.startswith("000001")
        assert watch.batches[0].first and len(watch.batches[0].changed) == 1
        day = tmp_path / "incoming"
        for n in range(3):
            _write(day / f"{n}.txt", _page(n))
        os.replace(day, src / "day")  # a folder of three pages moved in, in one step
        update = watch.next()
        assert (update.changed, update.removed) == (3, 0) and update.version.startswith("000002")
        import shutil

        shutil.rmtree(src / "day")
        update = watch.next()
        assert (update.changed, update.removed) == (0, 3)


def test_temporary_hidden_and_output_files_are_ignored(tmp_path):
    src = tmp_path / "pages"
    out = src / "build"  # the build folder inside the source folder
    _write(src / "a.txt", _page(1))
    with _Watch(src, out, _fake_publisher(out)) as watch:
        watch.next()
        _write(src / ".a.txt.swp", "x")
        _write(src / "a.txt~", "x")
        _write(out / "articles.csv", "x")
        _write(src / "notes.docx", "x")
        _write(src / "b.txt", _page(2))  # the one change that counts
        update = watch.next()
    assert (update.changed, update.removed) == (1, 0)
    assert [b.changed for b in watch.batches[1:]] == [(str(src / "b.txt"),)]


def test_a_failed_update_is_logged_and_the_watch_goes_on(tmp_path):
    src, out = tmp_path / "pages", tmp_path / "build"
    _write(src / "a.txt", _page(1))
    publish = _fake_publisher(out)

    def flaky(batch):
        if any(p.endswith("bad.txt") for p in batch.changed):
            raise OSError(28, "No space left on device")
        return publish(batch)

    with _Watch(src, out, flaky) as watch:
        watch.next()
        _write(src / "bad.txt", _page(2))
        failed = watch.next()
        assert failed.error and not failed.published
        assert "re-build failed: [Errno 28] No space left on device; version 1 still current" in watch.lines[-1]
        (src / "bad.txt").unlink()
        assert watch.next().published  # still watching


def test_manifest_changes_rebuild(tmp_path):
    src, out = tmp_path / "pages", tmp_path / "build"
    _write(src / "a.txt", _page(1))
    with _Watch(src, out, _fake_publisher(out)) as watch:
        watch.next()
        _write(src / "manifest.csv", "file,publication_date\na.txt,2021-04-22\n")
        update = watch.next()
    assert update.manifests == 1 and ", 1 manifest(s) → version 2 published" in update.line()


def test_page_files_and_not_others():
    assert is_page("x/2021-04-22.TXT") and is_page("x/a.text")
    assert not is_page("x/#a.txt#~") and not is_page("x/a.txt.tmp")


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM ends a process at once on Windows")
def test_sigterm_stops_the_watch_leaving_a_whole_build(tmp_path):
    """A resident process (as ``zzdata watch`` runs): it warms up, builds,
    logs, and ends with status 0 on SIGTERM, its last version current and
    the build lock released."""
    src, out = tmp_path / "pages", tmp_path / "build"
    _write(src / "a.txt", _page(1))
    script = (
        "import sys; from zzdata.cli import main; from zzdata.watch import serve\n"
        "src, out = sys.argv[1], sys.argv[2]\n"
        "sys.exit(serve([src], out, lambda b: main(['build', src, '--out', out, '--jobs', '1', '--no-progress'])))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(src), str(out)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=ROOT)
    try:
        lines = []
        for line in process.stderr:  # the log, line by line, until the first version is out
            lines.append(line)
            if "published" in line:
                break
        assert "→ version 1 published" in lines[-1], lines
        process.send_signal(signal.SIGTERM)
        rest = process.stderr.read()
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert "stopped; version 1 is current" in rest
    assert not (out / ".lock").exists() and _sources(out) == {"a.txt"}


def test_zzdata_watch_of_a_missing_source_watches_nothing(tmp_path, capsys):
    """As ``zzdata build``: a source that is not there (a typo) is exit 2 at once."""
    assert main(["watch", str(tmp_path / "nosuch"), "--out", str(tmp_path / "build")]) == 2
    assert "nosuch: no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "build").exists()
