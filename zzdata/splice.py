"""Splice: a re-build writes only what changed.

Every published version keeps an index of its files (``_parts.jsonl``): per
file, its build-cache key, the counts of the build summary, the digests of
its rows per table, and the length and digest of its lines in each of the
version's CSVs.  Where the lines lie follows from the lengths (a CSV is its
header, then every file's lines in file order), so an unchanged file's
entry is the same line in every version, and is copied as it is.  The
next build takes an unchanged file's part from that index
(``published_parts``: counts and digests, no lines, ``parts.Published``;
``PublishedParts`` reads it while the changed files are processed)
instead of loading and decoding its cached part, so:

- a re-build in which nothing changed loads no part and writes nothing
  (``unchanged_summary``: the files' keys against the index's first line,
  whose summary is printed);
- a re-build after a change copies the byte ranges of the unchanged files
  from the previous version's CSVs, in runs, and writes new lines only for
  the changed files (``write_csv``); the CSVs are byte-identical to those of
  a full build;
- only the Parquet part files holding a changed file are written again,
  their unchanged rows sliced from the previous version's (``store``); the
  others are hard-linked.

A published CSV whose size or time is no longer what the index recorded
(edited in place through its flat hard link, say) is never spliced in: the
parts are loaded from the build cache instead.  As git trusts a file whose
stat is unchanged, so does this, except where the CSV is as new as the index
(a coarse clock could hide an edit): there each range is checked against
its digest first.  When a file's lines can be had from neither, the build
starts over without the index (``StaleIndex``).

>>> from zzdata.parts import FileRows, to_part
>>> part = to_part(FileRows("a.txt", {"problems": ({"source": "a.txt", "kind": "empty", "message": "no text",
...                                                 "line": None, "offset": None},)}))
>>> entry = index_entry(part, "k1", {"problems": (10, "d")})
>>> stub = part_of_entry(entry, {"problems": 3})
>>> stub.published.key, stub.published.spans, stub.summary == part.summary, stub.digests == part.digests
('k1', {'problems': (3, 13, 'd')}, True, True)
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Sequence

from .parts import FilePart, Published, _checked, summary_from_json, summary_json, total
from .tables import Summary

PARTS_INDEX = "_parts.jsonl"  # in a version folder: its files' keys, counts, digests and CSV spans
FORMAT = 3  # 2 (until 6 December 2026) kept absolute spans: such an index is not used, the cache is


class StaleIndex(Exception):
    """An unchanged file's lines can be had neither from the published CSV
    nor from the build cache: build again without the index."""


def span_digest(data: bytes) -> str:
    """The digest kept for a file's lines in a CSV."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def index_entry(part: FilePart, key: str | None, lines: dict[str, tuple[int, str]]) -> dict:
    """One file's line of a version's index; ``lines`` maps a table to the
    length and digest of the file's lines in its CSV."""
    return {
        "key": key, "source": part.source, "date": part.date, "paper": part.paper,
        "summary": summary_json(part.summary), "digests": part.digests, "lines": {t: list(x) for t, x in lines.items()},
    }


def part_of_entry(entry: dict, at: dict[str, int], line: str | None = None) -> FilePart:
    """An index entry as a part without lines (every field checked); ``at``
    holds where each table's lines of this file start, and is moved past
    them.  ``line`` is the entry's text, kept to be written again as it is."""
    lines = entry["lines"]
    if not all(type(t) is str and type(n) is int and n >= 0 and type(d) is str for t, (n, d) in lines.items()):
        raise TypeError(f"{entry['source']!r}: lines are not (length, digest)")
    digests = dict(entry["digests"])
    if not all(type(d) is str for d in digests.values()) or set(digests) != set(lines):
        raise ValueError(f"{entry['source']!r}: tables with digests and tables with lines differ")
    spans = {}
    for table, (length, digest) in lines.items():
        start = at[table]
        spans[table] = (start, start + length, digest)
        at[table] = start + length
    return FilePart(
        _checked(entry["source"], str), _checked(entry["date"], str, None), _checked(entry["paper"], str),
        digests=digests, summary=summary_from_json(entry["summary"]),
        published=Published(_checked(entry["key"], str), spans, line),
    )


def read_index(version: Path, head_only: bool = False) -> tuple[dict, list[str]] | None:
    """A version's index: its first line (CSV sizes, times and header
    lengths, the build's summary, the files in order) and its entry lines,
    unparsed (none read when ``head_only``); None when it has none, cannot
    be read, or a CSV's size or modification time is no longer what it says
    (written to since: through its flat hard link, say)."""
    try:
        with (version / PARTS_INDEX).open(encoding="utf-8", newline="\n") as handle:
            head = json.loads(handle.readline())
            lines = [] if head_only else handle.read().split("\n")
        if head.get("format") != FORMAT:
            return None
        for table, seen in head["csv"].items():
            if list(_stat(version / f"{table}.csv")) != seen:
                return None
        if not head_only and len(head["files"]) != len(lines):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return head, lines


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def published_parts(version: Path) -> dict[str, FilePart]:
    """Build-cache key → part without lines, for every file of the
    version's index ({} when there is no usable index)."""
    found = read_index(version)
    if found is None:
        return {}
    head, lines = found
    parts = {}
    try:
        at = {table: int(n) for table, n in head["headers"].items()}
        for line in lines:
            entry = json.loads(line)
            part = part_of_entry(entry, at, line)  # the manifests' parts (no key) too: they hold lines
            if entry.get("key") is not None:
                parts[entry["key"]] = part
        if any(at[table] != size for table, (size, _) in head["csv"].items()):
            return {}  # the lines do not add up to the CSVs
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
    return parts


class PublishedParts(Mapping):
    """``published_parts`` of a version, read when first needed: which keys
    it holds comes from the index's first line alone, so a build can tell
    the files to process at once and load the rest while they are processed
    (``engine.run_tasks``'s ``meanwhile``).  A key whose entry turns out
    unusable is simply missing, and its file is taken from the cache.

    >>> parts = PublishedParts(Path("no-such-version"))
    >>> "k1" in parts, len(parts), parts.get("k1")
    (False, 0, None)
    """

    def __init__(self, version: Path):
        self.version = version
        found = read_index(version, head_only=True)
        files = found[0].get("files") if found is not None else None
        self._keys = frozenset(f[1] for f in files if type(f) is list and len(f) > 1 and type(f[1]) is str) if type(files) is list else frozenset()
        self._parts: dict[str, FilePart] | None = None
        self._lock = threading.Lock()

    def load(self) -> dict[str, FilePart]:
        """Every part (read once, by whichever thread asks first)."""
        with self._lock:
            if self._parts is None:
                self._parts = published_parts(self.version) if self._keys else {}
            return self._parts

    def __contains__(self, key) -> bool:
        return key in self._keys

    def __getitem__(self, key: str) -> FilePart:
        if key not in self._keys:
            raise KeyError(key)
        return self.load()[key]

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _files(parts: Sequence[FilePart], keys: Sequence[str | None]) -> list:
    """What tells a build's files apart: source and key, and the row
    digests of a part of no file (a manifest's problems)."""
    return [[part.source, key, None if key is not None else part.digests] for part, key in zip(parts, keys)]


def unchanged_summary(version: Path, sources: Sequence[str], keys: Sequence[str | None],
                      others: Sequence[FilePart]) -> Summary | None:
    """The version's summary when its files are these (``sources`` and
    their ``keys``, then the parts of no file, ``others``): a build with
    nothing changed prints it without taking a part in hand; else None."""
    found = read_index(version, head_only=True)
    if found is None or None in keys:
        return None
    files = [[source, key, None] for source, key in zip(sources, keys)] + _files(others, [None] * len(others))
    if found[0]["files"] != files:
        return None
    try:
        return summary_from_json(found[0]["summary"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def write_csv(name: str, path: Path, header: bytes, parts: Sequence[FilePart], previous: Path,
              load: Callable[[FilePart], FilePart | None]) -> list[tuple[int, int, str]]:
    """Write table ``name``'s CSV: ``header``, then each file's lines, an
    unchanged file's copied from the previous version's CSV (``previous``),
    else from its whole part (``load``; StaleIndex when it cannot be had).
    Returns each part's span in the new file: (start, end, digest).

    The previous CSV is the size and age the index recorded
    (``read_index``), so, as git trusts a file whose stat is unchanged, runs
    of unchanged files' lines are copied as they lie, in one step each (in
    the kernel where it can: ``os.copy_file_range``).  Only a CSV as new as
    the index itself (a file system with coarse times, where an edit could
    keep the time) has each file's lines checked against their digest."""
    verify = _racy(previous)
    spans: list[tuple[int, int, str]] = []
    source = None
    run: list[int] = []  # [start, end) of unchanged lines, contiguous in the previous CSV, not yet copied
    try:
        with path.open("wb") as out:
            out.write(header)
            at = len(header)
            for part in parts:
                span = part.published.spans.get(name) if part.published is not None else None
                if span is not None:
                    source = source or _open(previous)
                if span is not None and not verify and not isinstance(source, _Missing):
                    start, end, digest = span
                    if run and run[1] == start:
                        run[1] = end
                    else:
                        _copy_run(source, out, run)
                        run = [start, end]
                    spans.append((at, at + end - start, digest))
                    at += end - start
                    continue
                _copy_run(source, out, run)
                run = []
                if span is not None:
                    data, digest = _copied(source, span), span[2]
                    if data is None:
                        data = _lines_of(load, part, name)
                        digest = span_digest(data)
                else:  # a changed file; or an unchanged one without rows here
                    data = part.sheet_lines(name) if part.published is None else b""
                    digest = span_digest(data)
                out.write(data)
                spans.append((at, at + len(data), digest))
                at += len(data)
            _copy_run(source, out, run)
    finally:
        if source is not None:
            source.close()
    return spans


def _racy(csv: Path) -> bool:
    """Is the CSV as new as its version's index (or is there no index)?
    Then an edit right after the build could have kept its time."""
    try:
        return csv.stat().st_mtime_ns >= (csv.parent / PARTS_INDEX).stat().st_mtime_ns
    except OSError:
        return True


def _copy_run(source, out, run: list[int]) -> None:
    """Append the bytes [start, end) of the open ``source`` to ``out``."""
    if not run or run[1] <= run[0]:
        return
    start, left = run[0], run[1] - run[0]
    out.flush()
    if hasattr(os, "copy_file_range"):
        try:
            while left:
                done = os.copy_file_range(source.fileno(), out.fileno(), left, start)
                if done == 0:
                    break
                start, left = start + done, left - done
        except OSError:  # not between these files (another file system, say): through memory
            pass
        out.seek(0, os.SEEK_END)
    source.seek(start)
    while left:
        data = source.read(min(left, 1 << 20))
        if not data:
            raise StaleIndex(f"{source.name}: shorter than the index says")
        out.write(data)
        start, left = start + len(data), left - len(data)


class _Missing:
    """Stands for a previous CSV that cannot be opened: nothing to copy."""

    def close(self) -> None:
        pass


def _open(path: Path):
    try:
        return path.open("rb")
    except OSError:
        return _Missing()


def _copied(handle, span: tuple[int, int, str]) -> bytes | None:
    """The bytes of ``span`` in the open CSV, or None when they are not
    those its digest names (or cannot be read)."""
    start, end, digest = span
    try:
        handle.seek(start)
        data = handle.read(end - start)
    except (OSError, AttributeError):  # AttributeError: _Missing
        return None
    return data if len(data) == end - start and span_digest(data) == digest else None


def _lines_of(load: Callable[[FilePart], FilePart | None], part: FilePart, name: str) -> bytes:
    whole = load(part)
    if whole is None:
        raise StaleIndex(f"{part.source}: its lines are neither in the published CSV nor in the build cache")
    return whole.sheet_lines(name)


def write_index(version: Path, names: Sequence[str], parts: Sequence[FilePart], keys: Sequence[str | None],
                spans: dict[str, list[tuple[int, int, str]]]) -> None:
    """The version's index: a first line with the CSVs' sizes, times and
    header lengths, the build's summary and its files, then one line per
    file: an unchanged file's line as the last version had it."""
    lines = []
    for i, (part, key) in enumerate(zip(parts, keys)):
        mine = {name: (spans[name][i][1] - spans[name][i][0], spans[name][i][2]) for name in names if name in part.digests}
        was = part.published
        if was is not None and was.line is not None and was.key == key and mine == {
            t: (end - start, digest) for t, (start, end, digest) in was.spans.items()
        }:
            lines.append(was.line)
        else:
            lines.append(json.dumps(index_entry(part, key, mine), ensure_ascii=False, separators=(",", ":")))
    head = {
        "format": FORMAT, "csv": {name: list(_stat(version / f"{name}.csv")) for name in names},
        "headers": {name: spans[name][0][0] if spans[name] else _stat(version / f"{name}.csv")[0] for name in names},
        "summary": summary_json(total(parts)), "files": _files(parts, keys),
    }
    text = "\n".join([json.dumps(head, ensure_ascii=False, separators=(",", ":")), *lines])
    (version / PARTS_INDEX).write_text(text, encoding="utf-8")
