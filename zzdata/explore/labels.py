"""Labels: the Chinese an editor reads in place of column names and codes.

One mapping for the whole notebook wing: charts, widgets, tables, the
dashboard and the Excel export show ``column_label`` and ``code_label``;
CSV and Parquet keep the machine names.  ``printed_figure`` gives a figure
the way the paper printed it, qualifier and sign included.

>>> column_label("qualifier"), code_label("qualifier", "under"), code_label("category", "stockpile")
('限定', '不足(近)', '物资储备')
>>> printed_figure({"text": "36%", "direction": "down", "sentence": "较历年同期偏少36%。"})
'−36%（偏少）'
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

COLUMN_LABELS: dict[str, str] = {
    # provenance and ids
    "source": "来源文件", "start": "起始位置", "end": "结束位置",
    "article_id": "稿件编号", "page_id": "版面编号", "figure_id": "数字编号", "date_id": "日期编号",
    "action_id": "行动编号", "figure_ids": "数字编号(各)",
    # articles and pages
    "paper": "报纸", "publication_date": "出版日期", "is_date_inferred": "日期为推断",
    "date_basis": "日期依据", "section": "栏目", "outlet": "来源媒体", "kicker": "引题",
    "headline": "标题", "deck": "副题", "subheads": "小标题", "byline": "署名",
    "reporters": "记者", "correspondents": "通讯员", "photographers": "摄影",
    "body": "正文", "n_chars": "字数", "page_no": "页序", "page_code": "版面代码",
    "editors": "责任编辑", "art_editors": "美术编辑", "proofreaders": "校对",
    "printed_date": "版面日期", "n_articles": "稿件数", "role": "位置", "reason": "判断依据",
    # figures
    "text": "原文", "value": "数值", "value_low": "下限", "value_high": "上限(不含)",
    "unit": "单位", "unit_known": "单位已收录", "dimension": "量纲", "qualifier": "限定",
    "subject": "计数对象", "comparison_direction": "比较方向", "comparison_baseline": "比较基准",
    "place": "地点", "date": "日期", "sentence": "原句", "is_amount": "是否数量",
    "beat_table": "栏目表", "beat_note": "未入表原因",
    # dates
    "date_start": "起始日", "date_end": "截止日", "granularity": "粒度", "is_relative": "相对日期",
    # beats
    "indicator": "指标", "indicator_known": "指标已收录", "category": "类别",
    "direction": "变化方向", "baseline": "比较基准", "scope": "范围", "year": "年份",
    "status": "状态", "as_of": "截至日期", "routed_by": "归栏依据", "period": "统计期",
    "n_figures": "数字个数", "figures": "数字(原文)", "subjects": "计数对象(各)",
    "categories": "类别(各)", "campaign": "小标题", "place_level": "地点级别",
    "place_parent": "上级地点", "actor": "实施单位", "action": "行动", "beneficiary": "受益对象",
    # checks and problems
    "check": "核查项", "severity": "严重程度", "message": "说明", "line": "行号",
    "offset": "位置", "kind": "问题类型",
    # derived columns the notebooks add
    "month": "月份", "label": "项目", "count": "数量", "printed": "原文数字",
    "keywords": "关键词", "context": "上下文", "beat": "条线", "issues": "期数", "issue_date": "出版日期(期)",
}

_BOOL = {"True": "是", "False": "否", "true": "是", "false": "否"}

CODE_LABELS: dict[str, Mapping[str, str]] = {
    "qualifier": {
        "exact": "确数", "approx": "约数", "over": "超过(余/多)", "under": "不足(近)",
        "at_least": "不少于", "at_most": "不超过", "range": "范围",
    },
    "category": {
        "stockpile": "物资储备", "team": "队伍", "fund": "资金", "facility": "设施",
        "hazard": "隐患", "inspection": "检查排查", "training": "培训演练", "weather": "雨情水情",
        "impact": "灾情", "response": "应急响应", "enterprise": "企业", "accident": "事故",
        "casualty": "伤亡", "loss": "损失", "enforcement": "执法", "project": "项目",
        "problem": "问题", "beneficiary": "受益群众", "volunteer": "志愿者", "activity": "活动",
        "goods": "物资",
    },
    "direction": {"up": "增加", "down": "减少"},
    "comparison_direction": {"more": "增加", "less": "减少"},
    "status": {"fail": "待核对", "pass": "通过", "not_applicable": "无可核对"},
    "severity": {"error": "错误", "warning": "提醒", "info": "信息"},
    "check": {
        "headline_vs_body": "标题与正文", "parts_vs_whole": "分项与总数", "place_name": "地名",
        "repeated_word": "重复字词", "percent_range": "百分比范围",
        "date_after_publication": "日期晚于出版", "beat_coverage": "栏目覆盖",
    },
    "role": {
        "headline": "标题", "kicker": "引题", "deck": "副题", "subhead": "小标题", "byline": "署名",
        "body": "正文", "caption": "图片说明", "furniture": "版面杂项", "blank": "空白",
    },
    "beat_note": {
        "not_amount": "非数量(序号、名称、编码)", "duration": "时长", "age": "年龄",
        "background": "背景数字", "not_action": "非行动数字", "dropped": "遗漏(程序错误)",
    },
    "date_basis": {
        "manifest": "清单", "page": "版面日期", "web": "网页发布时间", "dateline": "电头",
        "filename": "文件名(推断)", "text": "正文日期(推断)",
    },
    "kind": {
        "undecodable": "无法解码", "unreadable": "无法读取", "empty": "空文件", "not_text": "不是文本",
        "no_articles": "没有稿件", "overlong_line": "超长行",
    },
    "dimension": {
        "count": "个数", "people": "人数", "money": "金额", "area": "面积", "volume": "体积",
        "length": "长度", "mass": "重量", "percent": "百分比", "percent_point": "百分点",
        "percent_tenths": "千分比", "age": "年龄", "duration": "时长", "temperature": "温度",
        "speed": "速度", "power": "功率", "energy": "能量", "flow": "流量", "price": "单价",
        "rate": "比率", "ratio": "比例", "ordinal": "序号", "address": "地址", "name": "名称",
        "code": "编码", "level": "级别",
    },
    "granularity": {
        "year": "年", "half": "半年", "quarter": "季度", "month": "月", "period": "旬/时段",
        "day": "日", "hour": "时",
    },
    "place_level": {"county": "区县", "town": "街道乡镇", "village": "村社区"},
    "routed_by": {"sentence": "句子", "paragraph": "段落", "article": "稿件"},
}
for _name in ("is_date_inferred", "unit_known", "is_amount", "is_relative", "indicator_known"):
    CODE_LABELS[_name] = _BOOL
CODE_LABELS["categories"] = CODE_LABELS["category"]  # |-joined lists of codes


class _BeatTables(Mapping):
    """Each registered beat's table → its own label (防汛抗旱…), read from the
    registry when asked, so a beat registered later is named too."""

    def _labels(self) -> dict[str, str]:
        import zzdata as zz

        return {beat.table: beat.label for beat in zz.registered_beats()}

    def __getitem__(self, table: str) -> str:
        return self._labels()[table]

    def __iter__(self):
        return iter(self._labels())

    def __len__(self) -> int:
        return len(self._labels())


CODE_LABELS["beat_table"] = _BeatTables()


def column_label(name: str) -> str:
    """The Chinese label of a column, the name itself when none is known.

    >>> column_label("indicator"), column_label("no_such_column")
    ('指标', 'no_such_column')
    """
    return COLUMN_LABELS.get(name, name)


def code_label(column: str, value) -> str:
    """The Chinese label of a coded value (|-joined lists mapped one by one).

    >>> code_label("status", "fail"), code_label("categories", "goods|fund"), code_label("place", "株洲")
    ('待核对', '物资|资金', '株洲')
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    codes = CODE_LABELS.get(column, {})
    text = str(value)
    if "|" in text and column in ("categories",):
        return "|".join(codes.get(part, part) for part in text.split("|"))
    return codes.get(text, text)


def display_frame(frame: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """A copy for editors: coded values in Chinese, columns renamed.

    >>> display_frame(pd.DataFrame({"qualifier": ["under"], "unit": ["人次"]})).to_dict("list")
    {'限定': ['不足(近)'], '单位': ['人次']}
    >>> articles = pd.DataFrame({"headline": ["标题"], "publication_date": ["2021-04-22"], "date_basis": ["text"]})
    >>> display_frame(articles, ["headline", "publication_date"]).to_dict("list")
    {'标题': ['标题'], '出版日期': ['2021-04-22（推断）']}
    """
    shown = frame[list(columns)] if columns is not None else frame
    shown = shown.copy()
    if "publication_date" in shown and ({"date_basis", "is_date_inferred"} & set(frame.columns)):
        # an inferred date reads as inferred: 2021-04-22（推断）
        shown["publication_date"] = [shown_date(row) for row in frame.to_dict("records")]
        shown["publication_date"] = shown["publication_date"].replace("(日期不详)", "").astype("string")
    for name in shown.columns:
        if name in CODE_LABELS:
            shown[name] = shown[name].map(lambda v, n=name: code_label(n, v)).astype("string")
    return shown.rename(columns=column_label)


_SIGNS = ("-", "−", "负", "－", "+", "＋")
# words printed before a change: a fall, then a rise
_FALL_WORDS = ("偏少", "减少", "下降", "降低", "回落", "下跌", "缩减", "偏低", "少了", "减")
_RISE_WORDS = ("偏多", "增加", "增长", "上升", "提高", "上涨", "偏高", "多了", "增")
_QUALIFIER_WORDS = {"approx": "约", "under": "近", "at_least": "不少于", "at_most": "不超过"}
MAX_MENTION = 12  # a longer mention is a stated zero or a sentence, not a figure


def _cell(row, column: str) -> str:
    value = row.get(column) if hasattr(row, "get") else None
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _change_word(sentence: str, text: str, words: tuple[str, ...]) -> str:
    """The change word printed right before ``text`` in ``sentence``."""
    at = sentence.find(text)
    before = sentence[max(0, at - 6) : at] if at >= 0 else ""
    found = [(before.rfind(w), w) for w in words if w in before]
    return max(found)[1] if found else ""


def printed_figure(row) -> str:
    """A figure the way the paper printed it, with its qualifier and the
    sign of a change: a fall (direction down, comparison_direction less)
    reads −36%（偏少）, a rise +5%（增长）.  Without a printed mention
    (or a long one: a stated zero) it is written from the value, qualifier
    and unit.

    >>> printed_figure({"text": "近6千人次", "value": 6000.0, "qualifier": "under"})
    '近6千人次'
    >>> printed_figure({"text": "没有发生较大及以上生产安全事故", "value": 0.0, "unit": "起"})
    '0起'
    >>> printed_figure({"value": 130000.0, "unit": "家", "qualifier": "over"})
    '13万余家'
    """
    text = _cell(row, "text")
    direction = _cell(row, "direction") or {"less": "down", "more": "up"}.get(_cell(row, "comparison_direction"), "")
    if not text or len(text) > MAX_MENTION:
        text = _from_value(row)
    if direction in ("down", "up") and not text.startswith(_SIGNS):
        words = _FALL_WORDS if direction == "down" else _RISE_WORDS
        word = _change_word(_cell(row, "sentence"), text, words) or words[1]
        return f"{'−' if direction == 'down' else '+'}{text}（{word}）"
    return text


def _from_value(row) -> str:
    """近6千人次 written back from value 6000, unit 人次, qualifier under."""
    raw = row.get("value") if hasattr(row, "get") else None
    if raw is None or pd.isna(raw):
        return ""
    number, unit, qualifier = format_number(float(raw)), _cell(row, "unit"), _cell(row, "qualifier")
    if qualifier == "over":
        return f"{number}余{unit}"
    return f"{_QUALIFIER_WORDS.get(qualifier, '')}{number}{unit}"


def format_number(value: float) -> str:
    """A number as a Chinese editor writes it: 万 and 亿 for large values.

    >>> format_number(636000), format_number(8400), format_number(718), format_number(0.84)
    ('63.6万', '8400', '718', '0.84')
    """
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{value / size:.3g}{word}"
    return f"{value:.3g}" if not float(value).is_integer() else f"{int(value)}"


_INFERRED = {"text": "（推断）", "filename": "（据文件名推断）"}


def shown_date(row) -> str:
    """publication_date with its basis: an inferred date says so.

    >>> shown_date({"publication_date": "2021-04-22", "date_basis": "text"})
    '2021-04-22（推断）'
    >>> shown_date({"publication_date": "2021-04-22", "date_basis": "manifest"})
    '2021-04-22'
    """
    date = _cell(row, "publication_date")
    if not date:
        return "(日期不详)"
    basis = _cell(row, "date_basis")
    if basis in _INFERRED:
        return date + _INFERRED[basis]
    return date + ("（推断）" if _cell(row, "is_date_inferred").lower() == "true" else "")


def has_ascii_code(text: str, codes: set[str] | None = None) -> list[str]:
    """The raw codes (CODE_LABELS keys) that occur as words in ``text``.

    >>> has_ascii_code("待核对 fail 3"), has_ascii_code("63.6万条")
    (['fail'], [])
    """
    codes = codes if codes is not None else {c for m in CODE_LABELS.values() for c in m if re.fullmatch(r"[A-Za-z_]+", c)}
    words = re.findall(r"[A-Za-z_]+", text)
    return sorted({w for w in words if w in codes})
