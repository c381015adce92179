# Where the cases come from:
#
# 1. The sample page data/zhuzhou-daily-2021-04.txt (two pages of Zhuzhou
#    Daily, April 2021), read by hand: the 应急管理 page's flood article
#    (lines 103-139) and safety article (lines 159-169), and the 芦淞区
#    我为群众办实事 article (lines 3-57).  Offsets are found in the file
#    decoded with encoding="utf-8", never counted by hand.
# 2. Made-up pages in tests/golden/beats/ (see its README.md): invented
#    articles with real Zhuzhou divisions from zzdata/lexicon/places.tsv,
#    copied into tmp_path with a manifest.csv that gives their dates.
# 3. Short made-up texts for the topic routing (topic_scores / beats_of);
#    each expected score is the sum of the weights in
#    zzdata/lexicon/topics.tsv, worked out by hand in the comments.
#
# Every expected value was written by reading the text; none was pasted
# from program output.  The bugs these tests found (seven) are fixed; a new one
# gets xfail(strict=True) with the smallest input that shows it.
from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import zzdata as zz
from zzdata.beats import beats_of, topic_scores

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")
PAGES = Path(__file__).resolve().parent / "golden" / "beats"
BEAT_PAGES = {
    "flood.txt": "2021-05-10",
    "safety.txt": "2021-04-12",
    "service.txt": "2021-05-12",
    "sports.txt": "2021-05-17",
}


def _lexicon_categories() -> dict[tuple[str, str], str]:
    """(beat, indicator) → category, read straight from the lexicon file."""
    path = ROOT / "zzdata" / "lexicon" / "indicators.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return {(r["beat"], r["indicator"]): r["category"] for r in csv.DictReader(lines, delimiter="\t")}


CATEGORIES = _lexicon_categories()


def write_pages(folder: Path, pages: dict[str, str]) -> Path:
    """Copy golden pages into ``folder`` with a manifest of their dates."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,paper,publication_date,pages,note"]
    for name, date in pages.items():
        shutil.copy(PAGES / name, folder / name)
        rows.append(f"{name},株洲日报,{date},1,made up for tests")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def write_page(folder: Path, name: str, text: str, date: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    if date:
        (folder / "manifest.csv").write_text(
            f"file,paper,publication_date,pages,note\n{name},株洲日报,{date},1,made up\n", encoding="utf-8"
        )
    return folder


def rows(frame: pd.DataFrame, **where) -> pd.DataFrame:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    return frame[mask]


def one(frame: pd.DataFrame, **where) -> pd.Series:
    found = rows(frame, **where)
    assert len(found) == 1, f"expected one row with {where}, found {len(found)}:\n{found}"
    return found.iloc[0]


def article_id(tables, headline_start: str) -> str:
    found = tables.articles[tables.articles["headline"].str.startswith(headline_start)]
    assert len(found) == 1, headline_start
    return found.iloc[0]["article_id"]


def printed(text: str, row) -> str:
    """The row's span as printed, with the layout's line breaks taken out."""
    return re.sub(r"\s", "", text[row["start"] : row["end"]])


@pytest.fixture(scope="module")
def sample():
    return zz.load(SAMPLE)


@pytest.fixture(scope="module")
def madeup(tmp_path_factory):
    return zz.load(write_pages(tmp_path_factory.mktemp("beats"), BEAT_PAGES))


@pytest.fixture(scope="module")
def madeup_texts():
    return {name: (PAGES / name).read_text(encoding="utf-8") for name in BEAT_PAGES}


# ---------------------------------------------------------------- 1. sample

# (indicator, value, unit, the figure as printed): lines 111, 121, 127, 131,
# 133-135, 137 and 139 of the sample.
SAMPLE_FLOOD = [
    ("编织袋", 636000, "条", "63.6万条"),
    ("彩条布", 740000, "平方米", "74万平方米"),
    ("砂石料", 35400, "立方", "3.54万立方"),  # broken across lines 133/135
    ("块石", 8400, "立方", "0.84万立方"),
    ("防汛应急队伍", 355, "支", "355支"),
    ("应急队员", 9608, "人", "9608人"),
    ("山塘", 5580000, "口", "558万口"),
    ("度汛安全隐患", 699, "个", "699个"),
    ("已整改隐患", 593, "处", "593处"),
    ("物资仓库", 17, "个", "17个"),
    ("工作组", 117, "个", "117个"),
    ("培训演练", 126, "场次", "126场次"),
    ("累计降水量", 283, "毫米", "283毫米"),
    ("降水距平", 36, "%", "36%"),
    # also printed on the page, read the same way
    ("水库", 960, "座", "960座"),
    ("大型水库", 3, "座", "3座"),
    ("山洪灾害危险区", 1183, "处", "1183处"),
    ("地质灾害点", 1380, "个", "1380个"),
]


@pytest.mark.parametrize("indicator,value,unit,as_printed", SAMPLE_FLOOD, ids=[c[0] for c in SAMPLE_FLOOD])
def test_sample_flood_rows(sample, indicator, value, unit, as_printed):
    row = one(sample.flood_prep, indicator=indicator, value=value, unit=unit)
    assert row["qualifier"] == "exact"
    assert row["category"] == CATEGORIES[("flood", indicator)]
    assert row["source"] == SAMPLE.name
    # the span is the figure itself (a lead-in like 共 may be part of it)
    seen = printed(TEXT, row)
    assert seen.endswith(as_printed) and len(seen) - len(as_printed) <= 2, seen


def test_sample_stockpile_is_the_four_materials(sample):
    # 全市共储备编织袋63.6万条、彩条布74万平方米、砂石料3.54万立方,块石0.84万立方
    stock = sample.flood_prep[sample.flood_prep["category"] == "stockpile"]
    assert sorted(stock["indicator"]) == sorted(["编织袋", "彩条布", "砂石料", "块石"])
    assert set(stock["status"]) == {"储备"}
    assert set(stock["scope"]) == {"全市"}


def test_sample_flood_categories_follow_the_lexicon(sample):
    for row in sample.flood_prep[sample.flood_prep["indicator_known"]].itertuples():
        assert row.category == CATEGORIES[("flood", row.indicator)], row.indicator
    for row in sample.safety_stats[sample.safety_stats["indicator_known"]].itertuples():
        assert row.category == CATEGORIES[("safety", row.indicator)], row.indicator


def test_sample_flood_table_holds_the_season(sample):
    # The flood article's situation, inspection and training figures, read from the
    # page (lines 111, 127, 137, 139), are rows now, not only the stockpiles.
    expected = {
        "283毫米": ("weather", ""),  # 今年以来全市平均累计降水量283毫米
        "36%": ("weather", "down"),  # 较历年同期偏少36%: a fall, never +36
        "117个": ("inspection", ""),  # 全市已派出117个工作组
        "699个": ("hazard", ""),  # 汛前已排查出度汛安全隐患699个
        "593处": ("hazard", ""),  # 已整改593处 (of those hazards)
        "126场次": ("training", ""),  # 已组织开展培训演练126场次
        "近6千人次": ("training", ""),  # 参加人员近6千人次
    }
    for text, (category, direction) in expected.items():
        row = one(sample.flood_prep, text=text)
        assert (row["category"], row["direction"]) == (category, direction), text
    fixed = one(sample.flood_prep, text="593处")
    assert fixed["indicator"] == "已整改隐患" and "隐患" in fixed["subject"]


def test_sample_flood_article_drops_no_amount(sample):
    # Nothing on the beat is silently dropped: every amount of the flood article
    # is a flood_prep row, the rest (dates, durations, ordinals) carry a note.
    flood = article_id(sample, "2021年防汛抗旱")
    figures = rows(sample.figures, article_id=flood)
    amounts = figures[figures["is_amount"] & ~figures["dimension"].isin(["duration", "age"])]
    assert set(amounts["figure_id"]) <= set(sample.flood_prep["figure_id"])
    assert set(amounts["beat_table"]) == {"flood_prep"}
    others = figures[~figures["figure_id"].isin(amounts["figure_id"])]
    assert (others["beat_note"] != "").all()
    assert "五个" in set(others["text"])  # 防汛抗旱“五个确保”目标任务: a slogan's number


def test_sample_beat_rows_link_to_figures_and_articles(sample):
    figure_ids = set(sample.figures["figure_id"])
    articles = set(sample.articles["article_id"])
    for name in ("flood_prep", "safety_stats", "service_actions"):
        table = getattr(sample, name)
        assert len(table), name
        assert set(table["article_id"]) <= articles, name
        linked = table["figure_id"].dropna()
        assert set(linked) <= figure_ids, name
    # each beat row has its figure's value and span
    figures = sample.figures.set_index("figure_id")
    for row in sample.flood_prep.itertuples():
        figure = figures.loc[row.figure_id]
        assert (figure["value"], figure["start"], figure["end"]) == (row.value, row.start, row.end)


def test_sample_safety_rows(sample):
    # 目前我市工贸行业总计13万余家,存在高风险作业场所企业共计718家。
    firms = one(sample.safety_stats, indicator="工贸行业企业")
    assert (firms["value"], firms["unit"], firms["qualifier"]) == (130000, "家", "over")
    assert "13万余家" in printed(TEXT, firms)
    risky = one(sample.safety_stats, indicator="高风险作业场所企业")
    assert (risky["value"], risky["unit"], risky["qualifier"]) == (718, "家", "exact")
    # 截至目前,没有发生较大及以上生产安全事故。 → a stated zero, not a figure
    zero = one(sample.safety_stats, indicator="较大及以上生产安全事故")
    assert zero["value"] == 0
    assert zero["category"] == "accident"
    assert pd.isna(zero["figure_id"])
    assert "较大及以上生产安全事故" in TEXT[zero["start"] : zero["end"]]
    assert TEXT[zero["start"] : zero["end"]] == zero["text"]
    published = one(sample.articles, article_id=zero["article_id"])["publication_date"]
    assert zero["period"] == f"{published[:4]}-01-01/{published}"  # 截至目前: the year to date


def test_sample_beats_come_only_from_beat_articles(sample):
    flood = article_id(sample, "2021年防汛抗旱")
    safety = article_id(sample, "无较大生产安全事故")
    # The 灾害信息员 training on the 应急管理 page names 煤矿、非煤矿山、危化品重点隐患排查
    # (safety topic words, lexicon/topics.tsv): its amounts are safety figures now.
    trainees_article = article_id(sample, "首期灾害信息员培训班")
    assert set(sample.flood_prep["article_id"]) == {flood}
    assert set(sample.safety_stats["article_id"]) == {safety, trainees_article}
    # the party-history articles have figures, but they are on no beat
    party = set(sample.articles["article_id"]) - {flood, safety, trainees_article}
    party -= set(sample.service_actions["article_id"])
    assert len(party) == 2
    party_figures = sample.figures[sample.figures["article_id"].isin(party)]
    assert "103岁" in set(party_figures["text"])
    assert set(party_figures["beat_table"]) == {""}
    # 各县市区有关单位领导和工作人员160余人参加培训: a safety row of the training
    trainees = one(sample.figures, text="160余人")
    assert trainees["beat_table"] == "safety_stats"
    assert one(sample.safety_stats, figure_id=trainees["figure_id"])["category"] == "training"


def action_with(tables, **where) -> pd.Series:
    """The one service action whose figures include the one figure matching ``where``."""
    figure = one(tables.figures, **where)
    held = tables.service_actions[tables.service_actions["figure_ids"].str.split("|").apply(lambda ids: figure["figure_id"] in ids)]
    assert len(held) == 1, f"figure {figure['text']} is in {len(held)} actions"
    return held.iloc[0]


def _service_at(sample, snippet: str, offset_in_snippet: int = 0) -> pd.Series:
    return action_with(sample, start=TEXT.index(snippet) + offset_in_snippet)


def test_sample_service_money(sample):
    # 今年3月,芦淞区董家堰街道,……共筹集爱心款3万余元。
    row = _service_at(sample, "3万余元")
    assert (row["value"], row["unit"], row["qualifier"]) == (30000, "元", "over")
    assert row["place"] == "董家堰街道"  # as printed (the official name is 董家塅街道)
    assert row["place_level"] == "town"
    assert row["campaign"] == "雪中送炭"


def test_sample_service_students(sample):
    # 4月12日,芦淞区12位特困学子与12位爱心服饰企业家结对: one action, the pairing
    row = _service_at(sample, "12位特困学子")
    assert TEXT[row["start"] : row["end"]] == row["text"] == "12位特困学子与12位"
    assert (row["value"], row["unit"], row["n_figures"], row["figures"]) == (12, "位", 2, "12位|12位")
    assert row["beneficiary"] == "特困学子"
    assert row["campaign"] == "雪中送炭"
    assert row["date"] == "2021-04-12"


def test_sample_service_smoke_alarms(sample):
    # 4月16日,来园社区为10名行动不便且经济困难的独居老人,免费上门安装了烟雾报警器
    row = _service_at(sample, "10名")
    assert (row["value"], row["unit"]) == (10, "名")
    assert row["beneficiary"] == "独居老人"
    assert row["place"] == "来园社区"
    assert row["place_level"] == "village"


def test_sample_service_one_action(sample):
    # 区慈善会为……弱势群体送去100件1200罐价值近40万元的奶粉
    at = TEXT.index("100件1200罐价值近40万元")
    action = _service_at(sample, "100件")
    assert action["figures"] == "100件|1200罐|近40万元" and action["n_figures"] == 3
    assert (action["start"], action["end"]) == (at, at + len("100件1200罐价值近40万元"))
    ids = action["figure_ids"].split("|")
    money = one(sample.figures, figure_id=ids[2])
    assert (money["value"], money["unit"], money["qualifier"]) == (400000, "元", "under")
    assert sample.service_actions["action_id"].is_unique  # one row per action


def test_sample_service_farmland(sample):
    # 龙泉街道组织党员干部70余人帮助华兴村村民对80亩土地进行复耕平整治理
    row = _service_at(sample, "80亩")
    assert row["figures"] == "70余人|80亩"  # one action: the cadres sent and the land they worked
    assert row["place"] == "华兴村"
    assert row["place_level"] == "village"
    assert row["campaign"] == "复耕打田"


# ---------------------------------------------------------------- 2. made-up pages

def test_madeup_flood_stockpile(madeup, madeup_texts):
    # 醴陵市共储备编织袋12万条、麻袋3.5万条、草袋8000条,另有救生衣2600件、冲锋舟14艘
    liling = article_id(madeup, "醴陵市防汛备汛")
    flood = rows(madeup.flood_prep, article_id=liling)
    expected = {"编织袋": (120000, "条"), "麻袋": (35000, "条"), "草袋": (8000, "条"), "救生衣": (2600, "件"), "冲锋舟": (14, "艘")}
    for indicator, (value, unit) in expected.items():
        row = one(flood, indicator=indicator)
        assert (row["value"], row["unit"], row["qualifier"]) == (value, unit, "exact"), indicator
        assert row["category"] == "stockpile"
        assert row["status"] == "储备"
        assert row["scope"] == "醴陵市"  # no 全市 before it: the place
        assert row["as_of"] == "2021-05-10"  # no date in the sentence: the publication date
    # 分别存放在全市9个防汛物资仓库
    depots = one(flood, indicator="物资仓库")
    assert (depots["value"], depots["category"], depots["scope"]) == (9, "facility", "全市")


def test_madeup_flood_teams_and_inspection(madeup):
    liling = article_id(madeup, "醴陵市防汛备汛")
    flood = rows(madeup.flood_prep, article_id=liling)
    # 全市组建抢险队伍46支、1800余人
    teams = one(flood, indicator="防汛应急队伍", unit="支")
    assert teams["value"] == 46 and teams["category"] == "team"
    people = one(flood, indicator="应急队员")
    assert (people["value"], people["unit"], people["qualifier"]) == (1800, "人", "over")
    # 醴陵市组织8个督查组……排查隐患85处,已整改72处
    groups = one(flood, indicator="工作组")
    assert (groups["value"], groups["unit"]) == (8, "个")
    found = one(flood, indicator="度汛安全隐患")
    assert (found["value"], found["unit"], found["category"], found["status"]) == (85, "处", "hazard", "排查")
    fixed = one(flood, indicator="已整改隐患")
    assert (fixed["value"], fixed["unit"], fixed["category"], fixed["status"]) == (72, "处", "hazard", "整改")
    assert found["as_of"] == fixed["as_of"] == "2021-04-11/2021-04-20"  # 4月中旬以来: the 中旬 period


def test_madeup_two_names_for_teams_land_on_one_indicator(madeup):
    # 醴陵市: 抢险队伍46支; 天元区: 全区28支应急队伍
    teams = rows(madeup.flood_prep, indicator="防汛应急队伍", unit="支")
    assert sorted(teams["value"]) == [28, 46]
    assert teams["article_id"].nunique() == 2
    tianyuan = one(teams, value=28)
    assert tianyuan["article_id"] == article_id(madeup, "天元区开展防汛应急演练")
    assert tianyuan["scope"] == "全区"
    assert tianyuan["as_of"] == "2021-05-08"  # 5月8日


def test_madeup_flood_evacuation(madeup):
    # 现场模拟转移被困群众120人
    row = one(madeup.flood_prep, indicator="转移群众")
    assert (row["value"], row["unit"], row["category"], row["status"]) == (120, "人", "response", "转移")


def test_madeup_duration_is_not_a_flood_indicator(madeup):
    assert "小时" not in set(madeup.flood_prep["unit"])
    assert "24小时" not in set(madeup.flood_prep["text"])


def test_madeup_safety_rows(madeup):
    # 一季度全区共发生生产安全事故2起、死亡1人,未发生较大及以上生产安全事故。
    safety = madeup.safety_stats
    accidents = one(safety, indicator="生产安全事故")
    assert (accidents["value"], accidents["unit"], accidents["category"]) == (2, "起", "accident")
    deaths = one(safety, indicator="死亡人数")
    assert (deaths["value"], deaths["unit"], deaths["category"]) == (1, "人", "casualty")
    assert accidents["scope"] == deaths["scope"] == "全区"
    zero = one(safety, indicator="较大及以上生产安全事故")
    assert zero["value"] == 0 and zero["category"] == "accident" and pd.isna(zero["figure_id"])
    # 出动执法人员1200余人次……共检查企业316家,罚款23.5万元。
    staff = one(safety, indicator="执法人员")
    assert (staff["value"], staff["unit"], staff["qualifier"]) == (1200, "人次", "over")
    firms = one(safety, indicator="检查企业")
    assert (firms["value"], firms["unit"], firms["category"]) == (316, "家", "inspection")
    fine = one(safety, indicator="罚款")
    assert (fine["value"], fine["unit"], fine["category"]) == (235000, "元", "enforcement")
    # 全区排查安全隐患540处
    found = rows(safety, indicator="排查隐患", value=540)
    assert len(found) == 1 and found.iloc[0]["unit"] == "处"
    assert set(safety["article_id"]) == {article_id(madeup, "荷塘区一季度安全生产")}


def test_madeup_safety_fixed_hazards(madeup):
    fixed = one(madeup.safety_stats, indicator="已整改隐患")
    assert (fixed["value"], fixed["unit"]) == (498, "处")
    assert len(rows(madeup.safety_stats, indicator="排查隐患")) == 1


def test_madeup_safety_year_to_date(madeup):
    for indicator in ("执法人员", "检查企业", "罚款"):
        assert one(madeup.safety_stats, indicator=indicator)["period"] == "2021-01-01/2021-04-12", indicator


def test_madeup_safety_quarter(madeup):
    first_quarter = {"2021-01-01/2021-03-31", "2021-Q1"}
    for indicator in ("生产安全事故", "死亡人数", "较大及以上生产安全事故"):
        assert one(madeup.safety_stats, indicator=indicator)["period"] in first_quarter, indicator


@pytest.mark.parametrize(
    "sentence,indicator",
    [
        pytest.param("今年以来,攸县未发生较大及以上生产安全事故。", "较大及以上生产安全事故", id="major-and-above"),
        pytest.param(
            "今年以来,攸县未发生安全事故。", "生产安全事故", id="safety-accident",
        ),
        pytest.param(
            "今年以来,茶陵县未发生较大事故。", "较大及以上生产安全事故", id="major",
        ),
    ],
)
def test_stated_zero_names(tmp_path, sentence, indicator):
    page = f"攸县安全生产形势稳定\n\n株洲日报·掌上株洲讯(记者/唐志远 通讯员/易敏){sentence}\n"
    tables = zz.load(write_page(tmp_path, "zero.txt", page, "2021-04-12"))
    zero = one(tables.safety_stats, value=0)
    assert zero["indicator"] == indicator
    assert zero["category"] == "accident"


def test_madeup_service_actor_and_town(madeup):
    # 第一招:爱心助学 / 5月10日,宋家桥街道组织志愿者30余人,为辖区困难群众免费理发、修理家电。
    row = action_with(madeup, text="30余人")
    assert (row["value"], row["unit"], row["qualifier"]) == (30, "人", "over")
    assert row["actor"] == "宋家桥街道"
    assert row["place"] == "宋家桥街道" and row["place_level"] == "town"
    assert row["beneficiary"] == "困难群众"
    assert row["campaign"] == "爱心助学"
    assert row["date"] == "2021-05-10"
    # 当天,月塘街道为15名留守儿童送去书包和学习用品。
    children = action_with(madeup, text="15名")
    assert children["beneficiary"] == "留守儿童"
    assert children["place"] == "月塘街道" and children["place_level"] == "town"
    assert children["campaign"] == "爱心助学"


def test_madeup_service_villages(madeup):
    # 第二招:上门服务 / 桂花街道明月社区为12户空巢老人…; 在仙庾镇长岭村,党员志愿者帮助留守老人抢收油菜20亩。
    homes = action_with(madeup, text="12户")
    assert homes["place"] == "明月社区" and homes["place_level"] == "village"
    assert homes["beneficiary"] == "空巢老人"
    assert homes["campaign"] == "上门服务"
    assert homes["date"] == "2021-04-28"
    rape = action_with(madeup, text="20亩")
    assert (rape["value"], rape["unit"]) == (20, "亩")
    assert rape["place"] == "长岭村" and rape["place_level"] == "village"
    assert rape["beneficiary"] == "留守老人"
    assert rape["campaign"] == "上门服务"


def test_madeup_service_one_action(madeup):
    # 第三招:困难帮扶 / 区慈善会向困难群众捐赠50台价值约6万元的取暖器。
    heaters = action_with(madeup, text="50台")
    assert heaters["figures"] == "50台|约6万元"
    money = one(madeup.figures, figure_id=heaters["figure_ids"].split("|")[1])
    assert (money["value"], money["qualifier"]) == (60000, "approx")
    assert heaters["campaign"] == "困难帮扶"
    assert heaters["beneficiary"] == "困难群众"
    # the other four figures are four actions: five rows in all
    assert madeup.service_actions["action_id"].is_unique
    assert len(madeup.service_actions) == 5
    assert set(madeup.service_actions["article_id"]) == {article_id(madeup, "荷塘区“我为群众办实事”")}


def test_madeup_sports_has_no_beat_rows(madeup):
    sports = article_id(madeup, "醴陵市职工篮球赛")
    figures = rows(madeup.figures, article_id=sports)
    assert {"超过3000人", "200余名"} <= set(figures["text"])  # it has figures…
    for name in ("flood_prep", "safety_stats", "service_actions"):
        assert sports not in set(getattr(madeup, name)["article_id"]), name  # …that fit no beat


def test_madeup_beat_spans_are_the_printed_text(madeup, madeup_texts):
    for name in ("flood_prep", "safety_stats", "service_actions"):
        for row in getattr(madeup, name).to_dict("records"):
            text = madeup_texts[row["source"]]
            assert 0 <= row["start"] < row["end"] <= len(text)
            assert text[row["start"] : row["end"]] == row["text"], (name, row["text"])


# ---------------------------------------------------------------- 3. routing

def test_topic_scores_weights_and_headline():
    # headline 防汛 (3) and 抗旱 (3) count three times: 9 + 9; body 汛期 (3): 3
    assert topic_scores("全市防汛抗旱准备工作", "汛期将至") == {"flood": 21}
    assert topic_scores("安全生产", "") == {"safety": 9}
    assert topic_scores("", "安全生产") == {"safety": 3}
    # 我为群众办实事 (3) also holds 为群众办实事 (3) and 办实事 (2)
    assert topic_scores("", "开展“我为群众办实事”实践活动") == {"service": 8}
    assert topic_scores("醴陵市职工篮球赛落幕", "国瓷街道代表队以86比79夺冠,现场观众超过3000人。") == {}


def test_beats_of_threshold():
    assert beats_of("", "做好防汛准备,应对强降雨天气。") == {"flood"}  # 防汛 3 + 降雨 1 = 4
    assert beats_of("", "做好防汛准备。") == set()  # 3
    assert beats_of("", "一起事故") == set()  # 事故 1
    assert beats_of("事故", "") == set()  # 3


def test_beats_of_several_and_none():
    assert beats_of("荷塘区部署安全生产和防汛工作", "") == {"safety", "flood"}
    assert beats_of("我为群众办实事 荷塘区在行动", "为困难群众送去慰问金。") == {"service"}
    assert beats_of("醴陵市职工篮球赛落幕", "共有16支队伍、200余名球员参赛。") == set()


def test_topic_scores_count_every_word_as_str_count_would(sample):
    # topic_scores scans a text once with one regex of the topic words; on every
    # paragraph of the sample it must give what counting each word of
    # lexicon/topics.tsv with str.count gives (a word inside a longer one counts too).
    path = ROOT / "zzdata" / "lexicon" / "topics.tsv"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    words = [(r["beat"], r["word"], int(r["weight"])) for r in csv.DictReader(lines, delimiter="\t")]
    for paragraph in TEXT.split("\n"):
        naive: dict[str, int] = {}
        for beat, word, weight in words:
            if paragraph.count(word):
                naive[beat] = naive.get(beat, 0) + paragraph.count(word) * weight
        assert topic_scores("", paragraph) == naive, paragraph


def test_numbers_that_name_or_refer_are_not_beat_rows(tmp_path):
    """Made up after the held-out safety and service articles (ho-safety-hb-01's 附件 and campaign year,
    ho-service-fj-01's 12345 platform): a bare number inside a name or a reference is on the beat's page but
    counts nothing; it stays in figures with beat_note not_amount, and the real counts are rows."""
    page = (
        "我市部署安全生产专项整治\n\n株洲日报·掌上株洲讯(记者/唐志远)我市印发重大事故隐患专项排查整治2023行动方案(附件1),"
        "全市共检查企业1200家,排查安全隐患3500处。市民可拨打12345热线举报安全隐患。\n"
    )
    tables = zz.load(write_page(tmp_path, "labels.txt", page, "2023-04-12"))
    figures = tables.figures.set_index("text")
    for label in ("2023", "1", "12345"):
        assert figures.loc[label, "beat_note"] == "not_amount", label
    assert sorted(tables.safety_stats["value"]) == [1200, 3500]
