"""Explorers: the widget panels of the curated notebooks, one per question.

Each takes the tables (``zzdata.load``) and returns an ``Explorer`` whose
``widget`` the notebook displays; the logic lives here and in ``widgets``
so it is tested without a browser.
"""

from __future__ import annotations

import pandas as pd

from . import charts
from .widgets import ALL, Explorer, options


def _with_headlines(frame: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    return frame.merge(articles[["article_id", "headline"]], on="article_id", how="left")


def flood_explorer(t) -> Explorer:
    """防汛抗旱: pick a category, an indicator and (in a multi-year corpus) a year."""
    frame = t.flood_prep.assign(year=t.flood_prep["as_of"].astype("string").str[:4])
    explorer = Explorer(
        frame,
        {"category": "类别", "indicator": "指标", "year": "年份"},
        ["indicator", "value", "unit", "qualifier", "scope", "status", "as_of", "sentence", "text"],
        chart=lambda rows: charts.bars_by_unit(rows, "indicator", "防汛抗旱数据", t.articles),
    )
    category, indicator = explorer.dropdowns["category"], explorer.dropdowns["indicator"]

    def narrow(change) -> None:
        chosen = frame if change["new"] == ALL else frame[frame["category"] == change["new"]]
        indicator.options = options(chosen, "indicator")

    category.observe(narrow, names="value")
    return explorer


def figure_explorer(t) -> Explorer:
    """Every figure: search the sentences, filter by unit, dimension,
    qualifier, place, article and date."""
    frame = _with_headlines(t.figures, t.articles)
    return Explorer(
        frame,
        {"unit": "单位", "dimension": "量纲", "qualifier": "限定", "place": "地点", "headline": "稿件"},
        ["text", "value", "unit", "qualifier", "subject", "place", "date", "sentence"],
        chart=lambda rows: charts.figures_chart(rows, t.articles),
        search=("sentence",),
        date_column="date",
    )


def service_explorer(t) -> Explorer:
    """我为群众办实事: filter by place, category, unit and date."""
    return Explorer(
        t.service_actions,
        {"place": "地点", "category": "类别", "unit": "单位"},
        ["category", "date", "place", "actor", "action", "beneficiary", "value", "unit", "sentence", "text"],
        chart=lambda rows: charts.service_chart(rows, t.articles),
        date_column="date",
    )


def safety_explorer(t) -> Explorer:
    """安全生产: filter by indicator and category."""
    return Explorer(
        t.safety_stats,
        {"category": "类别", "indicator": "指标"},
        ["indicator", "value", "unit", "qualifier", "scope", "period", "sentence", "text"],
        chart=lambda rows: charts.safety_chart(rows, t.articles),
    )


def article_explorer(t) -> Explorer:
    """The corpus: filter articles by section and search headlines and bodies."""
    return Explorer(
        t.articles,
        {"section": "栏目"},
        ["headline", "section", "reporters", "correspondents", "publication_date", "n_chars"],
        search=("headline", "body"),
    )


def checks_explorer(t) -> Explorer:
    """Fact checks: filter by check, status and severity."""
    return Explorer(
        _with_headlines(t.checks, t.articles),
        {"check": "核查", "status": "结果", "severity": "级别"},
        ["check", "status", "severity", "message", "headline", "start", "end"],
        chart=lambda rows: charts.checks_chart(rows),
    )


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

    from ..context import tokens

    tokens("")  # loads jieba with zzdata's domain dictionary
    words = ["、".join(jieba.analyse.extract_tags(body, topK=top)) for body in articles["body"]]
    return articles[["headline"]].assign(keywords=words)
