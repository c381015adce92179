# Made-up cases: every page below is invented for this test (names such as
# 王小明, 刘芳, 陈思远 and the place 青竹区 are fictitious and differ from the
# sample's).  The byline shapes copy those printed in Zhuzhou Daily
# (data/zhuzhou-daily-2021-04.txt, read by hand) plus common variants of
# Chinese newspapers: 本报讯…报道, 文/…图/…, 实习生, names separated by
# spaces, "、" or "/", and photo credits (摄影/) in the byline.
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import zzdata as zz

HEADLINE = "青竹区开展春季植树活动"
FIRST = "3月12日,青竹区组织机关干部和志愿者三百余人,在城郊荒山开展义务植树活动,共栽下樟树、桂花树等苗木两千余株。"
SECOND = "据了解,今年青竹区计划完成国土绿化造林一万亩,新建村庄绿化示范点十个。"


@dataclass
class Case:
    id: str
    byline: str
    same_line: bool  # byline printed on the same line as the first body paragraph
    reporters: list[str]
    correspondents: list[str] = field(default_factory=list)
    photographers: list[str] = field(default_factory=list)

    def page(self) -> str:
        if self.same_line:
            return f"{HEADLINE}\n\n{self.byline}{FIRST}\n\n{SECOND}\n"
        return f"{HEADLINE}\n\n{self.byline}\n\n{FIRST}\n\n{SECOND}\n"


CASES = [
    # "XX日报讯(记者/甲 乙 通讯员/丙)正文" with the body on the same line
    Case("paper-xun-paren-slash", "株洲日报讯(记者/王小明 刘芳 通讯员/陈思远)", True,
         ["王小明", "刘芳"], ["陈思远"]),
    Case("paper-zhangshang-xun", "株洲日报·掌上株洲讯(记者/赵一鸣 通讯员/孙丽华 何静)", True,
         ["赵一鸣"], ["孙丽华", "何静"]),
    Case("other-paper-xun", "湘东日报讯(记者/周文博 通讯员/吴晓燕)", True,
         ["周文博"], ["吴晓燕"]),
    Case("three-reporters-no-correspondent", "株洲日报·掌上株洲讯(记者/王小明 刘芳 陈思远)", True,
         ["王小明", "刘芳", "陈思远"]),
    # "XX日报记者 甲 通讯员/乙 丙" alone on a line
    Case("paper-jizhe-whole-line", "株洲日报·掌上株洲记者 郑浩然 通讯员/吴晓燕 周文博", False,
         ["郑浩然"], ["吴晓燕", "周文博"]),
    Case("other-paper-jizhe-whole-line", "湘东日报记者 王小明 刘芳 通讯员/陈思远", False,
         ["王小明", "刘芳"], ["陈思远"]),
    # "(记者 甲 通讯员/乙)" at the start of the body, no paper name
    Case("paren-at-body-start", "(记者 陈思远 通讯员/何静)", True,
         ["陈思远"], ["何静"]),
    Case("paper-xun-paren-space", "株洲日报·掌上株洲讯(记者 孙丽华 通讯员/赵一鸣)", True,
         ["孙丽华"], ["赵一鸣"]),
    # "本报讯 记者 张三 李四 报道"
    Case("benbao-baodao", "本报讯 记者 王小明 刘芳 报道", False,
         ["王小明", "刘芳"]),
    # "文/张三 图/李四"
    Case("wen-tu", "文/王小明 图/陈思远", False,
         ["王小明"], [], ["陈思远"]),
    # 实习生 (intern reporters count as reporters)
    Case("intern-slash", "株洲日报·掌上株洲讯(记者/赵一鸣 实习生/郑浩然 通讯员/何静)", True,
         ["赵一鸣", "郑浩然"], ["何静"]),
    Case("intern-space-whole-line", "株洲日报·掌上株洲记者 王小明 实习生 刘芳 通讯员/陈思远", False,
         ["王小明", "刘芳"], ["陈思远"]),
    # name separators: "、" and "/"
    Case("sep-dunhao", "株洲日报·掌上株洲讯(记者/王小明、刘芳 通讯员/陈思远、何静)", True,
         ["王小明", "刘芳"], ["陈思远", "何静"]),
    Case("sep-slash", "株洲日报·掌上株洲讯(记者/王小明/刘芳 通讯员/陈思远/何静)", True,
         ["王小明", "刘芳"], ["陈思远", "何静"]),
    Case("sep-mixed", "株洲日报·掌上株洲讯(记者 王小明、刘芳 陈思远 通讯员/何静/吴晓燕 周文博)", True,
         ["王小明", "刘芳", "陈思远"], ["何静", "吴晓燕", "周文博"]),
    # photo credit inside the byline
    Case("sheying-in-byline", "株洲日报·掌上株洲记者 吴晓燕 通讯员/周文博 摄影/孙丽华", False,
         ["吴晓燕"], ["周文博"], ["孙丽华"]),
]

ROLE_WORDS = ["记者", "通讯员", "实习生", "摄影", "本报讯", "日报", "报道", "文/", "图/"]


def names(value) -> list[str]:
    assert isinstance(value, str), f"expected a str, got {value!r}"
    return [] if value == "" else value.split("|")


@pytest.fixture(params=CASES, ids=[c.id for c in CASES])
def case_and_table(request, tmp_path):
    case = request.param
    path = tmp_path / "byline.txt"
    path.write_text(case.page(), encoding="utf-8")
    return case, zz.load(path)


def test_one_article(case_and_table):
    case, t = case_and_table
    assert len(t.articles) == 1
    assert t.articles.iloc[0]["headline"] == HEADLINE
    assert len(t.problems) == 0


def test_byline_as_printed(case_and_table):
    case, t = case_and_table
    assert t.articles.iloc[0]["byline"] == case.byline


def test_people(case_and_table):
    case, t = case_and_table
    a = t.articles.iloc[0]
    assert names(a["reporters"]) == case.reporters
    assert names(a["correspondents"]) == case.correspondents
    assert names(a["photographers"]) == case.photographers


def test_body_starts_right_after_byline(case_and_table):
    case, t = case_and_table
    body = t.articles.iloc[0]["body"]
    assert body == FIRST + "\n" + SECOND
    assert case.byline not in body
    for word in ROLE_WORDS:
        assert word not in body
    for name in case.reporters + case.correspondents + case.photographers:
        assert name not in body


def test_byline_layout_row(case_and_table):
    case, t = case_and_table
    text = case.page()
    layout = t.layout.sort_values("start")
    rows = layout[layout["role"] == "byline"]
    assert list(rows["text"]) == [case.byline]
    start = int(rows.iloc[0]["start"])
    assert start == text.index(case.byline)
    # what follows the byline on the page is either the body (same line) or blank
    after = layout[layout["start"] == int(rows.iloc[0]["end"])]
    assert len(after) == 1
    assert after.iloc[0]["role"] == ("body" if case.same_line else "blank")
    if case.same_line:
        assert after.iloc[0]["text"] == FIRST
