"""Stat index: which source files changed since the last build, known
without reading them, as git's index knows it.

For every source file the index keeps its stat (size, mtime_ns, ctime_ns,
inode) and the digest of its bytes as last read.  A build asks it for each
file's digest (``digests``): a file whose stat is as recorded is not read,
its digest comes from the index; the others are read and hashed, and the
index is brought up to date.  A re-build with nothing changed reads no page.

The rule (git's, including its "racy git" rule):

- any stat field that differs means "read it again": an edit changes mtime
  and ctime; an editor that saves by writing a new file and renaming it
  changes the inode; an edit whose mtime was put back (``touch -d``,
  ``os.utime``) still changes ctime, which no program can set (on Windows
  ctime is the creation time: there, as for git, such an edit in place is
  seen only while the file is racy);
- a file whose mtime is within ``RACY_SECONDS`` of the moment the index was
  written (the index file's own mtime) is "racy" and read again even when
  its stat is as recorded: it may have been changed again after it was read,
  within one tick of the file system's clock (1 s or 2 s on FAT and some
  network shares), leaving the stat as it was.  Once the index has been
  written again, well after the change, the file is trusted.

A file read again whose bytes did not change (a touch) gets the digest it
had, so its build result comes from the cache: it is read, not processed.
The index is a JSON file, replaced in one step (``os.replace``), so a killed
build leaves the old one or the new one; a damaged or foreign one is taken
as empty (every file is read once).

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> page = folder / "page.txt"
>>> _ = page.write_bytes("全市储备编织袋3万条".encode("utf-8"))
>>> index = StatIndex.load(folder / "stat-index.json")
>>> index.digests([page])[str(page)] == content_digest(page.read_bytes()), index.hashed
(True, 1)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

FORMAT = "zzdata-stat-index 1"
RACY_SECONDS = 2  # FAT keeps mtimes in 2 s steps; git's rule uses the same tick
_RACY_NS = RACY_SECONDS * 1_000_000_000


def content_digest(data: bytes) -> str:
    """The digest the index keeps for a file's bytes (blake2b, 128 bits).

    >>> content_digest(b"")
    'cae66941d9efbd404e4d88758ea67670'
    """
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class FileStat(NamedTuple):
    """What the index compares: any change of a field means the file is read."""

    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str | os.PathLike) -> FileStat:
        """The stat of ``path`` (raises OSError when it is gone)."""
        st = os.stat(path)
        return cls(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class Entry(NamedTuple):
    stat: FileStat
    digest: str


def path_key(path: str | os.PathLike) -> str:
    """How the index names a file: its absolute path (no file system call)."""
    return os.path.abspath(path)


class StatIndex:
    """The stat and digest of every source file of the last build.

    ``digests(paths)`` gives each file's digest, reading only those whose
    stat changed or that are racy; ``hashed`` counts the files read;
    ``keep_only(paths)`` drops the files no longer there; ``save()`` writes
    the index when something changed."""

    def __init__(self, file: str | os.PathLike, entries: dict[str, Entry] | None = None, written_ns: int | None = None):
        self.file = Path(file)
        self.entries: dict[str, Entry] = dict(entries or {})
        self.written_ns = written_ns  # the index file's mtime; None: never written, no entry is trusted
        self.hashed = 0  # files read and hashed by this index object
        self.updated: list[str] = []  # files whose digest is new or changed (path keys)
        self.dirty = False

    @classmethod
    def load(cls, file: str | os.PathLike) -> StatIndex:
        """The index saved in ``file``; an empty one when it is missing,
        damaged or of another format."""
        file = Path(file)
        try:
            with file.open("rb") as handle:
                written_ns = os.fstat(handle.fileno()).st_mtime_ns
                data = json.loads(handle.read().decode("utf-8"))
            assert data["format"] == FORMAT
            entries = {str(p): Entry(FileStat(*map(int, row[:4])), str(row[4])) for p, row in data["files"].items()}
        except (OSError, ValueError, KeyError, TypeError, AssertionError, IndexError):
            return cls(file)
        return cls(file, entries, written_ns)

    def trusted(self, key: str, stat: FileStat) -> Entry | None:
        """The entry of ``key`` when ``stat`` is as recorded and not racy."""
        entry = self.entries.get(key)
        if entry is None or entry.stat != stat or self.written_ns is None:
            return None
        return entry if stat.mtime_ns < self.written_ns - _RACY_NS else None

    def changed(self, paths: Iterable[str | os.PathLike]) -> list[str]:
        """The files (path keys, in order) that must be read to know their
        digest: new, changed in stat, racy, or gone (a stat that fails)."""
        found = []
        for path in paths:
            key = path_key(path)
            try:
                stat = FileStat.of(key)
            except OSError:
                found.append(key)
                continue
            if self.trusted(key, stat) is None:
                found.append(key)
        return found

    def digests(self, paths: Iterable[str | os.PathLike]) -> dict[str, str | None]:
        """Each file's digest by its path as given: from the index when its
        stat is trusted, else read and hashed (``hash``); None for a file
        that cannot be read now."""
        found = {}
        for path in paths:
            key = path_key(path)
            try:
                stat = FileStat.of(key)
            except OSError:
                found[str(path)] = self._forget(key)
                continue
            entry = self.trusted(key, stat)
            found[str(path)] = entry.digest if entry else self.hash(key, stat)
        return found

    def hash(self, path: str | os.PathLike, stat: FileStat | None = None) -> str | None:
        """Read ``path`` and record its digest, under the stat taken before
        reading (so a change made while reading shows at the next build);
        None when it cannot be read."""
        key = path_key(path)
        try:
            stat = stat or FileStat.of(key)
            with open(key, "rb") as handle:
                digest = content_digest(handle.read())
        except OSError:
            return self._forget(key)
        self.hashed += 1
        self.record(key, stat, digest)
        return digest

    def record(self, path: str | os.PathLike, stat: FileStat, digest: str) -> None:
        """Keep ``digest`` for ``path`` as read under ``stat`` (the caller
        read the bytes itself, after taking the stat)."""
        key = path_key(path)
        old = self.entries.get(key)
        if old is None or old.digest != digest:
            self.updated.append(key)
        if old != (stat, digest):
            self.entries[key] = Entry(stat, digest)
        self.dirty = True  # even an unchanged entry: written again, it is no longer racy

    def _forget(self, key: str) -> None:
        if self.entries.pop(key, None) is not None:
            self.dirty = True
        return None

    def keep_only(self, paths: Iterable[str | os.PathLike]) -> list[str]:
        """Drop the entries of files not in ``paths`` (removed, or no longer
        a source); returns their path keys."""
        keep = {path_key(p) for p in paths}
        dropped = [key for key in self.entries if key not in keep]
        for key in dropped:
            del self.entries[key]
        self.dirty = self.dirty or bool(dropped)
        return dropped

    def save(self) -> bool:
        """Write the index when something changed (under a temporary name,
        then ``os.replace``); returns whether it wrote.  A failed write
        (a full disk) leaves the old index and only costs re-reading."""
        if not self.dirty and self.file.exists():
            return False
        rows = {key: [*entry.stat, entry.digest] for key, entry in sorted(self.entries.items())}
        payload = json.dumps({"format": FORMAT, "files": rows}, ensure_ascii=False, indent=0).encode("utf-8")
        partial = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as handle:
                handle.write(payload)
            os.replace(partial, self.file)
            self.written_ns = self.file.stat().st_mtime_ns
        except OSError:
            partial.unlink(missing_ok=True)
            return False
        self.dirty = False
        return True
