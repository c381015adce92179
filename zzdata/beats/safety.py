"""The workplace-safety beat (安全生产): accidents, casualties and losses
(生产安全事故统计调查制度), hazards found and fixed, inspections and
enforcement, one row per figure printed on the beat, plus a row of value 0
for each stated zero (没有发生较大及以上生产安全事故).
"""

from __future__ import annotations

import re

from .. import context, dates
from ..columns import CHANGE, FIGURE_LINK, FIGURE_VALUE, MEASURE, ROUTING, WHERE_WHEN, Column
from ..figures import figure_date
from .measures import indicators, measure_columns, scope_in
from .registry import Beat, Passage

_YEAR_TO_DATE = re.compile(r"截至目前|今年以来|年初以来|目前")
_STATED_ZERO = re.compile(
    r"(?:没有|未|无)(?:发生|出现)?(?P<what>(?:较大及以上|重大及以上|重特大|较大|重大|一般)?(?:生产安全)?(?:安全)?事故)"
)


def period_of(date: str | None, sentence: str, publication_date: str | None) -> str | None:
    """The period a safety figure covers: its date, or the year to date
    when the sentence says 截至目前/今年以来.

    >>> period_of(None, "今年以来,全市发生事故3起", "2021-04-22")
    '2021-01-01/2021-04-22'
    """
    whole_year = date is None or (len(date) == 4 and publication_date and date == publication_date[:4])
    if publication_date and whole_year and _YEAR_TO_DATE.search(sentence):
        return f"{publication_date[:4]}-01-01/{publication_date}"
    return date or publication_date


def rows(passage: Passage) -> list[dict]:
    """One safety_stats row per figure routed to the beat, and the stated zeros."""
    found = []
    for f in passage.figures:
        row = measure_columns("safety", f, passage)
        row.update(period=period_of(f.date, f.sentence, passage.publication_date))
        found.append(row)
    return sorted(found + stated_zeros(passage), key=lambda row: row["start"])


def stated_zeros(passage: Passage) -> list[dict]:
    """没有发生较大及以上生产安全事故 → a row with value 0, for each such
    clause in the passage's ranges of the body."""
    article, date, found = passage.article, passage.publication_date, []
    for lo, hi in passage.spans:
        for s, e in context.sentences(article.body[lo:hi]):
            sentence = article.body[lo + s : lo + e]
            mentions = dates.find_dates(sentence, date)
            when = figure_date(mentions[0]) if mentions else None
            for m in _STATED_ZERO.finditer(sentence):
                found.append(_zero_row(passage, m, lo + s, sentence, when))
    return found


def _zero_row(passage: Passage, m: re.Match, at: int, sentence: str, when: str | None) -> dict:
    article = passage.article
    indicator = zero_indicator(m.group("what"))
    scope = scope_in(sentence[: m.start()])
    return {
        "indicator": indicator, "indicator_known": True, "category": "accident", "subject": m.group("what"),
        "value": 0, "unit": "起", "qualifier": "exact", "direction": "", "baseline": "",
        "scope": scope, "place": "", "year": _year(when or passage.publication_date),
        "period": period_of(when, sentence, passage.publication_date), "routed_by": "paragraph",
        "figure_id": None, "article_id": article.article_id, "source": article.source,
        "start": article.to_page(at + m.start()), "end": article.to_page(at + m.end() - 1) + 1,
        "text": m.group(), "sentence": sentence.strip(),
    }


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def zero_indicator(what: str) -> str:
    """The safety indicator a stated zero names, by the longest taxonomy term
    it contains (较大事故 → 较大及以上生产安全事故, 安全事故 → 生产安全事故).

    >>> zero_indicator("较大事故")
    '较大及以上生产安全事故'
    """
    found = [(len(t), ind.indicator) for ind in indicators() if ind.beat == "safety" and ind.category == "accident" for t in ind.terms if t in what]
    return max(found)[1] if found else "生产安全事故"


BEAT = Beat(
    name="safety",
    table="safety_stats",
    label="安全生产",
    about="Workplace-safety statistics (安全生产), one row per figure printed on the beat, including stated zeros (没有发生…事故 → 0).",
    columns=(
        *MEASURE,
        *FIGURE_VALUE,
        *CHANGE,
        *WHERE_WHEN,
        Column("period", "string", "ISO date, or start/end for a year to date (截至目前)", "2021-01-01/2021-04-22"),
        *ROUTING,
        *FIGURE_LINK,
    ),
    rows=rows,
)
