"""The community-service beat (我为群众办实事): actions, one row each, with
their figures attached — 为12位特困学子送去助学金3.6万元 is one action with
two figures, counted once.

An action is the figures of one sentence (组织志愿者32名,为126户独居老人
安装烟雾报警器126个 is one), unless a semicolon or 此外/同时 splits it;
each figure keeps its own subject and category in ``subjects`` and
``categories``.  Actor, beneficiary and place come from the action's own
sentence.  Figures that describe a problem or the background (村里有撂荒地
200亩, 全村共有农户300户) are no action: they stay in ``figures`` with the
note ``background``, and a share or rate (满意率98%) with ``not_action``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .. import context, places, wordcut
from ..columns import FIGURE_LINK, FIGURE_VALUE, MEASURE, ROUTING, Column
from ..lexicon import read_tsv
from ..segment import stable_id
from .measures import category_of, clean_head, match_indicator, sentence_before, subject_of, unknown_indicator, year_of
from .registry import Beat, Passage

SERVICE_DIMENSIONS = {"money", "people", "count", "area", "volume", "mass", "length"}
_ORG = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:党委|党支部|党总支|区委办|区委|县委|市委|政府|慈善会|妇联|团委|工会|"
    r"委员会|办公室|中心|局|会|办|部|院|所|站|公司|协会|街道|社区|村|镇)"
)
_ACTING = re.compile(r"为|对|给|向|组织|联合|积极|开展|投入|筹集|送|组成|免费|帮助|结合|邀请|举办|启动")
_ORG_END = re.compile(
    r"(?:党委|党支部|党总支|委|政府|会|联|办|部|院|所|站|中心|局|公司|协会|街道|社区|村|镇|乡|区|县|市)$"
)
# Verbs that state what is, not what was done: a clause with only these is background.
_STATIVE = {"有", "是", "为", "达", "占", "约", "共有", "现有", "存在", "涉及", "居住", "生活", "成为", "作为", "属于", "位于", "长达", "多达", "高达", "超过", "不足", "达到", "影响", "困扰", "荒废", "撂荒", "闲置"}
_PROBLEM = re.compile(r"撂荒|荒废|闲置|破损|积水|拥堵|纠纷|矛盾|争吵|吵架|争执|恩怨|积怨|心头怨|困扰|难题|老大难|隐患|欠薪|失修")
_SOLVING = re.compile(r"解决|化解|调解|整治|修复|复垦|复耕|清理|疏通|改造|维修|盘活|消除|办结|处置|帮助|帮扶|协调")
_FORMERLY = re.compile(r"最初|起初|原来|原先|原有|以前|过去|此前|曾经|曾")
_EXISTING = re.compile(r"居住有|居住着|生活着|住着|共有|现有|拥有|有")
_ORG_SUFFIX = ("联络处", "服务处", "办事处", "委员会", "工作站", "服务站", "中心", "部门", "单位", "机关", "支部", "党委", "协会", "小组")
_NEW_ACTION = re.compile(r"[;；]|此外|另外|同时")


@lru_cache(maxsize=1)
def _beneficiaries() -> tuple[str, ...]:
    return tuple(sorted((r["term"] for r in read_tsv("beneficiaries.tsv")), key=len, reverse=True))


def why_not(figure) -> str:
    """Why a service figure is no action ('' when it is one).

    >>> from zzdata.figures import find_figures
    >>> [why_not(f) for f in find_figures("村里有撂荒地200亩,党员志愿者帮助复耕150亩。")]
    ['background', '']
    """
    if figure.dimension not in SERVICE_DIMENSIONS:
        return "not_action"
    sentence = figure.sentence
    at = max(sentence.find(figure.text), 0)
    lo, hi = context.clause_bounds(sentence, at, at + len(figure.text))
    clause = sentence[lo:hi]
    if _PROBLEM.search(clause) and not _SOLVING.search(clause):
        return "background"  # 引得两户人家矛盾升级, 村里有撂荒地200亩
    if _FORMERLY.search(sentence[lo:at]):
        return "background"  # 最初20人的队伍
    verbs = _acting_verbs(sentence)
    if figure.subject.endswith(_ORG_SUFFIX) and _acts_in(verbs, at + len(figure.text), hi):
        return "not_action"  # 21个政协委员服务联络处开展…: the actors counted
    if _acts_in(verbs, lo, hi):
        return ""
    if _EXISTING.search(clause):
        return "background"  # 两个村民小组共居住有72户
    left = max(sentence.rfind(ch, 0, at) for ch in ";；") + 1
    right = min((i for i in (sentence.find(ch, at) for ch in ";；") if i >= 0), default=len(sentence))
    return "" if _acts_in(verbs, left, lo) or _acts_in(verbs, hi, right) else "background"


def _acts_in(verbs: tuple[tuple[int, int], ...], lo: int, hi: int) -> bool:
    return any(lo <= start and end <= hi for start, end in verbs)


@lru_cache(maxsize=2048)
def _acting_verbs(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each acting verb of a sentence (not 有, 是, 达…),
    tagged once for all its figures; digits are blanked, one for one."""
    spans, at = [], 0
    for word, flag in wordcut.tagged(re.sub(r"[0-9０-９.]", " ", text)):
        if (flag in ("v", "vd", "vi", "vg", "vn") and word not in _STATIVE and len(word) > 1) or word in ("送", "捐", "修", "建", "办"):
            spans.append((at, at + len(word)))
        at += len(word)
    return tuple(spans)


def rows(passage: Passage) -> list[dict]:
    """One service_actions row per action of the passage."""
    return [_action_row(group, passage) for group in actions(passage.figures)]


def actions(figures) -> list[list]:
    """The figures grouped into actions, background figures left out."""
    groups: list[list] = []
    for f in figures:
        if why_not(f):
            continue
        last = groups[-1][-1] if groups else None
        if last is not None and last.sentence == f.sentence and _same_action(last, f):
            groups[-1].append(f)
        else:
            groups.append([f])
    return groups


def _same_action(a, b) -> bool:
    """Two figures of one sentence belong to one action unless a semicolon
    or 此外/同时/另外 stands between them."""
    sentence = a.sentence
    i = sentence.find(a.text)
    j = sentence.find(b.text, i + len(a.text)) if i >= 0 else -1
    if i < 0 or j < 0:
        return False
    return not _NEW_ACTION.search(sentence[i + len(a.text) : j])


def named(figure) -> tuple[str, bool, str]:
    """(indicator, indicator_known, category) of one service figure."""
    found = match_indicator("service", figure)
    if found:
        return found.indicator, True, found.category
    indicator = unknown_indicator(figure)
    return indicator, False, category_of("service", figure, clean_head(figure.subject) or indicator)


def _action_row(group: list, passage: Passage) -> dict:
    f, article = group[0], passage.article
    names = [named(g) for g in group]
    indicator, known, category = names[0]
    start, end = min(g.start for g in group), max(g.end for g in group)
    return {
        "action_id": stable_id("s", f.source or "", f.start),
        "indicator": indicator,
        "indicator_known": known,
        "category": category,
        "subject": subject_of(f),
        "value": f.value,
        "unit": f.unit,
        "qualifier": f.qualifier,
        "n_figures": len(group),
        "figures": "|".join(g.text for g in group),
        "figure_ids": "|".join(g.figure_id for g in group),
        "subjects": "|".join(subject_of(g) for g in group),
        "categories": "|".join(n[2] for n in names),
        "campaign": campaign_of(article, f.start),
        "date": f.date,
        "year": year_of(f, passage.publication_date),
        "place": f.place,
        "place_level": places.level_of(f.place) if f.place else "",
        "place_parent": places.parent_of(f.place, f.sentence) if f.place else "",
        "actor": actor_of(f),
        "action": action_of(f),
        "beneficiary": beneficiary_of(group),
        "routed_by": passage.routed_by.get(f.figure_id, "article"),
        "figure_id": f.figure_id,
        "article_id": f.article_id,
        "source": f.source,
        "start": start,
        "end": end,
        "text": _printed(article, group),
        "sentence": f.sentence,
    }


def _printed(article, group: list) -> str:
    """The action's words from its first figure to its last, as the body
    prints them (a broken paragraph rejoined)."""
    lo, hi = article.to_body(group[0].start), article.to_body(group[-1].end - 1)
    if len(group) == 1 or lo is None or hi is None:
        return group[0].text if len(group) == 1 else " ".join(g.text for g in group)
    return article.body[lo : hi + 1]


def campaign_of(article, start: int) -> str:
    """The campaign's own heading above the figure: 第一招:雪中送炭 → 雪中送炭."""
    heading = ""
    for at, text in zip(article.subhead_starts, article.subheads):
        if at < start:
            heading = text
    first = heading.split(" ")[0]
    title = re.split(r"[:：]", first, maxsplit=1)[-1]
    return re.sub(r"[“”‘’\"']", "", title).strip()


def actor_of(f) -> str:
    """The organisation acting: the words right before the last acting word
    (组织, 为, 组成…) before the figure, from the last place named in them
    (芦淞区白关镇双福村党委,组成… → 双福村党委); else the first
    organisation the sentence names."""
    before = sentence_before(f)
    for m in reversed(list(_ACTING.finditer(before))):
        run = _run_before(before, m.start())
        if run and _ORG_END.search(run):
            return _from_last_place(run)
    first = _ORG.search(before)
    return _from_last_place(_trim_org(first.group())) if first else ""


def _run_before(text: str, at: int) -> str:
    """The Chinese characters right before ``at`` (across one comma)."""
    run = re.search(r"[\u4e00-\u9fff、]*$", text[:at]).group()
    if not run and at and text[at - 1] in ",，":
        run = re.search(r"[\u4e00-\u9fff、]*$", text[: at - 1]).group()
    return _trim_org(run.split("、")[-1])


def _from_last_place(run: str) -> str:
    found = places.find_places(run)
    return run[found[-1].start :] if found else run


def _trim_org(name: str) -> str:
    return re.sub(r"^(?:[0-9]+月[0-9]+日|日前|近日|今年|目前|同时|此外|其中|据|由|在|为)+", "", name)


def action_of(f) -> str:
    """A short verb phrase: the last verb before the figure in its clause,
    else the first verb (and its object) after it in the sentence."""
    before = re.split(r"[,，;；。]", sentence_before(f))[-1]
    verbs = _verbs(wordcut.tagged(before))
    if verbs:
        return verbs[-1][0]
    sentence = f.sentence
    after = sentence[sentence.find(f.text) + len(f.text) :]
    words = wordcut.tagged(re.split(r"[;；。]", after)[0])
    for verb, k in _verbs(words):
        while k < len(words) and words[k][0] in ("了", "着", "过"):
            k += 1
        tail = []
        while k < len(words) and words[k][1].startswith("n") and len(tail) < 2:
            tail.append(words[k][0])
            k += 1
        return verb + "".join(tail)
    return ""


def _verbs(words: list[tuple[str, str]]) -> list[tuple[str, int]]:
    """Verbs of two or more characters (送+去 joined), with the index after each."""
    found, k = [], 0
    while k < len(words):
        j = k
        while j < len(words) and words[j][1].startswith("v") and words[j][1] != "vn":
            j += 1
        verb = "".join(w for w, _ in words[k:j])
        if len(verb) > 1:
            found.append((verb, j))
        k = max(j, k + 1)
    return found


def beneficiary_of(group: list) -> str:
    """Who the action is for: a figure's subject when it names a group of
    people (特困学子), else such groups named in the action's own clauses
    (from its first figure's clause to its last's), joined by |."""
    terms = _beneficiaries()
    for f in group:
        if any(t in f.subject for t in terms):
            return f.subject
    text, found = _own_clauses(group[0].sentence, group), []
    for term in terms:
        if term in text and not any(term in longer for longer in found):
            found.append(term)
    found.sort(key=text.find)
    return "|".join(found)


def _own_clauses(sentence: str, group: list) -> str:
    """The part of a sentence (between semicolons) that holds an action's figures."""
    first, last = sentence.find(group[0].text), sentence.find(group[-1].text)
    if first < 0 or last < 0:
        return sentence
    lo = max(sentence.rfind(ch, 0, first) for ch in ";；") + 1
    hi = min((i for i in (sentence.find(ch, last) for ch in ";；") if i >= 0), default=len(sentence))
    return sentence[lo:hi]


BEAT = Beat(
    name="service",
    table="service_actions",
    label="我为群众办实事",
    about="Community-service actions (我为群众办实事), one row per action with its figures attached (figures, figure_ids), so an action is counted once.",
    columns=(
        Column("action_id", "string", "stable id of the action (its first figure's source and offset)", "s9a1…"),
        *MEASURE,
        *FIGURE_VALUE,
        Column("n_figures", "int", "how many figures the action printed", "2"),
        Column("figures", "string", "the action's figures as printed, joined by |", "12位|3.6万元"),
        Column("figure_ids", "string", "their figure_ids, joined by |", "f51c…|f9e2…"),
        Column("subjects", "string", "each figure's subject, in the same order, joined by |", "特困学子|爱心企业家"),
        Column("categories", "string", "each figure's category, in the same order, joined by |", "beneficiary|volunteer"),
        Column("campaign", "string", "the campaign's own heading above it, e.g. 雪中送炭", "雪中送炭"),
        Column("date", "string", "ISO date or period", "2021-04-16"),
        Column("year", "int", "the year of the action (its date, else the publication year)", "2021"),
        Column("place", "string", "most specific place named", "来园社区"),
        Column("place_level", "string", "county (区/县/市), town (街道/镇/乡) or village (村/社区)", "village"),
        Column("place_parent", "string", "the place it lies in (gazetteer, else the place printed before it)", "建设街道"),
        Column("actor", "string", "the organisation acting", "来园社区"),
        Column("action", "string", "a short verb phrase", "安装烟雾报警器"),
        Column("beneficiary", "string", "who it is for, joined by |", "独居老人"),
        *ROUTING,
        *FIGURE_LINK,
    ),
    rows=rows,
    why_not=why_not,
)
