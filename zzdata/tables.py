"""Tables: stage records → table rows and pandas DataFrames (the edge of
the pipeline).

One builder per table; each returns rows, or a frame, conformed to
``schema``.  List-valued fields are joined with ``|`` so CSV and Parquet
hold the same.  ``FileResult`` is what the per-file stages found in one
file (``pipeline.process_page`` makes it); ``Summary`` counts what a build
made.  The tables of a build together, ``Tables``, live with their storage
in ``store``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING

from . import beats, schema

if TYPE_CHECKING:  # the stages' records, named in annotations only
    from .layout import Layout
    from .read import Page, Problem
    from .segment import Article, PageInfo

LIST_SEPARATOR = "|"


@dataclass(frozen=True)
class FileResult:
    """Everything the per-file stages found in one source file; ``rows``
    holds the rows of the mention, beat and check tables by table name."""

    page: Page
    layout: Layout
    pages: tuple[PageInfo, ...]
    articles: tuple[Article, ...]
    publication_date: str | None
    date_source: str
    rows: dict[str, tuple[dict, ...]]
    problems: tuple[Problem, ...] = ()
    paper: str = ""


def _joined(names) -> str:
    return LIST_SEPARATOR.join(names)


def columns_of(table: str, rows) -> dict[str, list]:
    """Row dicts → one list per column, in the schema's order; a row with
    missing or unexpected keys is a ValueError naming them.

    >>> columns_of("problems", [{"source": "a.txt", "kind": "empty", "message": "", "line": None, "offset": None}])["kind"]
    ['empty']
    """
    names = schema.columns(table)
    check_keys(table, rows)
    # Column by column: pandas' own reading of a list of dicts is several
    # times slower on the hundreds of thousands of rows of an archive.
    return {name: [row[name] for row in rows] for name in names}


def check_keys(table: str, rows) -> None:
    """A ValueError naming the keys of the first row whose keys are not the
    table's columns."""
    names = schema.columns(table)
    expected = set(names)
    odd = next((row for row in rows if len(row) != len(names) or not expected.issuperset(row)), None)
    if odd is not None:
        raise ValueError(f"table {table}: row keys differ: missing {expected - odd.keys()}, unexpected {odd.keys() - expected}")


def frame(table: str, rows: list[dict]):
    """A schema-conformed DataFrame from row dicts (see ``columns_of``)."""
    import pandas as pd

    return schema.conform(table, pd.DataFrame(columns_of(table, rows), columns=schema.columns(table)))


def from_arrow(table: str, arrow):
    """A schema-conformed DataFrame from an Arrow table of the schema's
    types: the nullable pandas types, a missing value as ``<NA>``."""
    import pandas as pd
    import pyarrow as pa

    dtypes = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype(), pa.float64(): pd.Float64Dtype()}
    return schema.conform(table, arrow.to_pandas(types_mapper=dtypes.get))


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
                "date_basis": result.date_source,
                "section": a.section,
                "outlet": a.outlet,
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
            "reason": span.reason,
            "text": text[span.start : span.end],
        }
        for span in result.layout.spans
    ]


def figure_rows(figures, article_id=None, source=None, routes=None, role="body") -> list[dict]:
    """Rows of the figures table for one article's figures (or free text);
    ``routes`` gives a figure's beat table and note by figure_id
    (``beats.Routing``); ``role`` is the layout role of the text they were
    printed in (body, headline, deck, kicker, subhead, caption, furniture)."""
    from .segment import stable_id

    routes = routes or {}
    rows = []
    for f in figures:
        row = {k: getattr(f, k) for k in ("start", "end", "text", "value", "unit", "unit_known", "dimension", "qualifier", "subject")}
        figure_id = f.figure_id or stable_id("f", source or "", f.start)
        table, note = routes.get(figure_id, ("", ""))
        row.update(
            figure_id=figure_id,
            article_id=f.article_id if f.figure_id else article_id,
            source=f.source if f.figure_id else source,
            value_low=f.low,
            value_high=f.high,
            comparison_direction=f.comparison_direction,
            comparison_baseline=f.comparison_baseline,
            place=f.place,
            date=f.date,
            sentence=f.sentence,
            is_amount=f.is_amount,
            beat_table=table,
            beat_note=note,
            role=role,
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


def row_tables() -> list[str]:
    """Tables whose rows the per-article stages make: figures, dates, every
    registered beat's table, checks."""
    return ["figures", "dates", *beats.table_names(), "checks"]


def problem_rows(problems) -> list[dict]:
    """Rows of the problems table."""
    return [{f.name: getattr(p, f.name) for f in fields(p)} for p in problems]


def coverage(tables):
    """Characters per role for each source of a build's tables, and those no
    role covers (which must be zero: nothing of the input is silently
    dropped)."""
    from .layout import ROLES

    spans = tables.layout.assign(n=tables.layout["end"] - tables.layout["start"])
    table = spans.pivot_table(index="source", columns="role", values="n", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=list(ROLES), fill_value=0).astype("int64")
    ends = tables.pages.groupby("source")["end"].max()  # the text's length, from the page extents
    table.insert(0, "n_chars", ends.reindex(table.index).astype("int64"))
    table["unassigned"] = table["n_chars"] - table[list(ROLES)].sum(axis=1)
    return table.reset_index().rename_axis(columns=None)


@dataclass(frozen=True)
class Summary:
    """What a build made, in counts that add up over files: a build's
    summary is the sum of its files' (``parts.summarize``), or is counted
    from its tables (``Summary.of``)."""

    files: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # table → rows
    failed_checks: int = 0
    roles: dict[str, int] = field(default_factory=dict)  # layout role → characters
    n_chars: int = 0
    unassigned: int = 0  # characters no layout role covers: must be 0
    outside_figures: int = 0  # figures with an empty article_id
    problems: tuple = ()  # read.Problem, in file order
    beat_figures: int = 0  # figures printed on a beat
    beat_notes: dict[str, int] = field(default_factory=dict)  # beat_note → figures on a beat in no beat table
    idle_checks: int = 0  # checks with nothing to check (status not_applicable): neither passed nor failed

    def __add__(self, other: "Summary") -> "Summary":
        rows, roles = dict(self.rows), dict(self.roles)
        for name, n in other.rows.items():
            rows[name] = rows.get(name, 0) + n
        for role, n in other.roles.items():
            roles[role] = roles.get(role, 0) + n
        notes = dict(self.beat_notes)
        for note, n in other.beat_notes.items():
            notes[note] = notes.get(note, 0) + n
        return Summary(
            self.files + other.files, rows, self.failed_checks + other.failed_checks, roles,
            self.n_chars + other.n_chars, self.unassigned + other.unassigned,
            self.outside_figures + other.outside_figures, self.problems + other.problems,
            self.beat_figures + other.beat_figures, notes, self.idle_checks + other.idle_checks,
        )

    @classmethod
    def add_up(cls, summaries) -> "Summary":
        """The sum of ``summaries`` in one pass: ``sum(summaries, Summary())``
        without a new summary (and copies of its counts) per addition.

        >>> a = Summary(files=1, rows={"figures": 2}, beat_notes={"age": 1})
        >>> b = Summary(files=1, rows={"figures": 3, "dates": 1})
        >>> Summary.add_up([a, b]) == a + b
        True
        """
        counts = dict.fromkeys(("files", "failed_checks", "n_chars", "unassigned", "outside_figures", "beat_figures", "idle_checks"), 0)
        rows: dict[str, int] = {}
        roles: dict[str, int] = {}
        notes: dict[str, int] = {}
        problems: list = []
        for summary in summaries:
            for name in counts:
                counts[name] += getattr(summary, name)
            for into, found in ((rows, summary.rows), (roles, summary.roles), (notes, summary.beat_notes)):
                for key, n in found.items():
                    into[key] = into.get(key, 0) + n
            problems.extend(summary.problems)
        return cls(rows=rows, roles=roles, beat_notes=notes, problems=tuple(problems), **counts)

    @classmethod
    def of(cls, tables) -> "Summary":
        """Counted from a build's tables (``Tables`` or ``LazyTables``)."""
        from .layout import ROLES
        from .read import Problem

        covered = coverage(tables)
        problems = tuple(
            Problem(p.source, p.kind, p.message, None if is_missing(p.line) else int(p.line),
                    None if is_missing(p.offset) else int(p.offset))
            for p in tables.problems.itertuples()
        )
        return cls(
            files=len(set(tables.layout["source"]) | set(tables.problems["source"])),
            rows={name: len(getattr(tables, name)) for name in tables.names()},
            failed_checks=int((tables.checks["status"] == "fail").sum()),
            roles={role: int(covered[role].sum()) for role in ROLES},
            n_chars=int(covered["n_chars"].sum()),
            unassigned=int(covered["unassigned"].sum()),
            outside_figures=int(tables.figures["article_id"].isna().sum()),
            problems=problems,
            **beat_counts(tables.figures["beat_table"].fillna("").tolist(), tables.figures["beat_note"].fillna("").tolist()),
            idle_checks=int((tables.checks["status"] == "not_applicable").sum()),
        )

    def _beat_line(self) -> str:
        """How many figures printed on a beat reached a beat table, and why
        the others did not (the notes of the figures table's beat_note)."""
        held = self.beat_figures - sum(self.beat_notes.values())
        line = f"figures on a beat: {self.beat_figures}, in beat tables: {held}"
        if self.beat_notes:
            line += ", not in one: " + ", ".join(f"{note} {n}" for note, n in sorted(self.beat_notes.items()))
        return line

    def render(self) -> str:
        """The summary as ``zzdata build`` prints it."""
        from .layout import ROLES

        n = self.rows.get
        lines = [
            f"files: {self.files}   pages: {n('pages', 0)}   articles: {n('articles', 0)}   "
            f"figures: {n('figures', 0)}   dates: {n('dates', 0)}   problems: {n('problems', 0)}",
            "   ".join(f"{table}: {n(table, 0)}" for table in beats.table_names())
            + f"   checks: {self.failed_checks} to verify, {n('checks', 0) - self.failed_checks - self.idle_checks} passed, "
            f"{self.idle_checks} with nothing to check",
            self._beat_line(),
            "characters by role: " + ", ".join(f"{role} {self.roles[role]}" for role in ROLES if self.roles.get(role)),
            f"characters unassigned: {self.unassigned} (of {self.n_chars})",
        ]
        if self.outside_figures:
            lines.append(f"figures outside any article (furniture, orphan lines): {self.outside_figures}, kept with an empty article_id")
        for p in self.problems:
            where = p.source if p.line is None else f"{p.source}:{p.line}"
            lines.append(f"  problem {where}: {p.kind}: {p.message}")
        return "\n".join(lines)


def beat_counts(tables_held, notes) -> dict:
    """Summary fields from the figures' beat_table and beat_note columns.

    >>> beat_counts(["flood_prep", "", "", ""], ["", "duration", "background", ""])
    {'beat_figures': 3, 'beat_notes': {'duration': 1, 'background': 1}}
    """
    found: dict[str, int] = {}
    for note in notes:
        if note:
            found[note] = found.get(note, 0) + 1
    return {"beat_figures": sum(bool(t or n) for t, n in zip(tables_held, notes)), "beat_notes": found}


def is_missing(value) -> bool:
    """None, NaN or pandas' NA (a problem without a line number); plain
    values are told without importing pandas.

    >>> is_missing(None), is_missing(float("nan")), is_missing(""), is_missing(0)
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, (str, int)):
        return False
    if isinstance(value, float):
        return value != value  # noqa: PLR0124 (NaN)
    import pandas as pd

    return bool(pd.isna(value))
