"""Charts: the curated charts of the notebooks, one function each.

Every function takes the tables (DataFrames) and returns a matplotlib
Figure whose caption names the article and sentence each number came from.
Figures of different units are drawn in separate panels, never summed.

>>> format_value(636000), format_value(35400), format_value(718), format_value(0.84)
('63.6万', '3.54万', '718', '0.84')
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .fonts import use_chinese_fonts

COLOURS = ("#1f5c99", "#c8553d", "#588b8b", "#f28f3b", "#8e6c8a", "#6a994e")
CAPTION_WIDTH = 70
PANELS_PER_ROW = 3
CAPTION_CHARS = 160


def format_value(value: float) -> str:
    """A number as a Chinese editor writes it: 万 and 亿 for large values."""
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{value / size:.3g}{word}"
    return f"{value:.3g}" if not float(value).is_integer() else f"{int(value)}"


def _unique(labels: list[str]) -> list[str]:
    """Bar labels made distinct (two bars with one label would overlap)."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _caption(rows: pd.DataFrame, articles: pd.DataFrame | None) -> str:
    """来源: the headline(s) and the sentence(s) the numbers came from."""
    heads = {}
    if articles is not None and len(articles):
        heads = dict(zip(articles["article_id"], articles["headline"]))
    lines = []
    for article_id, group in rows.groupby("article_id", sort=False):
        sentences = "；".join(dict.fromkeys(group["sentence"]))
        if len(sentences) > CAPTION_CHARS:
            sentences = sentences[:CAPTION_CHARS] + "……"
        lines.append(f"来源:《{heads.get(article_id, article_id)}》{sentences}")
    wrapped = [textwrap.fill(line, CAPTION_WIDTH) for line in lines[:3]]
    return "\n".join(wrapped)


def bars_by_unit(rows: pd.DataFrame, label: str, title: str, articles: pd.DataFrame | None = None):
    """Horizontal bars of ``rows.value`` labelled by ``rows[label]``, one
    panel per unit, captioned with the sentences they came from."""
    use_chinese_fonts()
    units = list(dict.fromkeys(rows["unit"])) or [""]
    columns = min(len(units), PANELS_PER_ROW)
    lines = -(-len(units) // columns)
    fig, axes = plt.subplots(lines, columns, figsize=(4.2 * columns + 1, 3.2 * lines + 0.4), squeeze=False)
    for ax in axes.flat[len(units) :]:
        ax.set_visible(False)
    for ax, unit, colour in zip(axes.flat, units, COLOURS * 10):
        part = rows[rows["unit"] == unit]
        ax.barh(_unique(part[label].astype(str).tolist()), part["value"].astype(float), color=colour)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_value(x)))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        for y, value in enumerate(part["value"].astype(float)):
            ax.text(value, y, " " + format_value(value), va="center", fontsize=9)
        ax.set_xlabel(f"单位:{unit}" if unit else "")
        ax.invert_yaxis()
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.25)
    fig.suptitle(title, fontsize=13)
    caption = _caption(rows, articles) if len(rows) else "(没有符合条件的数据)"
    fig.text(0.01, -0.02, caption, fontsize=8, va="top", color="#444444")
    fig.tight_layout()
    plt.close(fig)  # shown once, by the notebook's display of the returned figure
    return fig


def stockpile_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None):
    """防汛物资储备: stockpiles by material, one panel per unit."""
    rows = flood_prep[flood_prep["category"] == "stockpile"]
    return bars_by_unit(rows, "indicator", "防汛物资储备", articles)


def hazards_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None):
    """Hazards found vs fixed (排查 vs 整改)."""
    found = flood_prep[(flood_prep["category"] == "hazard") & (flood_prep["status"].isin(["排查", "发现"]))]
    fixed = flood_prep[flood_prep["indicator"] == "已整改隐患"]
    rows = pd.concat([found.assign(label="排查发现"), fixed.assign(label="已整改")])
    rows = rows.assign(unit="处/个")  # 个 and 处 both count hazards: one panel
    return bars_by_unit(rows, "label", "隐患排查与整改", articles)


def category_chart(flood_prep: pd.DataFrame, category: str, title: str, articles: pd.DataFrame | None = None):
    """Any flood-preparedness category (team, facility, training…)."""
    rows = flood_prep[flood_prep["category"] == category]
    return bars_by_unit(rows, "indicator", title, articles)


def rainfall_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None):
    """Rainfall against the normal: this year's total and the normal it
    implies (降水距平: 偏少36% means the normal is total / (1 - 0.36))."""
    total = flood_prep[flood_prep["indicator"] == "累计降水量"]
    anomaly = flood_prep[flood_prep["indicator"] == "降水距平"]
    rows = total.assign(label="今年累计")
    if len(total) and len(anomaly):
        share = anomaly["value"].iloc[0] / 100
        direction = -1 if "少" in anomaly["sentence"].iloc[0] else 1
        normal = total["value"].iloc[0] / (1 + direction * share)
        rows = pd.concat([rows, total.assign(label="历年同期(推算)", value=round(normal))])
    return bars_by_unit(rows, "label", "累计降水量与历年同期", articles)


def safety_chart(safety_stats: pd.DataFrame, articles: pd.DataFrame | None = None):
    """安全生产: the safety figures by indicator, one panel per unit."""
    return bars_by_unit(safety_stats, "indicator", "安全生产数据", articles)


def service_crosstab(service_actions: pd.DataFrame, rows: str = "category", columns: str = "place") -> pd.DataFrame:
    """Number of actions (distinct action_id) by two columns; "month" is
    derived from the date."""
    actions = service_actions.assign(month=service_actions["date"].astype("string").str[:7])
    actions = actions.drop_duplicates("action_id").fillna({rows: "", columns: ""})
    actions = actions.replace({rows: {"": "(未分类)"}, columns: {"": "(未注明)"}})
    return pd.crosstab(actions[rows], actions[columns])


def service_chart(service_actions: pd.DataFrame, articles: pd.DataFrame | None = None):
    """我为群众办实事: the figures of the selected actions by category."""
    who = service_actions["beneficiary"].where(service_actions["beneficiary"] != "", service_actions["actor"])
    who = who.fillna("").str.split("|").str[0]
    rows = service_actions.assign(label=service_actions["category"].replace("", "(未分类)") + "·" + who + " " + service_actions["text"])
    return bars_by_unit(rows, "label", "为群众办实事", articles)


def figures_chart(figures: pd.DataFrame, articles: pd.DataFrame | None = None, limit: int = 12):
    """The selected figures (amounts only), labelled by subject and text."""
    rows = figures[figures["is_amount"]].head(limit)
    rows = rows.assign(label=rows["subject"].fillna("") + " " + rows["text"])
    return bars_by_unit(rows, "label", "所选数字", articles)


def checks_summary(checks: pd.DataFrame) -> pd.DataFrame:
    """Findings by check and status (fail / pass)."""
    return pd.crosstab(checks["check"], checks["status"])


def checks_chart(checks: pd.DataFrame):
    """Stacked bars: how many checks failed and passed, by check."""
    use_chinese_fonts()
    table = checks_summary(checks).reindex(columns=["fail", "pass"], fill_value=0)
    fig, ax = plt.subplots(figsize=(7, 3.4))
    table.rename(columns={"fail": "待核对", "pass": "通过"}).plot.barh(stacked=True, ax=ax, color=["#c8553d", "#6a994e"])
    ax.set_xlabel("条数")
    ax.set_ylabel("")
    ax.set_title("核查结果")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    plt.close(fig)
    return fig


def sections_chart(articles: pd.DataFrame):
    """Articles and their lengths by section."""
    use_chinese_fonts()
    table = articles.assign(section=articles["section"].replace("", "(无栏目)")).groupby("section")["n_chars"].agg(["count", "sum"])
    fig, axes = plt.subplots(1, 2, figsize=(8, 3))
    axes[0].barh(table.index, table["count"], color=COLOURS[0])
    axes[0].set_xlabel("篇数")
    axes[1].barh(table.index, table["sum"], color=COLOURS[1])
    axes[1].set_xlabel("正文字数")
    for ax in axes:
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle("各栏目稿件")
    fig.tight_layout()
    plt.close(fig)
    return fig


CURATED = {
    "01-corpus": lambda t: sections_chart(t.articles),
    "02-service": lambda t: service_chart(t.service_actions, t.articles),
    "03-stockpiles": lambda t: stockpile_chart(t.flood_prep, t.articles),
    "03-hazards": lambda t: hazards_chart(t.flood_prep, t.articles),
    "04-safety": lambda t: safety_chart(t.safety_stats, t.articles),
    "05-figures": lambda t: figures_chart(t.figures, t.articles),
    "06-checks": lambda t: checks_chart(t.checks),
}
