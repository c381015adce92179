"""Context: what a quantity counts and what it is compared with.

jieba (``wordcut.tagged``: with zzdata's domain user dictionary,
``lexicon/words.tsv``, and the gazetteer's place names, ``lexicon/places.tsv``) cuts
only the sentences that hold a figure.  The subject of a figure is the noun
phrase right after its unit (12位特困学子), else the head noun after a
的 (10名…的独居老人), else a verb that counts with no object (死亡6人 →
死亡人数, 立案12起 → 立案数), else the noun phrase right before it
(编织袋63.6万条; before a comparison, what changed: 降水量较历年同期偏少36%),
else the subject of the figure before it in the same sentence
(防汛应急队伍355支,共9608人 → the 9608 people are those teams; 隐患300处,
已整改280处).  A list before 分别 hands its nouns out by position
(事故起数和死亡人数同比分别下降20%和25%); the figures module does that.

>>> subject_of("全市共储备编织袋", "、彩条布")
'编织袋'
>>> subject_of("芦淞区", "特困学子与爱心企业家结对")
'特困学子'
>>> comparison_of("今年以来降水量较历年同期偏少")
('less', '历年同期')
"""

from __future__ import annotations

import re

from .wordcut import tagged

_SENTENCE_END = re.compile(r"[。！？!?；;…\n]+[”’」』]?")
_CLAUSE_MARK = set(",，、。！？!?；;:：…\n()（）“”‘’《》「」 ")
# jieba's part-of-speech tags: a subject phrase starts with a noun-like word
# (_HEAD) and may go on through adjectives, state words and measure-like words
# (项目清单, 爱心款, 优良天数).
_HEAD = {"n", "nz", "nt", "nl", "ng", "nr", "nrt", "nw", "vn", "an", "j", "b", "l", "eng", "x"}
_CONTINUE = _HEAD | {"a", "z", "m", "q", "k"}
_PREDICATE = {"vn", "a", "an", "l", "x"}
# Heads too general to stand alone: the verb before them belongs to the phrase (参加人员, 受灾人口).
_GENERIC_HEADS = ("人员", "人数", "人口", "对象", "群众", "面积")
_MEASURE_TAILS = ("总数", "数量", "总量", "总额")
_NOT_SUBJECT = {
    "全部", "全体", "所有", "其中", "以上", "左右", "价值", "时间", "目前", "今年", "去年", "当天",
    "全市", "全区", "全县", "全省", "全国", "我市", "本市", "该市", "市", "县", "区", "各级", "共", "人", "人民币",
    "现有",
}
# Words between a noun and its figure that say nothing of what is counted (道路交通事故共发生3起).
_FILLERS = ("等", "等等", "约", "有", "为", "是", "发生", "共", "累计", "共计", "总计")
# Verbs that count without an object (死亡6人, 3人遇难, 立案12起): the subject is the verb and its measure.
_COUNTED_VERBS = frozenset(
    "死亡 受伤 遇难 失踪 伤亡 受灾 转移 安置 疏散 撤离 获救 立案 结案 破案".split()
)
# What a completion verb finishes is what the figure before counted (隐患300处,已整改280处).
_COMPLETED = re.compile(
    r"(?:已经?|均已|全部|当场|立即|及时|现场)*(?:完成)?(?:整改|销号|解决|办结|化解|消除)(?:到位|完成|完毕|销号)?"
)
_LOCALITY = re.compile(r"^(?:我|全|本|该|各)?(?:市|区|县|镇|乡|省|国)$")
# A comparison ends the words before a figure: a direction after one of three
# ways of naming the baseline.  The words between 同比 (or 与…相比) and the
# direction are what changed (同比事故起数减少1起); 较大, 比例 compare nothing.
_THAN = r"(?:较(?![大小好快为强差])|(?<![同环相对])比(?![例重率]))"
_TAIL = (r"(?:分别|均|都|各|也)?"
         r"(?P<dir>增长|增加|上升|提高|提升|偏多|多出|多|高出|高|减少|下降|降低|偏少|少|低)了?$")
_COMPARISONS = (
    re.compile(r"(?P<how>同比|环比)(?P<topic>[^,，。；;、]{0,12}?)" + _TAIL),
    re.compile(r"与(?P<base>[^,，。；;、]{1,12}?)相比[,，]?(?P<topic>[^,，。；;、]{0,12}?)" + _TAIL),
    re.compile(_THAN + r"(?P<base>[^,，。；;、]{0,12}?)" + _TAIL),
)
_NAMED_BASELINE = re.compile(r"与(?P<base>[^,，。；;、]{1,12}?)相比|(?P<how>同比|环比)")
# A list of nouns before 分别 (同比事故起数和死亡人数分别下降); comparison words around it are not in it.
_LIST_JOINERS = frozenset({"、", "和", "及", "与", "以及"})
_LIST_START = re.compile(r"^(?:同比|环比|与[^、和及]{1,12}?相比)")
_LIST_END = re.compile(r"同比|环比|与[^、和及]{1,12}?相比|" + _THAN)
_CHANGE_ONLY = re.compile(r"(?P<dir>增长|增加|上升|提高|提升|减少|下降|降低|偏少|偏多)了?$")
_CHANGE_TO = re.compile(r"(?:增长|增加|上升|提高|提升|减少|下降|降低)(?:到|至)$|[增升降]至$")
_MORE = {"增长", "增加", "上升", "提高", "提升", "偏多", "多出", "多", "高出", "高"}
_BASELINE = {"同比": "去年同期", "环比": "上期"}


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; the closing punctuation stays with it.

    >>> [("甲。乙!丙"[s:e]) for s, e in sentences("甲。乙!丙")]
    ['甲。', '乙!', '丙']
    """
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end) inside a sentence, between marks such
    as commas and enumeration commas."""
    left = start
    while left > 0 and sentence[left - 1] not in _CLAUSE_MARK:
        left -= 1
    right = end
    while right < len(sentence) and sentence[right] not in _CLAUSE_MARK:
        right += 1
    return left, right


def _forward_run(words: list[tuple[str, str]]) -> tuple[str, int]:
    """The noun phrase at the start of ``words`` and how many words it took.
    A person's name may head it but not extend it (老红军胡正先 → 老红军)."""
    taken = 0
    for k, (word, flag) in enumerate(words):
        if not _continues(word, flag) or (taken == 0 and flag not in _HEAD) or (taken and flag.startswith("nr")):
            break
        following = words[k + 1][1] if k + 1 < len(words) else ""
        if taken and (flag in _PREDICATE and not following.startswith(("n", "vn")) or word[0] in "无没不未"):
            break  # 企业运营平稳: 运营 is what the companies do, not part of them
        taken += 1
    return "".join(w for w, _ in words[:taken]), taken


def _continues(word: str, flag: str) -> bool:
    return flag in _CONTINUE and word not in _NOT_SUBJECT and bool(word.strip()) and not word[0].isdigit()


def _strip_locality(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while words and (_LOCALITY.match(words[0][0]) or words[0][0] in _NOT_SUBJECT or words[0][1] not in _HEAD):
        words = words[1:]
    return words


def subject_after(after: str) -> str:
    """The noun phrase a figure counts, read from the words after its unit."""
    words = tagged(after)
    if words and words[0][0] == "的":
        words = words[1:]
    lead = _leading_modifiers(words)
    run, taken = _forward_run(words[lead:])
    if run and lead:
        run, taken = "".join(w for w, _ in words[:lead]) + run, taken + lead  # 老旧小区, 海上风电平台人员
    rest = words[taken:]
    if run and (not rest or rest[0][0] in _NOT_SUBJECT or rest[0][1][0] in "vdpcuxfrm" or rest[0][0][0] in "的无没不未"):
        return run
    if "的" in after:
        return _forward_run(tagged(after[after.rindex("的") + 1 :]))[0]
    return ""


# Words that may open a noun phrase without heading it: adjectives (老旧),
# places and positions (海上, 海洋), times (老年), distinguishers (新型).
_MODIFIERS = frozenset({"a", "s", "ns", "t", "b"})


def _leading_modifiers(words: list[tuple[str, str]]) -> int:
    """How many modifier words open ``words`` before a word that can head a
    noun phrase; 0 when no head follows them.

    >>> _leading_modifiers([("老", "a"), ("旧", "a"), ("小区", "n")]), _leading_modifiers([("老", "a"), ("了", "ul")])
    (2, 0)
    """
    k = 0
    while k < len(words) and words[k][1] in _MODIFIERS and len(words[k][0]) <= 3:
        k += 1
    return k if k < len(words) and words[k][1] in _HEAD and words[k][0] not in _NOT_SUBJECT else 0


def subject_before(before: str) -> str:
    """The noun phrase right before a figure (编织袋63.6万条)."""
    words = [w for w in tagged(before) if w[0].strip()]
    while words and words[-1][0] in _FILLERS:
        words.pop()
    run: list[tuple[str, str]] = []
    verb = ""
    for k in range(len(words) - 1, -1, -1):
        word, flag = words[k]
        if not _continues(word, flag) and word not in ("市", "县", "区"):
            if flag.startswith("v") and "".join(w for w, _ in run) in _GENERIC_HEADS:
                verb = word  # 参加人员
            break
        run.insert(0, (word, flag))
    phrase = verb + "".join(w for w, _ in _strip_locality(run))
    for tail in _MEASURE_TAILS:
        if phrase.endswith(tail) and len(phrase) > len(tail):
            phrase = phrase[: -len(tail)]  # 基站总数 → 基站
    return phrase


def subject_of(before: str, after: str, dimension: str = "", unit: str = "") -> str:
    """Subject from the words around a figure, within its clause: the noun
    after it, a counting verb right before it (死亡6人), the noun before it
    (what changed, for 同比下降12%), a counting verb after it (3人遇难).

    >>> subject_of("一季度,死亡", "", "people"), subject_of("全市规模工业增加值比上年增长", "")
    ('死亡人数', '规模工业增加值')
    """
    left = max((i + 1 for i, ch in enumerate(before) if ch in _CLAUSE_MARK), default=0)
    right = next((i for i, ch in enumerate(after) if ch in _CLAUSE_MARK), len(after))
    before, after = before[left:], after[:right]
    return (subject_after(after) or verb_subject(before, "", dimension, unit)
            or subject_before(without_change(before)) or verb_subject("", after, dimension, unit))


def verb_subject(before: str, after: str, dimension: str, unit: str = "") -> str:
    """The subject of a count whose only word is a verb: the verbs that end
    ``before`` (转移安置860人), else the verb that starts ``after`` (3人遇难),
    with the measure of the unit: 人数 for people, 户数, else 数.

    >>> verb_subject("全区共转移安置", "", "people"), verb_subject("", "遇难", "people")
    ('转移安置人数', '遇难人数')
    >>> verb_subject("全市立案", "", "count", "起"), verb_subject("转移群众", "", "people")
    ('立案数', '')
    """
    measure = "人数" if dimension == "people" else "户数" if unit == "户" else "数" if dimension == "count" else ""
    words = [w for w, _ in tagged(before) if w.strip() and w != "了"]
    verbs = []
    while measure and words and words[-1] in _COUNTED_VERBS:
        verbs.insert(0, words.pop())
    following = next((w for w, _ in tagged(after) if w.strip()), "")
    if measure and not verbs and following in _COUNTED_VERBS:
        verbs = [following]
    return "".join(verbs) + measure if verbs else ""


def without_change(before: str) -> str:
    """What changed, when a change ends ``before``: the words between the
    comparison and its direction, else the words before it.

    >>> without_change("火灾起数比去年少"), without_change("同比事故起数减少"), without_change("失业率下降到")
    ('火灾起数', '事故起数', '失业率')
    """
    match = _compared(before)
    if match:
        return (match.groupdict().get("topic") or "").strip() or before[: match.start()]
    bare = _CHANGE_ONLY.search(before) or _CHANGE_TO.search(before)
    return before[: bare.start()] if bare else before


def _compared(text: str) -> re.Match | None:
    """The comparison that ends ``text``, the one starting first if several do."""
    found = [m for m in (pattern.search(text) for pattern in _COMPARISONS) if m]
    return min(found, key=lambda m: m.start(), default=None)


def listed_subjects(between: str) -> list[str]:
    """The nouns of a list that 分别 hands out, in order, to the figures
    after it; [] when the words after 分别 name their own subject or an
    item is not a noun phrase.

    >>> listed_subjects("全市事故起数和死亡人数同比分别下降"), listed_subjects(",同比事故起数、死亡人数分别下降")
    (['事故起数', '死亡人数'], ['事故起数', '死亡人数'])
    >>> listed_subjects("株洲、湘潭分别有志愿者")
    []
    """
    listed, own = _respectively(between)
    items, item = [], ""
    for word, _ in tagged(listed):
        if word in _LIST_JOINERS:
            items, item = items + [item], ""
        else:
            item += word
    subjects = [subject_before(x) for x in items + [item]]
    return subjects if not own and len(subjects) > 1 and all(subjects) else []


def refers_back(between: str) -> bool:
    """Does 分别 hand out the subjects of the figures before it, naming none
    itself (事故301起、死亡279人,同比分别下降14%、6.4%)?

    >>> refers_back(",同比分别下降"), refers_back(",较去年同期分别减少"), refers_back("两地分别有志愿者")
    (True, True, False)
    """
    listed, own = _respectively(between)
    return "分别" in between and not listed.strip() and not own


def _respectively(between: str) -> tuple[str, str]:
    """The words before the last 分别 of a clause, less the comparison
    words around them (the list it hands out), and the subject the words
    after it name, if any (分别有志愿者).

    >>> _respectively(",与去年同期相比事故起数和死亡人数分别减少")
    ('事故起数和死亡人数', '')
    """
    clause = re.split(r"[,，。；;:：!?！？]", between)[-1]
    at = clause.rfind("分别")
    if at < 0:
        return "", ""
    listed = _LIST_START.sub("", clause[:at])
    end = _LIST_END.search(listed)
    return listed[: end.start()] if end else listed, subject_before(without_change(clause[at + 2 :]))


_DONE = re.compile(r"已经?[\u4e00-\u9fff]{1,3}$")


def carries_subject(between: str) -> bool:
    """May a figure take the subject of the figure before it?  Yes when the
    words between them hold no verb (355支,共9608人) or only a completion
    (收集问题150个,已解决126个); not across another action (责令停产整顿12家).

    >>> carries_subject(",共"), carries_subject(",已解决"), carries_subject(",责令停产整顿")
    (True, True, False)

    A completion without 已 (排查风险点120个,整改到位98个) or a comparison
    (道路交通事故15起,较去年同期减少3起) carries it too.

    >>> carries_subject(",整改到位"), carries_subject(",较去年同期减少"), carries_subject(",责令整改")
    (True, True, False)
    """
    words = [w for w, flag in tagged(between) if flag.startswith("v") and flag != "vn"]
    return not words or bool(_DONE.search(between.strip()) or completes(between) or _only_comparison(between))


def _only_comparison(between: str) -> bool:
    """Are the words between two figures only a comparison, naming nothing
    that changed (,较去年同期减少 ,同比增长 ,增长)?"""
    bare = between.strip(" ,，、;；")
    match = _compared(bare)
    if match:
        return match.start() == 0 and not (match.groupdict().get("topic") or "").strip()
    return bool(_CHANGE_ONLY.fullmatch(bare))


def completes(between: str) -> bool:
    """Are the words between two figures only a completion of what the first
    counted (已整改, 整改到位, 完成整改, 销号)?  Then the second counts the same
    thing, even where the verb reads as a noun (教师3.8万名,已培训3万名).

    >>> completes(",已培训"), completes(",完成整改"), completes(",责令整改"), completes(",已整改隐患")
    (True, True, False, False)
    """
    bare = between.strip(" ,，、;；")
    return bool(_DONE.fullmatch(bare) or _COMPLETED.fullmatch(bare))


def comparison_of(before: str, earlier_baseline: str | None = None) -> tuple[str | None, str | None]:
    """(direction, baseline) when the words right before a figure compare
    it: 较历年同期偏少 → ('less', '历年同期'); 同比增长 → ('more', '去年同期').
    A bare 下降/增长/偏少 takes the baseline of the figure before
    (``earlier_baseline``), else the one named earlier in the sentence, else
    none: the direction stands without it.

    >>> comparison_of("同比分别下降")
    ('less', '去年同期')
    >>> comparison_of("下降", "去年"), comparison_of("与去年同期相比事故起数持平,死亡人数减少")
    (('less', '去年'), ('less', '去年同期'))
    >>> comparison_of("降水量偏少")
    ('less', None)
    """
    clauses = re.split(r"[,，;；。]", before)
    clause = clauses[-1]
    if len(clauses) > 1 and clauses[-2].endswith("相比"):
        clause = clauses[-2] + "," + clause  # 与去年同期相比,增长了
    match = _compared(clause)
    if match:
        parts = match.groupdict()
        baseline = (parts.get("base") or "").strip() or _BASELINE.get(parts.get("how") or "")
        return _direction(parts["dir"]), baseline or None
    bare = _CHANGE_ONLY.search(clause)
    if bare:
        return _direction(bare.group("dir")), earlier_baseline or _named_baseline(before)
    return None, None


def _named_baseline(before: str) -> str | None:
    """The last baseline named in ``before`` (与去年同期相比, 同比), if any."""
    named = [m.group("base") or _BASELINE[m.group("how")] for m in _NAMED_BASELINE.finditer(before)]
    return named[-1].strip() if named else None


def _direction(word: str) -> str:
    return "more" if word in _MORE else "less"
