"""Store: the tables of a build (``Tables``), on disk (the storage edge),
read back lazily (``LazyTables``), and SQL.

A build folder holds every table twice::

    OUT/<table>.csv                           UTF-8 with BOM, for Excel
    OUT/parquet/<table>/year=<YYYY or unknown>/paper=<paper or unknown>/part-0.parquet

The Parquet files are hive-partitioned by the publication year and the paper
of each row's source file (from the articles table), so a reader can take
one year of an archive without touching the rest.  A partition value keeps
its characters (株洲日报 stays readable) except those no file system takes,
which are percent-encoded (``A/B`` → ``A%2FB``), as pyarrow and DuckDB
decode them.  ``write_tables`` (DataFrames) and ``write_parts`` (the files'
parts a build made, see ``parts.py``) stage every file and rename them into
place at the end; ``write_parts`` links a partition whose rows did not
change from the last build instead of writing it again
(``parquet/_digests.json`` says what each partition holds; readers skip
names that start with ``_``); ``read_tables`` reads a table only when it is first used;
``query`` runs SQL over the Parquet with DuckDB.  The articles table keeps
its own ``paper`` column ('' when unknown) in the files, so other tools
reading its folder as hive partitions need ``partitioning=None`` (pandas,
pyarrow), or see the folder's value (DuckDB: NULL when unknown).
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import shutil
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from . import __version__, schema
from . import parts as columnar
from .tables import Summary, coverage, from_arrow, is_missing

if TYPE_CHECKING:  # pandas is imported only when a table is read
    import pandas as pd

PARQUET = "parquet"  # the folder of the partitioned tables, inside OUT
STAGING = "parquet.partial"  # built here, then renamed to PARQUET
RETIRED = "parquet.old"  # the previous PARQUET, during the swap
UNKNOWN = "unknown"  # the partition of rows without a known year or paper
PART = "part-0.parquet"
NO_PARTITION = f"year={UNKNOWN}/paper={UNKNOWN}"
DIGESTS = "_digests.json"  # in PARQUET: table → partition → digest of the rows it holds (see write_parts)
_UNSAFE = set('%/\\:*?"<>|=+#&')  # path separators, Windows-reserved, and URI syntax
_YEAR = re.compile(r"(\d{4})(?:-|$)")


class Tables:
    """The tables of a build, as pandas DataFrames, one attribute each
    (``articles``, ``figures``, ``flood_prep``…: ``names()``, which include
    every registered beat's table): ``write`` puts them on disk,
    ``Tables.read`` reads a build folder back (lazily)."""

    def __init__(self, **frames: "pd.DataFrame"):
        names = self.names()
        missing, extra = [n for n in names if n not in frames], [n for n in frames if n not in names]
        if missing or extra:
            raise TypeError(f"Tables: missing tables {missing}, unexpected tables {extra}")
        self.__dict__.update({n: frames[n] for n in names})

    def __setattr__(self, name, value):
        raise AttributeError("Tables are read-only")

    def __repr__(self) -> str:
        return "Tables(" + ", ".join(f"{n}: {len(getattr(self, n))} rows" for n in self.names()) + ")"

    @classmethod
    def names(cls) -> list[str]:
        """Every table's name: the core tables and each registered beat's."""
        return schema.table_names()

    def summary(self) -> str:
        """A one-screen summary of what was built."""
        return Summary.of(self).render()

    def coverage(self):
        """Characters per role for each source, and those no role covers
        (which must be zero: nothing of the input is silently dropped)."""
        return coverage(self)

    def write(self, out: str | Path) -> list[Path]:
        """Write every table as UTF-8 CSV (with BOM, for Excel) and as Parquet
        partitioned by year and paper (``write_tables``), staged and renamed
        into place at the end, so an interrupted write leaves the previous
        tables as they were."""
        return write_tables(self, out)

    @classmethod
    def read(cls, folder: str | Path, years=None, papers=None) -> LazyTables:
        """The tables ``write`` wrote, typed as the schema says; each is read
        from Parquet when first used (``LazyTables``), only the ``years``
        and ``papers`` asked for; ``.materialize()`` gives Tables."""
        return read_tables(folder, years=years, papers=papers)


def is_built(folder: str | Path) -> bool:
    """Whether ``folder`` holds tables ``zzdata build`` wrote: the Parquet
    partitions, or the flat ``articles.parquet`` of earlier versions."""
    folder = Path(folder)
    return (folder / PARQUET / "articles").is_dir() or (folder / "articles.parquet").is_file()


# -- writing ---------------------------------------------------------------


def write_tables(tables, out: str | Path) -> list[Path]:
    """Write every table (DataFrames) as CSV and as Parquet partitions;
    returns the CSV files and the Parquet folder.

    Everything is written under temporary names first (``*.csv.partial``,
    ``parquet.partial/``) and renamed into place at the end, so a crash or
    Ctrl-C while writing leaves the previous tables as they were.  Flat
    ``<table>.parquet`` files of earlier versions are removed; nothing else
    in ``out`` (the build cache, an export) is touched."""
    return _write_staged(out, lambda name, path: write_csv(getattr(tables, name), path), lambda staging: write_partitions(tables, staging))


def write_parts(parts, out: str | Path) -> list[Path]:
    """Write every table from the files' parts (``parts.FilePart``), as
    ``write_tables`` would write the same tables, without DataFrames.

    A table's CSV is its header and each file's lines in file order.  A
    Parquet partition whose files' rows are all as the last build wrote them
    (``_digests.json`` in the Parquet folder says) is linked from there, not
    written again, so a re-build after one changed file rewrites one
    partition of each table."""

    def csv(name: str, path: Path) -> None:
        with path.open("wb") as handle:
            handle.write(codecs.BOM_UTF8 + columnar.csv_header(name))
            for part in parts:
                handle.write(part.csv.get(name, b""))

    return _write_staged(out, csv, lambda staging: _write_part_partitions(parts, Path(out) / PARQUET, staging))


def _write_staged(out: str | Path, write_csv_table, write_parquet) -> list[Path]:
    """Every table's CSV (``write_csv_table(name, path)``) and the Parquet
    folder (``write_parquet(folder)``) under temporary names, then renamed
    into place; on any failure the temporary files go and nothing changes."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _clear_interrupted(out)
    csv_files = [(out / f"{name}.csv.partial", out / f"{name}.csv") for name in Tables.names()]
    try:
        # The CSVs in a thread beside the Parquet: file writes and Arrow's
        # work release the GIL, so the two overlap on a second core.
        with ThreadPoolExecutor(max_workers=1) as thread:
            csvs = thread.submit(lambda: [write_csv_table(name, partial) for name, (partial, _) in zip(Tables.names(), csv_files)])
            write_parquet(out / STAGING)
            csvs.result()
    except BaseException:
        for partial, _ in csv_files:
            partial.unlink(missing_ok=True)
        shutil.rmtree(out / STAGING, ignore_errors=True)
        raise
    for partial, target in csv_files:
        partial.replace(target)
    _swap(out / STAGING, out / PARQUET)
    for name in Tables.names():
        (out / f"{name}.parquet").unlink(missing_ok=True)  # the flat layout: stale now
    return [target for _, target in csv_files] + [out / PARQUET]


def write_csv(frame, path: Path) -> None:
    """A table as UTF-8 CSV with a byte-order mark (so Excel shows the
    Chinese): strings quoted, an empty cell for a missing value, written by
    Arrow's CSV writer, an order of magnitude faster than pandas' on an
    archive's tables."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = pa.Table.from_pandas(frame, preserve_index=False)
    with Path(path).open("wb") as handle:
        handle.write(codecs.BOM_UTF8)
        pcsv.write_csv(table, handle)


def _clear_interrupted(out: Path) -> None:
    """Remove what an interrupted write left; bring back the Parquet folder
    if it stopped between the two renames of ``_swap``."""
    for stale in out.glob("*.partial"):
        if stale.is_file():
            stale.unlink()
    shutil.rmtree(out / STAGING, ignore_errors=True)
    if (out / RETIRED).is_dir() and not (out / PARQUET).exists():
        (out / RETIRED).replace(out / PARQUET)
    shutil.rmtree(out / RETIRED, ignore_errors=True)


def _swap(staging: Path, target: Path) -> None:
    retired = target.with_name(RETIRED)
    if target.exists():
        target.replace(retired)
    staging.replace(target)
    shutil.rmtree(retired, ignore_errors=True)


def write_partitions(tables, folder: Path) -> None:
    """``folder/<table>/year=…/paper=…/part-0.parquet`` for every table; a
    table without rows gets one empty file with its columns, so a reader
    (or a DuckDB view) still knows them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = partition_keys(tables.articles)
    for name in Tables.names():
        frame = getattr(tables, name)
        arrow = schema.arrow_schema(name)
        where = frame["source"].map(keys).fillna(NO_PARTITION)
        groups = frame.groupby(where, sort=True) if len(frame) else [(NO_PARTITION, frame)]
        for key, part in groups:
            path = folder / name / key / PART
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pandas(part, schema=arrow, preserve_index=False), path)


def _write_part_partitions(parts, previous: Path, folder: Path) -> None:
    """``write_partitions`` from files' parts: each partition is its files'
    rows in file order; one whose digest is that of the previous
    build's file is hard-linked from it (copied where links fail)."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    keys = _folders((p.source, p.date, p.paper) for p in parts if p.count("articles"))
    groups: dict[str, list] = {}
    for part in parts:
        groups.setdefault(keys.get(part.source, NO_PARTITION), []).append(part)
    try:
        before = json.loads((previous / DIGESTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    after: dict[str, dict[str, str]] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as threads:  # Arrow releases the GIL while it writes
        written = []
        for name in Tables.names():
            holding = {key: [p for p in group if name in p.csv] for key, group in sorted(groups.items())}
            holding = {key: group for key, group in holding.items() if group} or {NO_PARTITION: []}
            for key, group in holding.items():
                h = hashlib.blake2b(f"{__version__} pyarrow {pa.__version__}".encode(), digest_size=16)
                for part in group:
                    h.update(part.digests[name].encode())
                digest = after.setdefault(name, {})[key] = h.hexdigest()
                path, old = folder / name / key / PART, previous / name / key / PART
                path.parent.mkdir(parents=True, exist_ok=True)
                if before.get(name, {}).get(key) == digest and old.is_file():
                    _link(old, path)
                else:
                    written.append(threads.submit(lambda n=name, g=group, p=path: pq.write_table(columnar.concat(n, g), p)))
        for done in written:
            done.result()  # raises what a write raised
    (folder / DIGESTS).write_text(json.dumps(after, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")


def _link(existing: Path, new: Path) -> None:
    try:
        os.link(existing, new)
    except OSError:  # a file system without hard links
        shutil.copy2(existing, new)


def partition_keys(articles) -> dict[str, str]:
    """Source → its partition folder, from the first article of the source:
    the year of ``publication_date`` and the ``paper`` (a table without a
    paper column, from an earlier version, puts every source in paper=unknown).

    >>> import pandas as pd
    >>> arts = pd.DataFrame({"source": ["a.txt", "b.txt"], "publication_date": ["2021-04-22", None], "paper": ["株洲日报", ""]})
    >>> partition_keys(arts)
    {'a.txt': 'year=2021/paper=株洲日报', 'b.txt': 'year=unknown/paper=unknown'}
    """
    papers = articles["paper"] if "paper" in articles.columns else [None] * len(articles)
    return _folders(zip(articles["source"], articles["publication_date"], papers))


def _folders(files) -> dict[str, str]:
    """Source → partition folder for (source, date, paper) triples; the
    first triple of a source counts."""
    keys: dict[str, str] = {}
    folders: dict[str, str] = {}  # case-folded folder → folder: unique on Windows and macOS too
    for source, date, paper in files:
        if is_missing(source) or source in keys:
            continue
        found = None if is_missing(date) else _YEAR.match(str(date))
        key = f"year={found.group(1) if found else UNKNOWN}/paper={partition_value(paper)}"
        if folders.setdefault(key.casefold(), key) != key:  # 'ABC' and 'abc' would share a folder
            key = f"year={found.group(1) if found else UNKNOWN}/paper={partition_value(paper, escape_cased=True)}"
        keys[source] = key
    return keys


def partition_value(value, escape_cased: bool = False) -> str:
    """A folder-safe partition value: characters no file system takes are
    percent-encoded (as UTF-8), a trailing dot or space too (Windows drops
    them); empty or missing is ``unknown``.  ``escape_cased`` encodes every
    letter that has a case too, for a value that would otherwise share a
    folder with another on a case-insensitive file system.

    >>> partition_value("株洲日报"), partition_value("A/B: 1."), partition_value(None)
    ('株洲日报', 'A%2FB%3A 1%2E', 'unknown')
    """
    text = "" if value is None or is_missing(value) else unicodedata.normalize("NFC", str(value).strip())
    if not text:
        return UNKNOWN
    out = [_escape(c) if c in _UNSAFE or not c.isprintable() or (escape_cased and c.lower() != c.upper()) else c for c in text]
    if out[-1] in (".", " "):
        out[-1] = _escape(out[-1])
    return "".join(out)


def _escape(char: str) -> str:
    return "".join(f"%{b:02X}" for b in char.encode("utf-8"))


# -- reading ---------------------------------------------------------------


def read_tables(folder: str | Path, years=None, papers=None) -> LazyTables:
    """The tables of a build folder, each read when first used; ``years``
    and ``papers`` (a value or a list; ``"unknown"`` for rows without one)
    keep only those partitions, so an archive need not be read whole."""
    folder = Path(folder)
    if not is_built(folder):
        raise FileNotFoundError(f"{folder}: no tables here; write them with: zzdata build SRC --out {folder}")
    for name in Tables.names():
        _check_columns(folder, name)
    return LazyTables(folder, _selection(years), _selection(papers))


def _check_columns(folder: Path, name: str) -> None:
    """Fail now, not at first use, when a table is missing or has other
    columns (written by another zzdata version); reads one file footer."""
    import pyarrow.parquet as pq

    first = next((folder / PARQUET / name).glob(f"year=*/paper=*/{PART}"), folder / f"{name}.parquet")
    if not first.is_file():
        raise FileNotFoundError(f"{folder}: table {name} is missing; rebuild with zzdata build")
    found = pq.read_schema(first).names
    if found != schema.columns(name):
        raise ValueError(f"{first}: columns {found} are not those of table {name}; rebuild with zzdata build")


def _selection(values) -> frozenset[str] | None:
    if values is None:
        return None
    if isinstance(values, (str, int)):
        values = [values]
    return frozenset(unquote(partition_value(v)) for v in values)


def read_table(folder: Path, name: str, years=None, papers=None):
    """One table of a build folder as a schema-conformed DataFrame, from
    the partitions ``years`` and ``papers`` select (all when None)."""
    import pandas as pd
    import pyarrow.dataset as ds

    root = Path(folder) / PARQUET / name
    if not root.is_dir():  # the flat layout of earlier versions
        if years is not None or papers is not None:
            raise ValueError(f"{folder}: years= and papers= need the Parquet partitions; rebuild with zzdata build")
        return schema.conform(name, pd.read_parquet(Path(folder) / f"{name}.parquet"))
    files = [str(p) for p in sorted(root.glob(f"year=*/paper=*/{PART}"), key=_order) if _selected(p, years, papers)]
    return from_arrow(name, ds.dataset(files, schema=schema.arrow_schema(name), format="parquet").to_table())


def _partition(path: Path) -> tuple[str, str]:
    """(year, paper) of a part file, decoded (and NFC, as macOS may hand back NFD)."""
    return _decoded(path.parent.parent.name), _decoded(path.parent.name)


def _decoded(folder: str) -> str:
    return unicodedata.normalize("NFC", unquote(folder.split("=", 1)[1]))


def _order(path: Path) -> tuple:
    year, paper = _partition(path)
    return year == UNKNOWN, year, paper == UNKNOWN, paper


def _selected(path: Path, years, papers) -> bool:
    year, paper = _partition(path)
    return (years is None or year in years) and (papers is None or paper in papers)


class LazyTables:
    """The tables of a build folder with the attributes of ``Tables``; each
    is read from Parquet when first used, and kept.  Rows come in the order
    of the partitions (year, then paper), and in build order within one.

    ``materialize()`` reads the rest and gives a plain ``Tables``."""

    def __init__(self, folder: Path, years: frozenset[str] | None = None, papers: frozenset[str] | None = None):
        self.folder, self.years, self.papers = Path(folder), years, papers

    def __getattr__(self, name: str):
        if name not in Tables.names():
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        frame = read_table(self.folder, name, self.years, self.papers)
        self.__dict__[name] = frame  # read once: the next access finds it here
        return frame

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(Tables.names()))

    def __repr__(self) -> str:
        loaded = [n for n in Tables.names() if n in self.__dict__]
        chosen = "".join(f", {k}={sorted(v)}" for k, v in (("years", self.years), ("papers", self.papers)) if v is not None)
        return f"LazyTables({str(self.folder)!r}{chosen}; read so far: {', '.join(loaded) or 'none'})"

    @staticmethod
    def names() -> list[str]:
        return Tables.names()

    def materialize(self) -> Tables:
        return Tables(**{n: getattr(self, n) for n in Tables.names()})

    summary = Tables.summary
    coverage = Tables.coverage

    def write(self, out: str | Path) -> list[Path]:
        return write_tables(self, out)


# -- SQL ---------------------------------------------------------------------


def connect(folder: str | Path = "build"):
    """An in-memory DuckDB connection with one view per table over its
    Parquet partitions; ``year`` (an integer) and ``paper`` are columns of
    every view, NULL when unknown."""
    import duckdb

    root = Path(folder) / PARQUET
    if not (root / "articles").is_dir():
        raise FileNotFoundError(f"{folder}: no Parquet tables here; write them with: zzdata build SRC --out {folder}")
    con = duckdb.connect()
    for name in Tables.names():
        files = (root / name).as_posix().replace("'", "''") + "/**/*.parquet"
        con.execute(
            f"CREATE VIEW {name} AS SELECT * REPLACE ("
            f"TRY_CAST(NULLIF(year, '{UNKNOWN}') AS INTEGER) AS year, NULLIF(paper, '{UNKNOWN}') AS paper) "
            f"FROM read_parquet('{files}', hive_partitioning = true, hive_types = {{'year': VARCHAR, 'paper': VARCHAR}})"
        )
    return con


def query(sql: str, folder: str | Path = "build"):
    """Run SQL over the tables of a build folder with DuckDB; a DataFrame.
    Nothing is loaded into memory but what the query needs.

    >>> import zzdata as zz
    >>> zz.query("select year, sum(value) as total from flood_prep where indicator = '编织袋' group by year")  # doctest: +SKIP
       year     total
    0  2021  636000.0
    """
    con = connect(folder)
    try:
        return con.execute(sql).df()
    finally:
        con.close()
