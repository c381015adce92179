"""Engine: where the per-file work runs — inline, in a process pool, or on
a Dask cluster — and the build cache that lets a re-build skip unchanged
files.

The unit of work is a ``Task`` (one file's bytes and its manifest facts);
the work function the caller hands in (the pipeline's ``process_task``)
turns it into the file's part of the tables, which a pool worker also keeps
in the cache itself; the caller's ``warm_up`` runs once in every worker
before its first task.  The engine knows nothing of what the work is.
Results come back in the order of the tasks whatever ran them, so every
engine writes the same tables.  At most a few tasks per worker are in
flight, so memory does not grow with the corpus.  Pool workers watch their
parent and exit when it is gone, however it ended (``_start_worker``).

The cache runs no code: an entry is bytes the caller's ``Codec`` made
(JSON lines, see ``parts.encode_part``) behind a digest that is checked
before they are decoded; an entry that fails either check is rejected,
counted and the file processed again.  A result is kept only when the bytes
the worker got are the bytes the key was made from, so a file that was
unreadable or changed during the build is never cached.

>>> BuildOptions(jobs=2).workers(10)
2
>>> BuildOptions(jobs=8).workers(3)
3
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import NamedTuple

from .fingerprint import fingerprint
from .statindex import StatIndex, content_digest

STAT_INDEX = "stat-index.json"  # in the cache folder: the stat and digest of every source file

ENGINES = ("process", "dask")
IN_FLIGHT_PER_WORKER = 4


@dataclass(frozen=True)
class BuildOptions:
    """How a build runs; what it reads and writes is given separately."""

    strict: bool = False  # stop at the first problem
    jobs: int | None = 1  # worker processes; None or 0: one per core
    cache: Path | None = None  # folder of per-file results; None: no cache
    force: bool = False  # ignore cached results (and rewrite them)
    engine: str = "process"  # "process" (a local pool) or "dask"
    scheduler: str | None = None  # dask scheduler address; None: a local cluster
    progress: bool | None = None  # a progress bar; None: when stderr is a terminal

    def workers(self, n_tasks: int) -> int:
        jobs = self.jobs or os.cpu_count() or 1
        return max(1, min(jobs, n_tasks))


@dataclass(frozen=True)
class Task:
    """One file to process.  ``data`` is filled in just before the task is
    handed to a worker (``loaded``), so the main process never holds the
    whole corpus, and a worker on another machine needs no shared disk."""

    source: str
    path: str
    data: bytes | None = None
    manifest_date: str | None = None
    paper: str = ""
    digest: str | None = None  # the content's digest, when the stat index vouches for it (not read again)

    def content(self) -> bytes:
        """The file's bytes (raises OSError when it cannot be read)."""
        return self.data if self.data is not None else Path(self.path).read_bytes()

    def loaded(self) -> Task:
        """The task with its bytes in it, ready to be sent to a worker; an
        unreadable file is left for the worker to report."""
        try:
            return self if self.data is not None else replace(self, data=self.content())
        except OSError:
            return self

    def key(self, fingerprint: str) -> str | None:
        """Cache key: the content, the name and manifest facts, and the
        fingerprint of the code and lexicons that process it; None when the
        file cannot be read (then it is processed, to report why)."""
        digest = self.digest
        if digest is None:
            try:
                digest = content_digest(self.content())
            except OSError:
                return None
        h = hashlib.blake2b(digest_size=16)
        for part in (fingerprint, self.source, self.manifest_date or "", self.paper, digest):
            h.update(part.encode("utf-8") + b"\x00")
        return h.hexdigest()


class Codec(NamedTuple):
    """How results become cache bytes and back: ``decode`` must raise
    (any exception) on bytes it does not accept; both are module-level
    functions, as pool workers get them by reference."""

    encode: Callable[[object], bytes]
    decode: Callable[[bytes], object]


def _json_bytes(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


JSON = Codec(_json_bytes, json.loads)  # the default: results that are plain JSON values


class Cache:
    """Per-file results under a folder, one entry per task key: a first
    line ``zzdata-cache 1 <blake2b of the rest>`` and the codec's bytes.
    Written under a temporary name and renamed, so a killed build never
    leaves a torn entry; an entry whose digest or content does not check out
    is rejected (``rejected`` counts them) and treated as missing.  Nothing
    in an entry is ever run: no pickle.

    >>> import tempfile
    >>> cache = Cache(Path(tempfile.mkdtemp()))
    >>> cache.put("k", [1, 2]); cache.get("k")
    [1, 2]
    >>> _ = cache._path("k").write_bytes(cache._path("k").read_bytes().replace(b"[1", b"[7"))
    >>> cache.get("k"), cache.rejected
    (None, 1)
    """

    SUFFIX = ".part"
    MAGIC = b"zzdata-cache 1 "
    LEGACY = (".rows.pickle",)  # entries of earlier versions: never read, removed when the cache is pruned

    def __init__(self, folder: Path, codec: Codec = JSON, writable: bool = True):
        self.folder = Path(folder)
        self.codec = codec
        self.writable = writable
        self.rejected = 0

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{self.SUFFIX}"

    def get(self, key: str):
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        head, _, payload = data.partition(b"\n")
        if head != self.MAGIC + _digest(payload).encode("ascii"):
            self.rejected += 1
            return None
        try:
            return self.codec.decode(payload)
        except Exception:  # noqa: BLE001 — whatever the bytes are, they are not an entry
            self.rejected += 1
            return None

    def holds(self, key: str) -> bool:
        """Is there an entry under ``key`` (unchecked)?"""
        return self._path(key).is_file()

    def put(self, key: str, value) -> None:
        """Keep a result; a cache that cannot be written (a full disk) is
        only slower, so a failed write leaves nothing behind and is ignored."""
        if not self.writable:
            return
        payload = self.codec.encode(value)
        partial = self.folder / f"{key}.{os.getpid()}.partial"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as handle:
                handle.write(self.MAGIC + _digest(payload).encode("ascii") + b"\n")
                handle.write(payload)
            os.replace(partial, self._path(key))
        except OSError:
            partial.unlink(missing_ok=True)

    def keep_only(self, keys: set[str]) -> int:
        """Drop entries of files no longer built, stray partials and entries
        of earlier versions; return how many file entries were dropped."""
        dropped = 0
        if not self.writable or not self.folder.is_dir():
            return dropped
        for path in self.folder.iterdir():
            name = path.name
            entry = name.endswith(self.SUFFIX)
            if name.endswith(".partial") or name.endswith(self.LEGACY) or (entry and name[: -len(self.SUFFIX)] not in keys):
                path.unlink(missing_ok=True)
                dropped += entry
        return dropped


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def prune_cache(folder: Path | None, keys: set[str]) -> int:
    """Drop the cache entries of files not in ``keys`` (``RunStats.keys``
    of the run); returns how many.  Called once a build's tables are
    published, so a build that wrote nothing leaves the cache as it was."""
    return Cache(folder).keep_only(keys) if folder else 0


def save_index(stats: "RunStats") -> None:
    """Save the run's stat index, without the files no longer built; like
    ``prune_cache``, called once a build's tables are published, so a build
    that wrote nothing leaves the index as it was (it only saves reading)."""
    if stats.index is not None:
        stats.index.keep_only(stats.paths)
        stats.index.save()


@dataclass
class RunStats:
    """What a run did, for the summary and the benchmarks."""

    files: int = 0
    cached: int = 0
    processed: int = 0
    dropped: int = 0
    rejected: int = 0  # cache entries that failed their digest or decoding: processed again
    hashed: int = 0  # files read to learn their digest (new, changed in stat, or racy: see statindex)
    seconds: float = 0.0
    keys: set = field(default_factory=set)  # the cache keys of this run's files (see prune_cache)
    task_keys: list = field(default_factory=list)  # the same, in task order (None: a file that could not be read)
    index: StatIndex | None = None  # the stat index of the run, saved with save_index once the tables are out
    paths: list = field(default_factory=list)  # the run's source paths: the index keeps only these
    keyed: tuple | None = None  # (tasks, fingerprint, what _keyed made of them): a second look reads nothing again


def run_tasks(
    tasks: Sequence[Task],
    work: Callable,
    options: BuildOptions,
    on_result: Callable | None = None,
    stats: RunStats | None = None,
    warm_up: Callable[[], object] | None = None,
    code_key: str = "",
    codec: Codec = JSON,
    prune: bool = True,
    reuse: Mapping[str, object] | None = None,
    meanwhile: Callable[[], object] | None = None,
) -> list:
    """``work(task)`` for every task, cached results reused; results in task
    order.  ``on_result`` sees each result as it arrives (it may raise to
    stop the run); ``warm_up()``, when given, runs once in each worker
    process (of a pool or a Dask cluster) before its first task.  ``work``
    and ``warm_up`` go to other processes: module-level functions.
    ``code_key`` names what else shapes a result beyond zzdata's own code
    (the caller's plug-ins): a cached result is reused only under the same.
    ``codec`` turns results into cache bytes and back (JSON values by
    default); ``prune=False`` leaves the entries of files not in this run for
    the caller to drop (``prune_cache``) once it has used the results.
    ``reuse`` maps cache keys to results the caller already holds (the
    published version's index, ``splice``): a task with such a key takes
    that result without reading its cache entry.  ``reuse`` may be lazy:
    membership is asked first, the results are taken once the other files
    are processed (before, for a run with ``on_result``); a key it then
    fails to give is looked up in the cache, else its file processed.
    ``meanwhile()``, when given, is the calling process's own work that
    needs no result (loading a lazy ``reuse``, removing old files): it runs
    in a thread while pool workers process the files, a pool being used for
    a single file too when ``jobs`` allows two processes, so the two
    overlap on two cores; with one process, before the files are processed."""
    stats = stats if stats is not None else RunStats()
    started = time.perf_counter()
    cache = Cache(options.cache, codec, writable=not options.strict) if options.cache else None  # strict writes nothing
    fp = fingerprint() + code_key if cache else ""
    tasks, keys, index, on_disk = _keyed(tasks, options, fp, stats)
    results: list = [None] * len(tasks)
    todo, reused = [], []
    reuse = reuse if reuse and cache is not None and not options.force else {}
    for i, task in enumerate(tasks):
        if reuse and keys[i] is not None and keys[i] in reuse:
            reused.append(i)
            continue
        hit = None if cache is None or options.force or keys[i] is None else cache.get(keys[i])
        if hit is None:
            todo.append(i)
        else:
            results[i] = hit
    stats.files = len(tasks)
    stats.keys = {k for k in keys if k is not None}
    keep = cache if cache and cache.writable else None
    with _Progress(len(tasks), options.progress) as progress:

        def arrived(i: int, result) -> None:
            results[i] = result
            progress.advance(result)
            if on_result:
                on_result(result)

        def run(indices: list[int], meanwhile: Callable[[], object] | None = None, how: BuildOptions = options) -> None:
            keys_todo = [keys[i] for i in indices] if keep else None
            for i, result in _execute([tasks[i] for i in indices], indices, work, how, keep, keys_todo, warm_up, fp, meanwhile):
                arrived(i, result)

        for i in range(len(tasks)):
            if results[i] is not None:
                arrived(i, results[i])
        if on_result is not None:  # a run that may stop at a result sees the ones in hand first
            todo += _take_reused(reused, keys, reuse, cache, arrived)
            reused = []
        run(todo, meanwhile)
        if reused:  # taken once the files are processed: a lazy ``reuse`` was loaded meanwhile
            again = _take_reused(reused, keys, reuse, cache, arrived)
            todo += again
            # Here, not in a new pool: ``meanwhile`` may have started threads, and a fork could inherit their locks.
            run(again, how=replace(options, jobs=1) if options.engine != "dask" else options)
    stats.cached, stats.processed = len(tasks) - len(todo), len(todo)
    stats.rejected = cache.rejected if cache else 0
    # The keys of the results now in the cache, in task order: a file that
    # could not be read, or changed while it was, has its result uncached
    # (``_verified``), and no later build may take it for the file's.
    stats.task_keys = list(keys) if cache else [None] * len(tasks)
    for i in todo if cache else ():
        if keys[i] is not None and not cache.holds(keys[i]):
            stats.task_keys[i] = None
    if index is not None and cache.writable:
        stats.index, stats.paths = index, on_disk
    if cache and prune:
        stats.dropped = cache.keep_only(stats.keys)
        save_index(stats)
    stats.seconds = time.perf_counter() - started
    return results


def _take_reused(indices: list[int], keys: list, reuse: Mapping, cache: Cache | None, arrived: Callable) -> list[int]:
    """Hand the results ``reuse`` holds for these tasks to ``arrived``; a
    key it cannot give after all is looked up in the cache.  Returns the
    tasks still without a result, to process."""
    missing = []
    for i in indices:
        result = reuse.get(keys[i])
        if result is None and cache is not None:
            result = cache.get(keys[i])
        if result is None:
            missing.append(i)
        else:
            arrived(i, result)
    return missing


def _keyed(tasks: Sequence[Task], options: BuildOptions, fp: str, stats: RunStats):
    """The tasks with the digests the stat index vouches for, their cache
    keys (none without a cache), the index and the paths it keeps: only
    files whose stat changed are read to key them."""
    if not options.cache:
        return tasks, [], None, []
    if stats.keyed is not None and stats.keyed[0] is tasks and stats.keyed[1] == fp:
        return stats.keyed[2]  # a first look at this run (``task_keys``) keyed these very tasks
    # The index a first look at this run loaded: the files it read are not read again.
    index = stats.index if stats.index is not None else StatIndex.load(Path(options.cache) / STAT_INDEX)
    on_disk = [t.path for t in tasks if t.data is None and t.path]  # a task holding its bytes is keyed by them
    digests = index.digests(on_disk)
    keyed = [replace(t, digest=digests.get(str(t.path))) if t.data is None and t.path else t for t in tasks]
    stats.hashed = index.hashed
    found = keyed, [t.key(fp) for t in keyed], index, on_disk
    stats.keyed = (tasks, fp, found)
    return found


def task_keys(tasks: Sequence[Task], options: BuildOptions, code_key: str = "", stats: RunStats | None = None) -> list:
    """The cache keys ``run_tasks`` would give the tasks (None for a file
    that cannot be read), reading only the files whose stat changed; with
    ``stats``, the run's stat index is kept there for ``save_index``, and
    its counts and keys as for a run that took every result from the cache."""
    stats = stats if stats is not None else RunStats()
    started = time.perf_counter()
    tasks, keys, index, on_disk = _keyed(tasks, options, fingerprint() + code_key if options.cache else "", stats)
    stats.files = stats.cached = len(tasks)
    stats.keys, stats.task_keys = {k for k in keys if k is not None}, list(keys)
    if index is not None and not options.strict:
        stats.index, stats.paths = index, on_disk
    stats.seconds = time.perf_counter() - started
    return keys


def _verified(task: Task, key: str | None, fp: str) -> tuple[Task, str | None]:
    """The task with its bytes read, and the key to keep its result under:
    None when the file could not be read now, or its bytes are no longer
    those the key was made from (changed during the build), so that a
    transient failure is never cached."""
    loaded = replace(task, digest=None).loaded()  # the bytes as read now, not the index's word for them
    if key is None or loaded.data is None or loaded.key(fp) != key:
        return loaded, None
    return loaded, key


def _execute(
    tasks: list[Task], indices: list[int], work: Callable, options: BuildOptions,
    cache: Cache | None = None, keys: list | None = None, warm_up: Callable | None = None, fp: str = "",
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[tuple[int, object]]:
    """(index, result) pairs as they complete; each result is also kept in
    ``cache`` under its verified key (by the worker that made it, where it
    shares the disk).  ``meanwhile`` runs beside the workers (see
    ``run_tasks``), and has run when the last pair is out."""
    if options.engine not in ENGINES:
        raise ValueError(f"unknown engine {options.engine!r}; choose one of {', '.join(ENGINES)}")
    beside = _Beside(meanwhile)
    ready = _READY.get("warm_up", False) is warm_up  # a worker started ahead for these files (start_workers)
    alone = options.workers(len(tasks)) == 1 and not ((meanwhile is not None or ready) and options.workers(2) > 1)
    if not tasks or (alone and options.engine != "dask"):
        beside.run_here()  # no other process to overlap with
    keys = keys or [None] * len(tasks)
    if not tasks:
        return
    if options.engine == "dask":  # its workers may be other machines: the results are kept here
        beside.start()
        for i, result, key in _on_dask(tasks, indices, work, options, warm_up, keys, fp):
            _keep(cache, key, result)
            yield i, result
    elif alone:
        for i, task, key in zip(indices, tasks, keys):
            loaded, key = _verified(task, key, fp)
            yield i, _work_and_keep(work, cache, key, loaded)
    else:
        yield from _in_pool(tasks, indices, work, options.workers(len(tasks)), cache, keys, warm_up, fp, beside)
    beside.join()


class _Beside:
    """The calling process's ``meanwhile`` work, in a thread beside the
    workers; ``join`` waits for it and raises what it raised."""

    def __init__(self, work: Callable[[], object] | None):
        self.work, self.thread, self.error = work, None, None

    def run_here(self) -> None:
        work, self.work = self.work, None
        if work is not None:
            work()

    def start(self) -> None:
        """Start the thread (after the pool's workers are forked: a fork
        while it holds a lock could leave a worker stuck)."""
        if self.work is None or self.thread is not None:
            return

        def run() -> None:
            try:
                self.work()
            except BaseException as error:  # raised in the caller's thread by join
                self.error = error

        self.thread = threading.Thread(target=run, name="zzdata-meanwhile", daemon=True)
        self.thread.start()

    def join(self) -> None:
        if self.thread is None:
            self.run_here()  # never started (the pool gave its results first): here, now
        else:
            self.thread.join()
        if self.error is not None:
            raise self.error


def _work_and_keep(work: Callable, cache: Cache | None, key: str | None, task: Task):
    result = work(task)
    _keep(cache, key, result)
    return result


def _keep(cache: Cache | None, key: str | None, result) -> None:
    if cache is not None and key is not None:
        cache.put(key, result)


WATCH_SECONDS = 0.25  # how often a pool worker looks for its parent


def _start_worker(warm_up: Callable | None) -> None:
    """A pool worker's first act: watch the parent, then warm up."""
    threading.Thread(target=_watch_parent, args=(os.getppid(),), name="zzdata-watch-parent", daemon=True).start()
    if warm_up is not None:
        warm_up()


def _watch_parent(ppid: int) -> None:
    """Exit this worker as soon as the process that started it is gone
    (killed, even by SIGKILL, or crashed): a new parent id on POSIX, the
    parent's handle signalled on Windows."""
    parent = multiprocessing.parent_process()
    while True:
        time.sleep(WATCH_SECONDS)
        gone = (parent is not None and not parent.is_alive()) if os.name == "nt" else os.getppid() != ppid
        if gone:
            os._exit(1)


def _in_pool(tasks, indices, work, workers: int, cache: Cache | None, keys: list, warm_up: Callable | None = None, fp: str = "",
             beside: _Beside | None = None):
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pending = list(zip(indices, tasks, keys))[::-1]
    # Each worker warms up itself.  Warming up here once before forking would
    # save the CPU of the other warm-ups, but the main process would then
    # fork with pyarrow's threads running, which can deadlock a child.
    pool = _take_ready(workers, warm_up)
    if pool is None:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(warm_up,))
    _POOLS.add(pool)
    running = {}
    finished = False
    try:
        while pending or running:
            while pending and len(running) < workers * IN_FLIGHT_PER_WORKER:
                i, task, key = pending.pop()
                loaded, key = _verified(task, key, fp)
                running[pool.submit(_work_and_keep, work, cache, key, loaded)] = i
            if beside is not None:
                beside.start()  # the workers are forked by the first submit
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                yield running.pop(future), future.result()
        finished = True
    finally:
        if finished:
            pool.shutdown(wait=True)
        else:  # stopped (an error, Ctrl+C): do not wait for the files in hand
            _stop_pool(pool)
        _POOLS.discard(pool)


_POOLS: set = set()  # the pools running now (see stop_workers)
_READY: dict = {}  # a pool started ahead (start_workers): "pool", "workers", "warm_up"


def start_workers(options: BuildOptions, warm_up: Callable | None = None) -> None:
    """Start one worker now, warming up, for the file the next run hands
    out: ``zzdata build`` starts it before it lists the files, so that a
    re-build after an edit has its worker warm (about 1.5 s) by the time it
    knows the file.  One, not one per core: this process needs the other
    core meanwhile.  Call it before this process starts any thread (the
    worker is forked).  Nothing with one process (``jobs``, cores) or on
    Dask.  A run of one file takes it (``_in_pool``); a run of more stops
    it and starts its own pool; ``stop_ready_workers`` stops it unused."""
    if options.engine != "process" or _READY or options.workers(2) < 2:
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=1, initializer=_start_worker, initargs=(warm_up,))
    _POOLS.add(pool)
    pool.submit(_nothing)  # starts the worker
    _READY.update(pool=pool, workers=1, warm_up=warm_up)


def stop_ready_workers() -> None:
    """Stop the workers ``start_workers`` started, if no run took them."""
    pool = _READY.pop("pool", None)
    _READY.clear()
    if pool is not None:
        _stop_pool(pool)
        _POOLS.discard(pool)


def _take_ready(workers: int, warm_up: Callable | None):
    """The pool started ahead, when it warms up as asked and has the
    workers; one that does not is stopped (it would compete for the cores)."""
    if not _READY:
        return None
    if _READY.get("warm_up", False) is not warm_up or _READY.get("workers", 0) < workers:
        stop_ready_workers()
        return None
    pool = _READY.pop("pool")
    _READY.clear()
    return pool


def _nothing() -> None:
    return None


def _stop_pool(pool) -> None:
    """Stop a pool at once: the tasks not started are cancelled and the
    workers terminated.  The pool's own thread cancels its queued tasks
    (``shutdown(cancel_futures=True)``, told before any worker is gone);
    cancelling them from here instead left them in its list, and when it
    then saw the workers die it failed on them with InvalidStateError on
    Python before 3.12 (CPython gh-107219)."""
    processes = _processes(pool)  # the pool forgets them on shutdown
    pool.shutdown(wait=False, cancel_futures=True)
    _terminate(processes)


def _processes(pool) -> list:
    return list((getattr(pool, "_processes", None) or {}).values())  # best effort: a private attribute


def _terminate(processes) -> None:
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass


def stop_workers() -> None:
    """Terminate the worker processes of every pool running now: for a
    signal handler that is about to end the process (the workers would see
    their parent gone within ``WATCH_SECONDS`` anyway)."""
    for pool in list(_POOLS):
        _terminate(_processes(pool))


def _on_dask(tasks, indices, work, options: BuildOptions, warm_up: Callable | None = None, keys: list | None = None, fp: str = ""):
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise RuntimeError("the dask engine needs dask.distributed: pip install 'zzdata[dask]'") from error
    keys = keys or [None] * len(tasks)
    cluster = None
    if options.scheduler:
        client = Client(options.scheduler)
    else:
        workers = options.workers(len(tasks))
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        if warm_up is not None:
            client.run(warm_up)
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        pending = list(zip(indices, tasks, keys))[::-1]
        index = {}
        running = as_completed()

        def submit():
            i, task, key = pending.pop()
            loaded, key = _verified(task, key, fp)
            future = client.submit(work, loaded, pure=False)
            index[future.key] = (i, key)
            running.add(future)

        for _ in range(min(len(pending), workers * IN_FLIGHT_PER_WORKER)):
            submit()
        for future in running:
            i, key = index.pop(future.key)
            yield i, future.result(), key
            future.release()
            if pending:
                submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _Progress:
    """A tqdm bar (files, pages, figures per second) on a terminal; silent
    otherwise."""

    def __init__(self, total: int, wanted: bool | None):
        self.total = total
        self.wanted = sys.stderr.isatty() if wanted is None else wanted
        self.bar = None
        self.pages = self.figures = 0
        self.started = time.perf_counter()

    def __enter__(self):
        if self.wanted and self.total:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit="file", file=sys.stderr)
        return self

    def advance(self, result) -> None:
        if self.bar is None:
            return
        self.pages += result.count("pages")
        self.figures += result.count("figures")
        rate = self.figures / max(time.perf_counter() - self.started, 1e-9)
        self.bar.set_postfix(pages=self.pages, figures_per_s=f"{rate:,.0f}", refresh=False)
        self.bar.update(1)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
        return False
