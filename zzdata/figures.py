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

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace

from . import context, dates, places
from .quantities import Quantity, find_quantities
from .segment import stable_id

CONTEXT_REACH = 80
MAX_PLACE_SENTENCE = 2000
MAX_SENTENCE = 1000  # longer "sentences" are quoted around each figure
_NOW = re.compile(r"截至目前|截至当前|目前|当前|至今|现已")
# Dimensions that are amounts; the others (ordinal, address, name, code,
# and a level such as Ⅳ级)
# are kept apart so they are never summed with real figures.
NOT_AMOUNTS = frozenset({"ordinal", "address", "name", "code", "level"})
TITLE_ROLES = ("headline", "deck")  # the title lines whose figures the body must bear out
_JOINERS = ("和", "与", "及", "、", ",", "，")  # between the figures of one list (20%和25%)


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
    figure_id: str = ""  # stable id from source and page offset (set for an article's figures)
    article_id: str | None = None
    source: str | None = None
    role: str = "body"  # the layout role of the line it was printed in (headline, deck…)

    @property
    def is_amount(self) -> bool:
        """False for ordinals, addresses, numbers in names and codes: never sum those."""
        return self.dimension not in NOT_AMOUNTS


def find_figures(text: str, reference_date: dt.date | str | None = None) -> list[Figure]:
    """Every quantity mention in ``text`` with its context.  A sentence
    that names no place or date takes the last one named earlier in its
    paragraph (今年3月,董家堰街道…。…共筹集爱心款3万余元。)."""
    quantities = find_quantities(text)
    if not quantities:
        return []
    starts = [q.start for q in quantities]
    breaks = [m.start() for m in re.finditer("\n", text)] + [len(text)]
    figures: list[Figure] = []
    place, when = "", None
    for s, e in context.sentences(text):
        if s == 0 or text[s - 1] == "\n":
            place, when = "", None  # a new paragraph
        sentence = text[s:e]
        inside = quantities[bisect.bisect_left(starts, s) : bisect.bisect_left(starts, e)]
        wanted = len(sentence) <= MAX_PLACE_SENTENCE and _may_matter(starts, s, e, breaks)
        named = places.most_specific(places.find_places(sentence)) if wanted else None
        mentions = dates.find_dates(sentence, reference_date)
        if not mentions and reference_date and _NOW.search(sentence):
            when = str(reference_date)[:10]  # 截至目前, 目前: as of publication
        place = named.name if named else place
        mention_starts = [m.start for m in mentions]
        inside = [q for q in inside if not _in_date(q, s, mentions, mention_starts)]
        figures += _sentence_figures(sentence, s, inside, place, mentions, when)
        when = figure_date(mentions[-1]) if mentions else when
    return figures


def figure_date(mention: dates.DateMention) -> str:
    """A mention's ISO date, or start/end for a half, quarter or 上旬-style
    period (一季度 → 2021-01-01/2021-03-31)."""
    if mention.granularity in ("half", "quarter", "period"):
        return f"{mention.date_start}/{mention.date_end}"
    return mention.date


def _in_date(q: Quantity, s: int, mentions, mention_starts: list[int]) -> bool:
    """Dates are not figures: 第一季度 and 2021年 belong to the dates table.
    Mentions do not overlap, so only the last one starting before the
    figure's end can overlap it."""
    k = bisect.bisect_left(mention_starts, q.end - s)
    return bool(k) and mentions[k - 1].end > q.start - s


def _may_matter(starts: list[int], s: int, e: int, breaks: list[int]) -> bool:
    """Places are looked for only in paragraphs that hold a figure
    (``breaks``: positions of the text's newlines, and its length)."""
    j = bisect.bisect_left(breaks, s)
    left = breaks[j - 1] + 1 if j and breaks[j - 1] < s else 0
    right = breaks[bisect.bisect_left(breaks, e)]
    k = bisect.bisect_left(starts, left)
    return k < len(starts) and starts[k] < right


def _quoted(sentence: str, q: Quantity, s: int) -> str:
    """The sentence a figure came from, stripped; an overlong one (a page
    exported without punctuation) is cut to the words within reach."""
    if len(sentence) <= MAX_SENTENCE:
        return sentence.strip()
    left, right = max(0, q.start - s - CONTEXT_REACH), q.end - s + CONTEXT_REACH
    return ("…" if left else "") + sentence[left:right].strip() + ("…" if right < len(sentence) else "")


def _sentence_figures(sentence: str, s: int, inside: list[Quantity], place: str, mentions, earlier) -> list[Figure]:
    figures: list[Figure] = []
    compared, last_end = (None, None), 0
    ends = [m.end for m in mentions]  # mentions come in order of position
    for q, subject in zip(inside, _subjects(sentence, s, inside)):
        # The words before a figure, within reach: enough for a comparison,
        # and a 50 MB line without punctuation stays cheap.
        before = sentence[max(0, q.start - s - CONTEXT_REACH) : q.start - s]
        direction, baseline = context.comparison_of(before, compared[1])
        if direction is None and compared[0] and sentence[last_end : q.start - s].strip() in _JOINERS:
            direction, baseline = compared  # 同比分别下降20%和25%
        compared = (direction, baseline) if direction else compared
        last_end = q.end - s
        k = bisect.bisect_right(ends, q.start - s)
        when = mentions[k - 1] if k else mentions[0] if mentions else None
        date = figure_date(when) if when else earlier
        figures.append(Figure(**vars(q), subject=subject, comparison_direction=direction, comparison_baseline=baseline,
                              place=place, date=date, sentence=_quoted(sentence, q, s)))
    return figures


def _subjects(sentence: str, s: int, inside: list[Quantity]) -> list[str]:
    """What each figure of a sentence counts: its place in what 分别 hands
    out (``_handed_out``), else the subject of the figure before it across
    a completion (隐患300处,已整改280处), else its own words
    (``context.subject_of``), else the subject of the figure before it when
    the words between carry it (防汛应急队伍355支,共9608人).

    >>> [f.subject for f in find_figures("中小学、幼儿园分别有412所和356所,教师3.8万名,已培训3万名。")]
    ['中小学', '幼儿园', '教师', '教师']
    """
    gaps = _gaps(sentence, s, inside)
    subjects: list[str] = []
    previous, listed = "", []
    for k, (q, between) in enumerate(zip(inside, gaps)):
        listed = _handed_out(gaps, k, subjects) if "分别" in between else listed if between.strip() in _JOINERS else []
        if q.dimension in NOT_AMOUNTS and q.dimension != "level":  # a level says what it grades: Ⅳ级应急响应
            subjects.append("")
            continue
        start, end = q.start - s, q.end - s
        before, after = sentence[max(0, start - CONTEXT_REACH) : start], sentence[end : end + CONTEXT_REACH]
        subject = listed.pop(0) if listed else previous if previous and context.completes(between) else ""
        subject = subject or context.subject_of(before, after, q.dimension, q.unit)
        if not subject and previous and context.carries_subject(between):
            subject = previous
        previous = subject or previous
        subjects.append(subject)
    return subjects


def _gaps(sentence: str, s: int, inside: list[Quantity]) -> list[str]:
    """The words between each figure and the one before it, within reach."""
    gaps, last_end = [], 0
    for q in inside:
        gaps.append(sentence[max(last_end, q.start - s - CONTEXT_REACH) : q.start - s])
        last_end = q.end - s
    return gaps


def _handed_out(gaps: list[str], k: int, subjects: list[str]) -> list[str]:
    """The subjects that the 分别 before figure ``k`` hands out, one to each
    figure of the list it starts: the nouns listed before it
    (事故起数和死亡人数同比分别下降20%和25%) or, naming none, the subjects of
    as many figures before it (事故301起、死亡279人,同比分别下降14%、6.4%);
    [] when the counts differ."""
    n = 1
    while k + n < len(gaps) and gaps[k + n].strip() in _JOINERS:
        n += 1
    listed = context.listed_subjects(gaps[k])
    if not listed and context.refers_back(gaps[k]):
        listed = subjects[-n:]
    return list(listed) if n > 1 and len(listed) == n and all(listed) else []


def figures_of_article(article, reference_date=None) -> list[Figure]:
    """Figures of an article's body, with page offsets and their ids;
    ``text`` keeps the rejoined form of a figure the layout broke across a
    column."""
    found = []
    for f in find_figures(article.body, reference_date):
        start, end = article.to_page(f.start), article.to_page(f.end - 1) + 1
        ids = dict(figure_id=stable_id("f", article.source or "", start), article_id=article.article_id, source=article.source)
        found.append(replace(f, start=start, end=end, **ids))
    return found


def figures_of_titles(article, reference_date=None, roles: tuple[str, ...] = TITLE_ROLES) -> list[Figure]:
    """Figures printed in an article's title lines of the given roles
    (headline and deck), with page offsets, their role and the id the
    figures table gives them (its rows of those roles: each title line is
    searched on its own, as there).

    >>> from zzdata.segment import Article
    >>> from zzdata.credits import Credit
    >>> a = Article("a1", "x.txt", "p", "", "", "", "", (), (), 0, "", Credit(), "", (), 0, 30,
    ...             title_lines=(("headline", 0, 13, "无较大事故 1.3万家企业平稳"), ("deck", 14, 24, "出动执法人员900余人次")))
    >>> [(f.role, f.text, f.start, f.value) for f in figures_of_titles(a)]
    [('headline', '1.3万家', 6, 13000), ('deck', '900余人次', 20, 900)]
    """
    found = []
    for role, start, _, text in article.title_lines:
        if role not in roles:
            continue
        for f in find_figures(text, reference_date):
            ids = dict(figure_id=stable_id("f", article.source or "", start + f.start), article_id=article.article_id, source=article.source)
            found.append(replace(f, start=start + f.start, end=start + f.end, role=role, **ids))
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
