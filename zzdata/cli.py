"""Command line: a thin wrapper over the pipeline.

    zzdata build data/ --out build/     # tables as CSV and Parquet
    zzdata check data/                  # a fact-check report
    zzdata export data/ --out build/x   # Excel workbook, CSVs and charts
    zzdata schema > docs/tables.md      # the data dictionary
    zzdata query "select …" --out build # SQL over the tables build wrote
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_PROBLEMS = 0, 1, 2


def _jobs(text: str) -> int:
    jobs = int(text)
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per core) or more")
    return jobs


def _add_sources(command: argparse.ArgumentParser) -> None:
    command.add_argument("sources", nargs="+", metavar="SRC", help="a text file or a folder of them (searched recursively)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zzdata",
        description="Turn exported newspaper page text into tidy tables: articles, pages, layout roles.",
    )
    parser.add_argument("--version", action="version", version=f"zzdata {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    build = commands.add_parser(
        "build",
        help="build the tables from page text files",
        description="Read page text files (UTF-8, UTF-8 with BOM, GB18030/GBK, UTF-16 with BOM) "
        "and write every table as UTF-8 CSV (with BOM, for Excel) and Parquet. "
        "Exit status: 0 when every file built, 2 when some files had problems "
        "(the tables are still written for the rest).",
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
        "checks passed. Exit status: 0 when nothing failed, 1 when something failed, 2 when files had problems.",
    )
    _add_sources(check)
    check.add_argument("--passed", action="store_true", help="also list every check that passed")
    export = commands.add_parser(
        "export",
        help="write an Excel workbook, CSVs and the curated charts (PNG, SVG)",
        description="Build the tables and write what an editor hands on: zzdata.xlsx (one sheet per table, "
        "header row frozen), every table as CSV with a BOM so Excel shows the Chinese, and the curated charts "
        "as PNG and SVG under charts/. Needs the notebooks extra (pip install 'zzdata[notebooks]').",
    )
    _add_sources(export)
    export.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder to write into (created if missing)")
    query = commands.add_parser(
        "query",
        help="run SQL over the tables a build wrote (DuckDB), without loading them",
        description="Run one SQL statement with DuckDB over the Parquet tables `zzdata build` wrote: every table is "
        "a view with its columns and year and paper (NULL when unknown), e.g. "
        "zzdata query \"select year, sum(value) as total from flood_prep where indicator = '编织袋' group by year\". "
        "Exit status: 0 when the query ran, 2 when it did not (the message says why and names the tables).",
    )
    query.add_argument("sql", metavar="SQL", help="the SQL statement, in quotes")
    query.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="the folder zzdata build wrote (default: build)")
    query.add_argument("--csv", action="store_true", help="print the result as CSV (every row) instead of a table")
    schema = commands.add_parser("schema", help="print the data dictionary (docs/tables.md) as Markdown")
    schema.set_defaults(command="schema")
    from .dashboard import DEFAULT_PORT, IDLE_MINUTES  # standard library only: cheap

    dashboard = commands.add_parser(
        "dashboard",
        help="serve the curated notebooks as web pages without code (Voilà), for editors",
        description="Serve the notebooks as pages of prose, charts and widgets without code cells, "
        f"on http://127.0.0.1:{DEFAULT_PORT}/ (Voilà). Each page visit starts a kernel; idle ones are shut down. "
        "Needs the dashboard extra (pip install 'zzdata[dashboard]'). Ctrl+C stops it.",
    )
    dashboard.add_argument("--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1 (default: %(default)s)")
    dashboard.add_argument("--notebooks", type=Path, metavar="DIR", help="the notebooks folder (default: notebooks/ of the project)")
    dashboard.add_argument("--open", action="store_true", help="open the start page in a web browser")
    dashboard.add_argument("--idle-minutes", type=float, default=IDLE_MINUTES, metavar="M", help="shut a page's kernel down after M idle minutes (default: %(default)s)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "query":
        return _query(args.sql, args.out, args.csv)
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
    return _build(args, args.out)


def _build_and_report(sources: list[str], options=None, stats=None):
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
    parts = build_parts([s for s in sources if s not in missing], options, stats)
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
    from .engine import BuildOptions, RunStats
    from .parts import total
    from .pipeline import BuildStopped
    from .store import write_parts

    options = BuildOptions(
        strict=args.strict, jobs=args.jobs, cache=out / ".cache", force=args.force,
        engine=args.engine, scheduler=args.scheduler, progress=args.progress,
    )
    stats = RunStats()
    try:
        parts, clean = _build_and_report(args.sources, options, stats)
    except BuildStopped as stopped:
        p = stopped.args[0]
        where = p.source if p.line is None else f"{p.source}:{p.line}"
        print(f"zzdata: {where}: {p.message} (--strict: stopped, nothing written)", file=sys.stderr)
        return EXIT_PROBLEMS
    write_parts(parts, out)
    print(total(parts).render())
    print(
        f"files processed: {stats.processed}, taken from the cache: {stats.cached}, "
        f"dropped from the cache: {stats.dropped} ({stats.seconds:.1f} s)"
    )
    print(f"tables written to {out}")
    return EXIT_OK if clean else EXIT_PROBLEMS


def _query(sql: str, folder: Path, as_csv: bool, max_rows: int = 200) -> int:
    import duckdb
    import pandas as pd

    from .store import Tables, query

    try:
        result = query(sql, folder)
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

