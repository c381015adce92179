"""Beats: figures in a beat's own terms — flood preparedness, workplace
safety and community-service actions.

Routing is by the article's topic (``lexicon/topics.tsv``: words weighted,
headline words count three times) and by the figure's own words: a flood or
safety figure must also match an indicator of ``lexicon/indicators.tsv``;
a figure that fits no beat stays in ``figures`` only.  Indicator names are
normalised through that lexicon, so the same thing in two articles or two
years lands on one name.

>>> beats_of("全市防汛抗旱准备工作", "汛期将至,各地储备防汛物资。")
{'flood'}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import context, dates, places
from .figures import figure_date
from .lexicon import read_tsv
from .segment import Article, stable_id

MIN_TOPIC_SCORE = 4
SERVICE_DIMENSIONS = {"money", "people", "count", "area", "volume", "mass", "length"}
# Indicators without units of their own take figures of these dimensions only.
COUNTABLE = {"count", "people", "area", "volume", "mass", "length", "money"}
_YEAR_TO_DATE = re.compile(r"截至目前|今年以来|年初以来|目前")
_SCOPE = re.compile(r"全市|全区|全县|全省|全国|市、县|市县两级|各县市区|县市区|市级|本市|我市")
_STATUS_WORDS = (
    "储备", "排查", "整改", "派出", "开展", "组织", "录入", "建成", "新建", "拥有", "转移", "发布",
    "编制", "修订", "出动", "投入", "下发", "检查", "发现", "消除", "完成",
)
_STATED_ZERO = re.compile(
    r"(?:没有|未|无)(?:发生|出现)?(?P<what>(?:较大及以上|重大及以上|重特大|较大|重大|一般)?(?:生产安全)?(?:安全)?事故)"
)
_ORG = re.compile(
    r"[\u4e00-\u9fff]{1,10}?(?:党委|党支部|党总支|区委办|区委|县委|市委|政府|慈善会|妇联|团委|工会|"
    r"委员会|办公室|中心|局|会|办|部|院|所|站|公司|协会|街道|社区|村|镇)"
)
_ACTING = re.compile(r"为|对|给|向|组织|联合|积极|开展|投入|筹集|送|组成|免费|帮助|结合|邀请|举办|启动")
_ORG_END = re.compile(
    r"(?:党委|党支部|党总支|委|政府|会|联|办|部|院|所|站|中心|局|公司|协会|街道|社区|村|镇|乡|区|县|市)$"
)


@dataclass(frozen=True)
class Indicator:
    beat: str
    indicator: str
    category: str
    terms: tuple[str, ...]
    units: tuple[str, ...]
    cues: tuple[str, ...]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(filter(None, cell.split("|")))


@lru_cache(maxsize=1)
def indicators() -> tuple[Indicator, ...]:
    return tuple(
        Indicator(r["beat"], r["indicator"], r["category"], _split(r["terms"]), _split(r["units"]), _split(r["cues"]))
        for r in read_tsv("indicators.tsv")
    )


@lru_cache(maxsize=1)
def _topic_words() -> tuple[tuple[str, str, int], ...]:
    return tuple((r["beat"], r["word"], int(r["weight"])) for r in read_tsv("topics.tsv"))


@lru_cache(maxsize=1)
def _beneficiaries() -> tuple[str, ...]:
    return tuple(sorted((r["term"] for r in read_tsv("beneficiaries.tsv")), key=len, reverse=True))


def topic_scores(headline: str, body: str) -> dict[str, int]:
    """Score of each beat for an article."""
    scores: dict[str, int] = {}
    for beat, word, weight in _topic_words():
        hits = 3 * headline.count(word) + body.count(word)
        if hits:
            scores[beat] = scores.get(beat, 0) + hits * weight
    return scores


def beats_of(headline: str, body: str) -> set[str]:
    """The beats an article is on: every beat scoring at least MIN_TOPIC_SCORE."""
    return {beat for beat, score in topic_scores(headline, body).items() if score >= MIN_TOPIC_SCORE}


def match_indicator(beat: str, figure: dict) -> Indicator | None:
    """The indicator of a beat whose units and cues fit a figure and whose
    term matches best: a row whose cue words are present first (已整改…
    is fixed, not found), then a term in the subject before one in the
    clause, the subject's head before a modifier (防汛物资仓库 → 物资仓库),
    longest first; ties go to the earlier row."""
    before = _sentence_before(figure)
    clause = re.split(r"[,，;；、]", before)[-1]
    best, best_score = None, (False, 0, False, 0)
    for ind in indicators():
        if ind.beat != beat or (ind.units and figure["unit"] not in ind.units):
            continue
        if not ind.units and figure["dimension"] not in COUNTABLE:
            continue  # 24小时值班 is no count of teams
        if ind.cues and not any(c in before for c in ind.cues):
            continue
        for term in ind.terms:
            in_subject = term in figure["subject"]
            where = 2 if in_subject else 1 if term in clause else 0
            score = (bool(ind.cues), where, in_subject and figure["subject"].endswith(term), len(term))
            if where and score > best_score:
                best, best_score = ind, score
    return best


def _sentence_before(figure: dict) -> str:
    sentence, text = figure["sentence"], figure["text"]
    at = sentence.find(text)
    return sentence[:at] if at >= 0 else sentence


def status_of(figure: dict) -> str:
    """The last status verb (储备, 排查, 整改…) before the figure in its sentence."""
    before = _sentence_before(figure)
    found = [(before.rfind(w), w) for w in _STATUS_WORDS if w in before]
    return max(found)[1] if found else ""


def scope_of(figure: dict) -> str:
    """全市, 市、县, a district…: the scope the sentence states, else the figure's place."""
    found = _SCOPE.findall(_sentence_before(figure))
    if found:
        return "全市" if found[-1] in ("我市", "本市") else found[-1]
    return figure["place"] or ""


def beat_rows(beat: str, figures: list[dict], article: Article, publication_date: str | None) -> list[dict]:
    """flood_prep or safety_stats rows for one article's figures."""
    rows = []
    for f in figures:
        if not f["is_amount"]:
            continue
        ind = match_indicator(beat, f)
        if ind is None:
            continue
        rows.append(_beat_row(ind, f, publication_date))
    return rows


def _beat_row(ind: Indicator, f: dict, publication_date: str | None) -> dict:
    row = {k: f[k] for k in ("value", "unit", "qualifier", "figure_id", "article_id", "source", "start", "end", "text", "sentence")}
    row.update(indicator=ind.indicator, category=ind.category, scope=scope_of(f))
    if ind.beat == "flood":
        row.update(status=status_of(f), as_of=f["date"] or publication_date)
    else:
        row.update(period=_period(f, publication_date))
    return row


def _period(f: dict, publication_date: str | None) -> str | None:
    """The period a safety figure covers: its date, or the year to date
    when the sentence says 截至目前/今年以来."""
    date = f["date"]
    whole_year = date is None or (len(date) == 4 and publication_date and date == publication_date[:4])
    if publication_date and whole_year and _YEAR_TO_DATE.search(f["sentence"]):
        return f"{publication_date[:4]}-01-01/{publication_date}"
    return date or publication_date


def stated_zeros(article: Article, publication_date: str | None) -> list[dict]:
    """没有发生较大及以上生产安全事故 → a safety row with value 0."""
    rows = []
    for s, e in context.sentences(article.body):
        sentence = article.body[s:e]
        mentions = dates.find_dates(sentence, publication_date)
        when = figure_date(mentions[0]) if mentions else None
        for m in _STATED_ZERO.finditer(sentence):
            start, end = article.to_page(s + m.start()), article.to_page(s + m.end() - 1) + 1
            fake = {"sentence": sentence, "text": m.group(), "date": when, "place": ""}
            rows.append(
                {
                    "indicator": _zero_indicator(m.group("what")),
                    "category": "accident",
                    "value": 0,
                    "unit": "起",
                    "qualifier": "exact",
                    "scope": scope_of(fake),
                    "period": _period(fake, publication_date),
                    "figure_id": None,
                    "article_id": article.article_id,
                    "source": article.source,
                    "start": start,
                    "end": end,
                    "text": m.group(),
                    "sentence": sentence.strip(),
                }
            )
    return rows


def _zero_indicator(what: str) -> str:
    """The safety indicator a stated zero names, by the longest lexicon term
    it contains (较大事故 → 较大及以上生产安全事故, 安全事故 → 生产安全事故)."""
    found = [(len(t), ind.indicator) for ind in indicators() if ind.beat == "safety" and ind.category == "accident" for t in ind.terms if t in what]
    return max(found)[1] if found else "生产安全事故"


def service_rows(figures: list[dict], article: Article) -> list[dict]:
    """service_actions rows: one per action figure; figures of one action
    (100件1200罐价值近40万元的奶粉) share an action_id."""
    rows, action_id, last = [], None, None
    for f in figures:
        if not f["is_amount"] or f["dimension"] not in SERVICE_DIMENSIONS:
            continue
        if last is None or last["sentence"] != f["sentence"] or not _same_action(last, f):
            action_id = stable_id("s", f["source"] or "", f["start"])
        rows.append(_service_row(f, article, action_id))
        last = f
    return rows


def _same_action(a: dict, b: dict) -> bool:
    """Nothing but numbers, units and 价值/的 between two figures."""
    sentence = a["sentence"]
    i, j = sentence.find(a["text"]), sentence.find(b["text"], sentence.find(a["text"]) + 1)
    between = sentence[i + len(a["text"]) : j] if i >= 0 and j >= 0 else "x"
    return re.fullmatch(r"[价值的、和及共计约近余多]*", between) is not None


def _service_row(f: dict, article: Article, action_id: str) -> dict:
    row = {k: f[k] for k in ("value", "unit", "qualifier", "figure_id", "article_id", "source", "start", "end", "text", "sentence", "date", "place")}
    row.update(
        action_id=action_id,
        category=_category(article, f["start"]),
        place_level=places.level_of(f["place"]) if f["place"] else "",
        place_parent=places.parent_of(f["place"], f["sentence"]) if f["place"] else "",
        actor=actor_of(f),
        action=action_of(f),
        beneficiary=beneficiary_of(f),
    )
    return row


def _category(article: Article, start: int) -> str:
    """The campaign's own heading above the figure: 第一招:雪中送炭 → 雪中送炭."""
    heading = ""
    for at, text in zip(article.subhead_starts, article.subheads):
        if at < start:
            heading = text
    first = heading.split(" ")[0]
    title = re.split(r"[:：]", first, maxsplit=1)[-1]
    return re.sub(r"[“”‘’\"']", "", title).strip()


def actor_of(f: dict) -> str:
    """The organisation acting: the words right before the last acting word
    (组织, 为, 组成…) before the figure, from the last place named in them
    (芦淞区白关镇双福村党委,组成… → 双福村党委); else the first
    organisation the sentence names."""
    before = _sentence_before(f)
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


def action_of(f: dict) -> str:
    """A short verb phrase: the last verb before the figure in its clause,
    else the first verb (and its object) after it in the sentence."""
    before = re.split(r"[,，;；。]", _sentence_before(f))[-1]
    verbs = _verbs(context.tagged(before))
    if verbs:
        return verbs[-1][0]
    sentence = f["sentence"]
    after = sentence[sentence.find(f["text"]) + len(f["text"]) :]
    words = context.tagged(re.split(r"[;；。]", after)[0])
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


def beneficiary_of(f: dict) -> str:
    """Who the action is for: the figure's subject when it names a group of
    people (特困学子), else such groups named in the sentence, joined by |."""
    terms = _beneficiaries()
    if any(t in f["subject"] for t in terms):
        return f["subject"]
    sentence, found = f["sentence"], []
    for term in terms:
        if term in sentence and not any(term in longer for longer in found):
            found.append(term)
    found.sort(key=sentence.find)
    return "|".join(found)
