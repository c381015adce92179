"""Figures: quantity mentions with what they count, where and when.

``find_figures`` joins the stages that look at one sentence: the span
grammar (``quantities``), the words around a figure (``context``), place
names (``places``) and date mentions (``dates``).  ``figures_of_article``
runs it over an article's rejoined body and maps every offset back to the
page text.

>>> f = find_figures("全市共有防汛应急队伍355支,共9608人。")
>>> [(x.text, x.value, x.unit, x.subject) for x in f]
[('355支', 355, '支', '防汛应急队伍'), ('共9608人', 9608, '人', '防汛应急队伍')]
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from . import context, dates, places
from .quantities import Quantity, find_quantities

CONTEXT_REACH = 80
MAX_PLACE_SENTENCE = 2000
_NOW = re.compile(r"截至目前|截至当前|目前|当前|至今|现已")
# Dimensions that are amounts; the others (ordinal, address, name, code)
# are kept apart so they are never summed with real figures.
NOT_AMOUNTS = frozenset({"ordinal", "address", "name", "code"})


@dataclass(frozen=True)
class Figure(Quantity):
    """A quantity with its context; offsets are into the text searched (or
    the page, for articles)."""

    subject: str
    comparison_direction: str | None
    comparison_baseline: str | None
    place: str
    date: str | None
    sentence: str


def find_figures(text: str, reference_date: dt.date | str | None = None) -> list[Figure]:
    """Every quantity mention in ``text`` with its context.  A sentence
    that names no place or date takes the last one named earlier in its
    paragraph (今年3月,董家堰街道…。…共筹集爱心款3万余元。)."""
    quantities = find_quantities(text)
    if not quantities:
        return []
    figures: list[Figure] = []
    place, when = "", None
    for s, e in context.sentences(text):
        if s == 0 or text[s - 1] == "\n":
            place, when = "", None  # a new paragraph
        sentence = text[s:e]
        wanted = len(sentence) <= MAX_PLACE_SENTENCE and _may_matter(quantities, s, e, text)
        named = places.most_specific(places.find_places(sentence)) if wanted else None
        mentions = dates.find_dates(sentence, reference_date)
        if not mentions and reference_date and _NOW.search(sentence):
            when = str(reference_date)[:10]  # 截至目前, 目前: as of publication
        place = named.name if named else place
        inside = [q for q in quantities if s <= q.start < e and not _in_date(q, s, mentions)]
        figures += _sentence_figures(sentence, s, inside, place, mentions, when)
        when = figure_date(mentions[-1]) if mentions else when
    return figures


def figure_date(mention: dates.DateMention) -> str:
    """A mention's ISO date, or start/end for a half, quarter or 上旬-style
    period (一季度 → 2021-01-01/2021-03-31)."""
    if mention.granularity in ("half", "quarter", "period"):
        return f"{mention.date_start}/{mention.date_end}"
    return mention.date


def _in_date(q: Quantity, s: int, mentions) -> bool:
    """Dates are not figures: 第一季度 and 2021年 belong to the dates table."""
    return any(m.start < q.end - s and q.start - s < m.end for m in mentions)


def _may_matter(quantities: list[Quantity], s: int, e: int, text: str) -> bool:
    """Places are looked for only in paragraphs that hold a figure."""
    left = text.rfind("\n", 0, s) + 1
    right = text.find("\n", e)
    right = len(text) if right < 0 else right
    return any(left <= q.start < right for q in quantities)


def _sentence_figures(sentence: str, s: int, inside: list[Quantity], place: str, mentions, earlier) -> list[Figure]:
    figures: list[Figure] = []
    previous, compared, last_end = "", (None, None), 0
    for q in inside:
        # The words around a figure, within reach: enough for a subject or a
        # comparison, and a 50 MB line without punctuation stays cheap.
        before = sentence[max(0, q.start - s - CONTEXT_REACH) : q.start - s]
        after = sentence[q.end - s : q.end - s + CONTEXT_REACH]
        subject = ""
        if q.dimension not in NOT_AMOUNTS:
            between = sentence[max(last_end, q.start - s - CONTEXT_REACH) : q.start - s]
            carried = previous if context.carries_subject(between) else ""
            subject = context.subject_of(before, after) or carried
            previous = subject or previous
        direction, baseline = context.comparison_of(before, compared[1])
        if direction is None and compared[0] and sentence[last_end : q.start - s].strip() in ("和", "与", "及", "、", ",", "，"):
            direction, baseline = compared  # 同比分别下降20%和25%
        compared = (direction, baseline) if direction else compared
        last_end = q.end - s
        when = next((m for m in reversed(mentions) if m.end <= q.start - s), mentions[0] if mentions else None)
        date = figure_date(when) if when else earlier
        figures.append(Figure(**vars(q), subject=subject, comparison_direction=direction, comparison_baseline=baseline,
                              place=place, date=date, sentence=sentence.strip()))
    return figures


def figures_of_article(article, reference_date=None) -> list[Figure]:
    """Figures of an article's body, with page offsets; ``text`` keeps the
    rejoined form of a figure the layout broke across a column."""
    found = []
    for f in find_figures(article.body, reference_date):
        start, end = article.to_page(f.start), article.to_page(f.end - 1) + 1
        found.append(replace(f, start=start, end=end))
    return found


def dates_of_article(article, reference_date=None) -> list[tuple[dates.DateMention, str]]:
    """Date mentions of an article's body with page offsets, each with its sentence."""
    found = []
    for s, e in context.sentences(article.body):
        sentence = article.body[s:e]
        for m in dates.find_dates(sentence, reference_date):
            start, end = article.to_page(s + m.start), article.to_page(s + m.end - 1) + 1
            found.append((replace(m, start=start, end=end), sentence.strip()))
    return found
