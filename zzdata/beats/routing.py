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
    """Score of each beat for a text (headline words count three times)."""
    scores: dict[str, int] = {}
    for beat, word, weight in _topic_words():
        hits = 3 * headline.count(word) + body.count(word)
        if hits:
            scores[beat] = scores.get(beat, 0) + hits * weight
    return scores


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


def route_figures(article, figures, allowed: set[str]) -> dict[str, Route]:
    """A Route for each figure of an article (by figure_id), over the beats
    in ``allowed`` (the registered ones); figures on no beat are left out."""
    on = {b: s for b, s in topic_scores(article.headline, article.body).items() if b in allowed and s >= MIN_TOPIC_SCORE}
    prior = max(on, key=on.get) if on else None
    paragraphs = _paragraphs(article.body)
    routes: dict[str, Route] = {}
    for f in figures:
        at = article.to_body(f.start)
        if at is None:
            continue
        start, end = next(((s, e) for s, e in paragraphs if s <= at < e), (0, len(article.body)))
        beat, how = _beat_at(article.body, start, end, at, on, prior, allowed)
        if beat:
            routes[f.figure_id] = Route(beat, how, _note(f))
    return routes


def _beat_at(body: str, start: int, end: int, at: int, on: dict[str, int], prior, allowed) -> tuple[str | None, str]:
    paragraph = {b: s for b, s in _scores(body[start:end]).items() if b in allowed}
    local_prior = max(on, key=lambda b: (paragraph.get(b, 0), on[b])) if on else None
    picked = _pick(paragraph, local_prior)
    if picked and picked != local_prior:
        return picked, "paragraph"
    for s, e in context.sentences(body[start:end]):
        if s <= at - start < e:
            sentence = {b: v for b, v in _scores(body[start + s : start + e]).items() if b in allowed}
            chosen = _pick(sentence, local_prior)
            if chosen and chosen != local_prior and not paragraph.get(local_prior, 0):
                return chosen, "sentence"
    if local_prior:
        return local_prior, "paragraph" if paragraph.get(local_prior) else "article"
    return None, ""


def paragraph_beats(article, allowed: set[str]) -> list[tuple[tuple[int, int], str | None]]:
    """Each body paragraph [start, end) with the beat it is on (None for none)."""
    on = {b: s for b, s in topic_scores(article.headline, article.body).items() if b in allowed and s >= MIN_TOPIC_SCORE}
    prior = max(on, key=on.get) if on else None
    found = []
    for start, end in _paragraphs(article.body):
        paragraph = {b: s for b, s in _scores(article.body[start:end]).items() if b in allowed}
        local_prior = max(on, key=lambda b: (paragraph.get(b, 0), on[b])) if on else prior
        found.append(((start, end), _pick(paragraph, local_prior) or local_prior))
    return found


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


def _note(figure) -> str:
    if not figure.is_amount and figure.dimension not in BEAT_LEVELS:
        return "not_amount"
    if figure.dimension in NOT_MEASURED:
        return figure.dimension
    return ""
