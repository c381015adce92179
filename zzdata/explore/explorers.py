"""Explorers: the widget panels of the curated notebooks, one per question.

Each takes the tables (``zzdata.load``) and returns an ``Explorer`` whose
``widget`` the notebook displays; the logic lives here and in ``widgets``
so it is tested without a browser.  Filters and headers are in Chinese
(``labels``); a clicked row shows its sentence in the article
(``context``); a check finding on a headline shows the body beside it.
Built from tables that follow a build folder (``open_tables(follow=True)``,
``live.LiveTables``), an explorer takes the rows of each newer version,
its filters kept where they still exist.
"""

from __future__ import annotations

import pandas as pd

import zzdata as zz

from . import charts
from .context import context, context_html, finding_html
from .labels import column_label
from .live import LiveTables
from .widgets import ALL, Explorer, options

# What a per-figure beat explorer shows, where the beat's table has it: the
# figure as printed (text) rather than its bare value.
BEAT_COLUMNS = ("indicator", "category", "indicator_known", "text", "direction", "baseline", "scope", "status", "as_of", "period", "sentence")
BEAT_FILTERS = ("category", "indicator", "indicator_known", "year")
YES_NO = {True: "是", False: "否"}


def _with_headlines(frame: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    return frame.merge(articles[["article_id", "headline"]], on="article_id", how="left")


def _labelled(columns) -> dict[str, str]:
    return {column: column_label(column) for column in columns}


def _followed(t, explorer: Explorer, frame_of) -> Explorer:
    """The explorer, given ``frame_of``'s rows of every newer version when
    ``t`` follows a build folder (a ``LiveTables``)."""
    if isinstance(t, LiveTables):
        t.follow(explorer, frame_of)
    return explorer


def in_context(t):
    """A row → its sentence in the article, as HTML (for Explorer's detail)."""
    return lambda row: context_html(context(t, row))


def beat_labels() -> dict[str, str]:
    """Each registered beat's table → its Chinese label (防汛抗旱…)."""
    return {b.table: b.label for b in zz.registered_beats()}


def beats_overview(t) -> pd.DataFrame:
    """One line per registered beat: its table, its rows, the figures it
    holds, how many rows have a taxonomy indicator and how many fall in no
    category ("other")."""
    lines = []
    for beat in zz.registered_beats():
        frame = getattr(t, beat.table)
        known = frame["indicator_known"].fillna(False).astype(bool).sum() if "indicator_known" in frame else 0
        other = (frame["category"] == "other").sum() if "category" in frame else 0
        held = (t.figures["beat_table"] == beat.table).sum()
        lines.append({"条线": beat.label, "表": beat.table, "行数": len(frame), "数字": held, "词表指标": known, "未归类": other})
    return pd.DataFrame(lines)


def beat_explorer(t, name: str) -> Explorer:
    """A per-figure beat (flood, safety, or any registered like them): pick
    a category, an indicator (narrowed to the category), taxonomy
    indicators or not, and a year."""
    beat = {b.name: b for b in zz.registered_beats()}.get(name)
    if beat is None:
        raise KeyError(f"no beat {name!r}; beats: {', '.join(b.name for b in zz.registered_beats())}")

    def frame_of(tables) -> pd.DataFrame:
        rows = getattr(tables, beat.table)
        if "indicator_known" in rows:
            rows = rows.assign(indicator_known=rows["indicator_known"].map(YES_NO).fillna(""))
        return rows

    frame = frame_of(t)
    explorer = Explorer(
        frame,
        _labelled(column for column in BEAT_FILTERS if column in frame),
        [column for column in BEAT_COLUMNS if column in frame],
        chart=lambda rows: charts.bars_by_unit(rows, "indicator" if "indicator" in frame else "text", f"{beat.label}数据", t.articles),
        search=("sentence",),
        detail=in_context(t),
        name=beat.table,
    )
    if {"category", "indicator"} <= set(explorer.dropdowns):
        category, indicator = explorer.dropdowns["category"], explorer.dropdowns["indicator"]

        def narrow(change) -> None:
            rows = explorer.frame  # a newer version's, once replaced
            chosen = rows if change["new"] == ALL else rows[rows["category"] == change["new"]]
            indicator.options = options(chosen, "indicator")

        category.observe(narrow, names="value")
    return _followed(t, explorer, frame_of)


def flood_explorer(t) -> Explorer:
    """防汛抗旱: pick a category, an indicator, taxonomy or not, and a year."""
    return beat_explorer(t, "flood")


def safety_explorer(t) -> Explorer:
    """安全生产: pick a category, an indicator, taxonomy or not, and a year."""
    return beat_explorer(t, "safety")


def figure_explorer(t) -> Explorer:
    """Every figure: search the sentences, filter by beat, unit, dimension,
    qualifier, place, article and date."""
    explorer = Explorer(
        _figure_rows(t),
        {"beat": None, "unit": None, "dimension": None, "qualifier": None, "place": None, "headline": "稿件"},
        ["text", "unit", "qualifier", "subject", "place", "date", "beat", "headline", "sentence"],
        chart=lambda rows: charts.figures_chart(rows, t.articles),
        search=("sentence",),
        date_column="date",
        detail=in_context(t),
        name="figures",
    )
    return _followed(t, explorer, _figure_rows)


def _figure_rows(t) -> pd.DataFrame:
    frame = _with_headlines(t.figures, t.articles)
    return frame.assign(beat=frame["beat_table"].map(beat_labels()).fillna(""))


def service_explorer(t) -> Explorer:
    """我为群众办实事, one row per action: filter by place, campaign (the
    article's heading), category, unit and date."""
    explorer = Explorer(
        t.service_actions,
        _labelled(("place", "campaign", "category", "unit")),
        ["campaign", "category", "date", "place", "actor", "action", "beneficiary", "figures", "sentence"],
        chart=lambda rows: charts.service_chart(rows, t.articles),
        search=("sentence",),
        date_column="date",
        detail=in_context(t),
        name="service_actions",
    )
    return _followed(t, explorer, lambda tables: tables.service_actions)


def article_explorer(t) -> Explorer:
    """The corpus: filter articles by section and search headlines and bodies."""
    explorer = Explorer(
        t.articles,
        _labelled(("section",)),
        ["headline", "section", "reporters", "correspondents", "publication_date", "date_basis", "n_chars"],
        search=("headline", "body"),
        detail=lambda row: _article_html(row),
        name="articles",
    )
    return _followed(t, explorer, lambda tables: tables.articles)


def _article_html(row: dict) -> str:
    """An article's headline and its first paragraphs."""
    import html

    paragraphs = [p for p in str(row.get("body") or "").split("\n") if p.strip()]
    lead = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs[:3])
    more = f"<p>…(共 {len(paragraphs)} 段)</p>" if len(paragraphs) > 3 else ""
    return f"<h4>{html.escape(str(row.get('headline') or ''))}</h4>{lead}{more}"


def checks_explorer(t) -> Explorer:
    """Fact checks: filter by check, status and severity."""
    explorer = Explorer(
        _with_headlines(t.checks, t.articles),
        {"check": "核查", "status": "结果", "severity": "级别"},
        ["check", "status", "severity", "message", "headline", "text"],
        chart=lambda rows: charts.checks_chart(rows),
        search=("message", "headline"),
        detail=lambda row: finding_html(t, row),
        name="checks",
    )
    return _followed(t, explorer, lambda tables: _with_headlines(tables.checks, tables.articles))


def findings(t) -> pd.DataFrame:
    """Failed checks with the article and the text around each finding."""
    texts = {src: "".join(g.sort_values("start")["text"]) for src, g in t.layout.groupby("source")}
    failed = _with_headlines(t.checks[t.checks["status"] == "fail"], t.articles)
    context = [
        texts.get(row.source, "")[max(0, row.start - 20) : row.end + 20].replace("\n", " ")
        for row in failed.itertuples()
    ]
    return failed.assign(context=context)[["check", "severity", "message", "headline", "context"]]


def article_keywords(articles: pd.DataFrame, top: int = 8) -> pd.DataFrame:
    """The key words of each article (jieba.analyse TF-IDF), joined by 、."""
    import jieba.analyse

    from ..wordcut import tokens

    tokens("")  # loads jieba with zzdata's domain dictionary
    words = ["、".join(jieba.analyse.extract_tags(body, topK=top)) for body in articles["body"]]
    return articles[["headline"]].assign(keywords=words)
