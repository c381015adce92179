"""Checks: what an editor would catch before print.

Each check looks at one article and returns findings — failures and, so an
editor sees what was verified, passes; a check that found nothing to check
in an article says so in one ``not_applicable`` row (never a pass):

- headline_vs_body: a figure in the headline or deck that the body
  contradicts (the title figures are the figures table's rows with role
  headline or deck, ``figures.figures_of_titles``);
- parts_vs_whole: parts that exceed their whole (其中…, 已解决… of 收集…),
  and parts that add up to it;
- place_name: a place name one character away from a known one (a misprint);
- repeated_word: a word printed twice in a row (巡查巡查);
- percent_range: a share above 100% or a negative percentage;
- date_after_publication: an explicit date after the publication date;
- beat_coverage: every figure printed on a beat reached a beat table or
  has a reason (its beat_note) not to; ``dropped`` means a beat took it
  and gave none.

Messages are plain Chinese, for editors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from . import places, wordcut
from .columns import DROPPED
from .figures import TITLE_ROLES, Figure, figures_of_titles
from .segment import Article

_DONE = re.compile(r"已(?:整改|解决|完成|处置|销号|办结|落实|修复|消除|处理|化解)")
_REPEAT = re.compile(r"([\u4e00-\u9fff]{2,4})\1")
_FUTURE = re.compile(r"预计|将|计划|拟|预报|届时|起施行|起实施|截止|之前|前完成")
_CHANGE = re.compile(r"增长|提高|增加|上升|下降|减少|降低|偏少|偏多|同比|环比|较|比")


@dataclass(frozen=True)
class Finding:
    check: str
    status: str  # "fail", "pass" or "not_applicable" (nothing to check)
    severity: str  # error, warning, info
    article_id: str
    source: str
    start: int
    end: int
    text: str
    message: str


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
FAIL, PASS, NOT_APPLICABLE = "fail", "pass", "not_applicable"
STATUSES = (FAIL, PASS, NOT_APPLICABLE)


def _finding(article: Article, check: str, ok: bool, severity: str, where: tuple[int, int], text: str, message: str) -> Finding:
    return Finding(check, PASS if ok else FAIL, "info" if ok else severity, article.article_id, article.source, *where, text, message)


def _nothing(article: Article, check: str, message: str, where: tuple[int, int] | None = None, text: str = "") -> Finding:
    """The row of a check that found nothing to check (status not_applicable)."""
    where = where or (article.start, article.end)
    return Finding(check, NOT_APPLICABLE, "info", article.article_id, article.source, *where, text, message)


def check_article(article: Article, figures: list[Figure], dates: list[dict], publication_date: str | None,
                  routes: dict[str, tuple[str, str]] | None = None, titles: list[Figure] | None = None) -> list[dict]:
    """All findings for one article, as table rows; ``routes`` (figure_id →
    (beat table, note), from ``beats.beat_tables``) feeds beat_coverage;
    ``titles`` are the figures of the headline and deck (the figures
    table's rows of those roles), found here when not given."""
    if titles is None:
        titles = figures_of_titles(article, publication_date)
    found: list[Finding] = []
    found += beat_coverage(article, figures, routes or {})
    found += headline_vs_body(article, figures, titles)
    found += parts_vs_whole(article, figures)
    found += place_names(article)
    found += repeated_words(article)
    found += percent_range(article, figures)
    found += dates_after_publication(article, dates, publication_date)
    return [{name: getattr(f, name) for name in _FINDING_FIELDS} for f in found]  # flat fields: asdict's deep copy is 20x slower


def _agrees(value: float, body: Figure) -> bool:
    low = body.low
    high = body.high
    if abs(value - body.value) <= 0.01 * max(abs(body.value), 1):
        return True
    if low is not None and high is not None and low <= value <= high:
        return True
    if body.qualifier in ("under", "at_most") and high is not None:
        return 0.8 * high <= value <= high
    if body.qualifier in ("over", "at_least") and low is not None:
        return low <= value <= 1.25 * low
    return body.qualifier == "approx" and abs(value - body.value) <= 0.1 * body.value


def headline_vs_body(article: Article, figures: list[Figure], titles: list[Figure]) -> list[Finding]:
    """Every amount printed in the headline or deck (``titles``, the
    figures table's rows with those roles) must agree with a body figure of
    the same unit; one with no such figure in the body cannot be checked."""
    out = []
    for h in titles:
        if h.role not in TITLE_ROLES or not h.is_amount:
            continue
        where, said = (h.start, h.end), "标题" if h.role == "headline" else "副题"
        same_unit = [f for f in figures if f.unit == h.unit and f.is_amount]
        agreeing = next((f for f in same_unit if _agrees(h.value, f)), None)
        if not same_unit:
            out.append(_nothing(article, "headline_vs_body", f"{said}「{h.text}」在正文中没有同单位的数字可核对", where, h.text))
        elif agreeing:
            out.append(_finding(article, "headline_vs_body", True, "error", where, h.text, f"{said}「{h.text}」与正文「{agreeing.text}」一致"))
        else:
            body = ([f for f in same_unit if _overlap(h.subject, f.subject)] or same_unit)[0]
            message = f"{said}写「{h.text}」({_number(h.value)}),正文写「{body.text}」({_number(body.value)}),请核对"
            out.append(_finding(article, "headline_vs_body", False, "error", where, h.text, message))
    return out or [_nothing(article, "headline_vs_body", "标题和副题中没有数字")]


def _overlap(a: str, b: str) -> bool:
    return bool(a and b) and any(a[i : i + 2] in b for i in range(len(a) - 1))


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def parts_vs_whole(article: Article, figures: list[Figure]) -> list[Finding]:
    """Within a sentence: 其中 parts and completed parts (已解决…) must not
    exceed their whole; consecutive parts that add up to it are noted."""
    out = []
    by_sentence: dict[str, list[Figure]] = {}
    for f in figures:
        if f.is_amount:
            by_sentence.setdefault(f.sentence, []).append(f)
    for sentence, group in by_sentence.items():
        for i, whole in enumerate(group):
            out += _parts_of(article, sentence, whole, group[i + 1 :])
    return out or [_nothing(article, "parts_vs_whole", "正文中没有部分与总数(其中…、已…)可核对")]


def _parts_of(article: Article, sentence: str, whole: Figure, rest: list[Figure]) -> list[Finding]:
    out, total, summed = [], 0, []
    for part in rest:
        if part.dimension != whole.dimension:
            break
        between = sentence[sentence.find(whole.text) + len(whole.text) : sentence.find(part.text)]
        listed = "其中" in between and part.unit == whole.unit
        is_part = listed or (part.subject == whole.subject and _DONE.search(between))
        if is_part:
            ok = part.value <= whole.value
            message = f"「{part.text}」{'不超过' if ok else '超过了'}总数「{whole.text}」"
            out.append(_finding(article, "parts_vs_whole", ok, "error", (part.start, part.end), part.text, message))
        if part.unit == whole.unit:
            total += part.value
            summed.append(part.text)
            if len(summed) > 1 and abs(total - whole.value) < 1e-9 and whole.qualifier == "exact":
                message = f"「{whole.text}」= " + " + ".join(f"「{t}」" for t in summed)
                out.append(_finding(article, "parts_vs_whole", True, "error", (whole.start, whole.end), whole.text, message))
    return out




def beat_coverage(article: Article, figures: list[Figure], routes: dict[str, tuple[str, str]]) -> list[Finding]:
    """Every figure printed on a beat is in a beat table, or has a
    documented reason not to be; a pass row says how many were checked."""
    out, on_beat, held = [], 0, 0
    for f in figures:
        table, note = routes.get(f.figure_id, ("", ""))
        if not (table or note):
            continue
        on_beat += 1
        held += bool(table)
        if not table and note == DROPPED:
            message = f"数字「{f.text}」未进入栏目表({note}),请检查"
            out.append(_finding(article, "beat_coverage", False, "warning", (f.start, f.end), f.text, message))
    if not on_beat:
        return [_nothing(article, "beat_coverage", "正文中没有栏目相关的数字")]
    if not out:
        message = f"栏目相关数字{on_beat}个,{held}个已进入栏目表,其余为日期、时长或背景数字"
        out.append(_finding(article, "beat_coverage", True, "warning", (article.start, article.end), "", message))
    return out


def place_names(article: Article) -> list[Finding]:
    """Place names one character away from a known name are likely misprints."""
    out = []
    for start, end, name, known in places.suspect_places(article.body):
        where = (article.to_page(start), article.to_page(end - 1) + 1)
        level = places.level_of(known)
        severity = "error" if level == "county" else "warning"
        out.append(_finding(article, "place_name", False, severity, where, name, f"地名「{name}」不在地名表中,是否应为「{known}」?"))
    if not out and not places.find_places(article.body):
        return [_nothing(article, "place_name", "正文中没有地名")]
    if not out:
        where = (article.start, article.end)
        out.append(_finding(article, "place_name", True, "warning", where, "", "地名均已核对"))
    return out


def repeated_words(article: Article) -> list[Finding]:
    """A word printed twice in a row (巡查巡查); 一节一节-style repetition is fine."""
    if not article.body.strip():
        return [_nothing(article, "repeated_word", "没有正文")]
    out = []
    for m in _REPEAT.finditer(article.body):
        word = m.group(1)
        if word[0] in "一每个" or wordcut.tokens(word) != [word]:
            continue
        where = (article.to_page(m.start()), article.to_page(m.end() - 1) + 1)
        out.append(_finding(article, "repeated_word", False, "warning", where, m.group(), f"「{word}」重复出现:「{m.group()}」"))
    if not out:
        out.append(_finding(article, "repeated_word", True, "warning", (article.start, article.end), "", "未发现重复字词"))
    return out


def percent_range(article: Article, figures: list[Figure]) -> list[Finding]:
    """A percentage share must lie in [0, 100]; growth may exceed 100%."""
    out = []
    for f in figures:
        if f.unit != "%":
            continue
        before = f.sentence[: f.sentence.find(f.text)][-8:]
        ok = 0 <= f.value <= 100 or (f.value > 100 and (_CHANGE.search(before) or f.comparison_direction))
        message = f"百分比「{f.text}」在合理范围内" if ok else f"百分比「{f.text}」超出0–100%,请核对"
        out.append(_finding(article, "percent_range", bool(ok), "warning", (f.start, f.end), f.text, message))
    return out or [_nothing(article, "percent_range", "正文中没有百分比")]


def dates_after_publication(article: Article, dates: list[dict], publication_date: str | None) -> list[Finding]:
    """An explicit past date after the publication date is likely a typo."""
    if not publication_date:
        return [_nothing(article, "date_after_publication", "没有出版日期,无法核对")]
    out, checked, ahead = [], 0, 0
    for d in dates:
        if d["granularity"] not in ("day", "hour"):
            continue
        checked += 1
        if d["date_start"] > publication_date:
            if _FUTURE.search(d["sentence"]):
                ahead += 1  # a forecast or a deadline may lie ahead
                continue
            message = f"日期「{d['text']}」({d['date_start']})晚于出版日期{publication_date}"
            out.append(_finding(article, "date_after_publication", False, "warning", (d["start"], d["end"]), d["text"], message))
    if not checked:
        return [_nothing(article, "date_after_publication", "正文中没有具体到日的日期")]
    if not out:
        message = f"已核对{checked}处日期,没有晚于出版日期{publication_date}的过去事件" + (f"(其中{ahead}处为预告或期限)" if ahead else "")
        out.append(_finding(article, "date_after_publication", True, "warning", (article.start, article.end), "", message))
    return out


def render_report(tables, show_passed: bool = False) -> str:
    """A plain-text report of the checks table: failures with their
    context, grouped by check, and how many checks passed."""
    texts = {src: "".join(g.sort_values("start")["text"]) for src, g in tables.layout.groupby("source")}
    headlines = dict(zip(tables.articles["article_id"], tables.articles["headline"]))
    checks = tables.checks
    failed, passed = checks[checks["status"] == FAIL], checks[checks["status"] == PASS]
    idle = int((checks["status"] == NOT_APPLICABLE).sum())
    lines = [f"核查结果: {len(failed)} 处待核对, {len(passed)} 项核查通过, {idle} 项无可核对 ({len(checks)} checks in all)", ""]
    for name, group in failed.groupby("check", sort=False):
        lines.append(f"== {name} ({len(group)})")
        for row in group.itertuples():
            text = texts.get(row.source, "")
            context_text = text[max(0, row.start - 15) : row.end + 15].replace("\n", " ")
            lines.append(f"  [{row.severity}] {row.message}")
            lines.append(f"      {row.source} [{row.start}, {row.end}) 《{headlines.get(row.article_id, '')}》")
            lines.append(f"      …{context_text}…")
        lines.append("")
    lines.append("通过的核查: " + ", ".join(f"{name} {n}" for name, n in passed["check"].value_counts().items()))
    if show_passed:
        lines += [f"  ✓ {row.check}: {row.message}" for row in passed.itertuples()]
    return "\n".join(lines)
