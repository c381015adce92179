"""Routing: which beat each figure is printed on.

Topic words (``lexicon/topics.tsv``, weighted) score an article (headline
words three times), each paragraph and each sentence.  The article's beats
(score ≥ MIN_TOPIC_SCORE) are the prior; a paragraph whose own words point
to another beat strongly enough takes its figures there (a safety
paragraph in a flood article goes to safety_stats), and so does a sentence
inside an undecided paragraph.  Only amounts are routed; dates, durations,
ordinals and numbers inside names stay in ``figures`` with a note.

>>> beats_of("全市防汛抗旱准备工作", "汛期将至,各地储备防汛物资。")
{'flood'}
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import context
from ..lexicon import read_tsv
from .registry import registered

MIN_TOPIC_SCORE = 4
# A paragraph or sentence overrides the article's beat only when its words
# for the other beat outscore those for the article's beat by this much.
OVERRIDE_MARGIN = 2
# Amount dimensions no beat table counts: how long, how old.
NOT_MEASURED = frozenset({"duration", "age"})


@lru_cache(maxsize=1)
def _lexicon_words() -> tuple[tuple[str, str, int], ...]:
    return tuple((r["beat"], r["word"], int(r["weight"])) for r in read_tsv("topics.tsv"))


def _topic_words() -> tuple[tuple[str, str, int], ...]:
    """(beat, word, weight): lexicon/topics.tsv and the beats' own topic_words."""
    extra = tuple((b.name, word, weight) for b in registered() for word, weight in b.topic_words)
    return _lexicon_words() + extra if extra else _lexicon_words()


def topic_scores(headline: str, body: str) -> dict[str, int]:
    """Score of each beat for a text (headline words count three times).

    >>> topic_scores("防汛", "防汛物资")["flood"] >= 4 * 3
    True
    """
    scores: dict[str, int] = {}
    pattern, inside = _word_pattern()
    for text, times in ((headline, 3), (body, 1)):
        for word in pattern.findall(text):  # the longest word starting at each position
            for beat, weight in inside[word]:
                scores[beat] = scores.get(beat, 0) + times * weight
    return scores


def _word_pattern() -> tuple[re.Pattern, dict[str, list[tuple[str, int]]]]:
    """One regex finding, at each position, the longest topic word starting
    there, and for each word the (beat, weight) of every topic word it
    starts with (防汛物资 starts with 防汛): one scan of a text counts them
    all, as str.count would word by word (防汛期 holds 防汛 and 汛期)."""
    words = _topic_words()
    if _INDEX and _INDEX[0] is words:
        return _INDEX[1]
    surfaces = sorted({w for _, w, _ in words}, key=len, reverse=True)
    inside = {w: [(beat, weight) for beat, other, weight in words if w.startswith(other)] for w in surfaces}
    # The class of first characters in front lets the scan skip, in C, the
    # positions where no word starts (4x faster than trying every word there).
    first = "".join(sorted({w[0] for w in surfaces}))
    alternatives = "|".join(map(re.escape, surfaces))
    pattern = re.compile(f"(?=[{re.escape(first)}])(?=({alternatives}))") if surfaces else re.compile(r"(?!)")
    _INDEX[:] = [words, (pattern, inside)]
    return _INDEX[1]


_INDEX: list = []  # [the topic words it was made from, the index]


def beats_of(headline: str, body: str) -> set[str]:
    """The beats an article is on: every beat scoring at least MIN_TOPIC_SCORE."""
    return {beat for beat, score in topic_scores(headline, body).items() if score >= MIN_TOPIC_SCORE}


@dataclass(frozen=True)
class Route:
    """Where one figure goes: its beat ('' for none), what decided it
    (sentence, paragraph or article) and a note when it is on a beat but
    no beat table counts it (not_amount, duration)."""

    beat: str
    routed_by: str
    note: str = ""


def _pick(scores: dict[str, int], prior: str | None) -> str | None:
    """The beat a passage's words point to against the prior beat: one
    scoring at least MIN_TOPIC_SCORE and OVERRIDE_MARGIN above the prior's."""
    if not scores:
        return None
    best = max(scores, key=lambda b: (scores[b], b == prior))
    if best == prior:
        return prior
    if scores[best] >= MIN_TOPIC_SCORE and scores[best] >= scores.get(prior, 0) + OVERRIDE_MARGIN:
        return best
    return None


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph [start, end), its topic scores, the beat it is on
    and what decided that (paragraph or article; '' when on none)."""

    start: int
    end: int
    scores: dict
    prior: str | None  # the article's beat this paragraph leans to
    beat: str | None
    routed_by: str


def paragraph_beats(article, allowed: set[str]) -> list[Paragraph]:
    """Each body paragraph with the beat it is on: the article's beat it
    scores best for, unless its own words point to another beat strongly
    enough (``_pick``); with the article on no beat, only its own words."""
    spans = _paragraphs(article.body)
    own = [_scores(article.body[start:end]) for start, end in spans]
    # No topic word spans a line break, so the body's score is the sum of
    # its paragraphs' (one scan of the text, not two).
    total = topic_scores(article.headline, "")
    for scores in own:
        for b, s in scores.items():
            total[b] = total.get(b, 0) + s
    on = {b: s for b, s in total.items() if b in allowed and s >= MIN_TOPIC_SCORE}
    found = []
    for (start, end), all_scores in zip(spans, own):
        scores = {b: s for b, s in all_scores.items() if b in allowed}
        prior = max(on, key=lambda b: (scores.get(b, 0), on[b])) if on else None
        picked = _pick(scores, prior)
        beat = picked or prior
        how = "paragraph" if beat and (picked != prior or scores.get(beat)) else "article" if beat else ""
        found.append(Paragraph(start, end, scores, prior, beat, how))
    return found


def route_figures(article, figures, allowed: set[str], paragraphs: list[Paragraph] | None = None) -> dict[str, Route]:
    """A Route for each figure of an article (by figure_id), over the beats
    in ``allowed`` (the registered ones); figures on no beat are left out.
    A sentence decides for its figures only inside a paragraph that holds no
    word of its own beat (一句安全生产 in a flood paragraph without flood words)."""
    paragraphs = paragraphs if paragraphs is not None else paragraph_beats(article, allowed)
    starts = [p.start for p in paragraphs]
    routes: dict[str, Route] = {}
    for f in figures:
        at = article.to_body(f.start)
        if at is None:
            continue
        p = paragraphs[max(bisect.bisect_right(starts, at) - 1, 0)]
        beat, how = p.beat, p.routed_by
        if p.prior and beat == p.prior and not p.scores.get(p.prior):
            sentence = _sentence_scores(article.body, p, at, allowed)
            chosen = _pick(sentence, p.prior)
            if chosen and chosen != p.prior:
                beat, how = chosen, "sentence"
        if beat:
            end = at + len(f.text)
            routes[f.figure_id] = Route(beat, how, _note(f, article.body[max(at - 8, 0) : at], article.body[end : end + 8]))
    return routes


def _sentence_scores(body: str, p: Paragraph, at: int, allowed: set[str]) -> dict[str, int]:
    for s, e in context.sentences(body[p.start : p.end]):
        if s <= at - p.start < e:
            return {b: v for b, v in _scores(body[p.start + s : p.start + e]).items() if b in allowed}
    return {}


def _scores(text: str) -> dict[str, int]:
    return topic_scores("", text)


def _paragraphs(body: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in re.finditer("\n", body):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(body)))
    return spans


# Not amounts, yet figures of a beat: a response level (Ⅳ级应急响应) is a row
# of the flood beat, though no one sums it (is_amount is false).
BEAT_LEVELS = frozenset({"level"})


# A bare number that is part of a name or a reference, not an amount:
# 附件1, 第3, 12345热线, 2023行动 (a year naming a campaign).
_LABEL_BEFORE = re.compile(r"(?:附件|附表|附图|编号|代码|序号|第|No\.?|NO\.?)\s*$")
_LABEL_AFTER = re.compile(r"^\s*(?:热线|熱線|平台|平臺|号|號|版|期工程|专项|專項|行动|行動|工程|计划|計劃|方案|通知|文件|条例|條例|标准|標準)")
_BARE_NUMBER = re.compile(r"[0-9]+")


def is_label(text: str, unit: str, before: str, after: str) -> bool:
    """Is a figure printed as ``text`` (with ``unit``) between ``before`` and
    ``after`` a bare number that names or refers to something (附件1,
    12345热线, 2023行动) rather than counting it?

    >>> is_label("1", "", "方案见(附件", ")"), is_label("12345", "", "拨打", "热线"), is_label("2023", "", "整治", "行动")
    (True, True, True)
    >>> is_label("300", "件", "受理", "。"), is_label("2023", "", "", "年"), is_label("36", "", "全省共", "个")
    (False, False, False)
    """
    if unit or not _BARE_NUMBER.fullmatch(text):
        return False
    year_like = len(text) == 4 and text[:2] in ("19", "20") and not after.startswith("年")
    return bool(_LABEL_BEFORE.search(before[-6:]) or _LABEL_AFTER.match(after) or year_like)


def _note(figure, before: str = "", after: str = "") -> str:
    if not figure.is_amount and figure.dimension not in BEAT_LEVELS:
        return "not_amount"
    if is_label(figure.text, figure.unit, before, after):
        return "not_amount"
    if figure.dimension in NOT_MEASURED:
        return figure.dimension
    return ""
