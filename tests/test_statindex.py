# The stat index (zzdata/statindex.py): which files a build must read.  The
# files are made up here (a few Chinese sentences written by us); the rule
# tested is git's: a file whose size, mtime, ctime and inode are as recorded,
# and whose mtime is more than RACY_SECONDS older than the index, is not
# read; any other file is read and hashed again.  Files are back-dated with
# os.utime where a test needs them "old" (as pages exported earlier are), so
# that no test waits on the clock.
import json
import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zzdata.statindex import RACY_SECONDS, FileStat, StatIndex, content_digest, path_key

HOUR_NS = 3600 * 1_000_000_000
PAGE = "本报讯 全市共储备编织袋六万条。".encode("utf-8")
SAME_SIZE = "本报讯 全市共储备编织袋七万条。".encode("utf-8")  # 六 → 七: same length in bytes


def _old(path, hours: float = 1) -> None:
    """Set the file's mtime to ``hours`` ago: not racy for an index written now."""
    then = time.time_ns() - int(hours * HOUR_NS)
    os.utime(path, ns=(then, then))


def _page(folder, name, data=PAGE, old=True):
    path = folder / name
    path.write_bytes(data)
    if old:
        _old(path)
    return path


def _saved(tmp_path, paths):
    index = StatIndex.load(tmp_path / "index.json")
    index.digests(paths)
    index.keep_only(paths)
    assert index.save()
    return StatIndex.load(tmp_path / "index.json")


def test_nothing_changed_reads_no_file(tmp_path):
    pages = [_page(tmp_path, f"p{k}.txt", PAGE + str(k).encode()) for k in range(3)]
    index = _saved(tmp_path, pages)
    found = index.digests(pages)
    assert index.hashed == 0 and index.changed(pages) == []
    assert found == {str(p): content_digest(p.read_bytes()) for p in pages}
    assert not index.save()  # nothing to write either


def test_an_edit_of_the_same_size_with_its_mtime_put_back_is_read(tmp_path):
    """Same size, same mtime, same inode (written in place): ctime tells."""
    page = _page(tmp_path, "p.txt")
    before = FileStat.of(page)
    index = _saved(tmp_path, [page])
    with open(page, "r+b") as handle:  # in place: the inode stays
        handle.write(SAME_SIZE)
    os.utime(page, ns=(before.mtime_ns, before.mtime_ns))
    after = FileStat.of(page)
    assert (after.size, after.mtime_ns, after.inode) == (before.size, before.mtime_ns, before.inode)
    assert index.changed([page]) == [path_key(page)]
    assert index.digests([page])[str(page)] == content_digest(SAME_SIZE)
    assert index.updated == [path_key(page)]


def test_a_file_replaced_by_another_is_read_even_with_size_and_mtime_kept(tmp_path):
    """An editor that saves by writing a new file and renaming it: the inode changes."""
    page = _page(tmp_path, "p.txt")
    before = FileStat.of(page)
    index = _saved(tmp_path, [page])
    new = tmp_path / "p.txt.new"
    new.write_bytes(SAME_SIZE)
    os.utime(new, ns=(before.mtime_ns, before.mtime_ns))
    os.replace(new, page)
    assert FileStat.of(page).inode != before.inode
    assert index.digests([page])[str(page)] == content_digest(SAME_SIZE)


def test_a_racy_file_is_read_even_when_its_stat_is_as_recorded(tmp_path):
    """The race git guards against: a change within one clock tick after the
    file was read leaves its stat as it was.  We record the file's present
    stat with a stale digest (what such a race leaves in the index); a file
    modified just now is read again, one back-dated is trusted (that is
    what trusting the stat means)."""
    fresh = _page(tmp_path, "fresh.txt", old=False)
    old = _page(tmp_path, "old.txt")
    index = StatIndex.load(tmp_path / "index.json")
    for page in (fresh, old):
        index.record(page, FileStat.of(page), "stale")
    index.save()
    index = StatIndex.load(tmp_path / "index.json")
    assert index.written_ns - FileStat.of(fresh).mtime_ns < RACY_SECONDS * 1_000_000_000
    assert index.changed([fresh, old]) == [path_key(fresh)]
    found = index.digests([fresh, old])
    assert found == {str(fresh): content_digest(PAGE), str(old): "stale"}


def test_a_racy_file_is_trusted_once_the_index_is_written_well_after_it(tmp_path):
    page = _page(tmp_path, "p.txt", old=False)
    index = _saved(tmp_path, [page])
    assert index.changed([page]) == [path_key(page)]
    # the next build, an hour later (the index's own mtime moved forward)
    later = time.time_ns() + HOUR_NS
    os.utime(index.file, ns=(later, later))
    index = StatIndex.load(index.file)
    assert index.changed([page]) == [] and index.digests([page]) and index.hashed == 0


def test_a_touch_is_read_again_but_keeps_its_digest(tmp_path):
    """Re-hashed, not re-processed: the digest, hence the cache key, is the same."""
    page = _page(tmp_path, "p.txt")
    index = _saved(tmp_path, [page])
    digest = index.entries[path_key(page)].digest
    _old(page, hours=0.5)  # a touch: a new mtime and ctime, the same bytes
    assert index.changed([page]) == [path_key(page)]
    assert index.digests([page])[str(page)] == digest
    assert index.hashed == 1 and index.updated == []


def test_a_removed_file_is_dropped(tmp_path):
    pages = [_page(tmp_path, f"p{k}.txt", PAGE + str(k).encode()) for k in range(2)]
    index = _saved(tmp_path, pages)
    pages[1].unlink()
    assert index.digests(pages)[str(pages[1])] is None
    assert index.keep_only(pages[:1]) == []  # already forgotten when its stat failed
    index.save()
    assert list(StatIndex.load(index.file).entries) == [path_key(pages[0])]


def test_a_file_no_longer_a_source_is_dropped(tmp_path):
    pages = [_page(tmp_path, f"p{k}.txt", PAGE + str(k).encode()) for k in range(2)]
    index = _saved(tmp_path, pages)
    assert index.keep_only(pages[:1]) == [path_key(pages[1])]
    assert index.save() and list(StatIndex.load(index.file).entries) == [path_key(pages[0])]


def test_a_damaged_or_foreign_index_is_taken_as_empty(tmp_path):
    page = _page(tmp_path, "p.txt")
    file = tmp_path / "index.json"
    for junk in (b"\xff\xfe not json", b'{"format": "other", "files": {}}', json.dumps({"format": "zzdata-stat-index 1", "files": {"x": [1]}}).encode()):
        file.write_bytes(junk)
        index = StatIndex.load(file)
        assert index.entries == {} and index.digests([page])[str(page)] == content_digest(PAGE)


def test_the_index_is_replaced_in_one_step_and_leaves_no_temporary_file(tmp_path):
    page = _page(tmp_path, "p.txt")
    index = _saved(tmp_path, [page])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.json", "p.txt"]
    assert json.loads(index.file.read_text(encoding="utf-8"))["format"] == "zzdata-stat-index 1"


# Whatever happens to the files (edits of any size, edits with the mtime put
# back, touches, removals, files written again), a build that saves the
# index after asking for the digests always gets every file's true digest.
_OPS = st.lists(
    st.tuples(st.sampled_from(["write", "same_size", "put_back_mtime", "touch", "remove", "build"]), st.integers(0, 2), st.integers(0, 9)),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_the_index_always_gives_the_true_digests(tmp_path, ops):
    folder = tmp_path / f"run{time.perf_counter_ns()}"
    folder.mkdir()
    paths = [folder / f"p{k}.txt" for k in range(3)]
    file = folder / "index.json"

    def build():
        index = StatIndex.load(file)
        found = index.digests(paths)
        index.keep_only([p for p in paths if p.exists()])
        index.save()
        truth = {str(p): content_digest(p.read_bytes()) if p.exists() else None for p in paths}
        assert found == truth

    for op, k, digit in ops:
        path = paths[k]
        if op == "build":
            build()
        elif op == "remove":
            path.unlink(missing_ok=True)
        elif op == "touch" and path.exists():
            os.utime(path)
        elif op in ("same_size", "put_back_mtime") and path.exists():
            stat = os.stat(path)
            with open(path, "r+b") as handle:
                handle.write(str(digit).encode())
            if op == "put_back_mtime":
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        else:
            path.write_bytes(PAGE + str(digit).encode())
    build()


def test_a_task_holding_its_bytes_is_keyed_by_them_not_by_its_file(tmp_path):
    """In the engine: the index speaks only for files read from disk; a task
    handed its bytes (a caller with the text in memory) is keyed by those,
    so it never gets the cached result of what its path holds on disk."""
    from zzdata.engine import BuildOptions, RunStats, Task, run_tasks

    page = _page(tmp_path, "p.txt")
    options = BuildOptions(cache=tmp_path / "cache", jobs=1, progress=False)
    on_disk = run_tasks([Task("p.txt", str(page))], _echo, options)
    in_memory = RunStats()
    held = run_tasks([Task("p.txt", str(page), SAME_SIZE)], _echo, options, stats=in_memory)
    assert on_disk == [content_digest(PAGE)] and held == [content_digest(SAME_SIZE)]
    assert (in_memory.processed, in_memory.hashed) == (1, 0)


def _echo(task):  # module level, as the engine's work functions are
    return content_digest(task.content())
