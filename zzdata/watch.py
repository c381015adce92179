"""Watch: a resident builder that keeps the tables current while pages are
dropped into, changed in or removed from the source folders.

    zzdata watch data --out build

It loads jieba and the lexicons once (``pipeline.warm_up``), builds once to
catch up, then waits for changes (watchfiles: the operating system's file
events).  Changes arriving together are taken as one update: watchfiles
waits until no change has come for ``STEP_MS`` (at most ``DEBOUNCE_MS``).
Each update runs the caller's ``rebuild`` (the command line hands in the
function ``zzdata build`` runs, so the tables are the same) and logs one
line, e.g.::

    16:02:11 +1 changed, 0 removed → version 7 published in 0.8 s

A failed update is logged and the watch goes on; the previous version stays
current.  ``stop`` (a ``threading.Event``) ends the watch between updates;
Ctrl+C and SIGTERM (``serve``) stop it at once, and because a build
publishes a version in one step under the build lock, what is current is a
whole build.  Only page files (``read.TEXT_SUFFIXES``), manifests and
folders count; the build folder itself, hidden and temporary files
(an editor's ``.page.txt.swp``, ``page.txt~``) are ignored.

>>> Update(changed=1, removed=0, version="000007-20260101T000000Z", seconds=0.84).line()
'+1 changed, 0 removed → version 7 published in 0.8 s'
>>> Update(changed=0, removed=2, version=None, seconds=0.2, status=2).line()
'+0 changed, 2 removed → nothing published (exit 2) in 0.2 s'
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .manifest import MANIFEST
from .pipeline import warm_up as warm_up_pipeline
from .read import TEXT_SUFFIXES
from .store import current_folder

DEBOUNCE_MS = 1_600  # the longest a burst of changes is gathered before a re-build
STEP_MS = 50  # a burst ends when no change came for this long
RUST_TIMEOUT_MS = 500  # the watcher wakes this often when nothing changes (to start, and to see ``stop``)


@dataclass(frozen=True)
class Batch:
    """The changes one update re-builds for (absolute paths); ``first``
    for the build that starts the watch (everything, to catch up)."""

    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    manifests: tuple[str, ...] = ()
    first: bool = False


@dataclass(frozen=True)
class Update:
    """What one update did: the pages changed and removed, the version
    current after it (None: none), how long it took and the re-build's exit
    status (``cli.EXIT_CODES``; -1: it failed with ``error``)."""

    changed: int
    removed: int
    version: str | None
    seconds: float
    status: int = 0
    error: str = ""
    published: bool = True
    manifests: int = 0

    def line(self) -> str:
        """The log line of this update."""
        what = f"+{self.changed} changed, {self.removed} removed" + (f", {self.manifests} manifest(s)" if self.manifests else "")
        if self.error:
            kept = f"version {_number(self.version)} still current" if self.version else "no version yet"
            return f"{what} → re-build failed: {self.error}; {kept}"
        if self.version is not None and not self.published and self.status == 0:  # a touch, or an edit back and forth
            return f"{what} → the same tables: version {_number(self.version)} stays current ({self.seconds:.1f} s)"
        if self.version is None or not self.published:
            return f"{what} → nothing published (exit {self.status}) in {self.seconds:.1f} s"
        problems = f" (exit {self.status}: see the lines above)" if self.status else ""
        return f"{what} → version {_number(self.version)} published in {self.seconds:.1f} s{problems}"


def _number(version: str | None) -> str:
    """A version's sequence number ('000007-…' → '7'); the name otherwise."""
    head = (version or "").split("-", 1)[0]
    return str(int(head)) if head.isdigit() else str(version)


def published_version(out: str | os.PathLike) -> str | None:
    """The name of the version ``OUT/current`` names (None: no version)."""
    try:
        folder = current_folder(out)
    except (FileNotFoundError, OSError):
        return None
    return folder.name if folder != Path(out) else None


def is_page(path: str | os.PathLike) -> bool:
    """A file the build reads: a page file or a manifest, not hidden nor
    an editor's temporary file.

    >>> [is_page(p) for p in ("a/1.txt", "a/manifest.csv", "a/.1.txt.swp", "a/.~1.txt", "a/1.txt~", "a/1.csv")]
    [True, True, False, False, False, False]
    """
    name = Path(path).name
    if name.startswith((".", "~")) or name.endswith("~"):
        return False
    return name == MANIFEST or Path(name).suffix.lower() in TEXT_SUFFIXES


@dataclass
class _Pages:
    """The page files known under the sources, to count what an update
    touched (a folder removed counts the pages it held)."""

    out: Path
    known: set[str] = field(default_factory=set)

    def scan(self, roots: Iterable[Path]) -> None:
        self.known = {p for root in roots for p in self._pages_under(root)}

    def _pages_under(self, root: Path) -> list[str]:
        if root.is_file():
            return [os.path.abspath(root)] if is_page(root) and root.name != MANIFEST else []
        return [os.path.abspath(p) for p in root.rglob("*") if p.is_file() and is_page(p) and p.name != MANIFEST and not self.ignored(p)]

    def ignored(self, path: str | os.PathLike) -> bool:
        """Inside the build folder (which may sit inside a source)."""
        try:
            Path(os.path.abspath(path)).relative_to(self.out)
        except ValueError:
            return False
        return True

    def wanted(self, path: str, modified: bool = False) -> bool:
        """Whether a change of ``path`` can change the tables: a page or a
        manifest, or a folder added or removed (or what may have been one:
        gone, without a suffix); a folder's own "modified" event is not."""
        if self.ignored(path):
            return False
        if is_page(path):
            return True
        p = Path(path)
        return not modified and (p.is_dir() or (not p.exists() and not p.suffix and not p.name.startswith(".")))

    def batch(self, paths: Iterable[str]) -> Batch:
        """Sort changed paths into pages changed and removed, by what is on
        disk now (an added-then-removed page counts as removed)."""
        changed, removed, manifests = set(), set(), set()
        for path in map(os.path.abspath, paths):
            p = Path(path)
            if p.name == MANIFEST:
                manifests.add(path)
            elif p.is_dir():
                changed.update(self._pages_under(p))
            elif p.is_file():
                changed.add(path)
            else:
                under = path + os.sep
                removed.update(k for k in self.known if k == path or k.startswith(under))
        self.known = (self.known | changed) - removed
        return Batch(tuple(sorted(changed)), tuple(sorted(removed)), tuple(sorted(manifests)))


def watch_sources(
    sources: Iterable[str | os.PathLike],
    out: str | os.PathLike,
    rebuild: Callable[[Batch], int],
    stop: threading.Event | None = None,
    *,
    log: Callable[[str], object] | None = None,
    on_update: Callable[[Update], object] | None = None,
    debounce_ms: int = DEBOUNCE_MS,
    step_ms: int = STEP_MS,
    catch_up: bool = True,
    force_polling: bool | None = None,
) -> None:
    """Re-build on every change of the sources until ``stop`` is set.

    ``rebuild(batch)`` publishes a new version of ``out`` and returns an
    exit status; an exception from it (but KeyboardInterrupt) is logged as
    a failed update and the watch goes on.  ``catch_up`` builds once first.
    ``on_update`` sees each ``Update``: the first, the catch-up build, once
    the watcher is in place (tests wait on it before changing files)."""
    from watchfiles import Change, watch

    roots = [Path(os.path.abspath(s)) for s in sources]
    out = Path(os.path.abspath(out))
    stop = stop or threading.Event()
    log = log or _log
    pages = _Pages(out)
    pages.scan(roots)
    # watchfiles watches folders; a single page is watched through its folder (and its manifest)
    folders = [r for r in roots if r.is_dir()]
    singles = {str(r) for r in roots if not r.is_dir()} | {str(r.parent / MANIFEST) for r in roots if not r.is_dir()}
    watched = sorted({str(r if r.is_dir() else r.parent) for r in roots})

    def wanted(change: Change, path: str) -> bool:
        in_scope = path in singles or any(Path(path).is_relative_to(r) for r in folders)
        return in_scope and pages.wanted(path, modified=change == Change.modified)

    def update(batch: Batch) -> None:
        result = _run(rebuild, batch, out)
        log(result.line())
        if on_update is not None:
            on_update(result)

    # The catch-up build runs once the watcher is in place (its first
    # yield), so a change made while it runs is the next update, not lost.
    pending = catch_up
    for changes in watch(*watched, watch_filter=wanted, debounce=debounce_ms, step=step_ms, stop_event=stop,
                         rust_timeout=RUST_TIMEOUT_MS, yield_on_timeout=True, force_polling=force_polling):
        if stop.is_set():
            break
        if pending:
            pending = False
            pages.scan(roots)
            update(Batch(tuple(sorted(pages.known)), first=True))
        elif changes:
            update(pages.batch(path for _, path in changes))


def _run(rebuild: Callable[[Batch], int], batch: Batch, out: Path) -> Update:
    """One update: the re-build, timed, and what is current after it."""
    before = published_version(out)
    started = time.perf_counter()
    status, error = -1, ""
    try:
        status = int(rebuild(batch) or 0)
    except SystemExit as exit_:
        status = exit_.code if isinstance(exit_.code, int) else 1
    except Exception as failed:  # noqa: BLE001 — one update failed: say why and keep watching
        error = (str(failed).strip().splitlines() or [type(failed).__name__])[0]
    version = published_version(out)
    return Update(len(batch.changed), len(batch.removed), version, time.perf_counter() - started, status, error,
                  published=version is not None and version != before, manifests=len(batch.manifests))


def _log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


def serve(sources: list[str | os.PathLike], out: str | os.PathLike, rebuild: Callable[[Batch], int],
          log: Callable[[str], object] | None = None, warm_up: Callable[[], object] | None = warm_up_pipeline) -> int:
    """``zzdata watch``: warm up once, then ``watch_sources`` until Ctrl+C
    or SIGTERM, which stop it at once (a re-build in hand is abandoned; its
    version was not published, the current one is whole).  Returns 0."""
    log = log or _log
    stop = threading.Event()
    log(f"loading the lexicons and jieba, then watching {', '.join(map(str, sources))} → {out} (Ctrl+C stops)")
    if warm_up is not None:
        warm_up()
    previous = _on_sigterm(stop)
    try:
        watch_sources(sources, out, rebuild, stop, log=log)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    version = published_version(out)
    log(f"stopped; {'version ' + _number(version) + ' is current' if version else 'nothing was published'}")
    return 0


def _on_sigterm(stop: threading.Event):
    """SIGTERM stops the watch as Ctrl+C does; returns the previous handler
    (None when not in the main thread, or where there is no SIGTERM)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        return None

    def handler(signum, frame):
        stop.set()
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, handler)
