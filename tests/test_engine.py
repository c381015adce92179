# The build engine: a process pool and a Dask cluster give the same tables as
# one process; the cache re-processes only changed and new files and drops
# removed ones.  The corpus is the sample page plus made-up variants of it
# (numbers and dates changed by us, so every file's rows differ).
import subprocess
import sys
from pathlib import Path

import pytest

import zzdata as zz
from zzdata.cli import main
from zzdata.engine import BuildOptions, Cache, RunStats, Task, run_tasks
from zzdata.fingerprint import fingerprint
from zzdata.pipeline import BuildStopped, build

ROOT = Path(__file__).resolve().parents[1]
TEXT = (ROOT / "data" / "zhuzhou-daily-2021-04.txt").read_text(encoding="utf-8")


def _variant(k: int) -> str:
    """The sample with its stockpile figure and a date changed (made up)."""
    return TEXT.replace("63.6万条", f"{60 + k}.5万条").replace("4月22日", f"4月{1 + k}日")


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "2021").mkdir(parents=True)
    for k in range(5):
        (folder / "2021" / f"page{k}.txt").write_text(_variant(k), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    return folder


def _same(a, b):
    for name in zz.Tables.names():
        left, right = getattr(a, name), getattr(b, name)
        assert left.equals(right), name


def test_the_variants_really_differ(corpus):
    t = build([corpus])
    stock = t.figures[t.figures["text"].str.endswith("万条")]
    assert sorted(stock["value"]) == [605000, 615000, 625000, 635000, 645000]


def test_a_process_pool_gives_the_same_tables_as_one_process(corpus):
    _same(build([corpus], jobs=1), build([corpus], jobs=2))


def test_a_dask_cluster_gives_the_same_tables_as_one_process(corpus):
    pytest.importorskip("dask.distributed")
    _same(build([corpus], jobs=1), build([corpus], jobs=2, engine="dask"))


def test_the_cache_reprocesses_only_what_changed(corpus, tmp_path):
    cache = tmp_path / "cache"
    first = RunStats()
    reference = build([corpus], cache=cache, stats=first)
    assert (first.processed, first.cached) == (6, 0)

    again = RunStats()
    _same(build([corpus], cache=cache, stats=again), reference)
    assert (again.processed, again.cached, again.dropped) == (0, 6, 0)

    (corpus / "2021" / "page1.txt").write_text(_variant(9), encoding="utf-8")  # corrected
    (corpus / "2021" / "page4.txt").unlink()  # withdrawn
    (corpus / "new.txt").write_text(_variant(7), encoding="utf-8")
    changed = RunStats()
    t = build([corpus], cache=cache, stats=changed)
    assert (changed.processed, changed.cached, changed.dropped) == (2, 4, 2)
    assert sorted(t.articles["source"].unique()) == ["2021/page0.txt", "2021/page1.txt", "2021/page2.txt", "2021/page3.txt", "new.txt"]
    _same(t, build([corpus]))

    forced = RunStats()
    build([corpus], cache=cache, force=True, stats=forced)
    assert forced.processed == 6


def test_a_torn_cache_entry_is_reprocessed(corpus, tmp_path):
    cache = tmp_path / "cache"
    reference = build([corpus], cache=cache)
    for entry in sorted(cache.glob("*.part"))[:2]:
        entry.write_bytes(entry.read_bytes()[:10])
    stats = RunStats()
    _same(build([corpus], cache=cache, stats=stats), reference)
    assert stats.processed == 2


def test_a_change_of_code_or_lexicon_invalidates_the_cache(monkeypatch):
    task = Task("p.txt", "p.txt", "正文".encode("utf-8"))
    before = task.key(fingerprint())
    monkeypatch.setattr(zz, "__version__", "99.0")
    assert task.key(fingerprint()) != before
    assert Task("p.txt", "p.txt", "正文。".encode("utf-8")).key("x") != Task("p.txt", "p.txt", "正文".encode("utf-8")).key("x")
    assert Task("p.txt", "p.txt", b"", "2021-04-22").key("x") != Task("p.txt", "p.txt", b"").key("x")


def test_strict_stops_in_a_pool_too(corpus):
    with pytest.raises(BuildStopped) as stopped:
        build([corpus], jobs=2, strict=True)
    assert stopped.value.args[0].source == "empty.txt"


def test_results_come_back_in_task_order_whatever_finishes_first():
    tasks = [Task(f"{k}.txt", "", str(k).encode()) for k in range(12)]
    results = run_tasks(tasks, _slow_echo, BuildOptions(jobs=2))
    assert results == [t.source for t in tasks]


def _slow_echo(task):  # module level so worker processes can import it
    import time

    time.sleep(0.02 * (12 - int(task.data)))
    return task.source


def test_the_cli_reports_what_it_took_from_the_cache(corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "2"]) == 2  # empty.txt is a problem
    assert "files processed: 6, taken from the cache: 0" in capsys.readouterr().out
    assert main(["build", str(corpus), "--out", str(out)]) == 2
    assert "files processed: 0, taken from the cache: 6" in capsys.readouterr().out
    assert main(["build", str(corpus), "--out", str(out), "--force"]) == 2
    assert "files processed: 6" in capsys.readouterr().out


def test_jobs_must_not_be_negative(capsys):
    with pytest.raises(SystemExit):
        main(["build", "data", "--out", "x", "--jobs", "-1"])
    assert "--jobs" in capsys.readouterr().err


def test_cache_writes_are_atomic_and_readonly_caches_write_nothing(tmp_path):
    Cache(tmp_path / "ro", writable=False).put("k", {"a": 1})
    assert not (tmp_path / "ro").exists()
    cache = Cache(tmp_path / "rw")
    cache.put("k", {"a": 1})
    cache.put("gone", {"a": 2})
    (tmp_path / "rw" / "stray.123.partial").write_bytes(b"half")
    assert cache.get("k") == {"a": 1} and cache.get("missing") is None
    assert cache.keep_only({"k"}) == 1  # the entry of a file no longer built; a partial is no file's entry
    assert [p.name for p in (tmp_path / "rw").iterdir()] == ["k.part"]


def test_import_zzdata_loads_neither_pandas_nor_jieba():
    code = "import sys, zzdata, zzdata.cli; zzdata.cli._parser(); print(sorted(m for m in ('pandas', 'jieba', 'pyarrow') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_tasks_hold_no_bytes_until_they_are_sent(corpus):
    from zzdata.pipeline import tasks_of

    tasks = tasks_of([corpus])
    assert len(tasks) == 6 and all(t.data is None for t in tasks)
    loaded = tasks[0].loaded()
    assert loaded.data == (corpus / tasks[0].source).read_bytes()


def test_a_file_gone_before_it_is_read_is_a_problem(tmp_path):
    from zzdata.pipeline import assemble, process_task

    gone = Task("gone.txt", str(tmp_path / "gone.txt"))
    assert gone.key("x") is None and gone.loaded() is gone
    t = assemble(run_tasks([gone], process_task, BuildOptions(cache=tmp_path / "cache")))
    assert t.problems[["source", "kind"]].values.tolist() == [["gone.txt", "unreadable"]]


# Run in a fresh interpreter: jieba's state is global to a process.  It
# prints every word and tag the stages saw on the sample page: layout's
# line-end test, figures' subjects and places, and the tagger on each line.
_CUT_THE_SAMPLE = """
import json, sys
from pathlib import Path
from zzdata import pipeline, read, wordcut
page = read.Page("s.txt", "", Path(sys.argv[1]).read_text(encoding="utf-8"), "utf-8")
first = pipeline.file_rows(pipeline.process_page(page)).rows
again = pipeline.file_rows(pipeline.process_page(page)).rows
import jieba, jieba.posseg
print(json.dumps({
    "same_twice": first == again,
    "layout": [r["role"] for r in first["layout"]],
    "figures": [(r["text"], r["subject"], r["place"]) for r in first["figures"]],
    "tags": [wordcut.tagged(line, guess) for line in page.text.splitlines() for guess in (False, True)],
    "total": jieba.dt.total, "words": len(jieba.dt.FREQ), "tagged_words": len(jieba.posseg.dt.word_tag_tab),
}, ensure_ascii=False))
"""


def _cut_the_sample(folder: Path) -> dict:
    import json
    import os

    argv = [sys.executable, "-c", _CUT_THE_SAMPLE, str(ROOT / "data" / "zhuzhou-daily-2021-04.txt")]
    env = dict(os.environ, ZZDATA_CACHE_DIR=str(folder))
    return json.loads(subprocess.run(argv, capture_output=True, text=True, check=True, encoding="utf-8", env=env).stdout)


def test_jieba_from_a_snapshot_cuts_as_jieba_prepared_afresh(tmp_path):
    from zzdata import wordcut

    folder = tmp_path / "user-cache"
    stale = folder / "jieba-0123456789abcdef01234567-py311.marshal"
    stale.parent.mkdir()
    stale.write_bytes(b"of older code")
    afresh = _cut_the_sample(folder)  # prepared afresh, and the snapshot written
    assert afresh["same_twice"]  # the first page a process reads is read as later ones (the domain words are there from the start)
    snapshots = list(folder.glob("*.marshal"))
    assert [p.name for p in snapshots] == [wordcut.snapshot_path().name]  # the stale one is gone
    written = snapshots[0].stat().st_mtime_ns
    assert _cut_the_sample(folder) == afresh  # loaded from the snapshot
    assert snapshots[0].stat().st_mtime_ns == written
    snapshots[0].write_bytes(b"torn")
    assert _cut_the_sample(folder) == afresh  # an unreadable snapshot is prepared again, and replaced
    assert snapshots[0].stat().st_size > 1_000_000


def test_a_snapshot_of_another_jieba_is_not_loaded(tmp_path):
    import marshal

    from zzdata import wordcut

    jieba = pytest.importorskip("jieba")
    snapshot = tmp_path / "old.marshal"
    snapshot.write_bytes(marshal.dumps(("0.0.1", {"假": 1}, 1, {"假": "n"})))
    assert not wordcut._load_snapshot(jieba, snapshot)


def test_the_snapshot_folder_is_the_users_cache_folder(monkeypatch, tmp_path):
    from zzdata import wordcut

    monkeypatch.setenv("ZZDATA_CACHE_DIR", str(tmp_path))
    assert wordcut.snapshot_folder() == tmp_path
    monkeypatch.delenv("ZZDATA_CACHE_DIR")
    folder = wordcut.snapshot_folder()
    assert folder.name == "zzdata" and folder.is_absolute()


def test_without_a_home_folder_the_snapshot_goes_to_the_temporary_folder(monkeypatch):
    import tempfile

    from zzdata import wordcut

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("ZZDATA_CACHE_DIR", raising=False)
    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    assert wordcut.snapshot_folder().parent == Path(tempfile.gettempdir())


# A pool stopped half-way (a strict build's first problem, Ctrl+C) must not
# leave its manager thread failing: on Python 3.11 it did, when futures we
# had cancelled were still in its list as it saw the terminated workers die
# (InvalidStateError, CPython gh-107219; pytest reported it as an unhandled
# thread exception in whichever test ran next).  Made-up tasks; 13 of 15
# such runs failed before the fix.


class _Stop(Exception):
    pass


def _stop_at_once(result):
    raise _Stop(result)


def test_a_pool_stopped_half_way_leaves_no_thread_failing(monkeypatch):
    import threading

    failures = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(repr(args.exc_value)))
    tasks = [Task(f"{k}.txt", "", b"0") for k in range(40)]
    for _ in range(5):
        with pytest.raises(_Stop):
            run_tasks(tasks, _slow_echo, BuildOptions(jobs=2), on_result=_stop_at_once)
        for thread in threading.enumerate():  # the pool's manager thread ends once it has seen the workers go
            if type(thread).__name__ == "_ExecutorManagerThread":
                thread.join(timeout=30)
    assert failures == []


def _note_warm_up():  # module level: pool workers get it by reference
    import os

    folder = Path(os.environ["ZZDATA_TEST_WARM_UPS"])
    (folder / str(os.getpid())).touch()


def _worker_pid(task):
    import os

    return os.getpid()


def test_every_worker_warms_up_itself_never_the_main_process(tmp_path, monkeypatch):
    """Not the main process before forking: it would fork with pyarrow's threads running."""
    import os

    monkeypatch.setenv("ZZDATA_TEST_WARM_UPS", str(tmp_path))
    tasks = [Task(f"{k}.txt", "", b"0") for k in range(8)]
    workers = set(run_tasks(tasks, _worker_pid, BuildOptions(jobs=2), warm_up=_note_warm_up))
    warmed = {int(p.name) for p in tmp_path.iterdir()}
    assert len(warmed) == 2 and os.getpid() not in warmed and workers <= warmed


# ``meanwhile``: the calling process's own work beside the workers (made-up tasks).


def _pid_of(task):  # module level: pool workers get it by reference
    import os

    return os.getpid()


def test_meanwhile_runs_beside_a_worker_even_for_one_file(tmp_path):
    import os
    import threading

    seen = []
    tasks = [Task("a.txt", "", b"1")]
    results = run_tasks(tasks, _pid_of, BuildOptions(jobs=2, cache=tmp_path),
                        meanwhile=lambda: seen.append(threading.current_thread().name))
    assert seen == ["zzdata-meanwhile"] and results[0] != os.getpid()  # processed in a worker


def test_with_one_process_meanwhile_runs_first_in_this_thread(tmp_path):
    order = []
    tasks = [Task("a.txt", "", b"1"), Task("b.txt", "", b"2")]
    run_tasks(tasks, lambda task: order.append(task.source), BuildOptions(jobs=1, cache=tmp_path),
              meanwhile=lambda: order.append("meanwhile"))
    assert order == ["meanwhile", "a.txt", "b.txt"]


def test_what_meanwhile_raises_the_run_raises(tmp_path):
    def broken():
        raise OSError("disk gone")

    for jobs in (1, 2):
        with pytest.raises(OSError, match="disk gone"):
            run_tasks([Task("a.txt", "", b"1")], _pid_of, BuildOptions(jobs=jobs, cache=tmp_path / str(jobs)), meanwhile=broken)


def test_a_result_a_lazy_reuse_cannot_give_is_taken_from_the_cache_or_made(tmp_path):
    from collections.abc import Mapping

    from zzdata.engine import task_keys

    options = BuildOptions(jobs=1, cache=tmp_path)
    tasks = [Task(f"{k}.txt", "", str(k).encode()) for k in range(3)]
    run_tasks(tasks[:1], lambda task: f"cached {task.source}", options)  # 0.txt's result is in the cache
    keys = task_keys(tasks, options)

    class Claims(Mapping):  # claims every key; gives only 2.txt's
        def __getitem__(self, key):
            if key != keys[2]:
                raise KeyError(key)
            return "given 2.txt"

        def __iter__(self):
            return iter(keys)

        def __len__(self):
            return len(keys)

    stats = RunStats()
    results = run_tasks(tasks, lambda task: f"made {task.source}", options, stats=stats, reuse=Claims())
    assert results == ["cached 0.txt", "made 1.txt", "given 2.txt"]
    assert (stats.processed, stats.cached) == (1, 2)


# Workers started ahead (``start_workers``), made-up tasks.


def _ready_process():
    from zzdata import engine

    return engine._processes(engine._READY["pool"])[0]


def test_a_run_of_one_file_takes_the_worker_started_ahead():
    from zzdata import engine

    engine.start_workers(BuildOptions(jobs=2), _note_nothing)
    try:
        started = _ready_process().pid
        results = run_tasks([Task("a.txt", "", b"1")], _pid_of, BuildOptions(jobs=2), warm_up=_note_nothing)
        assert results == [started] and not engine._READY
    finally:
        engine.stop_ready_workers()


def test_a_run_of_many_files_stops_the_worker_started_ahead_and_starts_its_own():
    from zzdata import engine

    engine.start_workers(BuildOptions(jobs=2), _note_nothing)
    process = _ready_process()
    tasks = [Task(f"{k}.txt", "", str(k).encode()) for k in range(6)]
    pids = set(run_tasks(tasks, _pid_of, BuildOptions(jobs=2), warm_up=_note_nothing))
    process.join(timeout=10)
    assert not process.is_alive() and process.pid not in pids and len(pids) == 2 and not engine._READY


def test_a_worker_started_ahead_and_not_taken_is_stopped():
    from zzdata import engine

    engine.start_workers(BuildOptions(jobs=2), _note_nothing)
    process = _ready_process()
    engine.stop_ready_workers()
    process.join(timeout=10)
    assert not process.is_alive() and not engine._READY
    engine.start_workers(BuildOptions(jobs=1), _note_nothing)
    assert not engine._READY  # one process: the files are processed here


def _note_nothing():  # module level: a warm-up the pool's workers get by reference
    return None


def test_a_build_with_nothing_to_process_leaves_no_worker_behind(corpus, tmp_path):
    from zzdata import engine

    out = tmp_path / "out"
    assert main(["build", str(corpus), "--out", str(out), "--jobs", "2"]) in (0, 2)
    started = []
    start = engine.start_workers

    def noted(*args):
        start(*args)
        started.extend(engine._processes(engine._READY["pool"]) if engine._READY else [])

    engine.start_workers = noted
    try:
        assert main(["build", str(corpus), "--out", str(out), "--jobs", "2"]) in (0, 2)  # nothing changed
    finally:
        engine.start_workers = start
    assert len(started) == 1  # a re-build starts one
    started[0].join(timeout=10)
    assert not started[0].is_alive() and not engine._READY
