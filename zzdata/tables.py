"""Tables: stage records → pandas DataFrames (the edge of the pipeline).

One builder per table; each returns a frame conformed to ``schema``.
List-valued fields are joined with ``|`` so CSV and Parquet hold the same.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING

from . import schema

if TYPE_CHECKING:  # pandas is imported only when a table is built
    import pandas as pd

    from .pipeline import FileResult

LIST_SEPARATOR = "|"


def _joined(names) -> str:
    return LIST_SEPARATOR.join(names)


def frame(table: str, rows: list[dict]):
    """A schema-conformed DataFrame from row dicts; a row with missing or
    unexpected keys is a ValueError naming them."""
    import pandas as pd

    names = schema.columns(table)
    expected = set(names)
    odd = next((row for row in rows if len(row) != len(names) or not expected.issuperset(row)), None)
    if odd is not None:
        raise ValueError(f"table {table}: row keys differ: missing {expected - odd.keys()}, unexpected {odd.keys() - expected}")
    # Column by column: pandas' own reading of a list of dicts is several
    # times slower on the hundreds of thousands of rows of an archive.
    columns = {name: [row[name] for row in rows] for name in names}
    return schema.conform(table, pd.DataFrame(columns, columns=names))


def article_rows(result: "FileResult") -> list[dict]:
    """Rows of the articles table for one file."""
    rows = []
    for a in result.articles:
        rows.append(
            {
                "article_id": a.article_id,
                "source": a.source,
                "page_id": a.page_id,
                "paper": result.paper,
                "publication_date": result.publication_date,
                "is_date_inferred": result.date_source in ("filename", "text"),
                "date_source": result.date_source,
                "section": a.section,
                "kicker": a.kicker,
                "headline": a.headline,
                "deck": a.deck,
                "subheads": _joined(a.subheads),
                "byline": a.byline,
                "reporters": _joined(a.credit.reporters),
                "correspondents": _joined(a.credit.correspondents),
                "photographers": _joined(a.credit.photographers),
                "body": a.body,
                "start": a.start,
                "end": a.end,
                "n_chars": len(a.body),
            }
        )
    return rows


def page_rows(result: "FileResult") -> list[dict]:
    """Rows of the pages table for one file."""
    rows = []
    starts = [a.page_id for a in result.articles]
    for p in result.pages:
        rows.append(
            {
                "page_id": p.page_id,
                "source": p.source,
                "page_no": p.page_no,
                "page_code": p.page_code,
                "section": p.section,
                "editors": _joined(p.editors),
                "art_editors": _joined(p.art_editors),
                "proofreaders": _joined(p.proofreaders),
                "printed_date": p.printed_date,
                "start": p.start,
                "end": p.end,
                "n_articles": starts.count(p.page_id),
            }
        )
    return rows


def layout_rows(result: "FileResult") -> list[dict]:
    """Rows of the layout table for one file: its spans, which tile the text."""
    page_ids = {p.page_no: p.page_id for p in result.pages}
    article_ids = [a.article_id for a in result.articles]
    text = result.page.text
    return [
        {
            "source": result.page.source,
            "page_id": page_ids[span.page_no],
            "article_id": None if span.article_no is None else article_ids[span.article_no],
            "start": span.start,
            "end": span.end,
            "role": span.role,
            "text": text[span.start : span.end],
        }
        for span in result.layout.spans
    ]


def figure_rows(figures, article_id=None, source=None) -> list[dict]:
    """Rows of the figures table for one article (or free text)."""
    from .figures import NOT_AMOUNTS
    from .segment import stable_id

    rows = []
    for f in figures:
        row = {k: getattr(f, k) for k in ("start", "end", "text", "value", "unit", "dimension", "qualifier", "subject")}
        row.update(
            figure_id=stable_id("f", source or "", f.start),
            article_id=article_id,
            source=source,
            value_low=f.low,
            value_high=f.high,
            comparison_direction=f.comparison_direction,
            comparison_baseline=f.comparison_baseline,
            place=f.place,
            date=f.date,
            sentence=f.sentence,
            is_amount=f.dimension not in NOT_AMOUNTS,
        )
        rows.append(row)
    return rows


def date_rows(found, article) -> list[dict]:
    """Rows of the dates table from (DateMention, sentence) pairs of an article."""
    from .segment import stable_id

    rows = []
    for mention, sentence in found:
        row = {k: getattr(mention, k) for k in ("start", "end", "text", "date", "date_start", "date_end", "granularity")}
        row.update(
            date_id=stable_id("d", article.source, mention.start),
            article_id=article.article_id,
            source=article.source,
            is_relative=mention.is_relative,
            sentence=sentence,
        )
        rows.append(row)
    return rows


def figures_table(rows: list[dict]):
    return frame("figures", rows)


# Tables whose rows the per-article stages produce as dicts.
ROW_TABLES = ("figures", "dates", "flood_prep", "safety_stats", "service_actions", "checks")


def problem_rows(problems) -> list[dict]:
    """Rows of the problems table."""
    return [{f.name: getattr(p, f.name) for f in fields(p)} for p in problems]


@dataclass(frozen=True)
class Tables:
    """The tables of a build, as pandas DataFrames."""

    articles: "pd.DataFrame"
    pages: "pd.DataFrame"
    layout: "pd.DataFrame"
    figures: "pd.DataFrame"
    dates: "pd.DataFrame"
    flood_prep: "pd.DataFrame"
    safety_stats: "pd.DataFrame"
    service_actions: "pd.DataFrame"
    checks: "pd.DataFrame"
    problems: "pd.DataFrame"

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def summary(self) -> str:
        """A one-screen summary of what was built."""
        files = len(set(self.layout["source"]) | set(self.problems["source"]))
        lines = [
            f"files: {files}   pages: {len(self.pages)}   articles: {len(self.articles)}   "
            f"figures: {len(self.figures)}   dates: {len(self.dates)}   problems: {len(self.problems)}",
        ]
        failed = int((self.checks["status"] == "fail").sum())
        lines.append(
            f"flood_prep: {len(self.flood_prep)}   safety_stats: {len(self.safety_stats)}   "
            f"service_actions: {len(self.service_actions)}   checks: {failed} to verify, {len(self.checks) - failed} passed"
        )
        coverage = self.coverage()
        roles = coverage.drop(columns=["source", "n_chars", "unassigned"]).sum()
        lines.append("characters by role: " + ", ".join(f"{role} {n}" for role, n in roles.items() if n))
        lines.append(f"characters unassigned: {int(coverage['unassigned'].sum())} (of {int(coverage['n_chars'].sum())})")
        outside = int(self.figures["article_id"].isna().sum())
        if outside:
            lines.append(f"figures outside any article (furniture, orphan lines): {outside}, kept with an empty article_id")
        for p in self.problems.itertuples():
            where = p.source if is_missing(p.line) else f"{p.source}:{p.line}"
            lines.append(f"  problem {where}: {p.kind}: {p.message}")
        return "\n".join(lines)

    def write(self, out: Path) -> list[Path]:
        """Write every table as UTF-8 CSV (with BOM, for Excel) and as Parquet
        partitioned by year and paper (see ``store``), staged and renamed
        into place at the end, so an interrupted write leaves the previous
        tables as they were."""
        from . import store

        return store.write_tables(self, out)

    def coverage(self):
        """Characters per role for each source, and those no role covers
        (which must be zero: nothing of the input is silently dropped)."""
        from .layout import ROLES

        spans = self.layout.assign(n=self.layout["end"] - self.layout["start"])
        table = spans.pivot_table(index="source", columns="role", values="n", aggfunc="sum", fill_value=0)
        table = table.reindex(columns=list(ROLES), fill_value=0).astype("int64")
        ends = self.pages.groupby("source")["end"].max()  # the text's length, from the page extents
        table.insert(0, "n_chars", ends.reindex(table.index).astype("int64"))
        table["unassigned"] = table["n_chars"] - table[list(ROLES)].sum(axis=1)
        return table.reset_index().rename_axis(columns=None)

    @classmethod
    def read(cls, folder: Path, years=None, papers=None):
        """The tables ``write`` wrote, typed as the schema says; each is read
        from Parquet when first used (``store.LazyTables``), only the
        ``years`` and ``papers`` asked for; ``.materialize()`` gives Tables."""
        from . import store

        return store.read_tables(folder, years=years, papers=papers)


def is_missing(value) -> bool:
    """None, NaN or pandas' NA (a problem without a line number)."""
    import pandas as pd

    return value is None or bool(pd.isna(value))
