"""Pipeline: the only place where the stages are chained.

read → layout → segment → figures → beats → checks → tables.
``process_page`` runs the per-file stages over one decoded file;
``process_task`` turns one file's bytes into its part of every table
(``parts.py``: the rows as CSV lines, and counts) — the unit of work a
process pool, the build cache and a Dask cluster all deal in;
``build_parts`` runs it over a batch (``engine.py`` decides where: it is
handed ``process_task`` and ``warm_up``, and imports nothing of the
stages) and ``build`` makes the DataFrames; ``load`` is the one-call entry
point for notebooks.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from collections.abc import Callable, Iterable, Mapping

from . import beats, checks, dates, figures, manifest, read, script, segment, splice
from .engine import BuildOptions, Codec, RunStats, Task, run_tasks, task_keys
from .layout import find_layout
from .parts import FilePart, FileRows, concat, decode_part, encode_part, to_part
from .store import CURRENT, Tables, is_built
from .tables import (
    FileResult,
    article_rows,
    date_rows,
    figure_rows,
    figures_table,
    from_arrow,
    layout_rows,
    page_rows,
    problem_rows,
    row_tables,
)

_WORD = re.compile(r"[\w\u3400-\u9fff]")


def process_page(page: read.Page, manifest_date: str | None = None, paper: str = "") -> FileResult:
    """Run every per-file stage over one decoded file.

    The stages read ``script.reading_copy`` of the text (simplified, same
    length); on a traditional page, every string the tables show as printed
    (headlines, bodies, sections, mention texts and sentences) is sliced
    again from the text as printed, at the same offsets, while derived
    columns (subject, place, indicator, names, messages) stay as read.
    """
    reading = replace(page, text=script.reading_copy(page.text))
    layout = find_layout(reading.text)
    pages = segment.describe_pages(reading, layout)
    articles = segment.split_articles(reading, layout, pages)
    printed = next((p.printed_date for p in pages if p.printed_date), None)
    date, how = dates.infer_publication_date(reading.text, page.source, manifest_date, printed)
    rows: dict[str, list[dict]] = {name: [] for name in row_tables()}
    for article in articles:
        for name, found in article_tables(article, date).items():
            rows[name] += found
    if reading.text is not page.text:  # a traditional page
        pages = segment.describe_pages(reading, layout, page.text)
        shown = segment.split_articles(reading, layout, pages, page.text)
        pairs = {a.article_id: (a, b) for a, b in zip(articles, shown)}
        rows = {name: script.printed_rows(found, page.text, reading.text, pairs) for name, found in rows.items()}
        articles = shown
    problems = overlong_lines(page)
    if not page.text.strip():
        problems.append(read.Problem(page.source, "empty", "the file holds no text; re-export it"))
    elif not any(_WORD.search(a.headline + a.body) for a in articles):
        message = "no article found: no line holds words (only punctuation or symbols); check the export"
        problems.append(read.Problem(page.source, "no_articles", message))
    frozen = {name: tuple(found) for name, found in rows.items()}
    return FileResult(page, layout, tuple(pages), tuple(articles), date, how, frozen, tuple(problems), paper)


# A line this long is no paragraph of a page: an export that lost its line
# breaks, or not a page at all.  Its characters keep their layout roles, but
# it is not searched for figures (at ~60,000 characters a second a 50 MB
# line would hold the batch for a quarter of an hour).
MAX_LINE = 100_000


def overlong_lines(page: read.Page) -> list[read.Problem]:
    """A problem for each line longer than MAX_LINE characters.

    >>> [p.line for p in overlong_lines(read.Page("x.txt", "", "标题\\n" + "字" * (MAX_LINE + 1), "utf-8"))]
    [2]
    """
    found = []
    for n, match in enumerate(re.finditer(r"[^\r\n]*(?:\r\n|\r|\n|$)", page.text), start=1):
        length = len(match.group().rstrip("\r\n"))
        if length > MAX_LINE:
            message = (
                f"line {n} holds {length:,} characters (over {MAX_LINE:,}): line breaks were lost in export, or this is "
                "not a page; its article was not searched for figures, dates or checks — re-export with paragraph breaks"
            )
            found.append(read.Problem(page.source, "overlong_line", message, n, match.start()))
        if match.end() == len(page.text):
            break
    return found


def article_tables(article: segment.Article, publication_date: str | None) -> dict[str, list[dict]]:
    """Figures, dates, beat rows and checks of one article (none for an
    article holding an overlong line, see ``overlong_lines``).  Stages
    pass typed records (``figures.Figure`` with its figure_id); row dicts
    are made here, at the table edge."""
    if any(end - start > MAX_LINE for _, start, end in article.pieces):
        return {name: [] for name in row_tables()}
    found = figures.figures_of_article(article, publication_date)
    found_dates = date_rows(figures.dates_of_article(article, publication_date), article)
    on_beats = beats.beat_tables(article, found, publication_date)
    return {
        "figures": figure_rows(found, routes=on_beats.routes),
        "dates": found_dates,
        **on_beats.rows,
        "checks": checks.check_article(article, found, found_dates, publication_date, on_beats.routes),
    }


def outside_figures(result: FileResult) -> list[dict]:
    """Figure rows for text outside the bodies: an article's titles,
    subheads and captions (with its article_id and the line's role), and
    text outside every article (furniture such as a page code or a masthead
    date, an orphan line: an empty article_id, role furniture), never
    dropped."""
    found = []
    printed = result.page.text
    reading = script.reading_copy(printed)
    for span in result.layout.spans:
        in_body = span.article_no is not None and span.role in ("body", "byline")  # body figures come from the article
        if span.role == "blank" or in_body or span.end - span.start > MAX_LINE:
            continue
        article_id = None if span.article_no is None else result.articles[span.article_no].article_id
        shifted = [replace(f, start=f.start + span.start, end=f.end + span.start)
                   for f in figures.find_figures(reading[span.start : span.end], result.publication_date)]
        found += figure_rows(shifted, article_id, result.page.source, role=span.role if article_id else "furniture")
    return found if reading is printed else script.printed_rows(found, printed, reading, {})


def file_rows(result: FileResult) -> FileRows:
    """Every table's rows for one processed file."""
    rows = {
        "articles": article_rows(result),
        "pages": page_rows(result),
        "layout": layout_rows(result),
        **result.rows,
        "problems": problem_rows(result.problems),
    }
    outside = outside_figures(result)
    if outside:
        rows["figures"] = sorted([*rows["figures"], *outside], key=lambda row: row["start"])
    return FileRows(result.page.source, {name: tuple(found) for name, found in rows.items()})


def process_task(task: Task) -> FilePart:
    """One file's bytes → its part of every table (``parts``).  Undecodable
    bytes give a problems row and nothing else.  Runs in a worker process or
    on a Dask worker: it needs nothing but the task."""
    try:
        page, problems = read.read_bytes(task.content(), task.source, task.path)
    except OSError as error:
        page, problems = None, (read.Problem(task.source, "unreadable", f"cannot read file: {error.strerror or error}"),)
    if page is None:  # read.read_bytes: not text, undecodable, no Chinese
        return to_part(FileRows(task.source, {"problems": tuple(problem_rows(problems))}))
    result = process_page(page, task.manifest_date, task.paper)
    return to_part(file_rows(replace(result, problems=problems + result.problems)))  # a bad tail, say


def warm_up() -> None:
    """Load jieba's dictionary (``wordcut.prepared_jieba``: from this user's
    snapshot when there is one), the lexicons, cn2an and pyarrow once per
    worker, before the first file, by processing a tiny made-up page."""
    text = "全市储备编织袋3万条\n本报讯(记者 王小明)近日,荷塘区宋家桥街道新增防汛物资一千二百件。\n"
    process_task(Task("warm-up.txt", "", text.encode("utf-8")))


class BuildStopped(Exception):
    """A strict build met a problem; the problem is the argument."""


CODEC = Codec(encode_part, decode_part)  # how the build cache keeps a file's part: JSON lines, checked on reading


class Tasks(list):
    """The tasks of a build, and the problems of its manifests' rows
    (``manifest.manifest_facts``), which ``build_parts`` reports as a part."""

    problems: tuple[read.Problem, ...] = ()


def tasks_of(sources: Iterable[str | Path]) -> Tasks:
    """A task per text file of the sources (files and folders), with the
    manifest's date and paper.  Files are read later, one at a time.  A
    manifest without a ``file`` column raises ``manifest.ManifestError``."""
    sources = list(sources)
    files = read.find_files(sources)
    facts, problems = manifest.manifest_facts(sources, files)
    tasks = Tasks()
    for path, source in files:
        row = facts.get(source, {})
        tasks.append(Task(source, str(path), None, row.get("publication_date") or None, row.get("paper") or ""))
    tasks.problems = tuple(problems)
    return tasks


def _manifest_parts(tasks: list[Task]) -> list[FilePart]:
    """A part holding each manifest's problems (none for a plain list of tasks)."""
    by_source: dict[str, list[read.Problem]] = {}
    for problem in getattr(tasks, "problems", ()):
        by_source.setdefault(problem.source, []).append(problem)
    return [to_part(FileRows(source, {"problems": tuple(problem_rows(found))})) for source, found in by_source.items()]


def build(sources: Iterable[str | Path], options: BuildOptions | None = None, stats: RunStats | None = None, **settings) -> Tables:
    """Read every source file or folder and build all tables.

    A file that cannot be read becomes a row of ``problems`` and the rest is
    built; with ``strict=True`` the first problem stops the build
    (BuildStopped).  Other settings (``jobs``, ``cache``, ``force``,
    ``engine``, ``scheduler``, ``progress``) are those of ``BuildOptions``;
    ``stats``, when given, is filled in with what the run did.
    """
    return assemble(build_parts(sources, options, stats, **settings))


def build_parts(
    sources: Iterable[str | Path], options: BuildOptions | None = None, stats: RunStats | None = None,
    tasks: list[Task] | None = None, prune: bool = True, reuse: Mapping[str, FilePart] | None = None,
    meanwhile: Callable[[], object] | None = None, **settings,
) -> list[FilePart]:
    """Every file's part of the tables, in file order, as ``build`` makes
    them; ``store.write_parts`` writes them without making DataFrames.
    ``tasks``, when given, are the sources' tasks (``tasks_of``) already
    listed; ``prune=False`` keeps the cache entries of files not built (the
    caller drops them with ``engine.prune_cache`` once the tables are
    published).  ``reuse`` (``splice.published_parts``: the published
    version's parts without lines, by cache key) stands in for the cached
    parts of unchanged files, which are then not loaded; a lazy one,
    ``splice.PublishedParts``, is read by ``meanwhile``, work of the
    caller's run beside the workers (``engine.run_tasks``)."""
    options = replace(options or BuildOptions(), **settings)
    stop = _stop_at_first_problem if options.strict else None
    tasks = tasks_of(sources) if tasks is None else tasks
    manifests = _manifest_parts(tasks)
    if stop:
        for part in manifests:
            stop(part)
    return run_tasks(tasks, process_task, options, on_result=stop, stats=stats, warm_up=warm_up,
                     code_key=beats.code_key(), codec=CODEC, prune=prune, reuse=reuse, meanwhile=meanwhile) + manifests


def unchanged_since(version: Path, tasks: list[Task], options: BuildOptions, stats: RunStats):
    """The summary of ``version`` (a published build's folder) when these
    tasks would build it again: the same files with the same keys and the
    same manifests' problems (``splice.unchanged_summary``), found by
    reading only the files whose stat changed and no cached part; else None.
    ``stats`` gets the run's counts and stat index, as from ``build_parts``."""
    if options.force or not options.cache:
        return None
    keys = task_keys(tasks, options, beats.code_key(), stats)
    return splice.unchanged_summary(version, [t.source for t in tasks], keys, _manifest_parts(tasks))


def _stop_at_first_problem(result: FilePart) -> None:
    if result.problems:
        raise BuildStopped(result.problems[0])


def assemble(results: list[FilePart]) -> Tables:
    """The tables (DataFrames) from per-file parts, in the order of the files."""
    return Tables(**{name: from_arrow(name, concat(name, results)) for name in Tables.names()})


def extract_figures(text: str, reference_date=None):
    """Figures of any text as a DataFrame (offsets into ``text``).

    >>> df = extract_figures("全市共储备编织袋63.6万条、彩条布74万平方米。")
    >>> df[["text", "value", "unit", "qualifier", "subject"]].values.tolist()
    [['63.6万条', 636000.0, '条', 'exact', '编织袋'], ['74万平方米', 740000.0, '平方米', 'exact', '彩条布']]
    """
    reading = script.reading_copy(text)
    rows = figure_rows(figures.find_figures(reading, reference_date))
    return figures_table(rows if reading is text else script.printed_rows(rows, text, reading, {}))


def load(source: str | Path, *more: str | Path) -> Tables:
    """Tables for page text files or folders, or for a folder that
    ``zzdata build`` wrote (read back from Parquet).

    A path that does not exist, or sources without a page file, are a
    FileNotFoundError (never empty tables).

    >>> import zzdata as zz
    >>> t = zz.load("data")                                   # doctest: +SKIP
    >>> t.articles[["headline", "reporters"]].head()          # doctest: +SKIP
    >>> zz.load("nosuch")
    Traceback (most recent call last):
    FileNotFoundError: nosuch: no such file or folder
    """
    first = Path(source)
    missing = [str(s) for s in (source, *more) if not Path(s).exists()]
    if missing:
        raise FileNotFoundError(f"{', '.join(missing)}: no such file or folder")
    if not more and (is_built(first) or (first / CURRENT).is_file()):  # a broken pointer: Tables.read says so
        return Tables.read(first)
    tasks = tasks_of([source, *more])
    if not tasks:
        raise FileNotFoundError(f"{', '.join(map(str, (source, *more)))}: no page files ({', '.join('*' + s for s in read.TEXT_SUFFIXES)}) here")
    return assemble(build_parts([source, *more], tasks=tasks))
