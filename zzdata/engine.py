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
flight, so memory does not grow with the corpus.

>>> BuildOptions(jobs=2).workers(10)
2
>>> BuildOptions(jobs=8).workers(3)
3
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Callable, Iterator, Sequence

from .fingerprint import fingerprint

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
        h = hashlib.blake2b(digest_size=16)
        for part in (fingerprint, self.source, self.manifest_date or "", self.paper):
            h.update(part.encode("utf-8") + b"\x00")
        try:
            h.update(self.content())
        except OSError:
            return None
        return h.hexdigest()


class Cache:
    """Per-file results under a folder, one pickle per task key.  Written
    under a temporary name and renamed, so a killed build never leaves a
    torn entry; an unreadable entry counts as missing."""

    SUFFIX = ".rows.pickle"  # a FilePart (parts.py): one file's rows of every table

    def __init__(self, folder: Path, writable: bool = True):
        self.folder = Path(folder)
        self.writable = writable

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}{self.SUFFIX}"

    def get(self, key: str):
        try:
            with self._path(key).open("rb") as handle:
                return pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None

    def put(self, key: str, value) -> None:
        if not self.writable:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        partial = self.folder / f"{key}.{os.getpid()}.partial"
        with partial.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(self._path(key))

    def keep_only(self, keys: set[str]) -> int:
        """Drop entries of files no longer built and stray partials; return
        how many file entries were dropped."""
        dropped = 0
        if not self.writable or not self.folder.is_dir():
            return dropped
        for path in self.folder.iterdir():
            if path.name.endswith(".partial") or (path.name.endswith(self.SUFFIX) and path.name[: -len(self.SUFFIX)] not in keys):
                path.unlink(missing_ok=True)
                dropped += path.name.endswith(self.SUFFIX)
        return dropped


@dataclass
class RunStats:
    """What a run did, for the summary and the benchmarks."""

    files: int = 0
    cached: int = 0
    processed: int = 0
    dropped: int = 0
    seconds: float = 0.0


def run_tasks(
    tasks: Sequence[Task],
    work: Callable,
    options: BuildOptions,
    on_result: Callable | None = None,
    stats: RunStats | None = None,
    warm_up: Callable[[], object] | None = None,
    code_key: str = "",
) -> list:
    """``work(task)`` for every task, cached results reused; results in task
    order.  ``on_result`` sees each result as it arrives (it may raise to
    stop the run); ``warm_up()``, when given, runs once in each worker
    process (of a pool or a Dask cluster) before its first task.  ``work``
    and ``warm_up`` go to other processes: module-level functions.
    ``code_key`` names what else shapes a result beyond zzdata's own code
    (the caller's plug-ins): a cached result is reused only under the same."""
    stats = stats if stats is not None else RunStats()
    started = time.perf_counter()
    cache = Cache(options.cache, writable=not options.strict) if options.cache else None  # strict writes nothing
    fp = fingerprint() + code_key if cache else ""
    keys = [t.key(fp) for t in tasks] if cache else []
    results: list = [None] * len(tasks)
    todo = []
    for i, task in enumerate(tasks):
        hit = None if cache is None or options.force or keys[i] is None else cache.get(keys[i])
        if hit is None:
            todo.append(i)
        else:
            results[i] = hit
    stats.files, stats.cached, stats.processed = len(tasks), len(tasks) - len(todo), len(todo)
    with _Progress(len(tasks), options.progress) as progress:
        for i in range(len(tasks)):
            if results[i] is not None:
                progress.advance(results[i])
                if on_result:
                    on_result(results[i])
        keep = cache if cache and cache.writable else None
        keys_todo = [keys[i] for i in todo] if keep else None
        for i, result in _execute([tasks[i] for i in todo], todo, work, options, keep, keys_todo, warm_up):
            results[i] = result
            progress.advance(result)
            if on_result:
                on_result(result)
    if cache:
        stats.dropped = cache.keep_only({k for k in keys if k is not None})
    stats.seconds = time.perf_counter() - started
    return results


def _execute(
    tasks: list[Task], indices: list[int], work: Callable, options: BuildOptions,
    cache: Cache | None = None, keys: list | None = None, warm_up: Callable | None = None,
) -> Iterator[tuple[int, object]]:
    """(index, result) pairs as they complete; each result is also kept in
    ``cache`` under its key (by the worker that made it, where it shares
    the disk)."""
    if options.engine not in ENGINES:
        raise ValueError(f"unknown engine {options.engine!r}; choose one of {', '.join(ENGINES)}")
    if not tasks:
        return
    keys = keys or [None] * len(tasks)
    if options.engine == "dask":  # its workers may be other machines: the results are kept here
        key_of = dict(zip(indices, keys))
        for i, result in _on_dask(tasks, indices, work, options, warm_up):
            _keep(cache, key_of[i], result)
            yield i, result
    elif options.workers(len(tasks)) == 1:
        for i, task, key in zip(indices, tasks, keys):
            yield i, _work_and_keep(work, cache, key, task)
    else:
        yield from _in_pool(tasks, indices, work, options.workers(len(tasks)), cache, keys, warm_up)


def _work_and_keep(work: Callable, cache: Cache | None, key: str | None, task: Task):
    result = work(task)
    _keep(cache, key, result)
    return result


def _keep(cache: Cache | None, key: str | None, result) -> None:
    if cache is not None and key is not None:
        cache.put(key, result)


def _in_pool(tasks, indices, work, workers: int, cache: Cache | None, keys: list, warm_up: Callable | None = None):
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    pending = list(zip(indices, tasks, keys))[::-1]
    with ProcessPoolExecutor(max_workers=workers, initializer=warm_up) as pool:
        running = {}
        try:
            while pending or running:
                while pending and len(running) < workers * IN_FLIGHT_PER_WORKER:
                    i, task, key = pending.pop()
                    running[pool.submit(_work_and_keep, work, cache, key, task.loaded())] = i
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    yield running.pop(future), future.result()
        finally:
            for future in running:
                future.cancel()


def _on_dask(tasks, indices, work, options: BuildOptions, warm_up: Callable | None = None):
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as error:
        raise RuntimeError("the dask engine needs dask.distributed: pip install 'zzdata[dask]'") from error
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
        pending = list(zip(indices, tasks))[::-1]
        index = {}
        running = as_completed()
        for _ in range(min(len(pending), workers * IN_FLIGHT_PER_WORKER)):
            i, task = pending.pop()
            future = client.submit(work, task.loaded(), pure=False)
            index[future.key] = i
            running.add(future)
        for future in running:
            i = index.pop(future.key)
            yield i, future.result()
            future.release()
            if pending:
                j, task = pending.pop()
                nxt = client.submit(work, task.loaded(), pure=False)
                index[nxt.key] = j
                running.add(nxt)
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
