"""Splice: a re-build writes only what changed.

Every published version keeps an index of its files (``_parts.json``): per
file, its build-cache key, the counts of the build summary, the digests of
its rows per table, and where its lines lie in the version's CSVs.  The
next build takes an unchanged file's part from that index
(``published_parts``: counts and digests, no lines, ``parts.Published``)
instead of loading and decoding its cached part, so:

- a re-build in which nothing changed loads no part and writes nothing
  (``unchanged``): the summary is the sum of the index's counts;
- a re-build after a change copies the byte ranges of the unchanged files
  from the previous version's CSVs (each range checked against its digest)
  and writes new lines only for the changed files (``write_csv``); the CSVs
  are byte-identical to those of a full build;
- only the Parquet partitions holding a changed file are written again, and
  only their files' parts are loaded (``store.write_parts``); the others are
  hard-linked.

A published CSV that no longer matches the index (edited in place through
its flat hard link, say) is never spliced in: the part is loaded from the
build cache instead, and when that fails too the build starts over without
the index (``StaleIndex``).

>>> from zzdata.parts import FileRows, to_part
>>> part = to_part(FileRows("a.txt", {"problems": ({"source": "a.txt", "kind": "empty", "message": "no text",
...                                                 "line": None, "offset": None},)}))
>>> entry = index_entry(part, "k1", {"problems": (0, 10, "d")})
>>> stub = part_of_entry(entry)
>>> stub.published.key, stub.summary == part.summary, stub.digests == part.digests
('k1', True, True)
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, Sequence

from .parts import FilePart, Published, _checked, summary_from_json, summary_json

PARTS_INDEX = "_parts.json"  # in a version folder: its files' keys, counts, digests and CSV spans
FORMAT = 1


class StaleIndex(Exception):
    """An unchanged file's lines can be had neither from the published CSV
    nor from the build cache: build again without the index."""


def span_digest(data: bytes) -> str:
    """The digest kept for a file's lines in a CSV."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def index_entry(part: FilePart, key: str | None, spans: dict[str, tuple[int, int, str]]) -> dict:
    """One file's line of a version's index."""
    return {
        "key": key, "source": part.source, "date": part.date, "paper": part.paper,
        "summary": summary_json(part.summary), "digests": part.digests, "spans": {t: list(s) for t, s in spans.items()},
    }


def part_of_entry(entry: dict) -> FilePart:
    """An index entry as a part without lines (every field checked)."""
    spans = {}
    for table, (start, end, digest) in entry["spans"].items():
        spans[_checked(table, str)] = (_checked(start, int), _checked(end, int), _checked(digest, str))
    digests = {_checked(t, str): _checked(d, str) for t, d in entry["digests"].items()}
    if set(digests) != set(spans):
        raise ValueError(f"{entry['source']!r}: tables with digests and tables with lines differ")
    return FilePart(
        _checked(entry["source"], str), _checked(entry["date"], str, None), _checked(entry["paper"], str),
        digests=digests, summary=summary_from_json(entry["summary"]), published=Published(_checked(entry["key"], str), spans),
    )


def read_index(version: Path) -> tuple[dict, list[dict]] | None:
    """A version's index (its CSVs' sizes and times, and its entries), or
    None when it has none, cannot be read, or a CSV's size or modification
    time is no longer what it says (written to since: through its flat
    hard link, say)."""
    try:
        index = json.loads((version / PARTS_INDEX).read_text(encoding="utf-8"))
        if index.get("format") != FORMAT:
            return None
        sizes, entries = index["csv"], index["parts"]
        for table, seen in sizes.items():
            if list(_stat(version / f"{table}.csv")) != seen:
                return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return sizes, entries


def _stat(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_size, info.st_mtime_ns


def published_parts(version: Path) -> dict[str, FilePart]:
    """Build-cache key → part without lines, for every file of the
    version's index ({} when there is no usable index)."""
    found = read_index(version)
    if found is None:
        return {}
    parts = {}
    try:
        for entry in found[1]:
            if entry.get("key") is not None:
                parts[entry["key"]] = part_of_entry(entry)
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}
    return parts


def unchanged(parts: Sequence[FilePart], keys: Sequence[str | None], version: Path) -> bool:
    """Would these parts write the version's tables again?  Yes when the
    version's index lists the same files, in the same order, with the same
    keys and the same rows (a file processed again after a touch counts as
    unchanged when its rows are)."""
    found = read_index(version)
    if found is None or len(found[1]) != len(parts):
        return False
    for part, key, entry in zip(parts, keys, found[1]):
        if entry.get("source") != part.source or entry.get("key") != key or entry.get("digests") != part.digests:
            return False
    return True


def write_csv(name: str, path: Path, header: bytes, parts: Sequence[FilePart], previous: Path,
              load: Callable[[FilePart], FilePart | None]) -> list[tuple[int, int, str]]:
    """Write table ``name``'s CSV: ``header``, then each file's lines, an
    unchanged file's copied from the previous version's CSV (``previous``)
    when they are still the bytes its digest names, else from its whole
    part (``load``; StaleIndex when it cannot be had).  Returns each
    part's span in the new file: (start, end, digest)."""
    spans: list[tuple[int, int, str]] = []
    source = None
    try:
        with path.open("wb") as out:
            out.write(header)
            at = len(header)
            for part in parts:
                span = part.published.spans.get(name) if part.published is not None else None
                if span is not None:
                    source = source or _open(previous)
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
    finally:
        if source is not None:
            source.close()
    return spans


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
    """The version's index: CSV sizes and one entry per file."""
    entries = []
    for i, (part, key) in enumerate(zip(parts, keys)):
        mine = {name: spans[name][i] for name in names if name in part.digests}
        entries.append(index_entry(part, key, mine))
    files = {name: list(_stat(version / f"{name}.csv")) for name in names}
    text = json.dumps({"format": FORMAT, "csv": files, "parts": entries}, ensure_ascii=False, separators=(",", ":"))
    (version / PARTS_INDEX).write_text(text, encoding="utf-8")
