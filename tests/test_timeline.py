# Over time (zzdata/explore/timeline.py) on a small generated archive: the
# ``archive`` fixture (conftest.py) builds 12 files of benchmarks/corpus.py,
# each the sample page with its dates moved to the manifest's date and its
# figures scaled by the file's factor (benchmarks/corpus.py, file_plan).  The
# expected figures are worked out here from the manifest and that rule
# (编织袋63.6万条 × factor, printed with one decimal), not from zzdata's output.
import csv
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import zzdata as zz  # noqa: E402
from zzdata.explore import labels  # noqa: E402
from zzdata.explore import timeline as tl  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def manifest(archive: Path) -> list[dict]:
    with (archive.parent / "pages" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def factor(row: dict) -> float:
    return float(row["note"].split("×")[1].split(",")[0])


@pytest.fixture(scope="module")
def t(archive):
    return tl.open_archive(archive)


def test_stockpiles_year_on_year_take_the_latest_issue_of_each_year(archive, t):
    series = tl.indicator_series(t.flood_prep, t.articles, "year", category="stockpile")
    rows = manifest(archive)
    years = sorted({r["publication_date"][:4] for r in rows})
    bags = series[series["indicator"] == "编织袋"]
    assert bags["period"].tolist() == years  # one figure a year, never a sum
    for year in years:
        issues = [r for r in rows if r["publication_date"].startswith(year)]
        latest = max(issues, key=lambda r: r["publication_date"])
        row = bags[bags["period"] == year].iloc[0]
        assert row["printed"] == f"{63.6 * factor(latest):.1f}万条"
        assert row["issue_date"] == latest["publication_date"]
        assert row["issues"] == len(issues)
        assert row["source"].endswith(Path(latest["file"]).name)  # provenance kept


def test_reading_only_some_years(archive):
    some = tl.open_archive(archive, years=[2019])
    assert set(some.articles["publication_date"].str[:4]) == {"2019"}
    series = tl.indicator_series(some.flood_prep, some.articles, "year", indicators=["块石"])
    assert series["period"].tolist() == ["2019"]


def test_actions_by_month_count_each_action_once(t):
    table = tl.actions_by_month(t.service_actions, t.articles, "place")
    assert table.to_numpy().sum() == t.service_actions["action_id"].nunique()
    assert table.index.name == "月份" and table.columns.name == "地点"
    assert all(len(month) == 7 or "不详" in month for month in table.index)


def test_safety_figures_by_period(t):
    series = tl.indicator_series(t.safety_stats, t.articles, "period", category="enterprise")
    assert len(series) and set(series["indicator"]) <= set(t.safety_stats["indicator"])
    assert series.groupby(["indicator", "unit", "period"]).size().max() == 1


def test_inferred_issue_dates_say_so():
    # the sample page has no manifest row: its date comes from the text (inferred)
    sample = zz.load(ROOT / "data")
    dated = tl.with_issue_dates(sample.flood_prep, sample.articles)
    assert set(dated["date_shown"]) == {"2021-04-22（推断）"}
    assert "推断" in tl.display_series(tl.latest_per_period(dated, "year"))["出版日期"].iloc[0]


def _texts(fig) -> list[str]:
    fig.canvas.draw()  # a missing glyph warns, and pytest makes it an error
    return [text.get_text() for text in fig.findobj(matplotlib.text.Text) if text.get_text().strip()]


def test_series_chart_annotates_as_printed_in_chinese(t):
    series = tl.indicator_series(t.flood_prep, t.articles, "year", category="stockpile")
    fig = tl.series_chart(series, "防汛物资储备,逐年")
    texts = _texts(fig)
    assert set(series["printed"]) <= set(texts)
    assert not [text for text in texts if labels.has_ascii_code(text)]
    assert len([ax for ax in fig.axes if ax.get_visible()]) == series["unit"].nunique()  # one unit a panel


def test_counts_chart_integer_ticks_and_empty(t):
    fig = tl.counts_chart(tl.actions_by_month(t.service_actions, t.articles, "category"), "各月行动")
    _texts(fig)
    ax = fig.axes[0]
    low, high = ax.get_ylim()
    assert all(float(tick).is_integer() for tick in ax.get_yticks() if low <= tick <= high)
    assert not [text for text in _texts(fig) if labels.has_ascii_code(text)]
    empty = tl.counts_chart(pd.DataFrame(), "各月行动")
    assert "没有符合条件的数字" in _texts(empty)
    assert "没有符合条件的数字" in _texts(tl.series_chart(tl.latest_per_period(pd.DataFrame()), "空"))


def test_a_year_without_an_issue_breaks_the_line():
    """Made up: stockpiles printed in 2019 and 2021 but not in 2020; the line must not join 2019 to 2021."""
    import math

    import pandas as pd

    from zzdata.explore import timeline

    series = pd.DataFrame({
        "unit": ["条", "条", "条"], "indicator": ["编织袋"] * 3, "period": ["2019", "2021", "2022"],
        "value": [500000.0, 636000.0, 640000.0], "printed": ["50万条", "63.6万条", "64万条"],
        "date_shown": ["2019-04-22", "2021-04-22", "2022-04-22"],
    })
    fig = timeline.series_chart(series, "编织袋")
    ys = list(fig.axes[0].lines[0].get_ydata())
    assert len(ys) == 4 and math.isnan(ys[1])
