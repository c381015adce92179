"""Pipeline: the only place where the stages are chained.

read → layout → segment → tables.  ``process_page`` runs the per-file
stages and returns plain records; ``build`` runs it over a batch and makes
the DataFrames; ``load`` is the one-call entry point for notebooks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from . import beats, checks, dates, figures, read, segment
from .layout import Layout, find_layout
from .tables import (
    ROW_TABLES,
    Tables,
    articles_table,
    date_rows,
    figure_rows,
    figures_table,
    frame,
    layout_table,
    pages_table,
    problems_table,
)


_WORD = re.compile(r"[\w\u3400-\u9fff]")


@dataclass(frozen=True)
class FileResult:
    """Everything the per-file stages found in one source file; ``rows``
    holds the rows of the mention, beat and check tables by table name."""

    page: read.Page
    layout: Layout
    pages: tuple[segment.PageInfo, ...]
    articles: tuple[segment.Article, ...]
    publication_date: str | None
    date_source: str
    rows: dict[str, tuple[dict, ...]]
    problems: tuple[read.Problem, ...] = ()


def process_page(page: read.Page, manifest_date: str | None = None) -> FileResult:
    """Run every per-file stage over one decoded file."""
    layout = find_layout(page.text)
    pages = segment.describe_pages(page, layout)
    articles = segment.split_articles(page, layout, pages)
    printed = next((p.printed_date for p in pages if p.printed_date), None)
    date, how = dates.infer_publication_date(page.text, page.source, manifest_date, printed)
    rows: dict[str, list[dict]] = {name: [] for name in ROW_TABLES}
    for article in articles:
        for name, found in article_rows(article, date).items():
            rows[name] += found
    problems = []
    if not page.text.strip():
        problems.append(read.Problem(page.source, "empty", "the file holds no text; re-export it"))
    elif not any(_WORD.search(a.headline + a.body) for a in articles):
        message = "no article found: no line holds words (only punctuation or symbols); check the export"
        problems.append(read.Problem(page.source, "no_articles", message))
    frozen = {name: tuple(found) for name, found in rows.items()}
    return FileResult(page, layout, tuple(pages), tuple(articles), date, how, frozen, tuple(problems))


def article_rows(article: segment.Article, publication_date: str | None) -> dict[str, list[dict]]:
    """Figures, dates, beat rows and checks of one article."""
    found_figures = figure_rows(figures.figures_of_article(article, publication_date), article.article_id, article.source)
    found_dates = date_rows(figures.dates_of_article(article, publication_date), article)
    on = beats.beats_of(article.headline, article.body)
    return {
        "figures": found_figures,
        "dates": found_dates,
        "flood_prep": beats.beat_rows("flood", found_figures, article, publication_date) if "flood" in on else [],
        "safety_stats": (
            beats.beat_rows("safety", found_figures, article, publication_date) + beats.stated_zeros(article, publication_date)
            if "safety" in on
            else []
        ),
        "service_actions": beats.service_rows(found_figures, article) if "service" in on else [],
        "checks": checks.check_article(article, found_figures, found_dates, publication_date),
    }


def _manifest_dates(sources: Iterable[str | Path]) -> dict[str, str]:
    found: dict[str, str] = {}
    for src in sources:
        src = Path(src)
        folder = src if src.is_dir() else src.parent
        for name, row in read.read_manifest(folder).items():
            if (row.get("publication_date") or "").strip():
                found[name] = row["publication_date"].strip()
    return found


class BuildStopped(Exception):
    """A strict build met a problem; the problem is the argument."""


def build(sources: Iterable[str | Path], strict: bool = False) -> Tables:
    """Read every source file or folder and build all tables.  A file that
    cannot be read becomes a row of ``problems`` and the rest is built; with
    ``strict`` the first problem stops the build (BuildStopped)."""
    sources = list(sources)
    pages, problems = read.read_sources(sources)
    if strict and problems:
        raise BuildStopped(problems[0])
    manifest = _manifest_dates(sources)
    results = [process_page(page, manifest.get(page.source)) for page in pages]
    problems += [p for r in results for p in r.problems]
    if strict and problems:
        raise BuildStopped(problems[0])
    return Tables(
        articles=articles_table(results),
        pages=pages_table(results),
        layout=layout_table(results),
        **{name: frame(name, [row for r in results for row in r.rows[name]]) for name in ROW_TABLES},
        problems=problems_table(problems),
    )


def extract_figures(text: str, reference_date=None):
    """Figures of any text as a DataFrame (offsets into ``text``).

    >>> df = extract_figures("全市共储备编织袋63.6万条、彩条布74万平方米。")
    >>> df[["text", "value", "unit", "qualifier", "subject"]].values.tolist()
    [['63.6万条', 636000.0, '条', 'exact', '编织袋'], ['74万平方米', 740000.0, '平方米', 'exact', '彩条布']]
    """
    return figures_table(figure_rows(figures.find_figures(text, reference_date)))


def load(source: str | Path, *more: str | Path) -> Tables:
    """Tables for page text files or folders, or for a folder that
    ``zzdata build`` wrote (read back from Parquet).

    >>> import zzdata as zz
    >>> t = zz.load("data")                                   # doctest: +SKIP
    >>> t.articles[["headline", "reporters"]].head()          # doctest: +SKIP
    """
    first = Path(source)
    if not more and first.is_dir() and (first / "articles.parquet").is_file():
        return Tables.read(first)
    return build([source, *more])
