"""Store: the tables of a build (``Tables``), on disk (the storage edge),
read back lazily (``LazyTables``), and SQL.

A build folder holds each build as one version, and a pointer to the
current one::

    OUT/current                               the name of the current version (one line)
    OUT/versions/<id>/<table>.csv             UTF-8 with BOM, for Excel
    OUT/versions/<id>/_parts.jsonl            the version's files: counts, digests, CSV spans (splice.py)
    OUT/versions/<id>/parquet/<table>/year=<YYYY or unknown>/paper=<paper or unknown>/part-<n>.parquet
    OUT/<table>.csv                           the current version's CSVs again (hard links), for editors
    OUT/.lock                                 while a build writes: its process id
    OUT/.cache/                               the build cache (engine.py)

A build writes a new version folder beside the others, then switches the
pointer with one ``os.replace``, so a reader (``read_tables``, ``connect``,
``zz.load``, the notebooks and the dashboard, all through
``current_folder``) sees the old tables or the new ones, never a mix; the
last two versions are kept, so a reader still busy with the previous one can
finish.  The flat ``OUT/<table>.csv`` are refreshed after the switch; a
build killed during that refresh leaves some of them from the previous
build until the next build (the pointer is what counts).  One build writes
to a folder at a time (``build_lock``).

The Parquet files are hive-partitioned by the publication year and the paper
of each row's source file (from the articles table), so a reader can take
one year of an archive without touching the rest.  A partition value keeps
its characters (株洲日报 stays readable) except those no file system takes,
which are percent-encoded (``A/B`` → ``A%2FB``), as pyarrow and DuckDB
decode them.  ``write_tables`` (DataFrames) and ``write_parts`` (the files'
parts a build made, see ``parts.py``) write a version (``publish``);
``write_parts`` links a partition whose rows did not
change from the last build instead of writing it again
(``versions/<id>/parquet/_digests.json`` says what each partition holds; readers skip
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
import socket
import sys
import time
import unicodedata
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from . import __version__, schema
from . import parts as columnar
from . import splice
from .tables import Summary, coverage, from_arrow, is_missing

if TYPE_CHECKING:  # pandas is imported only when a table is read
    import pandas as pd

PARQUET = "parquet"  # the folder of the partitioned tables, inside a version
STAGING = "parquet.partial"  # layout of earlier versions, removed when found
RETIRED = "parquet.old"  # layout of earlier versions, removed when found
VERSIONS = "versions"  # OUT/versions/<id>/: one build's tables
CURRENT = "current"  # OUT/current: the name of the current version
LOCK = ".lock"  # OUT/.lock: held by the build writing to OUT
KEEP_VERSIONS = 2  # the current version and the one before it
RETIRED_PREFIX = ".retired-"  # OUT/versions/.retired-<id>: a version dropped, removed by the next build (see _prune)
_VERSION = re.compile(r"\d{6}-\d{8}T\d{6}Z")
UNKNOWN = "unknown"  # the partition of rows without a known year or paper
PART = "part-0.parquet"  # a partition's first part file (write_partitions writes only this one)
PARTS = "part-*.parquet"  # a partition's part files: part-0, part-1… in the order of their rows
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
        partitioned by year and paper (``write_tables``), as a new version
        of ``out`` made current in one step at the end, so an interrupted
        write leaves the previous tables as they were."""
        return write_tables(self, out)

    @classmethod
    def read(cls, folder: str | Path, years=None, papers=None) -> LazyTables:
        """The tables ``write`` wrote, typed as the schema says; each is read
        from Parquet when first used (``LazyTables``), only the ``years``
        and ``papers`` asked for; ``.materialize()`` gives Tables."""
        return read_tables(folder, years=years, papers=papers)


def is_built(folder: str | Path) -> bool:
    """Whether ``folder`` holds tables ``zzdata build`` wrote: its current
    version's Parquet partitions, or the layouts of earlier versions (the
    partitions in the folder itself, or flat ``articles.parquet``)."""
    try:
        folder = current_folder(folder)
    except (FileNotFoundError, ValueError):
        return False
    return (folder / PARQUET / "articles").is_dir() or (folder / "articles.parquet").is_file()


def current_folder(out: str | Path) -> Path:
    """The folder holding the current tables of a build folder: the version
    ``OUT/current`` names, or ``out`` itself when it has no pointer (a
    version folder, or the layout of earlier versions).  A pointer naming no
    version folder is a FileNotFoundError; the pointer is read once, so a
    caller keeps reading one version even while a build publishes the next.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> current_folder(out) == out
    True
    >>> (out / VERSIONS / "000001-20210422T080000Z").mkdir(parents=True)
    >>> _ = (out / CURRENT).write_text("000001-20210422T080000Z\\n", encoding="utf-8")
    >>> current_folder(out).relative_to(out).as_posix()
    'versions/000001-20210422T080000Z'
    """
    out = Path(out)
    try:
        name = (out / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return out
    except (OSError, UnicodeDecodeError) as error:
        raise FileNotFoundError(f"{out / CURRENT}: cannot read the pointer to the current tables ({error})") from None
    if not _VERSION.fullmatch(name) or not (out / VERSIONS / name).is_dir():  # never a path: nothing outside OUT/versions
        raise FileNotFoundError(f"{out / CURRENT} names no version in {out / VERSIONS} ({name[:40]!r}); rebuild with zzdata build")
    return out / VERSIONS / name


class OutputError(Exception):
    """The build folder cannot be written: another build holds it, or it is
    not a folder.  The message is one line for the person building."""


@contextmanager
def build_lock(out: str | Path):
    """Hold ``OUT/.lock`` (created exclusively, holding this process's id
    and host) while writing to ``out``; a lock whose process on this host is
    gone is taken over.  Another live holder is an OutputError.  Re-entrant
    in one process (``zzdata build`` holds it from the cache to the
    publication; ``Tables.write`` takes it too)."""
    out = prepare_out(out)
    lock = out / LOCK
    key = str(lock.resolve())
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield lock
        finally:
            _HELD[key] -= 1
        return
    _take(lock)
    _HELD[key] = 1
    try:
        yield lock
    finally:
        del _HELD[key]
        lock.unlink(missing_ok=True)


_HELD: dict[str, int] = {}


def release_locks() -> None:
    """Remove the locks this process holds: for a signal handler that is
    about to end the process."""
    for key in list(_HELD):
        Path(key).unlink(missing_ok=True)


def prepare_out(out: str | Path) -> Path:
    """``out`` as a folder, created if missing; an OutputError when a file
    is in the way (an OSError such as PermissionError when it cannot be made)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: is a file, not a folder; give --out a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"{out}: a file is in the way of this folder") from None
    return out


def _take(lock: Path) -> None:
    me = f"{os.getpid()} {socket.gethostname()}"
    for _ in range(3):
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            held = _read_lock(lock)
            if held is None or not _stale(held):
                who = f"process {held[0]} on {held[1]}" if held else "another build"
                raise OutputError(
                    f"{lock.parent}: {who} is writing to this folder; wait for it to end, "
                    f"or delete {lock} if no build is running"
                ) from None
            _take_over(lock, held)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(me + "\n")
        return
    raise OutputError(f"{lock.parent}: could not take {lock}; delete it if no build is running")


def _read_lock(lock: Path) -> tuple[int, str] | None:
    try:
        pid, host = lock.read_text(encoding="utf-8").split(None, 1)
        return int(pid), host.strip()
    except (OSError, ValueError):
        return None


def _stale(held: tuple[int, str]) -> bool:
    """A lock of a process of this host that no longer runs."""
    pid, host = held
    return host == socket.gethostname() and not _alive(pid)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would stop the process there
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ctypes.windll.kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        ctypes.windll.kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _take_over(lock: Path, held: tuple[int, str]) -> None:
    """Move a stale lock aside, and put it back if another process took the
    folder meanwhile (its lock is then the one moved)."""
    aside = lock.with_name(f"{LOCK}.stale.{os.getpid()}")
    try:
        os.replace(lock, aside)
    except FileNotFoundError:
        return
    if _read_lock(aside) != held:
        try:
            os.link(aside, lock)
        except OSError:
            pass
    aside.unlink(missing_ok=True)


# -- writing ---------------------------------------------------------------


def write_tables(tables, out: str | Path) -> list[Path]:
    """Write every table (DataFrames) as CSV and as Parquet partitions into
    a new version of ``out`` and make it the current one (``publish``);
    returns the version's CSV files and its Parquet folder.  An interrupted
    write leaves the previous tables as they were; nothing else in ``out``
    (the build cache, an export) is touched."""
    return publish(out, lambda name, path, previous: write_csv(getattr(tables, name), path), lambda staging, previous: write_partitions(tables, staging))


def load_writers() -> None:
    """Import and prepare what writing the tables needs (pyarrow, its
    Parquet and dataset modules, which bring pandas, and every table's
    Arrow schema, which brings the beats' modules: about a second), for a
    caller that can do it beside other work (``zzdata build``, while the
    changed files are processed)."""
    import pyarrow  # noqa: F401
    import pyarrow.dataset  # noqa: F401  (pq.read_table's, at its first call)
    import pyarrow.parquet  # noqa: F401

    for name in Tables.names():
        schema.arrow_schema(name)


def write_parts(parts, out: str | Path, keys=None, load=None) -> list[Path]:
    """Write every table from the files' parts (``parts.FilePart``), as
    ``write_tables`` would write the same tables, without DataFrames.

    A table's CSV is its header and each file's (formula-safe) lines in file
    order.  A part taken from the published version (``splice``: no lines,
    ``part.published`` set) has its lines copied from that version's CSV;
    ``load(part)`` gives its whole part (from the build cache; None when it
    cannot) should those bytes have changed.  A Parquet partition whose
    files' rows are all as the current version holds them (its
    ``_digests.json`` says) is linked from there, not written again; one
    that must be written takes its unchanged files' rows from the current
    version's partition.  ``keys`` (the files' build-cache keys, None for
    parts of no file) go into the new version's index (``splice``)."""
    keys = list(keys) if keys is not None else [None] * len(parts)
    load = load or (lambda part: None)
    spans: dict[str, list] = {}

    def csv(name: str, path: Path, previous: Path) -> None:
        header = codecs.BOM_UTF8 + columnar.csv_header(name)
        spans[name] = splice.write_csv(name, path, header, parts, previous / f"{name}.csv", load)

    def index(version: Path) -> None:
        splice.write_index(version, Tables.names(), parts, keys, spans)

    return publish(out, csv, lambda staging, previous: _write_part_partitions(parts, previous / PARQUET, staging, load), index)


def publish(out: str | Path, write_csv_table, write_parquet, finish=None) -> list[Path]:
    """Write a new version of ``out`` and switch ``OUT/current`` to it.

    Under ``build_lock``: every table's CSV (``write_csv_table(name,
    path, previous)``), the Parquet folder (``write_parquet(folder,
    previous)``), ``previous`` the current version's folder, and then
    whatever ``finish(folder)`` adds go into
    ``versions/<id>.partial``, which is renamed to ``versions/<id>``; the
    pointer is then replaced in one step.  On any failure before that the
    new version's files are removed and ``out`` is as it was.  Afterwards
    the flat CSVs are linked to the new version's, versions beyond the last
    two and leftovers of killed builds are removed, and so are the files of
    the layout of earlier versions."""
    with build_lock(out) as lock:
        out = lock.parent
        try:
            previous = current_folder(out)
        except FileNotFoundError:
            previous = out / VERSIONS / "none"
        name = _new_version(out)
        staging, final = out / VERSIONS / f"{name}.partial", out / VERSIONS / name
        csv_files = [staging / f"{table}.csv" for table in Tables.names()]
        try:
            staging.mkdir(parents=True)
            # The CSVs in threads beside the Parquet: file writes, hashing and
            # Arrow's work release the GIL, so they overlap on other cores.
            with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as threads:
                csvs = [threads.submit(write_csv_table, t, path, previous) for t, path in zip(Tables.names(), csv_files)]
                write_parquet(staging / PARQUET, previous)
                for done in csvs:
                    done.result()  # raises what a write raised
            if finish is not None:
                finish(staging)
            _replace(staging, final)
            _point(out, name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            _remove_unpublished(out, final)
            raise
        _link_flat_csvs(out, final)
        _prune(out, final)
        _clear_legacy(out)
    return [final / f"{table}.csv" for table in Tables.names()] + [final / PARQUET]


def _replace(source: Path, target: Path) -> None:
    """``os.replace``: every rename of a publication goes through here."""
    os.replace(source, target)


def _new_version(out: Path) -> str:
    """The next version's name: a sequence number above every existing
    version's (so names sort in build order), and the UTC time."""
    folder = out / VERSIONS
    numbers = [int(p.name[:6]) for p in folder.iterdir() if p.name[:6].isdigit()] if folder.is_dir() else []
    return f"{max(numbers, default=0) + 1:06d}-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}"


def _point(out: Path, name: str) -> None:
    """Make ``name`` the current version: ``current.partial`` written and
    flushed to disk, then renamed over ``current`` in one step."""
    partial = out / f"{CURRENT}.partial"
    with partial.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        _replace(partial, out / CURRENT)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _remove_unpublished(out: Path, final: Path) -> None:
    """After a failure: the new version's folder, unless the pointer names it."""
    try:
        if current_folder(out) == final:
            return
    except FileNotFoundError:
        pass
    shutil.rmtree(final, ignore_errors=True)


def _link_flat_csvs(out: Path, version: Path) -> None:
    """``OUT/<table>.csv`` as symbolic links to the version's CSVs (hard
    links, or copies, where the system makes no symbolic links: Windows
    without the right), each replaced in one step.  A symbolic link, not a
    hard link: renaming a new hard link over the old one makes ext4 start
    writing the whole new CSV to disk at that moment (its ``auto_da_alloc``),
    a quarter of a second per build for an archive's CSVs.  A CSV held
    open by a program that locks it (Excel on Windows), or one that cannot
    be made, keeps the previous build's rows, and stderr says so."""
    for table in Tables.names():
        temporary = out / f".{table}.csv.partial"
        temporary.unlink(missing_ok=True)
        try:
            try:
                os.symlink(Path(VERSIONS, version.name, f"{table}.csv"), temporary)
            except (OSError, NotImplementedError):
                _link(version / f"{table}.csv", temporary)
            _replace(temporary, out / f"{table}.csv")
        except OSError as error:  # the version is published: a flat copy that cannot be made is only said
            temporary.unlink(missing_ok=True)
            print(f"zzdata: {out / f'{table}.csv'} still holds the previous build's rows ({error.strerror or error}; "
                  f"is it open in another program?); the current one is {version / f'{table}.csv'}", file=sys.stderr)


def _prune(out: Path, current: Path) -> None:
    """Keep the current version and the newest one before it; retire the
    other versions and remove every leftover of a killed build
    (``*.partial``).  A version is retired by renaming it
    ``.retired-<id>`` (one step, whatever its size); retired versions are
    removed by the next publication, or earlier by the next ``zzdata
    build`` while its workers process the changed files
    (``remove_retired``), so a re-build does not wait for 400 MB of CSVs
    to be freed.  A version a reader still has open is left for a later
    build (Windows)."""
    folder = out / VERSIONS
    remove_retired(out)
    done = sorted((p for p in folder.iterdir() if _VERSION.fullmatch(p.name) and p != current), key=lambda p: p.name)
    older = [p for p in done if p.name < current.name]
    keep = set(older[-(KEEP_VERSIONS - 1):]) if KEEP_VERSIONS > 1 else set()
    for path in folder.iterdir():
        if path == current or path in keep or path.name.startswith(RETIRED_PREFIX):
            continue
        if path.is_dir() and _VERSION.fullmatch(path.name):
            try:
                _replace(path, folder / f"{RETIRED_PREFIX}{path.name}")
                continue
            except OSError:
                pass  # not renamed (open on Windows, say): removed as far as it can be
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def remove_retired(out: str | Path) -> None:
    """Remove the versions of ``out`` that earlier publications retired
    (see ``_prune``); what cannot be removed now is left for later."""
    folder = Path(out) / VERSIONS
    try:
        retired = [p for p in folder.iterdir() if p.name.startswith(RETIRED_PREFIX)]
    except OSError:
        return
    for path in retired:
        shutil.rmtree(path, ignore_errors=True)


def _clear_legacy(out: Path) -> None:
    """Remove what the layout of earlier versions left in ``out``: the
    Parquet folder (and its staging names) and flat ``<table>.parquet``."""
    for stale in out.glob("*.csv.partial"):
        stale.unlink(missing_ok=True)
    for folder in (PARQUET, STAGING, RETIRED):
        shutil.rmtree(out / folder, ignore_errors=True)
    for table in Tables.names():
        (out / f"{table}.parquet").unlink(missing_ok=True)


def write_csv(frame, path: Path) -> None:
    """A table as UTF-8 CSV with a byte-order mark (so Excel shows the
    Chinese): strings quoted, an empty cell for a missing value, text a
    spreadsheet would run as a formula quoted (``cells.py``'s rule, applied
    to the Arrow table by ``parts.formula_safe`` as for a build's parts, so
    both write the same bytes), written by Arrow's CSV writer, an order of
    magnitude faster than pandas' on an archive's tables."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    table = columnar.formula_safe(pa.Table.from_pandas(frame, preserve_index=False))
    with Path(path).open("wb") as handle:
        handle.write(codecs.BOM_UTF8)
        pcsv.write_csv(table, handle)


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


CHUNK_FILES = 32  # a partition's files are split into part files of about this many (see _chunks)
FILES = "_files"  # in DIGESTS: part file (key/part-<n>.parquet) → the sources it holds, in order


def _chunks(group: list) -> list[list]:
    """A partition's parts split into runs, each the rows of one part file.
    A run starts at a file whose name hashes to 0 modulo ``CHUNK_FILES``
    (content-defined, as rsync cuts blocks), so adding or removing a file
    changes one run and leaves the others, and their files, as they were.

    >>> from types import SimpleNamespace as P
    >>> runs = _chunks([P(source=f"{i:04d}.txt") for i in range(200)])
    >>> sum(map(len, runs)) == 200 and 1 < len(runs) < 20
    True
    """
    runs: list[list] = []
    for part in group:
        cut = int.from_bytes(hashlib.blake2b(part.source.encode("utf-8"), digest_size=8).digest(), "big") % CHUNK_FILES == 0
        if not runs or cut:
            runs.append([])
        runs[-1].append(part)
    return runs


def _write_part_partitions(parts, previous: Path, folder: Path, load=None) -> None:
    """``write_partitions`` from files' parts: each partition is its files'
    rows in file order, in part files of about ``CHUNK_FILES`` files each
    (``_chunks``); a part file whose digest is that of one of the previous
    build's is hard-linked from it (copied where links fail), so a change
    writes again only the part files holding a changed file."""
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
    was = _old_files(before)
    files = {f"{key}/part-{n}.parquet": run for key, group in sorted(groups.items()) for n, run in enumerate(_chunks(group))}
    after: dict[str, dict[str, str]] = {FILES: {path: [p.source for p in run] for path, run in files.items()}}
    made: set[Path] = set()  # folders made (a thousand part files share a few dozen)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as threads:  # Arrow releases the GIL while it writes
        written = []
        for name in Tables.names():
            linkable = {digest: path for path, digest in before.get(name, {}).items()}
            holding = {path: [p for p in run if name in p.digests] for path, run in files.items()}
            holding = {path: run for path, run in holding.items() if run} or {f"{NO_PARTITION}/part-0.parquet": []}
            for rel, run in holding.items():
                h = hashlib.blake2b(f"{__version__} pyarrow {pa.__version__}".encode(), digest_size=16)
                for part in run:
                    h.update(part.digests[name].encode())
                digest = after.setdefault(name, {})[rel] = h.hexdigest()
                path, old = folder / name / rel, previous / name / linkable.get(digest, "-")
                if path.parent not in made:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    made.add(path.parent)
                if digest in linkable and old.is_file():
                    _link(old, path)
                else:
                    written.append(threads.submit(
                        lambda n=name, r=run, p=path: pq.write_table(_partition_rows(n, r, previous / n, was, load), p)))
        for done in written:
            done.result()  # raises what a write raised
    (folder / DIGESTS).write_text(json.dumps(after, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")


def _old_files(before: dict) -> dict[str, str]:
    """Source → the previous build's part file holding its rows (relative
    to a table's folder), from its ``DIGESTS`` (none there: its unchanged
    files' parts are loaded from the cache instead)."""
    return {source: path for path, sources in before.get(FILES, {}).items() for source in sources}


def _partition_rows(name: str, group, table_folder: Path, was: dict[str, str], load) -> "pa.Table":
    """The rows of a part file's files in file order: a changed file's from
    its part, an unchanged one's (``part.published``) sliced from the
    previous version's part file that held it (its rows, one run per file,
    as many as the part counts), or else from its whole part (``load``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if all(part.published is None for part in group):
        return columnar.concat(name, group)
    arrow = schema.arrow_schema(name)
    read: dict[str, tuple] = {}  # old part file → (its table, source → run)
    pieces = []
    for part in group:
        if part.published is None:
            pieces.append(columnar.concat(name, [part]))
            continue
        rel = was.get(part.source)
        if rel is not None and rel not in read:
            try:
                table = pq.read_table(table_folder / rel).select(arrow.names).cast(arrow)
                read[rel] = (table, _runs(table.column("source").to_pylist()))
            except (OSError, KeyError, ValueError, pa.ArrowInvalid, pa.ArrowTypeError):
                read[rel] = (None, {})
        table, runs = read.get(rel, (None, {}))
        start, length = runs.get(part.source, (0, -1))
        if table is not None and length == part.count(name):
            pieces.append(table.slice(start, length))
        else:  # not where the last build put it: the whole part, from the cache
            whole = load(part) if load else None
            if whole is None:
                raise splice.StaleIndex(f"{part.source}: its rows of {name} are neither in the published partition nor in the build cache")
            pieces.append(columnar.concat(name, [whole]))
    return pa.concat_tables([piece.cast(arrow) for piece in pieces]).combine_chunks() if pieces else columnar.concat(name, [])


def _runs(sources: list) -> dict[str, tuple[int, int]]:
    """Source → (first row, rows) of each run of equal values; a source
    with two runs (not one file's rows together) gets none."""
    runs: dict[str, tuple[int, int]] = {}
    broken = set()
    start = 0
    for i in range(1, len(sources) + 1):
        if i == len(sources) or sources[i] != sources[start]:
            if sources[start] in runs:
                broken.add(sources[start])
            runs[sources[start]] = (start, i - start)
            start = i
    for source in broken:
        del runs[source]
    return runs


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
    given = Path(folder)
    if not given.exists():
        raise FileNotFoundError(f"{given}: no such folder")
    folder = current_folder(given)
    if not is_built(folder):
        raise FileNotFoundError(f"{given}: no tables here; write them with: zzdata build SRC --out {given}")
    for name in Tables.names():
        _check_columns(folder, name)
    return LazyTables(folder, _selection(years), _selection(papers))


def _check_columns(folder: Path, name: str) -> None:
    """Fail now, not at first use, when a table is missing or has other
    columns (written by another zzdata version); reads one file footer."""
    import pyarrow.parquet as pq

    first = next((folder / PARQUET / name).glob(f"year=*/paper=*/{PARTS}"), folder / f"{name}.parquet")
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

    folder = current_folder(folder)
    root = Path(folder) / PARQUET / name
    if not root.is_dir():  # the flat layout of earlier versions
        if years is not None or papers is not None:
            raise ValueError(f"{folder}: years= and papers= need the Parquet partitions; rebuild with zzdata build")
        return schema.conform(name, pd.read_parquet(Path(folder) / f"{name}.parquet"))
    files = [str(p) for p in sorted(root.glob(f"year=*/paper=*/{PARTS}"), key=_order) if _selected(p, years, papers)]
    return from_arrow(name, ds.dataset(files, schema=schema.arrow_schema(name), format="parquet").to_table())


def _partition(path: Path) -> tuple[str, str]:
    """(year, paper) of a part file, decoded (and NFC, as macOS may hand back NFD)."""
    return _decoded(path.parent.parent.name), _decoded(path.parent.name)


def _decoded(folder: str) -> str:
    return unicodedata.normalize("NFC", unquote(folder.split("=", 1)[1]))


def _order(path: Path) -> tuple:
    """Part files in the order of their rows: by partition, then by number."""
    year, paper = _partition(path)
    number = path.stem.rpartition("-")[2]
    return year == UNKNOWN, year, paper == UNKNOWN, paper, int(number) if number.isdigit() else 0


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


def connect(folder: str | Path = "build", allow_files: bool = False):
    """An in-memory DuckDB connection with one view per table over the
    Parquet partitions of the current version; ``year`` (an integer) and
    ``paper`` are columns of every view, NULL when unknown.

    Unless ``allow_files``, the connection reads those Parquet files and
    nothing else: DuckDB's ``allowed_paths`` lists them, external access
    (other files, COPY, ATTACH, extensions, the network) is off and the
    configuration is locked, so a query cannot read ``/etc/passwd`` or write
    a file."""
    import duckdb

    given = Path(folder)
    root = current_folder(given) / PARQUET if given.exists() else given / PARQUET
    if not (root / "articles").is_dir():
        raise FileNotFoundError(f"{folder}: no Parquet tables here; write them with: zzdata build SRC --out {folder}")
    files = {name: [p.resolve().as_posix() for p in sorted((root / name).glob(f"year=*/paper=*/{PARTS}"), key=_order)] for name in Tables.names()}
    con = duckdb.connect()
    if not allow_files:
        con.execute("SET allowed_paths = ?", [[f for found in files.values() for f in found]])
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
    for name in Tables.names():
        listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files[name])
        con.execute(
            f"CREATE VIEW {name} AS SELECT * REPLACE ("
            f"TRY_CAST(NULLIF(year, '{UNKNOWN}') AS INTEGER) AS year, NULLIF(paper, '{UNKNOWN}') AS paper) "
            f"FROM read_parquet([{listed}], hive_partitioning = true, hive_types = {{'year': VARCHAR, 'paper': VARCHAR}})"
        )
    return con


def query(sql: str, folder: str | Path = "build", allow_files: bool = False):
    """Run SQL over the tables of a build folder with DuckDB; a DataFrame.
    Nothing is loaded into memory but what the query needs, and no other
    file is read or written unless ``allow_files`` (see ``connect``).

    >>> import zzdata as zz
    >>> zz.query("select year, sum(value) as total from flood_prep where indicator = '编织袋' group by year")  # doctest: +SKIP
       year     total
    0  2021  636000.0
    """
    con = connect(folder, allow_files)
    try:
        return con.execute(sql).df()
    finally:
        con.close()
