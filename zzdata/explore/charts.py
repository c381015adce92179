"""Charts: the curated charts of the notebooks, one function each.

Every function takes the tables (DataFrames) and returns a matplotlib
Figure whose caption names the article and sentence each number came from.
Figures of different units are drawn in separate panels, never summed; each
bar is annotated with the figure as printed, and a fall (direction "down",
偏少36%) is drawn below zero.

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


def signed(rows: pd.DataFrame) -> pd.Series:
    """Values with a fall below zero: direction "down" (beat tables) or
    comparison_direction "less" (figures) makes 偏少36% -36."""
    down = pd.Series(False, index=rows.index)
    for column, word in (("direction", "down"), ("comparison_direction", "less")):
        if column in rows:
            down |= rows[column].astype("string").fillna("") == word
    values = rows["value"].astype(float)
    return values.where(~down, -values.abs())


def printed(row) -> str:
    """What a bar is annotated with: the figure as printed, a change with
    its comparison (较历年同期偏少36%), a long mention (a stated zero) as
    its value.

    >>> printed(pd.Series({"text": "36%", "baseline": "历年同期", "sentence": "较历年同期偏少36%。", "value": 36.0, "unit": "%"}))
    '较历年同期偏少36%'
    """
    text, sentence, unit = _cell(row, "text"), _cell(row, "sentence"), _cell(row, "unit")
    baseline = _cell(row, "baseline") or _cell(row, "comparison_baseline")
    if text and baseline and baseline in sentence:
        start = sentence.find(baseline)
        start -= start > 0 and sentence[start - 1] == "较"
        end = sentence.find(text, start)
        if 0 <= end - start <= 12:
            return sentence[start : end + len(text)]
    if text and len(text) <= 10:
        return text
    return format_value(float(row["value"])) + unit


def _cell(row, column: str) -> str:
    """A row's text in ``column``, '' when missing or NA."""
    value = row.get(column)
    return "" if value is None or pd.isna(value) else str(value)


def bars_by_unit(rows: pd.DataFrame, label: str, title: str, articles: pd.DataFrame | None = None, sources: pd.DataFrame | None = None):
    """Horizontal bars of ``rows.value`` labelled by ``rows[label]``, one
    panel per unit, each bar annotated with its figure as printed (when
    rows have ``text``), captioned with the sentences of ``sources`` (by
    default the rows themselves)."""
    use_chinese_fonts()
    units = list(dict.fromkeys(rows["unit"])) or [""]
    columns = min(len(units), PANELS_PER_ROW)
    lines = -(-len(units) // columns)
    fig, axes = plt.subplots(lines, columns, figsize=(4.2 * columns + 1, 3.2 * lines + 0.4), squeeze=False)
    for ax in axes.flat[len(units) :]:
        ax.set_visible(False)
    for ax, unit, colour in zip(axes.flat, units, COLOURS * 10):
        part = rows[rows["unit"] == unit]
        values = signed(part) if len(part) else part["value"].astype(float)
        ax.barh(_unique(part[label].astype(str).tolist()), values, color=colour)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_value(x)))
        ax.xaxis.set_major_locator(MaxNLocator(4))
        notes = [printed(row) for _, row in part.iterrows()] if "text" in part else [format_value(v) for v in values]
        for y, (value, note) in enumerate(zip(values, notes)):
            ax.text(max(value, 0), y, f" {note}", va="center", fontsize=9)  # a fall's note right of zero
        if (values < 0).any():
            ax.axvline(0, color="#888888", linewidth=0.8)
            ax.set_xlim(right=max(values.max() * 1.35, abs(values.min()) * 0.8))  # room for the notes
        ax.set_xlabel(f"单位:{unit}" if unit else "")
        ax.invert_yaxis()
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.35)
    fig.suptitle(title, fontsize=13)
    sources = rows if sources is None else sources
    caption = _caption(sources, articles) if len(sources) else "(没有符合条件的数据)"
    fig.text(0.01, -0.02, caption, fontsize=8, va="top", color="#444444")
    fig.tight_layout()
    plt.close(fig)  # shown once, by the notebook's display of the returned figure
    return fig


def stockpile_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None):
    """防汛物资储备: the rows of category stockpile, one panel per unit."""
    rows = flood_prep[flood_prep["category"] == "stockpile"]
    return bars_by_unit(rows, "indicator", "防汛物资储备", articles)


FIXED_HAZARDS = "已整改隐患"  # the taxonomy's indicator for hazards fixed; found ones share category hazard


def hazards_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None):
    """Hazards found (category hazard, 排查/发现) vs fixed (已整改隐患)."""
    hazards = flood_prep[flood_prep["category"] == "hazard"]
    fixed = hazards[hazards["indicator"] == FIXED_HAZARDS]
    found = hazards[(hazards["indicator"] != FIXED_HAZARDS) & hazards["status"].isin(["排查", "发现"])]
    rows = pd.concat([found.assign(label="排查发现"), fixed.assign(label="已整改")])
    rows = rows.assign(unit="处/个")  # 个 and 处 both count hazards: one panel
    return bars_by_unit(rows, "label", "隐患排查与整改", articles)


def category_chart(flood_prep: pd.DataFrame, category: str, title: str, articles: pd.DataFrame | None = None):
    """Any category of a beat table (team, facility, training…)."""
    rows = flood_prep[flood_prep["category"] == category]
    return bars_by_unit(rows, "indicator", title, articles)


def rainfall_chart(flood_prep: pd.DataFrame, articles: pd.DataFrame | None = None):
    """Rainfall against the normal: this year's total, the change as printed
    (偏少36% drawn as -36%) and the normal it implies (total / (1 - 0.36));
    with no direction printed, no normal is inferred."""
    total = flood_prep[flood_prep["indicator"] == "累计降水量"]
    first = total.head(1)  # the change and the normal pair with the first total, from its own article
    anomaly = flood_prep[(flood_prep["indicator"] == "降水距平") & flood_prep["article_id"].isin(first["article_id"])].head(1)
    rows = [total.assign(label="今年累计")]
    if len(anomaly):
        change = anomaly.iloc[0]
        rows.append(anomaly.assign(label="较" + (_cell(change, "baseline") or "历年同期")))
        sign = {"down": -1, "up": 1}.get(_cell(change, "direction"), 0)
        if sign:
            normal = round(first["value"].iloc[0] / (1 + sign * change["value"] / 100))
            text = f"约{format_value(normal)}{first['unit'].iloc[0]}"
            rows.append(first.assign(label="历年同期(推算)", value=normal, text=text, direction="", baseline=""))
    return bars_by_unit(pd.concat(rows), "label", "累计降水量与历年同期", articles)


def safety_chart(safety_stats: pd.DataFrame, articles: pd.DataFrame | None = None):
    """安全生产: the safety figures by indicator, one panel per unit."""
    return bars_by_unit(safety_stats, "indicator", "安全生产数据", articles)


def service_crosstab(service_actions: pd.DataFrame, rows: str = "campaign", columns: str = "place") -> pd.DataFrame:
    """Number of actions (one row each) by two columns, e.g. campaign (the
    article's heading) × place; "month" is derived from the date."""
    actions = service_actions.assign(month=service_actions["date"].astype("string").str[:7])
    actions = actions.drop_duplicates("action_id").fillna({rows: "", columns: ""})
    actions = actions.replace({rows: {"": "(未注明)"}, columns: {"": "(未注明)"}})
    return pd.crosstab(actions[rows], actions[columns])


SERVICE_GROUPS = {"campaign": "小标题", "category": "类别", "place": "地点"}


def service_chart(service_actions: pd.DataFrame, articles: pd.DataFrame | None = None, by: str = "campaign"):
    """我为群众办实事: how many actions (one row each, never its figures)
    under each campaign (the article's heading), or each category or place."""
    actions = service_actions.drop_duplicates("action_id")
    counts = actions[by].fillna("").replace("", "(未注明)").value_counts(sort=False)
    rows = pd.DataFrame({"label": counts.index.astype(str), "value": counts.to_numpy(dtype=float), "unit": "项行动"})
    title = f"为群众办实事:各{SERVICE_GROUPS.get(by, by)}的行动数"
    return bars_by_unit(rows, "label", title, articles, sources=actions)


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
