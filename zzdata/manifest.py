"""Manifest: what a ``manifest.csv`` beside the pages says about each file.

A manifest is a CSV with a ``file`` column and any of ``paper``,
``publication_date``, ``pages`` and ``note``.  ``file`` gives a page
file's path relative to the manifest's folder (``2021/page.txt``); a bare
name (``page.txt``) also finds a file in a subfolder when it is the only
one of that name.  Manifests are read in UTF-8 (with or without BOM) or
GB18030, what Excel writes on a Chinese-locale machine.

A bad row (a date that is no date, a name two files share, a second row
for a file) is a problem naming the manifest's line, and the build goes on
without what it said; a manifest without a ``file`` column is a
``ManifestError``: nothing it says can be matched to a file.

>>> parse_date("2021/4/3"), parse_date("2021年4月3日"), parse_date("2021-13-45")
('2021-04-03', '2021-04-03', None)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import posixpath
import re
from collections.abc import Iterable
from pathlib import Path

from .read import DecodeError, Problem, common_root, decode_bytes, relative_id, source_id

MANIFEST = "manifest.csv"
KEY = "file"
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")


class ManifestError(ValueError):
    """A manifest zzdata cannot use at all; the message names the file."""


def parse_date(text: str) -> str | None:
    """An ISO date from a manifest cell (2021-04-03, 2021/4/3, 2021.4.3,
    2021年4月3日, 20210403), or None when it is no date.

    >>> parse_date(" 2021-04-22 "), parse_date("2021-02-30"), parse_date("22/4/2021")
    ('2021-04-22', None, None)
    """
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day = (int(g) for g in (match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)))
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def read_manifest(path: Path) -> list[tuple[int, dict[str, str]]]:
    """The rows of one manifest with the line each ends on, blank rows left
    out; raises ManifestError when it cannot be read or has no ``file``
    column."""
    path = Path(path)
    try:
        text, _ = decode_bytes(path.read_bytes())
    except (OSError, DecodeError) as error:
        raise ManifestError(f"{path}: cannot read the manifest ({error}); save it as CSV in UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    if KEY not in header:
        found = ", ".join(name for name in header if name) or "none"
        raise ManifestError(
            f"{path}: the manifest has no '{KEY}' column (columns found: {found}); its first line must name the "
            f"columns, one of them '{KEY}' (the page file of each row)"
        )
    rows = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num, {name: (cell or "").strip() for name, cell in zip(header, cells) if name}))
    return rows


def manifest_facts(sources: Iterable[str | Path], files: list[tuple[Path, str]]) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The manifest facts of each file (by source id: ``publication_date``
    as an ISO date or empty, ``paper``…) and the problems of the manifests'
    rows.  A manifest is read in the folder of each source (a file's
    folder); the first to name a file wins."""
    folders = list(dict.fromkeys(Path(s) if Path(s).is_dir() else Path(s).parent for s in sources))
    root = common_root(folders)
    facts: dict[str, dict[str, str]] = {}
    problems: list[Problem] = []
    for folder in folders:
        path = folder / MANIFEST
        if path.is_file():
            name = source_id(path, root) if root is not None else MANIFEST
            found, bad = _match(read_manifest(path), folder, files, name)
            for source, row in found.items():
                facts.setdefault(source, row)
            problems += bad
    return facts, problems


def _match(rows, folder: Path, files, name: str) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Rows of the manifest ``name`` in ``folder`` matched to the files under it."""
    under = {}
    base = os.path.abspath(folder)
    named = os.path.join(str(folder), "")  # the usual case: the file was found in this folder, by this name
    for path, source in files:
        text = str(path)
        try:
            relative = text[len(named):].replace(os.sep, "/") if text.startswith(named) else relative_id(os.path.abspath(text), base)
        except ValueError:  # another Windows drive
            continue
        if not relative.startswith("../") and relative != "..":
            under[relative] = source
    found: dict[str, dict[str, str]] = {}
    lines: dict[str, int] = {}
    problems = []

    def problem(line: int, message: str) -> None:
        problems.append(Problem(name, "bad_manifest_row", message, line))

    for line, row in rows:
        wanted = posixpath.normpath(row.get(KEY, "").replace("\\", "/")) if row.get(KEY) else ""
        if not wanted:
            problem(line, f"line {line} names no file (its '{KEY}' cell is empty): the row is not used")
            continue
        source = under.get(wanted)
        if source is None and "/" not in wanted:
            same = sorted(s for relative, s in under.items() if relative.rsplit("/", 1)[-1] == wanted)
            if len(same) > 1:
                problem(line, f"line {line}: {wanted} names {len(same)} files ({', '.join(same)}): the row is not used; "
                              f"give the path from the manifest's folder, e.g. {same[0]}")
                continue
            source = same[0] if same else None
        if source is None:
            continue  # a file not in this build
        if source in found:
            problem(line, f"line {line}: a second row for {wanted} (the first is on line {lines[source]}, and is used)")
            continue
        facts = dict(row)
        date = row.get("publication_date", "")
        facts["publication_date"] = parse_date(date) or "" if date else ""
        if date and not facts["publication_date"]:
            problem(line, f"line {line}: publication_date '{date}' of {wanted} is not a date (write YYYY-MM-DD): "
                          "the file's date is found as if the manifest gave none")
        found[source], lines[source] = facts, line
    return found, problems
