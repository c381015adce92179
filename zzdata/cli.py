"""Command line: a thin wrapper over the pipeline.

    zzdata build data/ --out build/     # tables as CSV and Parquet
    zzdata check data/                  # a fact-check report
    zzdata export data/ --out build/x   # Excel workbook, CSVs and charts
    zzdata schema > docs/tables.md      # the data dictionary
    zzdata query "select …" --out build # SQL over the tables build wrote

Exit status means one thing (``EXIT_CODES``): 0 built, 1 check findings, 2
input problems, 3 the output cannot be written or the command line is
wrong.  An environment error is one line on stderr (the traceback with
``--debug``).

>>> _jobs("4"), _jobs("0")
(4, 0)
>>> _jobs("abc")
Traceback (most recent call last):
argparse.ArgumentTypeError: expected a whole number ≥ 0 (0: one per core), got 'abc'
"""

from __future__ import annotations

import argparse
import os
import signal
from contextlib import nullcontext
import sys
import threading
from pathlib import Path

from . import __version__
from .manifest import ManifestError  # standard library only: cheap

EXIT_OK, EXIT_FINDINGS, EXIT_PROBLEMS, EXIT_OUTPUT = 0, 1, 2, 3
EXIT_CODES = """exit status:
  0  done: every file built (check: nothing to verify)
  1  zzdata check: some checks failed, see the report
  2  input problems: a source missing or without page files, files that could not be read
     or understood (the rest is built; when every file failed nothing is written), a bad query
  3  the output cannot be written (read-only, a file in the way, disk full, another build
     writing to the folder), or a wrong command line"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a wrong command line exits 3 (2 means input problems)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_OUTPUT, f"{self.prog}: error: {message}\n")


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 0 (0: one per core), got {text!r}")
    return jobs


def _add_sources(command: argparse.ArgumentParser) -> None:
    command.add_argument("sources", nargs="+", metavar="SRC", help="a text file or a folder of them (searched recursively)")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="show the Python traceback of an error")
    parser = _Parser(
        prog="zzdata",
        description="Turn exported newspaper page text into tidy tables: articles, pages, layout roles.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"zzdata {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    build = commands.add_parser(
        "build",
        help="build the tables from page text files",
        description="Read page text files (UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16 with BOM) "
        "and write every table as UTF-8 CSV (with BOM, for Excel) and Parquet, as a new version of DIR "
        "made current in one step (DIR/current names it; DIR/<table>.csv are its CSVs). "
        "A missing source, or one without page files, writes nothing.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common],
    )
    _add_sources(build)
    build.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write the tables into (created if missing)")
    build.add_argument("--strict", action="store_true", help="stop at the first problem with exit status 2 and write nothing")
    build.add_argument("--jobs", "-j", type=_jobs, default=0, metavar="N", help="worker processes (default: one per core)")
    build.add_argument("--force", action="store_true", help="re-process every file, ignoring the cache in DIR/.cache")
    build.add_argument("--engine", choices=("process", "dask"), default="process", help="run files in a local process pool (default) or on Dask")
    build.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: a scheduler address such as tcp://10.0.0.5:8786 (default: a local cluster)")
    build.add_argument("--no-progress", dest="progress", action="store_false", default=None, help="no progress bar (there is none when stderr is not a terminal)")
    check = commands.add_parser(
        "check",
        help="fact-check page text files and print a readable report",
        description="Run the fact checks (headline vs body, parts vs whole, place names, repeated words, "
        "percentages, dates after publication) and print the findings with their context, and how many "
        "checks passed.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common],
    )
    _add_sources(check)
    check.add_argument("--passed", action="store_true", help="also list every check that passed")
    export = commands.add_parser(
        "export",
        help="write an Excel workbook, CSVs and the curated charts (PNG, SVG)",
        description="Build the tables and write what an editor hands on: zzdata.xlsx (one sheet per table, "
        "header row frozen), every table as CSV with a BOM so Excel shows the Chinese, and the curated charts "
        "as PNG and SVG under charts/. Needs the notebooks extra (pip install 'zzdata[notebooks]').",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common],
    )
    _add_sources(export)
    export.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write into (created if missing)")
    query = commands.add_parser(
        "query",
        help="run SQL over the tables a build wrote (DuckDB), without loading them",
        description="Run one SQL statement with DuckDB over the Parquet tables `zzdata build` wrote: every table is "
        "a view with its columns and year and paper (NULL when unknown), e.g. "
        "zzdata query \"select year, sum(value) as total from flood_prep where indicator = '编织袋' group by year\". "
        "The query reads those tables and no other file unless --allow-files is given. "
        "Exit status: 0 when the query ran, 2 when it did not (the message says why and names the tables).",
        parents=[common],
    )
    query.add_argument("sql", metavar="SQL", help="the SQL statement, in quotes")
    query.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="the folder zzdata build wrote (default: build)")
    query.add_argument("--csv", action="store_true", help="print the result as CSV (every row) instead of a table")
    query.add_argument("--allow-files", action="store_true", help="let the query read and write other files (read_csv, COPY, ATTACH…)")
    watch = commands.add_parser(
        "watch",
        help="keep the tables current: re-build when a page is dropped, changed or removed",
        description="Build once, then watch the sources and re-build, within seconds, whenever a page file or a "
        "manifest is dropped, changed or removed, logging one line per update. jieba and the lexicons stay "
        "loaded and unchanged pages come from the cache, so an update costs what changed. Each update "
        "publishes a whole new version of DIR, as zzdata build does. Ctrl+C or SIGTERM stops it.",
        epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common],
    )
    _add_sources(watch)
    watch.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to keep the tables in (created if missing)")
    watch.add_argument("--jobs", "-j", type=_jobs, default=1, metavar="N",
                       help="worker processes per update (default 1: the resident process, already warmed up)")
    schema = commands.add_parser("schema", help="print the data dictionary (docs/tables.md) as Markdown", parents=[common])
    schema.set_defaults(command="schema")
    from .dashboard import DEFAULT_PORT, IDLE_MINUTES  # standard library only: cheap

    dashboard = commands.add_parser(
        "dashboard",
        help="serve the curated notebooks as web pages without code (Voilà), for editors",
        description="Serve the notebooks as pages of prose, charts and widgets without code cells, "
        f"on http://127.0.0.1:{DEFAULT_PORT}/ (Voilà). Each page visit starts a kernel; idle ones are shut down. "
        "Needs the dashboard extra (pip install 'zzdata[dashboard]'). Ctrl+C stops it.",
        parents=[common],
    )
    dashboard.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1 (default: %(default)s)")
    dashboard.add_argument("--notebooks", type=Path, metavar="DIR", help="the notebooks folder (default: notebooks/ of the project)")
    dashboard.add_argument("--open", action="store_true", help="open the start page in a web browser")
    dashboard.add_argument("--idle-minutes", type=float, default=IDLE_MINUTES, metavar="M", help="shut a page's kernel down after M idle minutes (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except KeyboardInterrupt:
        if args.debug:
            raise
        print("zzdata: stopped (Ctrl+C or SIGTERM); nothing was published, the previous tables are as they were", file=sys.stderr)
        return 128 + 2
    except ManifestError as error:  # an input problem: a manifest without its file column
        if args.debug:
            raise
        print(f"zzdata: {error}; nothing built", file=sys.stderr)
        return EXIT_PROBLEMS
    except (OutputProblem, OSError) as error:
        if args.debug:
            raise
        print(f"zzdata: {_one_line(error)}", file=sys.stderr)
        return EXIT_OUTPUT


def _run(args: argparse.Namespace) -> int:
    if args.command == "query":
        return _query(args.sql, args.out, args.csv, allow_files=args.allow_files)
    if args.command == "schema":
        from .schema import render_markdown

        sys.stdout.write(render_markdown() + "\n")
        return EXIT_OK
    if args.command == "dashboard":
        from .dashboard import serve

        return serve(args.notebooks, args.port, args.open, args.idle_minutes)
    if args.command == "check":
        return _check(args.sources, args.passed)
    if args.command == "export":
        return _export(args.sources, args.out)
    if args.command == "watch":
        return _watch(args)
    return _build(args, args.out)


def _watch(args: argparse.Namespace) -> int:
    """``zzdata watch``: each update runs what ``zzdata build`` runs (its
    summary unprinted: the watch logs one line per update)."""
    import contextlib
    import io

    from .watch import serve

    missing = [s for s in args.sources if not Path(s).exists()]
    for name in missing:  # a typo, as for zzdata build: nothing to watch
        print(f"zzdata: {name}: no such file or folder (looked for it from {Path.cwd()}); nothing watched", file=sys.stderr)
    if missing:
        return EXIT_PROBLEMS
    build = argparse.Namespace(sources=[str(s) for s in args.sources], strict=False, jobs=args.jobs, force=False,
                               engine="process", scheduler=None, progress=False, debug=args.debug, watching=True)

    def rebuild(batch) -> int:
        with contextlib.redirect_stdout(io.StringIO()):
            return _build(build, args.out)

    return serve(args.sources, args.out, rebuild)


class OutputProblem(Exception):
    """The tables cannot be written; the message is the line to show."""


def _one_line(error: BaseException) -> str:
    """An environment error as one line: what went wrong, and where."""
    if isinstance(error, OSError):
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror or error or type(error).__name__}{where}"
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _build_and_report(sources: list[str], options=None, stats=None, prune: bool = True):
    """Build every file's part of the tables from the sources that exist;
    say on stderr what was missing or could not be read.  Returns (parts,
    whether all was well)."""
    from .engine import BuildOptions
    from .parts import total
    from .pipeline import build_parts

    options = options or BuildOptions()
    missing = [s for s in sources if not Path(s).exists()]
    for name in missing:
        print(f"zzdata: {name}: no such file or folder", file=sys.stderr)
    if options.strict and missing:
        raise SystemExit(EXIT_PROBLEMS)
    parts = build_parts([s for s in sources if s not in missing], options, stats, prune=prune)
    problems = total(parts).problems
    for p in problems:
        where = p.source if p.line is None else f"{p.source}:{p.line}"
        print(f"zzdata: {where}: {p.message}", file=sys.stderr)
    return parts, not missing and not problems


def _check(sources: list[str], passed: bool) -> int:
    from .checks import render_report
    from .pipeline import assemble

    parts, clean = _build_and_report(sources)
    tables = assemble(parts)
    print(render_report(tables, show_passed=passed))
    if not clean:
        return EXIT_PROBLEMS
    return EXIT_FINDINGS if (tables.checks["status"] == "fail").any() else EXIT_OK


def _export(sources: list[str], out: Path) -> int:
    try:
        from .explore import export_all
    except ImportError as error:
        print(f"zzdata: export needs the notebooks extra: pip install 'zzdata[notebooks]' ({error})", file=sys.stderr)
        return EXIT_PROBLEMS
    from .pipeline import assemble

    parts, clean = _build_and_report(sources)
    tables = assemble(parts)
    written = export_all(tables, out)
    print(tables.summary())
    print(f"{len(written)} files written to {out} (workbook {out / 'zzdata.xlsx'}, charts in {out / 'charts'})")
    return EXIT_OK if clean else EXIT_PROBLEMS


def _build(args: argparse.Namespace, out: Path) -> int:
    """Build and publish, never making things worse: a missing source, one
    without page files, or a build in which every file failed writes
    nothing (the tables and the cache stay as they were)."""
    from .engine import BuildOptions, start_workers, stop_ready_workers
    from .pipeline import warm_up

    missing = [s for s in args.sources if not Path(s).exists()]
    for name in missing:
        print(f"zzdata: {name}: no such file or folder (looked for it from {Path.cwd()})", file=sys.stderr)
    if missing:
        print(f"zzdata: nothing built; the tables in {out} are as they were", file=sys.stderr)
        return EXIT_PROBLEMS
    # A re-build (a version published, no --force: few files to process, most
    # often) starts a worker warming up now, while the files are listed and
    # checked, and hands it a changed file at once.  Not for a first or forced
    # build (a pool of one per core is wanted there), nor for a watch (its
    # resident process is warm, and runs threads: no time to fork).
    if not getattr(args, "watching", False) and not args.force and _published_version(out) is not None:
        start_workers(BuildOptions(jobs=args.jobs, engine=args.engine), warm_up)
    try:
        return _build_started(args, out)
    finally:
        stop_ready_workers()  # not taken: nothing to process


def _build_started(args: argparse.Namespace, out: Path) -> int:
    """``_build`` once the sources are there (and workers may be warming up)."""
    from .engine import BuildOptions, RunStats, prune_cache, save_index
    from .parts import total
    from . import splice
    from .pipeline import BuildStopped, build_parts, tasks_of, unchanged_since
    from .store import OutputError, build_lock, load_writers, remove_retired, write_parts

    tasks = tasks_of(args.sources)
    if not tasks:
        print(f"zzdata: {', '.join(args.sources)}: no page files here (looked for *.txt and *.text, in subfolders too); "
              f"nothing built, the tables in {out} are as they were", file=sys.stderr)
        return EXIT_PROBLEMS
    options = BuildOptions(
        strict=args.strict, jobs=args.jobs, cache=out / ".cache", force=args.force,
        engine=args.engine, scheduler=args.scheduler, progress=args.progress,
    )
    stats = RunStats()
    try:
        with build_lock(out) if not args.strict else nullcontext(), _stopped_by_sigterm(getattr(args, "watching", False)):  # strict: nothing written until the end
            previous = _published_version(out)  # under the lock: no other build publishes meanwhile
            # Nothing changed: the published summary, without taking a part in hand
            # (unless a strict build must stop at a problem the last build had).
            summary = unchanged_since(previous, tasks, options, stats) if previous is not None else None
            same = summary is not None and not (args.strict and summary.problems)
            if same:
                parts = []
            else:  # the same stats: the files read to key them are not read again
                # While the changed files are processed: the published parts are read,
                # the writers imported and the versions retired before removed.
                reuse = splice.PublishedParts(previous) if previous is not None and not args.force else {}

                def meanwhile() -> None:
                    if reuse and any(key in reuse for key in stats.task_keys):  # none after a change of code
                        reuse.load()
                    load_writers()
                    remove_retired(out)

                # A watch's resident process has jieba loaded (and pyarrow's threads running, no
                # time to fork): it processes a changed file itself, as before.
                beside = None if getattr(args, "watching", False) else meanwhile
                try:
                    parts = build_parts([], options, stats, tasks=tasks, prune=False, reuse=reuse, meanwhile=beside)
                except BuildStopped as stopped:
                    p = stopped.args[0]
                    where = p.source if p.line is None else f"{p.source}:{p.line}"
                    print(f"zzdata: {where}: {p.message} (--strict: stopped, nothing written)", file=sys.stderr)
                    return EXIT_PROBLEMS
                summary = total(parts)
            for p in summary.problems:
                where = p.source if p.line is None else f"{p.source}:{p.line}"
                print(f"zzdata: {where}: {p.message}", file=sys.stderr)
            if parts and all(part.problems and not part.count("articles") for part in parts):
                print(f"zzdata: every file had problems; nothing published, the tables in {out} are as they were", file=sys.stderr)
                return EXIT_PROBLEMS
            keys = stats.task_keys + [None] * (len(parts) - len(stats.task_keys))  # the manifests' parts: no file
            if not same:
                try:
                    write_parts(parts, out, keys, _cached_part(options))
                except splice.StaleIndex:  # an unchanged file's rows could not be had: the build without the index
                    parts = build_parts([], options, stats, tasks=tasks, prune=False)
                    summary = total(parts)
                    write_parts(parts, out, stats.task_keys + [None] * (len(parts) - len(stats.task_keys)))
            stats.dropped = prune_cache(options.cache, stats.keys) if not options.strict else 0
            save_index(stats)
    except OutputError as error:
        raise OutputProblem(str(error)) from error
    except OSError as error:  # the cache, the lock or the tables could not be written
        if args.debug:
            raise
        where = f" ({error.filename})" if error.filename else ""
        raise OutputProblem(
            f"cannot write to {out}: {error.strerror or error}{where}; nothing was published, the previous tables are as they were"
        ) from error
    print(summary.render())
    print(
        f"files processed: {stats.processed}, taken from the cache: {stats.cached}, "
        f"dropped from the cache: {stats.dropped} ({stats.seconds:.1f} s)"
    )
    if stats.files and stats.hashed < stats.files:
        print(f"pages read to find what changed: {stats.hashed} of {stats.files} (the others' size and times were as at the last build)")
    if stats.rejected:
        print(f"cache entries rejected: {stats.rejected} (damaged or not zzdata's; those files were processed again)")
    if same:
        print(f"nothing changed since the last build: the tables in {out} are as they were (version {previous.name})")
    else:
        print(f"tables written to {out}")
    return EXIT_OK if not summary.problems else EXIT_PROBLEMS


def _published_version(out: Path) -> Path | None:
    """The folder of ``out``'s current version; None without one."""
    from .store import VERSIONS, current_folder

    try:
        folder = current_folder(out)
    except (FileNotFoundError, OSError):
        return None
    return folder if folder.parent.name == VERSIONS else None


def _cached_part(options):
    """The whole part of a file taken from the published index, read
    from the build cache (None when the entry is gone or damaged)."""
    from .engine import Cache
    from .pipeline import CODEC

    cache = Cache(options.cache, CODEC, writable=False) if options.cache else None
    return lambda part: cache.get(part.published.key) if cache is not None else None


class _stopped_by_sigterm:
    """While building, SIGTERM (a service manager, ``kill``) ends the build
    at once, as it would without a handler, but first stops the pool's
    workers and releases the build folder's lock.  Nothing is published
    that was not complete: a version being written stays ``*.partial`` and
    the next build removes it.  (Raising in the handler instead could
    interrupt the pool half-way through one of its locks.)  ``watching``:
    the build is a watch's update, and the watch's stop is a clean one
    (exit 0), during an update or between two."""

    def __init__(self, watching: bool = False):
        self.watching = watching

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGTERM"):
            self.previous = signal.signal(signal.SIGTERM, _stop_watch if self.watching else _terminated)
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
        return False


def _terminated(signum, frame, status: int | None = None, line: bytes = b"") -> None:
    from .engine import stop_workers
    from .store import release_locks

    stop_workers()
    release_locks()
    os.write(2, line or b"zzdata: stopped by SIGTERM; the current tables are complete (those of this build or of the last)\n")
    os._exit(128 + signum if status is None else status)


def _stop_watch(signum, frame) -> None:
    _terminated(signum, frame, 0, b"zzdata watch: stopped by SIGTERM during an update; the current tables are those of the last one published\n")


def _query(sql: str, folder: Path, as_csv: bool, max_rows: int = 200, allow_files: bool = False) -> int:
    import duckdb
    import pandas as pd

    from .store import Tables, query

    try:
        result = query(sql, folder, allow_files=allow_files)
    except FileNotFoundError as error:
        print(f"zzdata: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except duckdb.Error as error:
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        print(f"zzdata: query failed: {first} (tables: {', '.join(Tables.names())})", file=sys.stderr)
        return EXIT_PROBLEMS
    if as_csv:
        result.to_csv(sys.stdout, index=False)
    elif result.empty:
        print(" ".join(map(str, result.columns)) + "\n(no rows)")
    else:
        with pd.option_context("display.unicode.east_asian_width", True):  # Chinese is two columns wide
            print(result.to_string(index=False, max_rows=max_rows, max_colwidth=60))
        if len(result) > max_rows:
            print(f"({len(result)} rows; --csv prints them all)")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())

