"""Measures: a figure on a beat as a row in the beat's own terms — the
open-vocabulary indicator, its category, the sign of a change, where and
when.  Shared by the beats whose rows are one per figure (flood, safety).

The taxonomy (``lexicon/indicators.tsv``, with the standard each term
comes from) names a figure when one of its terms is in the figure's
subject or in the words of its clause before it; otherwise the indicator
is the cleaned head of the subject (``indicator_known`` false) and the
category comes from ``lexicon/categories.tsv`` (subject's head word,
dimension, cue words).  Nothing is dropped for want of a name.

>>> clean_head("全市各类防汛抢险车辆等")
'防汛抢险车辆'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..figures import Figure
from .. import wordcut
from ..lexicon import read_tsv

# Indicators without units of their own take figures of these dimensions only.
COUNTABLE = {"count", "people", "area", "volume", "mass", "length", "money"}
_SCOPE = re.compile(r"全市|全区|全县|全省|全国|市、县|市县两级|各县市区|县市区|市级|本市|我市")
_HEAD_PREFIX = re.compile(r"^(?:全市|全区|全县|全省|全国|我市|本市|各类|各种|各项|各级|各地|全体|所有|共计|共有|累计|其中|共|约|近|达)+")
_HEAD_SUFFIX = re.compile(r"(?:等等|等|总数|数量|总量|总额)$")
_DIRECTION = {"more": "up", "less": "down"}
# Words at the end of a clause that say nothing of what is counted, and the
# endings of a place name (遮浪街道465.9毫米 names where, not what).
_TRAILING = re.compile(r"(?:了|的|等|为|是|有|达|共|约|近|其中|累计|分别|已|到|至|达到|共计|合计|一度|涨至|降至|升至)+$")
_LEAD = re.compile(r"^.*?(?:其中|共|已|累计)")
_PLACE_END = re.compile(r"(?:街道|社区|镇|乡|村|区|县|市|州|省|站)$")


@dataclass(frozen=True)
class Indicator:
    beat: str
    indicator: str
    category: str
    terms: tuple[str, ...]
    units: tuple[str, ...]
    cues: tuple[str, ...]
    source: str = ""


@dataclass(frozen=True)
class CategoryRule:
    beat: str
    category: str
    heads: tuple[str, ...]
    dimensions: tuple[str, ...]
    cues: tuple[str, ...]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(filter(None, (cell or "").split("|")))


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    """The taxonomy's rows, in file order."""
    return tuple(
        Indicator(r["beat"], r["indicator"], r["category"], _split(r["terms"]), _split(r["units"]), _split(r["cues"]), r.get("source", ""))
        for r in read_tsv("indicators.tsv")
    )


@lru_cache(maxsize=1)
def category_rules() -> tuple[CategoryRule, ...]:
    """Rules giving an unknown indicator its category, first match wins."""
    return tuple(
        CategoryRule(r["beat"], r["category"], _split(r["heads"]), _split(r["dimensions"]), _split(r["cues"]))
        for r in read_tsv("categories.tsv")
    )


def sentence_before(figure: Figure) -> str:
    """The words of a figure's sentence before it."""
    at = figure.sentence.find(figure.text)
    return figure.sentence[:at] if at >= 0 else figure.sentence


def clause_before(figure: Figure) -> str:
    """The words of a figure's clause before it (after the last , 、 ;)."""
    return re.split(r"[,，;；、:：]", sentence_before(figure))[-1]


def match_indicator(beat: str, figure: Figure) -> Indicator | None:
    """The taxonomy row of a beat whose units and cues fit a figure and
    whose term matches best: a row whose cue words are present first
    (已整改… is fixed, not found), then a term in the subject before one in
    the clause, the subject's head before a modifier (防汛物资仓库 →
    物资仓库), longest first; ties go to the earlier row."""
    before, clause, subject = sentence_before(figure), clause_before(figure), figure.subject
    terms, pattern, starting = _terms(beat)
    present = {t for text in (subject, clause) for word in pattern.findall(text) for t in starting[word]}
    best, best_score = None, (False, 0, False, 0)
    for _, _, ind, term in sorted(((k, i, ind, t) for t in present for k, i, ind in terms[t]), key=lambda c: c[:2]):
        if ind.units and figure.unit not in ind.units:
            continue
        if not ind.units and figure.dimension not in COUNTABLE:
            continue  # 24小时值班 is no count of teams
        if ind.cues and not any(c in before for c in ind.cues):
            continue
        in_subject = term in subject
        score = (bool(ind.cues), 2 if in_subject else 1, in_subject and subject.endswith(term), len(term))
        if score > best_score:
            best, best_score = ind, score
    return best


@lru_cache(maxsize=None)
def _terms(beat: str) -> tuple[dict[str, list[tuple[int, int, Indicator]]], re.Pattern, dict[str, list[str]]]:
    """A beat's taxonomy terms → (row number, term number, row); a pattern
    finding the longest term that starts at each position of a text; and for
    each term, the terms it starts with (物资仓库 starts with 物资): every
    term a text holds, in one scan, found by lookup."""
    found: dict[str, list[tuple[int, int, Indicator]]] = {}
    for k, ind in enumerate(indicators()):
        if ind.beat == beat:
            for i, term in enumerate(ind.terms):
                found.setdefault(term, []).append((k, i, ind))
    if not found:
        return found, re.compile(r"(?!)"), {}
    longest_first = sorted(found, key=len, reverse=True)
    first = "".join(sorted({t[0] for t in found}))
    pattern = re.compile(f"(?=[{re.escape(first)}])(?=({'|'.join(map(re.escape, longest_first))}))")
    return found, pattern, {t: [o for o in found if t.startswith(o)] for t in found}


def clean_head(subject: str) -> str:
    """A subject without scope words in front or 等/总数 behind: the name an
    unknown indicator goes by."""
    head = _HEAD_SUFFIX.sub("", _HEAD_PREFIX.sub("", subject.strip()))
    return head or subject.strip()


def clause_after(figure: Figure) -> str:
    """The words of a figure's clause after it (12个乡镇受灾 → 乡镇受灾)."""
    at = figure.sentence.find(figure.text)
    after = figure.sentence[at + len(figure.text) :] if at >= 0 else ""
    return re.split(r"[,，;；、。:：]", after)[0]


def category_of(beat: str, figure: Figure, head: str) -> str:
    """An unknown indicator's category, from the rules of its beat whose
    head endings, dimensions and cue words (those it gives) all fit: a rule
    whose cue is in the figure's own clause first (工作人员160余人参加培训 is
    training), then one naming the subject's head word, then the one whose
    cue stands nearest the figure (cues after it in its clause are nearest:
    12个乡镇受灾), then the earlier rule.

    >>> from zzdata.figures import find_figures
    >>> [category_of("flood", f, f.subject) for f in find_figures("此轮降雨造成1.2万人受灾,其中集中安置870人。")]
    ['impact', 'response']
    """
    before, clause, after = sentence_before(figure), clause_before(figure), clause_after(figure)
    best, best_key = "other", None
    for k, rule in enumerate(category_rules()):
        if rule.beat != beat:
            continue
        if rule.heads and not (head and head.endswith(rule.heads)):
            continue
        if rule.dimensions and figure.dimension not in rule.dimensions:
            continue
        near = max((len(before) + 1 if c in after else before.rfind(c) for c in rule.cues), default=-1)
        if rule.cues and near < 0:
            continue
        close = any(c in clause or c in after for c in rule.cues)
        key = (close, bool(rule.heads), near, -k)
        if best_key is None or key > best_key:
            best, best_key = rule.category, key
    return best


def predicate_category(beat: str, figure: Figure) -> str:
    """The category the verb right after a figure gives it, when there is
    one (抢险队伍400余人参演 counts drill participants: training), else ''.

    >>> from zzdata.figures import find_figures
    >>> [predicate_category("flood", f) for f in find_figures("抢险队伍共400余人参演,储备编织袋5万条。")]
    ['training', '']
    """
    predicate = clause_after(figure)[:4]
    if not predicate:
        return ""
    for rule in category_rules():
        if rule.beat == beat and rule.cues and (not rule.dimensions or figure.dimension in rule.dimensions):
            if any(c in predicate for c in rule.cues):
                return rule.category
    return ""


def unknown_indicator(figure: Figure) -> str:
    """The name of a figure no taxonomy row names: its subject's head, else
    the last words of its clause (死亡3人 → 死亡), else its unit."""
    return clean_head(subject_of(figure)) or figure.unit


def subject_of(figure: Figure) -> str:
    """What a figure counts: its subject as written, else the last content
    words of its clause before it (上门7次 → 上门, 整改率96.3% → 整改率);
    '' when they are only a place, a time or function words.

    >>> from zzdata.figures import find_figures
    >>> [subject_of(f) for f in find_figures("社区调解员上门7次,整改率96.3%。")]
    ['调解员上门', '整改率']
    """
    if figure.subject:
        return figure.subject
    clause = _LEAD.sub("", _TRAILING.sub("", re.sub(r"[^\u4e00-\u9fff]", "", clause_before(figure))))
    if not clause or _PLACE_END.search(clause):
        return ""
    kept = ""
    for word in reversed(wordcut.tokens(clause)):  # whole words, at most six characters
        if kept and len(word) + len(kept) > 6:
            break
        kept = word + kept
    return clean_head(kept)


def scope_of(figure: Figure) -> str:
    """全市, 市、县, a district…: the scope the sentence states, else the figure's place."""
    return scope_in(sentence_before(figure), figure.place or "")


def scope_in(before: str, place: str = "") -> str:
    """The last scope stated in ``before`` (我市 is 全市), else ``place``.

    >>> scope_in("今年以来,我市共储备"), scope_in("渌口区储备", "渌口区")
    ('全市', '渌口区')
    """
    found = _SCOPE.findall(before)
    if found:
        return "全市" if found[-1] in ("我市", "本市") else found[-1]
    return place


def year_of(figure: Figure, publication_date: str | None) -> int | None:
    """The year a figure refers to: its date's, else the publication's."""
    for when in (figure.date, publication_date):
        if when and re.match(r"\d{4}", when):
            return int(when[:4])
    return None


def measure_columns(beat: str, figure: Figure, passage) -> dict:
    """The columns every per-figure beat row has (``columns.MEASURE``,
    ``CHANGE``, ``WHERE_WHEN``, ``ROUTING``, value and link)."""
    found = match_indicator(beat, figure)
    if found:
        indicator, known = found.indicator, True
        category = predicate_category(beat, figure) or found.category
    else:
        indicator, known = unknown_indicator(figure), False
        category = category_of(beat, figure, clean_head(figure.subject) or indicator)
    return {
        "indicator": indicator,
        "indicator_known": known,
        "category": category,
        "subject": subject_of(figure),
        "value": figure.value,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "direction": _DIRECTION.get(figure.comparison_direction or "", ""),
        "baseline": figure.comparison_baseline or "",
        "scope": scope_of(figure),
        "place": figure.place or "",
        "year": year_of(figure, passage.publication_date),
        "routed_by": passage.routed_by.get(figure.figure_id, "article"),
        "figure_id": figure.figure_id,
        "article_id": figure.article_id,
        "source": figure.source,
        "start": figure.start,
        "end": figure.end,
        "text": figure.text,
        "sentence": figure.sentence,
    }
