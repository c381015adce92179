# The notebook side tested in Python, without a browser: filters change the
# selection and the chart; charts show the sample's figures as read from the
# page (编织袋 63.6万条, 彩条布 74万平方米, 砂石料 3.54万立方, 块石 0.84万立方;
# hazards 699 found vs 593 fixed; rainfall 283毫米, 较历年同期偏少36%; the
# milk powder action 100件、1200罐、近40万元); exports open in Excel.
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import zzdata as zz  # noqa: E402
from zzdata import explore as ex  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def t():
    return zz.load(ROOT / "data")


def bar_values(fig) -> dict[str, float]:
    """Label → bar length, over every panel of a bars_by_unit figure."""
    found = {}
    for ax in fig.axes:
        labels = [tick.get_text() for tick in ax.get_yticklabels()]
        for label, patch in zip(labels, ax.patches):
            found[label] = patch.get_width()
    return found


def test_stockpile_chart_shows_the_stockpiles_by_unit(t):
    fig = ex.stockpile_chart(t.flood_prep, t.articles)
    bars = bar_values(fig)
    assert bars == {"编织袋": 636000, "彩条布": 740000, "砂石料": 35400, "块石": 8400}
    units = sorted(ax.get_xlabel() for ax in fig.axes)
    assert units == sorted(["单位:条", "单位:平方米", "单位:立方"])  # never summed across units
    caption = "".join(text.get_text() for text in fig.texts).replace("\n", "")
    assert "全市共储备编织袋63.6万条" in caption  # captioned with its sentence, rejoined


def bar_notes(fig) -> set[str]:
    """The annotations beside the bars (the figures as printed)."""
    return {text.get_text().strip() for ax in fig.axes for text in ax.texts}


def test_stockpile_bars_say_the_figures_as_printed(t):
    assert {"63.6万条", "74万平方米", "3.54万立方", "0.84万立方"} <= bar_notes(ex.stockpile_chart(t.flood_prep, t.articles))


def test_hazards_chart_found_vs_fixed(t):
    # 汛前已排查出度汛安全隐患699个,已整改593处: both category hazard, 已整改隐患 the fixed
    fig = ex.hazards_chart(t.flood_prep, t.articles)
    assert bar_values(fig) == {"排查发现": 699, "已整改": 593}
    assert {"699个", "593处"} <= bar_notes(fig)


def test_rainfall_chart_draws_the_fall_below_zero_and_infers_the_normal(t):
    # 今年以来全市平均累计降水量283毫米,较历年同期偏少36%
    fig = ex.rainfall_chart(t.flood_prep, t.articles)
    bars = bar_values(fig)
    assert bars["今年累计"] == 283
    assert bars["较历年同期"] == -36  # a fall, never +36
    assert bars["历年同期(推算)"] == pytest.approx(283 / 0.64, abs=1)
    assert "较历年同期偏少36%" in bar_notes(fig)  # the change as printed


def test_signed_makes_a_fall_negative():
    rows = pd.DataFrame({"value": [36.0, 12.0, 5.0], "direction": ["down", "up", ""]})
    assert ex.signed(rows).tolist() == [-36, 12, 5]


def test_flood_explorer_filters_change_table_and_chart(t):
    explorer = ex.flood_explorer(t)
    assert len(explorer.selection) == len(t.flood_prep)
    explorer.dropdowns["category"].value = "stockpile"
    assert set(explorer.selection["category"]) == {"stockpile"}
    assert set(explorer.dropdowns["indicator"].options) == {ex.ALL, "编织袋", "彩条布", "砂石料", "块石"}
    explorer.dropdowns["indicator"].value = "编织袋"
    assert explorer.selection["value"].tolist() == [636000]
    assert bar_values(explorer.figure) == {"编织袋": 636000}
    assert "63.6万条" in explorer.table.value


def test_flood_explorer_filters_taxonomy_indicators_and_years(t):
    explorer = ex.flood_explorer(t)
    assert set(explorer.dropdowns) == {"category", "indicator", "indicator_known", "year"}
    explorer.dropdowns["indicator_known"].value = "是"
    assert len(explorer.selection) == t.flood_prep["indicator_known"].sum()
    explorer.dropdowns["year"].value = "2021"
    assert set(explorer.selection["year"]) == {2021}
    assert "降水距平" in set(explorer.selection["indicator"])


def test_explorers_and_overview_follow_the_registry(t):
    beats = zz.registered_beats()
    assert [b.table for b in beats] == ["flood_prep", "safety_stats", "service_actions"]
    overview = ex.beats_overview(t)
    assert overview["表"].tolist() == [b.table for b in beats]
    assert overview["条线"].tolist() == ["防汛抗旱", "安全生产", "我为群众办实事"]
    assert overview["行数"].tolist() == [len(getattr(t, b.table)) for b in beats]
    explorer = ex.figure_explorer(t)
    assert set(explorer.dropdowns["beat"].options) <= {ex.ALL, *(b.label for b in beats)}
    explorer.dropdowns["beat"].value = "防汛抗旱"
    assert set(explorer.selection["beat_table"]) == {"flood_prep"}


def test_figure_explorer_search_and_filters(t):
    explorer = ex.figure_explorer(t)
    explorer.search_box.value = "编织袋"  # one sentence: 17个 warehouses, then the four stockpiles
    assert explorer.selection["text"].tolist() == ["17个", "63.6万条", "74万平方米", "3.54万立方", "0.84万立方"]
    explorer.dropdowns["unit"].value = "立方"
    assert explorer.selection["text"].tolist() == ["3.54万立方", "0.84万立方"]
    assert "<mark>3.54万立方</mark>" in explorer.table.value
    assert set(bar_values(explorer.figure)) == {"砂石料 3.54万立方", "块石 0.84万立方"}


def test_figure_explorer_date_range(t):
    explorer = ex.figure_explorer(t)
    explorer.date_boxes[0].value = "2021-04"
    explorer.date_boxes[1].value = "2021-04"
    dates = explorer.selection["date"].astype(str)
    assert len(dates) and dates.str.startswith("2021-04").all()


def test_service_explorer_place_filter(t):
    explorer = ex.service_explorer(t)
    assert {"campaign", "category"} <= set(explorer.dropdowns)
    explorer.dropdowns["place"].value = "来园社区"
    assert set(explorer.selection["place"]) == {"来园社区"}
    before = bar_values(explorer.figure)
    explorer.dropdowns["place"].value = "华兴村"
    assert bar_values(explorer.figure) != before


def test_service_chart_counts_actions_by_campaign(t):
    actions = t.service_actions
    bars = bar_values(ex.service_chart(actions, t.articles))
    assert sum(bars.values()) == len(actions)  # one row per action, each counted once
    assert bars["雪中送炭"] == (actions["campaign"] == "雪中送炭").sum()


def test_service_crosstab_counts_actions_not_figures(t):
    table = ex.service_crosstab(t.service_actions, "campaign", "place")
    # 100件, 1200罐 and 近40万元 are one action: the milk powder, under 雪中送炭
    milk = t.service_actions[t.service_actions["figures"].str.contains("1200罐", regex=False)]
    assert len(milk) == 1 and milk.iloc[0]["n_figures"] == 3
    assert table.loc["雪中送炭", milk.iloc[0]["place"]] >= 1
    assert table.values.sum() == len(t.service_actions) == t.service_actions["action_id"].nunique()


def test_findings_carry_context(t):
    found = ex.findings(t)
    row = found[found["check"] == "headline_vs_body"].iloc[0]
    assert "1.3万家" in row["context"] and row["headline"].endswith("运营平稳")


def test_export_writes_workbook_csv_and_charts(t, tmp_path):
    written = ex.export_all(t, tmp_path)
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "zzdata.xlsx", read_only=False)
    assert "flood_prep" in book.sheetnames and "articles" in book.sheetnames
    assert book["flood_prep"].freeze_panes == "A2"
    header = [c.value for c in book["flood_prep"][1]]
    assert header == list(t.flood_prep.columns)
    assert (tmp_path / "articles.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert pd.read_csv(tmp_path / "articles.csv", encoding="utf-8-sig")["headline"].tolist() == t.articles["headline"].tolist()
    for name in ex.CURATED:
        assert (tmp_path / "charts" / f"{name}.png").stat().st_size > 1000
        assert (tmp_path / "charts" / f"{name}.svg").is_file()
    assert len(written) > 10


def test_open_tables_finds_data_from_a_subfolder(monkeypatch):
    monkeypatch.delenv("ZZDATA_HOME", raising=False)
    monkeypatch.chdir(ROOT / "notebooks")
    assert ex.project_root() == ROOT
