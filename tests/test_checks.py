# Where the cases come from:
#
# 1. The sample page data/zhuzhou-daily-2021-04.txt, read by hand for what an
#    editor would catch: the headline 1.3万家 against the body's 13万余家
#    (line 159/163), the misprint 溇口区 for 渌口区 (line 117), the doubled
#    巡查巡查 (line 119), and 董家堰街道 (line 15), printed where the 2023
#    统计用区划代码 (zzdata/lexicon/places.tsv) name is 董家塅街道.  The checks
#    that should pass were read there too (已解决126个 of 收集问题150个, …).
#    Offsets are found in the file decoded with encoding="utf-8".
# 2. Made-up pages tests/golden/beats/checks_fail.txt (one article per
#    check, each with one mistake) and checks_pass.txt (the same checks,
#    written right), copied into tmp_path with a manifest.csv that gives the
#    publication date 2021-05-12.
# 3. The `zzdata check` command on both.
#
# Expected values were written by reading the text, never pasted from
# program output.  The bugs these tests found are fixed; a new one gets
# xfail(strict=True) with the smallest input that shows it.
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import zzdata as zz
from zzdata.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")
PAGES = Path(__file__).resolve().parent / "golden" / "beats"
PUBLISHED = "2021-05-12"


def write_pages(folder: Path, names: list[str], date: str = PUBLISHED) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["file,paper,publication_date,pages,note"]
    for name in names:
        shutil.copy(PAGES / name, folder / name)
        rows.append(f"{name},株洲日报,{date},1,made up for tests")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def is_sum(checks: pd.DataFrame) -> pd.Series:
    """The parts_vs_whole rows that say parts add up to their whole (「150个」= 「126个」 + 「24个」)."""
    return (checks["check"] == "parts_vs_whole") & checks["message"].str.contains("」 + 「", regex=False)


def findings(tables, headline_start: str) -> pd.DataFrame:
    found = tables.articles[tables.articles["headline"].str.startswith(headline_start)]
    assert len(found) == 1, headline_start
    return tables.checks[tables.checks["article_id"] == found.iloc[0]["article_id"]]


def failed(checks: pd.DataFrame) -> pd.DataFrame:
    return checks[checks["status"] == "fail"]


def passed(checks: pd.DataFrame) -> pd.DataFrame:
    return checks[checks["status"] == "pass"]


@pytest.fixture(scope="module")
def sample():
    return zz.load(SAMPLE)


@pytest.fixture(scope="module")
def madeup(tmp_path_factory):
    return zz.load(write_pages(tmp_path_factory.mktemp("checks"), ["checks_fail.txt", "checks_pass.txt"]))


@pytest.fixture(scope="module")
def madeup_texts():
    return {name: (PAGES / name).read_text(encoding="utf-8") for name in ("checks_fail.txt", "checks_pass.txt")}


# ---------------------------------------------------------------- 1. sample

def test_sample_failures_are_exactly_what_an_editor_wants(sample):
    fails = failed(sample.checks)
    assert sorted(zip(fails["check"], fails["text"])) == sorted([
        ("headline_vs_body", "1.3万家"),
        ("place_name", "溇口区"),
        ("place_name", "董家堰街道"),
        ("repeated_word", "巡查巡查"),
    ])


def test_sample_headline_figure(sample):
    # 无较大生产安全事故 1.3万家工贸行业企业运营平稳 / 目前我市工贸行业总计13万余家
    row = failed(sample.checks).set_index("text").loc["1.3万家"]
    assert row["check"] == "headline_vs_body"
    assert row["severity"] == "error"
    assert row["start"] == TEXT.index("1.3万家") and row["end"] == row["start"] + len("1.3万家")
    assert "13万余家" in row["message"]


def test_sample_county_misprint(sample):
    # 溇口区东部、攸县西部: 溇口区 is one character from 渌口区
    row = failed(sample.checks).set_index("text").loc["溇口区"]
    assert row["severity"] == "error"
    assert row["start"] == TEXT.index("溇口区")
    assert "渌口区" in row["message"]


def test_sample_old_street_name(sample):
    # 芦淞区董家堰街道: 统计用区划代码 2023 has 董家塅街道; a town, so a warning
    row = failed(sample.checks).set_index("text").loc["董家堰街道"]
    assert row["check"] == "place_name"
    assert row["severity"] == "warning"
    assert row["start"] == TEXT.index("董家堰街道")
    assert "董家塅街道" in row["message"]


def test_sample_repeated_word(sample):
    row = failed(sample.checks).set_index("text").loc["巡查巡查"]
    assert row["start"] == TEXT.index("巡查巡查") and row["end"] == row["start"] + 4


def test_sample_parts_within_whole_pass(sample):
    checks = passed(sample.checks)
    parts = checks[(checks["check"] == "parts_vs_whole") & ~is_sum(checks)]
    # (part, its whole, where the part is printed)
    expected = [
        ("126个", "150个", TEXT.index("已解决126个") + 3),   # 收集问题150个,已解决126个
        ("593处", "699个", TEXT.index("593处")),              # 度汛安全隐患699个,……已整改593处
        ("3座", "960座", TEXT.index("大型水库3座") + 4),     # 各型水库960座,其中大型水库3座
    ]
    for part, whole, start in expected:
        found = parts[(parts["text"] == part) & (parts["start"] == start)]
        assert len(found) == 1, part
        assert whole in found.iloc[0]["message"], part


def test_sample_parts_add_up(sample):
    # 收集问题150个,已解决126个,制定解决方案24个: 126 + 24 = 150
    sums = passed(sample.checks)[is_sum(passed(sample.checks))]
    assert len(sums) == 1
    row = sums.iloc[0]
    assert row["text"] == "150个"
    for text in ("150个", "126个", "24个"):
        assert text in row["message"]
    assert row["start"] == TEXT.index("150个")


def test_sample_rows_lie_in_the_text(sample):
    assert len(sample.checks)
    for row in sample.checks.to_dict("records"):
        assert row["source"] == SAMPLE.name
        assert 0 <= row["start"] <= row["end"] <= len(TEXT), row
        assert row["status"] in ("fail", "pass", "not_applicable")
        if row["status"] != "fail":
            assert row["severity"] == "info"


def test_sample_text_is_the_span(sample):
    checks = sample.checks[~is_sum(sample.checks)]
    for row in checks.to_dict("records"):
        if row["text"]:
            assert TEXT[row["start"] : row["end"]] == row["text"], row


def test_sum_text_is_the_span(sample, madeup, madeup_texts):
    texts = {SAMPLE.name: TEXT, **madeup_texts}
    sums = pd.concat([sample.checks[is_sum(sample.checks)], madeup.checks[is_sum(madeup.checks)]])
    assert len(sums) == 2  # 150个 = 126个 + 24个 (sample); 500人 = 320人 + 180人 (made up)
    for row in sums.to_dict("records"):
        assert texts[row["source"]][row["start"] : row["end"]] == row["text"]


# ---------------------------------------------------------------- 2. made-up pages

def test_madeup_headline_disagrees(madeup, madeup_texts):
    # 标题: 天元区今年新增停车位1200个 / 正文: 新增公共停车位2100个
    rows = findings(madeup, "天元区今年新增停车位")
    fails = failed(rows)
    assert list(fails["check"]) == ["headline_vs_body"]
    row = fails.iloc[0]
    assert row["text"] == "1200个" and row["severity"] == "error"
    assert row["start"] == madeup_texts["checks_fail.txt"].index("1200个")
    assert "2100个" in row["message"]


def test_madeup_headline_agrees_with_near_figure(madeup):
    # 标题: 荷塘区2万人参加… / 正文: 近2万人参加
    rows = findings(madeup, "荷塘区2万人参加")
    assert failed(rows).empty
    ok = rows[rows["check"] == "headline_vs_body"]
    assert list(ok["status"]) == ["pass"] and list(ok["text"]) == ["2万人"]


def test_madeup_part_exceeds_whole(madeup):
    # 全区共有养老机构12家,其中民办养老机构15家。
    fails = failed(findings(madeup, "荷塘区养老服务网络"))
    assert list(zip(fails["check"], fails["text"])) == [("parts_vs_whole", "15家")]
    assert fails.iloc[0]["severity"] == "error"
    assert "12家" in fails.iloc[0]["message"]


def test_madeup_fixed_exceeds_found(madeup):
    # 共排查燃气隐患60处,已整改75处。
    fails = failed(findings(madeup, "醴陵市开展燃气安全"))
    assert list(zip(fails["check"], fails["text"])) == [("parts_vs_whole", "75处")]
    assert "60处" in fails.iloc[0]["message"]


def test_madeup_parts_add_up(madeup):
    # 共招募志愿者500人,其中党员志愿者320人、青年志愿者180人。
    rows = findings(madeup, "天元区招募志愿者")
    assert failed(rows).empty
    parts = rows[(rows["check"] == "parts_vs_whole") & ~is_sum(rows)]
    assert sorted(parts["text"]) == ["180人", "320人"]
    assert set(parts["status"]) == {"pass"}
    sums = rows[is_sum(rows)]
    assert len(sums) == 1 and sums.iloc[0]["status"] == "pass"
    for text in ("500人", "320人", "180人"):
        assert text in sums.iloc[0]["message"]


def test_madeup_misspelt_county(madeup, madeup_texts):
    # 荷唐区桂花街道: 荷唐区 is one character from 荷塘区
    fails = failed(findings(madeup, "荷唐区举办社区运动会"))
    assert list(zip(fails["check"], fails["text"])) == [("place_name", "荷唐区")]
    row = fails.iloc[0]
    assert row["severity"] == "error"
    assert "荷塘区" in row["message"]
    text = madeup_texts["checks_fail.txt"]
    assert row["start"] == text.index("荷唐区桂花街道")  # the body's; the headline is not checked


def test_madeup_correct_county_passes(madeup):
    # 近年来,荷塘区不断完善养老服务体系。
    rows = findings(madeup, "荷塘区养老服务网络")
    places = rows[rows["check"] == "place_name"]
    assert list(places["status"]) == ["pass"]


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param("省防指要求各市县加强值班值守。", id="ge-shi-xian"),
        pytest.param("受上游来水影响,邻县部分乡镇受灾。", id="lin-xian"),
    ],
)
def test_common_words_are_not_misprints(tmp_path, sentence):
    page = f"茶陵县部署防汛工作\n\n株洲日报·掌上株洲讯(记者/方雨桐 通讯员/石磊){sentence}\n"
    (tmp_path / "p.txt").write_text(page, encoding="utf-8")
    rows = zz.load(tmp_path / "p.txt").checks
    assert failed(rows[rows["check"] == "place_name"]).empty


def test_madeup_repeated_word(madeup):
    # 组织志愿者开展入户走访走访活动
    fails = failed(findings(madeup, "天元区志愿者走访"))
    assert list(zip(fails["check"], fails["text"])) == [("repeated_word", "走访走访")]


def test_madeup_reduplication_is_fine(madeup):
    # 施工人员正把新管道一节一节地铺进沟槽
    rows = findings(madeup, "荷塘区老旧小区改造")
    repeated = rows[rows["check"] == "repeated_word"]
    assert list(repeated["status"]) == ["pass"]


def test_madeup_share_above_100_percent(madeup):
    # 城区绿化覆盖率已达到120%
    fails = failed(findings(madeup, "渌口区城区绿化"))
    assert list(fails["check"]) == ["percent_range"]
    assert "120%" in fails.iloc[0]["text"]


def test_madeup_growth_above_100_percent(madeup):
    # 接待游客人数同比增长150%,旅游收入同比增长90%。
    rows = findings(madeup, "醴陵市旅游市场")
    percent = rows[rows["check"] == "percent_range"]
    assert sorted(percent["text"]) == ["150%", "90%"]
    assert set(percent["status"]) == {"pass"}


def test_madeup_date_after_publication(madeup, madeup_texts):
    # published 2021-05-12; 2021年5月20日,攸县召开春季农业生产调度会
    fails = failed(findings(madeup, "攸县召开春季农业"))
    assert list(zip(fails["check"], fails["text"])) == [("date_after_publication", "2021年5月20日")]
    assert fails.iloc[0]["start"] == madeup_texts["checks_fail.txt"].index("2021年5月20日")
    assert PUBLISHED in fails.iloc[0]["message"]


def test_madeup_forecast_date_is_fine(madeup):
    # 预计2021年6月15日投入使用
    rows = findings(madeup, "攸县新建农贸市场")
    dated = rows[rows["check"] == "date_after_publication"]
    assert len(dated) and set(dated["status"]) == {"pass"}


def test_madeup_pass_page_has_no_failures(madeup):
    rows = madeup.checks[madeup.checks["source"] == "checks_pass.txt"]
    assert len(rows) and failed(rows).empty


def test_madeup_fail_page_has_one_failure_per_article(madeup):
    rows = madeup.checks[madeup.checks["source"] == "checks_fail.txt"]
    assert failed(rows).groupby("article_id").size().tolist() == [1] * 7


def test_madeup_rows_are_their_spans(madeup, madeup_texts):
    checks = madeup.checks[~is_sum(madeup.checks)]
    for row in checks.to_dict("records"):
        text = madeup_texts[row["source"]]
        assert 0 <= row["start"] <= row["end"] <= len(text)
        if row["text"]:
            assert text[row["start"] : row["end"]] == row["text"], row


# ---------------------------------------------------------------- 3. the CLI

def test_cli_check_sample(capsys):
    assert main(["check", str(SAMPLE)]) == 1
    out = capsys.readouterr().out
    assert "1.3万家" in out and "13万余家" in out
    assert "溇口区" in out and "巡查巡查" in out


def test_cli_check_clean_page(tmp_path, capsys):
    folder = write_pages(tmp_path, ["checks_pass.txt"])
    assert main(["check", str(folder / "checks_pass.txt")]) == 0
    out = capsys.readouterr().out
    assert "[error]" not in out and "[warning]" not in out


def test_cli_check_made_up_failures(tmp_path, capsys):
    folder = write_pages(tmp_path, ["checks_fail.txt"])
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    for text in ("1200个", "荷唐区", "走访走访", "2021年5月20日"):
        assert text in out, text


# ---------------------------------------------------------------- 4. issue 14 and 16

def test_sample_headline_figure_is_the_figures_row(sample):
    # The check reads the headline's figures from the figures table: the
    # 1.3万家 it disputes is that table's row with role headline.
    row = failed(sample.checks).set_index("text").loc["1.3万家"]
    heads = sample.figures[sample.figures["role"] == "headline"]
    match = heads[(heads["start"] == row["start"]) & (heads["end"] == row["end"])]
    assert list(match["text"]) == ["1.3万家"]
    assert match.iloc[0]["article_id"] == row["article_id"]


DECK_PAGE = (
    "青竹区开展安全大检查\n出动执法人员1200余人次\n\n"
    "株洲日报·掌上株洲讯(记者/刘芳 通讯员/何静)4月以来,青竹区在全区开展安全大检查,共出动执法人员900余人次。\n"
)


def test_deck_figure_is_compared(tmp_path):
    # Made up for this test: the deck says 1200余人次, the body 900余人次.
    path = tmp_path / "deck.txt"
    path.write_text(DECK_PAGE, encoding="utf-8")
    t = zz.load(path)
    rows = t.checks[t.checks["check"] == "headline_vs_body"]
    assert list(zip(rows["status"], rows["text"])) == [("fail", "1200余人次")]
    row = rows.iloc[0]
    assert row["start"] == DECK_PAGE.index("1200余人次")
    assert row["message"].startswith("副题") and "900余人次" in row["message"]
    deck_rows = t.figures[t.figures["role"] == "deck"]
    assert list(deck_rows["start"]) == [row["start"]]


def test_deck_figure_that_agrees_passes():
    # tests/golden/madeup_pages/headline_deck_plain.txt: deck and body both print 900余人次.
    page = Path(__file__).resolve().parent / "golden" / "madeup_pages" / "headline_deck_plain.txt"
    text = page.read_text(encoding="utf-8")
    t = zz.load(page)
    rows = t.checks[t.checks["check"] == "headline_vs_body"]
    deck = rows[rows["start"] == text.index("900余人次")]
    assert list(zip(deck["status"], deck["text"])) == [("pass", "900余人次")]
    assert deck.iloc[0]["message"].startswith("副题")


def test_nothing_to_check_is_not_applicable(tmp_path):
    # Made up: an article with no figure, place, date or percentage; only the
    # repeated-word check has words to read.  Nothing else may say "pass".
    path = tmp_path / "quiet.txt"
    path.write_text("读书分享会举行\n\n株洲日报·掌上株洲讯(记者/刘芳 通讯员/何静)读书会上,大家畅谈读书心得,气氛热烈。\n", encoding="utf-8")
    t = zz.load(path)
    status = dict(zip(t.checks["check"], t.checks["status"]))
    assert len(t.checks) == 7
    assert status == {
        "beat_coverage": "not_applicable", "headline_vs_body": "not_applicable", "parts_vs_whole": "not_applicable",
        "place_name": "not_applicable", "repeated_word": "pass", "percent_range": "not_applicable",
        "date_after_publication": "not_applicable",
    }
    assert set(t.checks.loc[t.checks["status"] == "not_applicable", "severity"]) == {"info"}


def test_not_applicable_stands_alone(sample, madeup):
    # For an article and a check, a not_applicable row about the whole
    # article (no text) is the only row; one about a title figure the body
    # has no figure of its unit for names that figure.
    for checks in (sample.checks, madeup.checks):
        for _, rows in checks.groupby(["article_id", "check"]):
            whole = rows[(rows["status"] == "not_applicable") & (rows["text"] == "")]
            if len(whole):
                assert len(rows) == 1


def test_report_counts_what_had_nothing_to_check(sample):
    from zzdata.checks import render_report
    report = render_report(sample)
    idle = int((sample.checks["status"] == "not_applicable").sum())
    assert idle > 0 and f"{idle} 项无可核对" in report.splitlines()[0]
