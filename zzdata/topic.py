"""Topic: the words a piece of text is about, to tell one article from the next.

A text's topic words are its nouns and verbs of two characters or more
(jieba's tags n…, vn, v) and the towns and villages it names (``places``);
each counts as often as it is printed, times how rare jieba's dictionary
says it is (so 诵读 weighs more than 开展, and a name jieba does not know
weighs most).  ``similarity`` is the cosine of two texts' weighted words:
1 for the same words in the same proportions, 0 for none shared.  Only
what the pipeline already has is used: jieba's dictionary and tags and the
gazetteer.

>>> below = topic_words(["桂花小学国学诵读比赛落幕", "全校三百多名学生参加诵读比赛。"])
>>> above = topic_words(["青竹区全力备战主汛期", "全区共排查防汛隐患八十六处。"])
>>> similarity(below, above), round(similarity(below, below), 6)
(0.0, 1.0)
"""

from __future__ import annotations

import math

from . import places, wordcut

_KEPT_TAGS = ("n", "v")  # nouns (n, nr, ns, nt, nz, ng…), verbs and verbal nouns (v, vn)
_DIVISIONS = frozenset("区县市省州")  # after a name: a division the whole paper covers
# News words that say nothing of the subject.
_GENERIC = frozenset(
    "工作 情况 问题 方面 部门 单位 群众 记者 通讯员 时间 目前 今年 全市 全区 全县 期间 活动 负责人 有关 相关 工作人员"
    " 开展 进行 表示 介绍 要求 加强 推进 做好 确保 实现 组织 提升 落实 了解".split()
)


def topic_words(lines: list[str]) -> dict[str, float]:
    """Topic words of some lines, each with its count times its rarity
    (the log of jieba's dictionary total over the word's own count).
    Counties, cities and provinces are left out, named or not (青竹区): a
    local paper names its own in every article; towns and villages stay.

    >>> sorted(topic_words(["青竹区桂花村修路"]))
    ['修路', '桂花村']
    """
    jieba = wordcut.prepared_jieba()
    freq, total = jieba.dt.FREQ, jieba.dt.total
    found: dict[str, float] = {}
    for line in lines:
        named = places.find_places(line)
        for place in named:
            if place.level in ("town", "village"):
                found[place.name] = found.get(place.name, 0.0) + math.log(total)
        words, at = wordcut.tagged(line), 0
        for n, (word, flag) in enumerate(words):
            start, at = at, at + len(word)
            after = words[n + 1][0] if n + 1 < len(words) else ""
            if len(word) < 2 or not flag.startswith(_KEPT_TAGS) or word in _GENERIC or after in _DIVISIONS:
                continue
            if any(p.start <= start < p.end for p in named):
                continue  # a piece of a place name, counted with it (or left out, with its county)
            found[word] = found.get(word, 0.0) + math.log(total / max(freq.get(word) or 1, 1))
    return found


def similarity(these: dict[str, float], those: dict[str, float]) -> float:
    """The cosine of two texts' weighted topic words (0 when one has none).

    >>> similarity({"防汛": 3.0, "比赛": 4.0}, {"防汛": 1.0})
    0.6
    """
    dot = sum(w * those[word] for word, w in these.items() if word in those)
    norm = math.sqrt(sum(w * w for w in these.values())) * math.sqrt(sum(w * w for w in those.values()))
    return dot / norm if norm else 0.0
