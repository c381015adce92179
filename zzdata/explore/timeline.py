"""Timeline: one indicator across issues and years, read from an archive.

A beat table's rows are figures printed in issues; over time an editor
asks how a figure moved: the stockpiles year on year, the safety figures
period by period, the service actions month by month and place by place.
The functions here put each row beside its issue's date (an inferred date
says so), pick one figure per period for a stock (the latest printed: a
stock reported in two issues is not twice the stock), count actions, and
draw the series with every point annotated as printed.

The archive is a folder ``zzdata build`` wrote: ``open_archive`` reads its
Parquet partitions lazily, only the years asked for.

>>> rows = pd.DataFrame({"indicator": ["编织袋", "编织袋", "编织袋"], "unit": ["条"] * 3,
...     "value": [6e5, 6.2e5, 7e5], "text": ["60万条", "62万条", "70万条"], "year": [2021, 2021, 2022],
...     "issue_date": ["2021-04-01", "2021-06-01", "2022-05-01"], "date_shown": ["", "", ""]})
>>> latest_per_period(rows, "year")[["period", "value", "printed"]].to_dict("list")
{'period': ['2021', '2022'], 'value': [620000.0, 700000.0], 'printed': ['62万条', '70万条']}
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .charts import COLOURS, EMPTY, normal_unit
from .fonts import use_chinese_fonts
from .labels import code_label, column_label, format_number, printed_figure, shown_date

ARCHIVE_VARIABLE = "ZZDATA_ARCHIVE"


def open_archive(folder: str | Path | None = None, years=None, papers=None):
    """The tables of a build folder (``zzdata build SRC --out FOLDER``),
    read lazily from its Parquet partitions, only ``years`` and ``papers``
    when given.  Without a folder: $ZZDATA_ARCHIVE, else the project's
    tables (``open_tables``)."""
    import zzdata as zz

    folder = folder or os.environ.get(ARCHIVE_VARIABLE)
    if not folder:
        from .data import open_tables

        return open_tables()
    return zz.Tables.read(folder, years=years, papers=papers)


def issues_overview(articles: pd.DataFrame) -> pd.DataFrame:
    """Per year of publication: issues (dates), articles, and articles
    whose date is inferred (from the text or the file name).

    >>> issues_overview(pd.DataFrame({"publication_date": ["2021-04-22", "2021-04-22", ""],
    ...     "date_basis": ["text", "text", ""]})).to_dict("list")
    {'年份': ['2021', '(日期不详)'], '期数': [1, 0], '稿件数': [2, 1], '日期为推断的稿件': [2, 0]}
    """
    dates = articles["publication_date"].astype("string").fillna("")
    basis = articles["date_basis"].astype("string").fillna("") if "date_basis" in articles else pd.Series("", index=articles.index)
    frame = pd.DataFrame({"year": dates.str[:4].replace("", "(日期不详)"), "date": dates, "inferred": basis.isin(["text", "filename"])})
    grouped = frame.groupby("year", sort=True)
    table = pd.DataFrame({
        "期数": grouped["date"].agg(lambda d: d[d != ""].nunique()),
        "稿件数": grouped.size(),
        "日期为推断的稿件": grouped["inferred"].sum().astype(int),
    })
    table = table.sort_index(key=lambda years: years.str.startswith("("))  # unknown last
    return table.rename_axis("年份").reset_index()


def most_reported(table: pd.DataFrame, articles: pd.DataFrame, n: int = 3, category: str | None = None) -> list[str]:
    """The ``n`` indicators printed in the most issues (an indicator to
    follow over time), of one ``category`` when given.

    >>> rows = pd.DataFrame({"indicator": ["甲", "乙", "甲"], "article_id": ["a", "b", "c"], "category": ["x"] * 3})
    >>> arts = pd.DataFrame({"article_id": ["a", "b", "c"], "publication_date": ["2020-01-01", "2020-01-01", "2021-01-01"]})
    >>> most_reported(rows, arts, 1)
    ['甲']
    """
    rows = table if category is None else table[table["category"].astype("string") == category]
    dated = rows.merge(articles[["article_id", "publication_date"]].drop_duplicates("article_id"), on="article_id", how="left")
    issues = dated.groupby("indicator", sort=False)["publication_date"].nunique()
    return issues.sort_values(ascending=False, kind="stable").index[:n].tolist()


def with_issue_dates(rows: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with their issue's date: ``issue_date`` (ISO, '' when
    unknown), ``date_shown`` (2021-04-22（推断） when inferred), ``month``
    (of the figure's own date, else the issue's) and, when missing,
    ``year``.  Rows keep their source and span."""
    keep = [c for c in ("article_id", "publication_date", "date_basis", "is_date_inferred") if c in articles]
    dated = rows.merge(articles[keep].drop_duplicates("article_id"), on="article_id", how="left")
    shown = [shown_date(row) if _has(row, "publication_date") else "(日期不详)" for _, row in dated.iterrows()]
    issue = dated["publication_date"].astype("string").fillna("")
    own = next((dated[c].astype("string").fillna("") for c in ("as_of", "date") if c in dated), issue)
    own = own.where(own.str.len() >= 7, issue)
    dated = dated.assign(issue_date=issue, date_shown=shown, month=own.str[:7])
    if "year" not in dated:
        dated = dated.assign(year=pd.to_numeric(issue.str[:4], errors="coerce").astype("Int64"))
    return dated.drop(columns=[c for c in ("publication_date", "date_basis", "is_date_inferred") if c in dated and c not in rows])


def _has(row, column: str) -> bool:
    value = row.get(column)
    return value is not None and not pd.isna(value) and str(value) != ""


def _period(rows: pd.DataFrame, by: str) -> pd.Series:
    if by == "year":
        return rows["year"].astype("string").fillna("(年份不详)")
    if by == "month":
        return rows["month"].astype("string").fillna("").replace("", "(月份不详)")
    if by == "period" and "period" in rows:  # a table's own period (safety: 2021-01-01/2021-04-22)
        return rows["period"].astype("string").fillna("").replace("", "(统计期不详)")
    return rows["issue_date"].astype("string").fillna("").replace("", "(日期不详)")


def latest_per_period(rows: pd.DataFrame, by: str = "year") -> pd.DataFrame:
    """One figure per indicator, normalised unit and period (``by``: year,
    month, issue, or the table's own period column): the one printed in the latest issue, as stocks and
    year-to-date totals are restated, never added.  Columns: period,
    indicator, unit, value, printed, issue_date, date_shown, issues (how
    many issues printed it in the period), and the row's provenance."""
    if not len(rows):
        return pd.DataFrame(columns=["period", "indicator", "unit", "value", "printed", "issue_date", "date_shown", "issues"])
    keyed = rows.assign(period=_period(rows, by), unit=rows["unit"].map(normal_unit), printed=[printed_figure(r) for _, r in rows.iterrows()])
    keyed = keyed.sort_values(["issue_date", "start"] if "start" in keyed else ["issue_date"], kind="stable")
    groups = keyed.groupby(["indicator", "unit", "period"], sort=False, dropna=False)
    latest = groups.tail(1).set_index(["indicator", "unit", "period"])
    latest["issues"] = groups["issue_date"].nunique()
    latest = latest.reset_index().sort_values(["indicator", "unit", "period"], kind="stable")
    front = ["period", "indicator", "unit", "value", "printed", "issue_date", "date_shown", "issues"]
    return latest[front + [c for c in latest.columns if c not in front]].reset_index(drop=True)


def indicator_series(table: pd.DataFrame, articles: pd.DataFrame, by: str = "year", category: str | None = None,
                     indicators: list[str] | None = None) -> pd.DataFrame:
    """A beat table's figures over time: rows of ``category`` (or the named
    ``indicators``) put beside their issues' dates, one per period
    (``latest_per_period``).

    Stockpiles year on year: ``indicator_series(t.flood_prep, t.articles, "year", "stockpile")``.
    """
    rows = table
    if category is not None:
        rows = rows[rows["category"].astype("string") == category]
    if indicators is not None:
        rows = rows[rows["indicator"].isin(indicators)]
    return latest_per_period(with_issue_dates(rows, articles), by)


def actions_by_month(service_actions: pd.DataFrame, articles: pd.DataFrame, by: str = "place") -> pd.DataFrame:
    """Service actions (one row each) counted by month (the action's date,
    else its issue's) and ``by`` (place, category, campaign), the columns
    and codes named in Chinese."""
    actions = with_issue_dates(service_actions.drop_duplicates("action_id"), articles)
    actions = actions.assign(month=actions["month"].replace("", "(月份不详)"))
    names = actions[by].map(lambda v: code_label(by, v) or "(未注明)")
    table = pd.crosstab(actions["month"], names)
    table.index.name, table.columns.name = column_label("month"), column_label(by)
    return table


def series_chart(series: pd.DataFrame, title: str, limit: int = 6):
    """Lines of one indicator per normalised unit across periods, one panel
    per unit (at most ``limit`` indicators a panel; the title says when
    cut), each point annotated with the figure as printed; a period whose
    issue date is inferred is noted under the chart."""
    use_chinese_fonts()
    units = list(dict.fromkeys(series["unit"])) if len(series) else []
    fig, axes = plt.subplots(1, max(1, len(units)), figsize=(5.5 * max(1, len(units)) + 0.5, 3.8), squeeze=False)
    notes, cut = [], False
    if not units:
        axes[0][0].axis("off")
        axes[0][0].text(0.5, 0.5, EMPTY, ha="center", va="center", fontsize=12, color="#666666", transform=axes[0][0].transAxes)
    for ax, unit in zip(axes.flat, units):
        part = series[series["unit"] == unit]
        names = list(dict.fromkeys(part["indicator"]))
        if len(names) > limit:
            names, cut = names[:limit], True
        periods = sorted(part["period"].astype(str).unique())
        position = _positions(periods)
        for name, colour in zip(names, COLOURS * 5):
            line = part[part["indicator"] == name].assign(x=lambda f: f["period"].astype(str).map(position)).sort_values("x")
            xs, ys = _broken_at_gaps(line["x"].tolist(), line["value"].tolist(), years=all(p.isdigit() for p in periods))
            ax.plot(xs, ys, marker="o", color=colour, label=name)
            for _, point in line.iterrows():
                ax.annotate(point["printed"], (point["x"], point["value"]), textcoords="offset points", xytext=(0, 6),
                            ha="center", fontsize=8)
        ax.set_xticks([position[p] for p in periods], periods, rotation=30 if len(periods) > 6 else 0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_number(y)))
        ax.yaxis.set_major_locator(MaxNLocator(5, integer=bool(part["value"].dropna().map(float.is_integer).all())))
        ax.set_ylim(0, max(float(part["value"].max()), 1) * 1.25)  # room above the highest note
        ax.margins(x=0.08)
        ax.set_title(f"单位:{unit}" if unit else "", fontsize=10, loc="left")
        ax.legend(fontsize=8, frameon=False)
        ax.spines[["top", "right"]].set_visible(False)
        inferred = part[part["date_shown"].astype(str).str.contains("推断")]
        if len(inferred):
            notes.append(f"{len(inferred)}个点所在的期数,出版日期为推断(见“日期依据”)。")
    fig.suptitle(title + (f"(每个单位只画前{limit}个指标)" if cut else ""), fontsize=13)
    notes.append("每个时期取最后一期报纸印出的数字(存量与累计数不相加)。")
    fig.text(0.01, -0.02, "\n".join(dict.fromkeys(notes)), fontsize=8, va="top", color="#444444")
    fig.tight_layout()
    plt.close(fig)
    return fig


def _broken_at_gaps(xs: list, ys: list, years: bool) -> tuple[list, list]:
    """The points of a line with a break (NaN) where a year is missing, so
    no line is drawn across a year without an issue.

    >>> _broken_at_gaps([2019, 2021, 2022], [1, 2, 3], years=True)
    ([2019, 2020.0, 2021, 2022], [1, nan, 2, 3])
    """
    if not years:
        return xs, ys
    out_x, out_y = [], []
    for k, (x, y) in enumerate(zip(xs, ys)):
        if k and x - xs[k - 1] > 1:
            out_x.append((x + xs[k - 1]) / 2)
            out_y.append(float("nan"))
        out_x.append(x)
        out_y.append(y)
    return out_x, out_y


def _positions(periods: list[str]) -> dict[str, float]:
    """Where each period sits on the axis: years by their number (a year
    with no issue leaves a gap), other periods one after another.

    >>> _positions(["2019", "2021"]), _positions(["2021-03", "2021-05"])
    ({'2019': 2019, '2021': 2021}, {'2021-03': 0, '2021-05': 1})
    """
    if all(p.isdigit() for p in periods):
        return {p: int(p) for p in periods}
    return {p: i for i, p in enumerate(periods)}


def counts_chart(table: pd.DataFrame, title: str, top: int = 8):
    """Stacked bars of a count crosstab (``actions_by_month``): periods
    along the axis, the ``top`` largest columns stacked (the rest as 其他,
    and the title says so), integer ticks."""
    use_chinese_fonts()
    fig, ax = plt.subplots(figsize=(8, 3.8))
    if table.empty:
        ax.axis("off")
        ax.text(0.5, 0.5, EMPTY, ha="center", va="center", fontsize=12, color="#666666", transform=ax.transAxes)
    else:
        order = table.sum().sort_values(ascending=False).index
        shown = table[order[:top]].copy()
        if len(order) > top:
            shown["其他"] = table[order[top:]].sum(axis=1)
            title += f"(只列行动最多的{top}个,其余并入“其他”)"
        colours = [plt.get_cmap("tab10")(i % 10) for i in range(shown.shape[1])]
        shown.plot.bar(stacked=True, ax=ax, color=colours, rot=90 if len(shown) > 8 else 0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("行动数")
        ax.set_xlabel(table.index.name or "")
        ax.legend(title=table.columns.name, fontsize=8, title_fontsize=8, frameon=False, bbox_to_anchor=(1, 1))
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title)
    fig.tight_layout()
    plt.close(fig)
    return fig


def display_series(series: pd.DataFrame) -> pd.DataFrame:
    """The series as an editor reads it: period, indicator, the figure as
    printed, the issue's date (inferred ones say so), how many issues
    printed it, and where (source, start, end)."""
    columns = [c for c in ("period", "indicator", "printed", "unit", "date_shown", "issues", "source", "start", "end") if c in series]
    names = {"period": "时期", "printed": "原文数字", "date_shown": "出版日期", "issues": "期数"}
    return series[columns].rename(columns=lambda c: names.get(c) or column_label(c))
