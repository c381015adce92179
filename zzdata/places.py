"""Places: place names in a sentence, with their level.

Known names come from the gazetteer ``lexicon/places.tsv``; below them,
towns, streets, villages and communities are recognised by their suffix
when they follow a known place, a punctuation mark or a preposition
(芦淞区白关镇双福村 → 芦淞区, 白关镇, 双福村).

>>> [(p.name, p.level) for p in find_places("芦淞区白关镇双福村党委组织党员")]
[('芦淞区', 'county'), ('白关镇', 'town'), ('双福村', 'village')]
>>> most_specific(find_places("在芦淞区政务服务中心")).name
'芦淞区'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import read_tsv
from .wordcut import tagged  # jieba itself loads on the first place that needs it

LEVELS = ("province", "city", "county", "town", "village")
_SUFFIX_LEVEL = {"社区": "village", "村": "village", "组": "village", "街道": "town", "镇": "town", "乡": "town"}
# A suffix, not followed by what makes it a common word (村民, 镇上, 组织…).
_SUFFIX = re.compile(r"社区|街道|(?<![农乡])村(?![(（]|民|委|里|上|内|头|级|务|干部|庄|落|组)|镇(?![(（]|上|里|内)|(?<![城])乡(?!镇|村|亲|里)|组(?!织|成|建|长|员|合|团|委)")
_PUNCT = set("，,、。；;：:！？!?（）()“”《》「」 \n\t")
_FUNCTION = set("在对为于从向到由把被给与和及将是的了等以及其该各全本我")
_NAME_CHAR = re.compile(r"[\u4e00-\u9fff]")
_BAD_TAGS = ("v", "p", "d", "c", "u", "r", "m", "t", "f", "q")
MAX_PREFIX = 4
_JIEBA_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._]")  # what jieba.posseg keeps in one run


@dataclass(frozen=True)
class Place:
    start: int
    end: int
    name: str  # canonical name for gazetteer places, else as printed
    level: str


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[str, str]]:
    """Surface form → (canonical name, level)."""
    table = {}
    for row in read_tsv("places.tsv"):
        for surface in [row["name"], *filter(None, row["aliases"].split("|"))]:
            table[surface] = (row["name"], row["level"])
    return table


@lru_cache(maxsize=1)
def _known() -> re.Pattern:
    names = sorted(gazetteer(), key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names))


def find_places(text: str) -> list[Place]:
    """Place mentions in printed order."""
    found = [Place(m.start(), m.end(), *gazetteer()[m.group()]) for m in _known().finditer(text)]
    for match in _SUFFIX.finditer(text):
        if any(p.start < match.end() and match.start() < p.end for p in found):
            continue
        if match.group() == "组" and not any(p.level == "village" and 2 <= match.start() - p.end <= MAX_PREFIX for p in found):
            continue  # 组 counts only right after a village name (双福村喻家坳组): not 领导小组, 督查组
        start = _name_start(text, match.start(), found)
        if start is not None:
            level = _SUFFIX_LEVEL[match.group()]
            if match.group() != "组" or any(p.end == start and p.level == "village" for p in found):
                found.append(Place(start, match.end(), text[start : match.end()], level))
    return sorted(found, key=lambda p: p.start)


def _name_start(text: str, suffix_at: int, found: list[Place]) -> int | None:
    """Where the proper name before a suffix starts, or None when the
    characters before it are not a name (找来社区, 农村)."""
    chained = {p.end for p in found}
    word_starts = None  # where jieba's words start around the suffix: tagged once, when first needed
    for size in range(MAX_PREFIX, 1, -1):
        start = suffix_at - size
        prefix = text[max(start, 0) : suffix_at]
        if start < 0 or not all(_NAME_CHAR.match(ch) and ch not in _FUNCTION for ch in prefix):
            continue
        if _SUFFIX.search(prefix) or any(k in prefix for k in ("区", "县", "市")):
            continue
        if start in chained:
            return start  # right after a place: 建设街道学堂冲社区
        before = text[start - 1] if start else "，"
        at_boundary = before in _PUNCT or before in _FUNCTION
        if not at_boundary:
            word_starts = _word_starts(text, suffix_at) if word_starts is None else word_starts
            at_boundary = start in word_starts
        if at_boundary and _looks_like_name(prefix):
            return start
    return None


def _word_starts(text: str, suffix_at: int) -> set[int]:
    """Text offsets where jieba (guessing names) starts a word, in a window
    of a few characters before a place suffix."""
    position = max(0, suffix_at - MAX_PREFIX - 4)
    end = min(len(text), suffix_at + 2)
    # jieba cuts each run of these characters apart from the rest, so the
    # window is cut at the run's ends with the same result: the same window
    # then comes from a sentence and from the whole body, tagged once.
    outside = [k for k in range(position, suffix_at) if not _JIEBA_CHAR.match(text[k])]
    position = outside[-1] + 1 if outside else position
    stop = next((k for k in range(suffix_at, end) if not _JIEBA_CHAR.match(text[k])), end)
    starts = set()
    for word, _ in tagged(text[position:stop], guess_names=True):
        starts.add(position)
        position += len(word)
    return starts


def _looks_like_name(prefix: str) -> bool:
    return not any(flag.startswith(_BAD_TAGS) for _, flag in tagged(prefix, guess_names=True))


def most_specific(places: list[Place]) -> Place | None:
    """The lowest-level place (village below town below county…), first if tied."""
    if not places:
        return None
    return max(places, key=lambda p: (LEVELS.index(p.level), -p.start))


def level_of(name: str) -> str:
    """The level of a place name: from the gazetteer, else from its suffix.

    >>> level_of("芦淞区"), level_of("五星社区"), level_of("白关镇")
    ('county', 'village', 'town')
    """
    known = gazetteer().get(name)
    if known:
        return known[1]
    for suffix in sorted(_SUFFIX_LEVEL, key=len, reverse=True):
        if name.endswith(suffix):
            return _SUFFIX_LEVEL[suffix]
    return "county" if name.endswith(("区", "县", "市")) else ""


def suspect_places(text: str) -> list[tuple[int, int, str, str]]:
    """Place-like words one character away from a gazetteer name:
    (start, end, as printed, the known name).  County-level names are
    tried at every 区/县/市; lower levels come from ``find_places``.

    >>> suspect_places("溇口区东部、攸县西部")
    [(0, 3, '溇口区', '渌口区')]
    """
    known = gazetteer()
    found = []
    for m in re.finditer(r"[区县市]", text):
        for size in (3, 4):  # a one-character name (攸县) has too many common look-alikes: 市县, 邻县
            start = m.start() - size + 1
            word = text[max(start, 0) : m.end()]
            if start < 0 or word in known or not _NAME_CHAR.match(word[0]) or word[0] in _FUNCTION:
                continue
            if start and text[start - 1] not in _PUNCT and text[start - 1] not in _FUNCTION:
                continue  # inside a longer word: 茶陵县, 督促县市区
            near = _one_apart_from(word, county=True)
            if near:
                found.append((start, m.end(), word, near))
    for place in find_places(text):
        if place.name in known:
            continue
        near = _one_apart_from(place.name, county=False)
        if near:
            found.append((place.start, place.end, place.name, near))
    return sorted(set(found))


def _one_apart_from(word: str, county: bool) -> str | None:
    """The first gazetteer name (in sorted order) of the level group that
    differs from ``word`` in exactly one character.

    >>> _one_apart_from("溇口区", county=True), _one_apart_from("渌口区", county=True)
    ('渌口区', None)
    """
    index = _one_apart_index()[county]
    near = [name for i in range(len(word)) for name in index.get(word[:i] + "\0" + word[i + 1 :], ()) if name != word]
    return min(near) if near else None


@lru_cache(maxsize=1)
def _one_apart_index() -> dict[bool, dict[str, list[str]]]:
    """For county names and for town and village names: each name under
    every key made by blanking one of its characters, so a look-alike is
    found by blanking its own characters in turn."""
    index: dict[bool, dict[str, list[str]]] = {True: {}, False: {}}
    for name, level in set(gazetteer().values()):
        if level not in ("county", "town", "village"):
            continue
        for i in range(len(name)):
            index[level == "county"].setdefault(name[:i] + "\0" + name[i + 1 :], []).append(name)
    return index


@lru_cache(maxsize=1)
def _parents() -> dict[str, str]:
    return {row["name"]: row["parent"] for row in read_tsv("places.tsv")}


def parent_of(name: str, sentence: str = "") -> str:
    """The place a place lies in: from the gazetteer, else the place printed
    right before it in the sentence (龙泉街道华兴村 → 龙泉街道).

    >>> parent_of("白关镇"), parent_of("华兴村", "芦淞区龙泉街道华兴村喻家坳组")
    ('芦淞区', '龙泉街道')
    """
    if name in _parents():
        return _parents()[name]
    found = find_places(sentence)
    for before, place in zip(found, found[1:]):
        if place.name == name and before.end == place.start:
            return before.name
    return ""
