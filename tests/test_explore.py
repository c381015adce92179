# The notebook side tested in Python, without a browser: filters change the
# selection and the chart; charts show the sample's figures as read from the
# page (编织袋 63.6万条, 彩条布 74万平方米, 砂石料 3.54万立方, 块石 0.84万立方;
# hazards 699 found vs 593 fixed; rainfall 283毫米, 较历年同期偏少36%; the
# milk powder action 100件、1200罐、近40万元); exports open in Excel.
import html
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import zzdata as zz  # noqa: E402
from zzdata import explore as ex  # noqa: E402
from zzdata.explore import widgets  # noqa: E402

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
    units = sorted(ax.get_title(loc="left") for ax in fig.axes)
    assert units == sorted(["物资储备 · 单位:条", "物资储备 · 单位:平方米", "物资储备 · 单位:立方米"])  # never summed across units
    caption = "".join(text.get_text() for text in fig.texts).replace("\n", "")
    assert "全市共储备编织袋63.6万条" in caption  # captioned with its sentence, rejoined


def bar_notes(fig) -> set[str]:
    """The annotations beside the bars (the figures as printed)."""
    return {text.get_text().strip() for ax in fig.axes for text in ax.texts}


def fig_notes(fig) -> str:
    """The notes and caption under a chart, lines joined."""
    return "".join(text.get_text() for text in fig.texts).replace("\n", "")


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
    assert "−36%（偏少）" in bar_notes(fig)  # the change as printed, with its sign


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
    assert "63.6万条" in explorer.grid.df.to_csv(index=False)


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
    assert "<mark>3.54万立方</mark>" in explorer.grid.df.to_csv(index=False)
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
    assert header == [ex.column_label(c) for c in t.flood_prep.columns]  # Excel in Chinese, CSV keeps the names
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


# ---- charts an editor can trust (#16).  Sample cases read from the page:
# 参加人员近6千人次, 工贸行业总计13万余家 (the headline prints 1.3万家),
# 块石0.84万立方, 较历年同期偏少36%; made-up rows for vague figures
# (几十年), people counted with 人/名/位, and repeated subjects.


def test_hedged_figures_are_drawn_as_printed(t):
    training = ex.category_chart(t.flood_prep, "training", "培训演练", t.articles)
    assert "近6千人次" in bar_notes(training)
    assert "0.84万立方" in bar_notes(ex.stockpile_chart(t.flood_prep, t.articles))


def test_a_disputed_figure_is_marked_with_the_other_figure_below(t):
    fig = ex.safety_chart(t.safety_stats, t.articles, t.checks)
    assert "⚠总计13万余家" in bar_notes(fig)
    notes = fig_notes(fig)
    assert "⚠" in notes and "1.3万家" in notes  # the headline's figure, from the check's message
    assert "共计718家" in bar_notes(fig)  # the undisputed one is unmarked


def rows(**columns):
    n = max(len(v) for v in columns.values() if isinstance(v, list))
    base = {"article_id": "a", "source": "s", "sentence": "句。", "start": range(n), "end": range(1, n + 1)}
    return pd.DataFrame({**base, **columns})


def test_a_vague_figure_gets_no_bar_of_false_length():
    frame = rows(indicator=["党龄", "邻居"], category=["activity", "activity"], value=[83.0, 10.0],
                 unit=["年", "年"], qualifier=["exact", "approx"], text=["83年", "几十年"])
    fig = ex.bars_by_unit(frame, "indicator", "测试")
    assert bar_values(fig) == {"党龄": 83, "邻居": 0}
    assert any("几十年" in note and "约数" in note for note in bar_notes(fig))
    assert "几十年" in fig_notes(fig)


def test_people_share_one_unit_but_attendances_do_not():
    frame = rows(indicator=["特困学子", "独居老人", "志愿者", "参加人次"], category=["beneficiary"] * 4,
                 value=[12.0, 10.0, 30.0, 6000.0], unit=["位", "名", "人", "人次"], text=["12位", "10名", "30余人", "近6千人次"])
    fig = ex.bars_by_unit(frame, "indicator", "测试")
    titles = sorted(ax.get_title(loc="left") for ax in fig.axes if ax.get_visible())
    assert titles == ["受益群众 · 单位:人", "受益群众 · 单位:人次"]
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2


def test_bars_sharing_a_label_say_what_they_count():
    frame = rows(indicator=["群众", "群众", "群众"], subject=["问题", "解决方案", "问题"], category=["problem"] * 3,
                 place=["芦淞区", "芦淞区", "荷塘区"], value=[150.0, 24.0, 80.0], unit=["个"] * 3, text=["150个", "24个", "80个"])
    labels = list(bar_values(ex.bars_by_unit(frame, "indicator", "测试")))
    assert len(set(labels)) == 3 and "群众" not in labels
    assert any("荷塘区" in label for label in labels)


def test_a_chart_cut_to_top_n_says_so():
    frame = rows(indicator=[f"项{i}" for i in range(20)], category=["project"] * 20, value=[float(i) for i in range(20)],
                 unit=["个"] * 20, text=[f"{i}个" for i in range(20)])
    fig = ex.bars_by_unit(frame, "indicator", "测试", limit=5)
    assert set(bar_values(fig)) == {"项15", "项16", "项17", "项18", "项19"}
    assert "5" in fig._suptitle.get_text() and "最大" in fig._suptitle.get_text()


def test_an_empty_selection_says_so_in_words(t):
    fig = ex.bars_by_unit(t.flood_prep.iloc[0:0], "indicator", "测试")
    said = [text.get_text() for ax in fig.axes for text in ax.texts]
    assert said == ["没有符合条件的数字"]
    assert not any(ax.axison for ax in fig.axes if ax.get_visible())


def test_checks_chart_counts_not_applicable_apart_with_integer_ticks():
    checks = pd.DataFrame({"check": ["place_name", "place_name", "percent_range", "date_after_publication"],
                           "status": ["fail", "pass", "not_applicable", "not_applicable"]})
    fig = ex.checks_chart(checks)
    ax = fig.axes[0]
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == ["待核对", "无可核对", "通过"]
    fig.canvas.draw()
    ticks = [tick for tick in ax.get_xticks() if ax.get_xlim()[0] <= tick <= ax.get_xlim()[1]]
    assert all(float(tick).is_integer() for tick in ticks)
    summary = ex.checks_summary(checks)
    assert summary.loc["百分比范围", "无可核对"] == 1 and summary.loc["百分比范围", "通过"] == 0


def _all_text(fig) -> list[str]:
    fig.canvas.draw()  # lays out every text: a missing glyph warns (pytest makes it an error)
    found = [text.get_text() for text in fig.findobj(matplotlib.text.Text)]
    return [text for text in found if text.strip()]


@pytest.mark.parametrize("name", list(ex.CURATED))
def test_curated_charts_show_no_raw_codes(t, name):
    fig = ex.CURATED[name](t)
    texts = _all_text(fig)
    assert texts
    codes = [(text, ex.labels.has_ascii_code(text)) for text in texts if ex.labels.has_ascii_code(text)]
    assert codes == []


def test_inferred_publication_date_reads_as_inferred_in_captions(t):
    # the sample's date comes from the clause dates of the text (date_basis text)
    assert set(t.articles["date_basis"]) == {"text"}
    assert "2021-04-22（推断）" in fig_notes(ex.stockpile_chart(t.flood_prep, t.articles))

names = st.sampled_from(["群众", "问题", "党员", ""])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(names, names, st.sampled_from(["芦淞区", "荷塘区", ""]), st.sampled_from([2020, 2021])), max_size=12))
def test_distinct_labels_are_distinct_and_keep_their_base(cells):
    frame = pd.DataFrame(cells, columns=["indicator", "subject", "place", "year"])
    shown = ex.distinct_labels(frame, "indicator")
    assert len(shown) == len(frame) and len(set(shown)) == len(shown)
    assert all(label.startswith(base or "(未注明)") for label, base in zip(shown, frame["indicator"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e9, allow_nan=False), st.sampled_from(["down", "up", ""])), min_size=1, max_size=8))
def test_a_fall_is_never_drawn_above_zero(cells):
    frame = pd.DataFrame(cells, columns=["value", "direction"])
    values = ex.signed(frame)
    assert (values[frame["direction"] == "down"] <= 0).all()
    assert (values[frame["direction"] != "down"] >= 0).all()


# ---- layout without tight_layout (#16, item 8: a redraw within 0.5 s).  The
# charts are laid out from measured label widths (charts.fit_panels), so these
# tests draw them and check that no text is cut off at the figure's edge and
# that texts of neighbouring panels do not overlap.  Made-up rows: a long
# label, a long note, a fall below zero, a vague figure, many panels.


def _text_boxes(fig, dpi: int):
    """(owner, words, window extent) of every text drawn, after a draw:
    the figure's (suptitle, notes) owned by None, each axes' titles, notes,
    axis label, legend and the tick labels within its limits."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig.set_dpi(dpi)
    canvas = FigureCanvasAgg(fig)  # a closed pyplot figure's own canvas does not draw
    canvas.draw()
    renderer = canvas.get_renderer()
    owned = [(None, text) for text in (*fig.texts, fig._suptitle) if text is not None]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts = [ax.title, ax._left_title, ax._right_title, *ax.texts]
        if ax.axison:
            texts.append(ax.xaxis.label)
            for axis, (low, high) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
                texts += [tick.label1 for tick in axis.get_major_ticks() if min(low, high) <= tick.get_loc() <= max(low, high)]
        legend = ax.get_legend()
        texts += [*legend.get_texts(), legend.get_title()] if legend else []
        owned += [(ax, text) for text in texts]
    return [(owner, text.get_text(), text.get_window_extent(renderer)) for owner, text in owned
            if text.get_visible() and text.get_text().strip()]


def _assert_fits(fig, dpi: int = 96) -> None:
    boxes = _text_boxes(fig, dpi)
    width, height = fig.bbox.width, fig.bbox.height
    for _, words, box in boxes:
        assert box.x0 >= -1 and box.y0 >= -1 and box.x1 <= width + 1 and box.y1 <= height + 1, (words, box, width, height)
    for n, (owner, words, box) in enumerate(boxes):
        for other, other_words, other_box in boxes[n + 1 :]:
            if owner is not other and box.width and other_box.width:
                assert not box.overlaps(other_box), (words, other_words)


def long_rows():
    label = "党员先锋队志愿服务队与社区网格员联合巡查小组"  # made up: longer than any on the sample page
    return rows(indicator=[label, "问题", "降水距平", "邻居", "面积", "资金", "人员"],
                category=["team", "problem", "weather", "activity", "area", "fund", "beneficiary"],
                value=[3.0, 150.0, 36.0, 10.0, 5000.0, 30000.0, 12.0],
                direction=["", "", "down", "", "", "", ""],
                unit=["支", "个", "%", "年", "亩", "元", "名"],
                text=["3支", "150个", "36%", "几十年", "5000亩", "近3万元", "12名"])


@pytest.mark.parametrize("hinting", ["no_hinting", "default"])
@pytest.mark.parametrize("dpi", [96, 150])
def test_bar_charts_fit_every_label_in_the_figure(hinting, dpi):
    with matplotlib.rc_context({"text.hinting": hinting}):
        fig = ex.bars_by_unit(long_rows(), "indicator", "一个很长的标题:测试标签与注释是否完整显示在图中")
        assert len([ax for ax in fig.axes if ax.get_visible()]) == 6
        _assert_fits(fig, dpi)
        label = "党员先锋队志愿服务队与社区网格员联合巡查小组"
        assert label in [tick.get_text() for ax in fig.axes for tick in ax.get_yticklabels()]


def test_sample_charts_fit_in_the_figure(t):
    for fig in (ex.figures_chart(t.figures, t.articles, checks=t.checks), ex.safety_chart(t.safety_stats, t.articles, t.checks),
                ex.rainfall_chart(t.flood_prep, t.articles), ex.checks_chart(t.checks),
                ex.bars_by_unit(t.flood_prep.iloc[0:0], "indicator", "测试")):
        with matplotlib.rc_context(ex.charts.RENDERING):
            _assert_fits(fig)


def test_png_of_a_fitted_chart_is_the_figure_as_laid_out(t):
    import io

    from PIL import Image

    fig = ex.stockpile_chart(t.flood_prep, t.articles)
    width, height = Image.open(io.BytesIO(ex.charts.png_bytes(fig))).size
    assert abs(width - fig.get_figwidth() * 96) <= 1 and abs(height - fig.get_figheight() * 96) <= 1  # not cropped


def test_chart_speed_benchmark_runs(capsys):
    # a smoke run, so benchmarks/chart_speed.py does not rot; no timing is asserted
    import importlib.util

    spec = importlib.util.spec_from_file_location("chart_speed", ROOT / "benchmarks" / "chart_speed.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main([str(ROOT / "data"), "--quick"]) == 0
    printed = capsys.readouterr().out
    assert "median ratio new/png" in printed and "figure_explorer" in printed


def test_explorer_chart_is_drawn_once_and_says_how_long_it_took(t):
    explorer = ex.flood_explorer(t)
    explorer.dropdowns["category"].value = "stockpile"
    assert getattr(explorer.figure, ex.charts.FITTED)  # laid out by fit_panels: no cropping pass
    assert explorer.chart_seconds > 0
    assert f">{explorer.chart_seconds:.3f}</span>" in explorer.chart_text.value  # hidden, for the browser tests
    assert "0.84万立方" in explorer.chart_text.value


# ---- the explorers' chart on screen (#16, item 8): a BarChart shown as HTML
# (charts.bars_html, the browser sets its words), drawn by matplotlib only for
# the downloads, the notebooks and the README.  Both must show the same bars,
# words and signs; the sample's charts and made-up values (hypothesis) check it.
BAR_ROW = re.compile(
    r'<tr><th>(?P<label>[^<]*)</th><td class="zz-track"[^>]*><span style="width:(?P<start>[\d.]+)px"></span>'
    r'<span class="zz-bar[^"]*" style="width:(?P<width>[\d.]+)px;[^"]*"></span><span class="zz-note[^"]*">(?P<note>[^<]*)</span>'
)


def html_bars(page: str) -> dict[str, tuple[float, float, str]]:
    """Label → (start, width in pixels, note) of every bar of a bars_html page."""
    return {html.unescape(m["label"]): (float(m["start"]), float(m["width"]), html.unescape(m["note"])) for m in BAR_ROW.finditer(page)}


BAR_CHARTS = {
    "stockpiles": lambda t: ex.stockpile_chart(t.flood_prep, t.articles, t.checks),
    "hazards": lambda t: ex.hazards_chart(t.flood_prep, t.articles, t.checks),
    "rainfall": lambda t: ex.rainfall_chart(t.flood_prep, t.articles, t.checks),
    "safety": lambda t: ex.safety_chart(t.safety_stats, t.articles, t.checks),
    "service": lambda t: ex.service_chart(t.service_actions, t.articles),
    "figures": lambda t: ex.figures_chart(t.figures, t.articles, checks=t.checks),
    "empty": lambda t: ex.figures_chart(t.figures.iloc[0:0], t.articles),
}


@pytest.mark.parametrize("name", list(BAR_CHARTS))
def test_the_chart_on_screen_shows_what_the_drawn_chart_shows(t, name):
    with ex.charts.planned():
        chart = BAR_CHARTS[name](t)
    assert isinstance(chart, ex.charts.BarChart)
    drawn = BAR_CHARTS[name](t)  # outside planned(): the matplotlib figure, as before
    assert set(chart.words()) == set(widgets.chart_words(drawn))  # the same words, not one lost
    assert set(chart.words()) == set(widgets.chart_words(ex.charts.draw_bars(chart)))
    page = ex.charts.bars_html(chart)
    assert all(html.escape(word) in page for word in chart.words())
    bars, lengths = html_bars(page), bar_values(drawn)
    assert set(bars) == set(lengths)
    for panel in chart.panels:  # in a panel, every bar starts at one zero line: a fall ends there, a rise begins there
        zeros = set()
        for bar in panel.bars:
            start, width, note = bars[bar.label]
            assert note == bar.note and (width > 0) == (lengths[bar.label] != 0)
            if width:
                zeros.add(round(start + width if lengths[bar.label] < 0 else start))
        assert len(zeros) <= 1, (panel.title, zeros)


def test_the_sample_figures_on_screen_keep_their_printed_forms(t):
    with ex.charts.planned():
        picked = t.figures[t.figures["text"].isin(["近6千人次", "36%", "0.84万立方"])]  # as printed on the page
        page = ex.charts.bars_html(ex.figures_chart(picked, t.articles, checks=t.checks))
    notes = {note for _, _, note in html_bars(page).values()}
    assert {"近6千人次", "−36%（偏少）", "0.84万立方"} <= {n.lstrip(ex.charts.WARNING) for n in notes}
    with ex.charts.planned():  # the safety chart marks 总计13万余家, disputed by its headline's 1.3万家
        page = ex.charts.bars_html(ex.safety_chart(t.safety_stats, t.articles, t.checks))
    assert '<span class="zz-note zz-disputed">⚠总计13万余家</span>' in page and "1.3万家" in page
    assert '<span class="zz-note">共计718家</span>' in page  # the undisputed one is unmarked


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e7, allow_nan=False), st.sampled_from(["down", "up", ""])), min_size=1, max_size=10))
def test_html_bars_are_proportional_and_a_fall_ends_at_zero(cells):
    frame = rows(indicator=[f"项{i}" for i in range(len(cells))], category=["project"] * len(cells), unit=["个"] * len(cells),
                 value=[v for v, _ in cells], direction=[d for _, d in cells], text=[f"{v:g}个" for v, _ in cells])
    chart = ex.charts.bar_chart(frame, "indicator", "测试", limit=len(cells))
    bars = html_bars(ex.charts.bars_html(chart))
    lengths = {bar.label: bar.length for panel in chart.panels for bar in panel.bars}
    assert set(bars) == set(lengths) and len(lengths) == len(cells)
    low, high = min(0.0, *lengths.values()), max(0.0, *lengths.values())
    zero = (0 - low) / ((high - low) or 1) * ex.charts.TRACK_PIXELS
    for label, length in lengths.items():
        start, width, note = bars[label]
        assert note.strip()  # every bar says its figure
        assert start >= 0 and start + width <= ex.charts.TRACK_PIXELS + 1.05  # inside the track (a tiny bar is 1 px)
        expected = abs(length) / ((high - low) or 1) * ex.charts.TRACK_PIXELS
        slack = 0.11 if expected >= 1 or not length else 1.0  # a tiny bar is drawn 1 px wide
        assert abs((start + width if length < 0 else start) - zero) <= slack  # from the zero line, a fall to its left
        assert width == pytest.approx(max(expected, 1.0) if length else 0.0, abs=0.06)
