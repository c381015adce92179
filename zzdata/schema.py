"""Schema: every table's columns, types and meanings, defined once.

The table builders order and type their columns from here, ``check_frame``
validates each table on every build, and ``render_markdown`` writes
docs/tables.md, the data dictionary editors read (a test keeps the file in
step with this module).  List-valued columns are strings joined by ``|``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache

from . import beats
from .columns import PROVENANCE, SPAN, Column

_CORE: dict[str, tuple[str, tuple[Column, ...]]] = {
    "articles": (
        "One row per article.",
        (
            Column("article_id", "string", "stable id from source and start offset", "a3f09c1d2e4b5"),
            *PROVENANCE,
            Column("page_id", "string", "the page the article starts on (see pages)", "p0c2d…"),
            Column("paper", "string", "the newspaper, from the manifest's paper column; empty when unknown", "株洲日报"),
            Column("publication_date", "string", "ISO date of the issue, empty when unknown", "2021-04-22"),
            Column("is_date_inferred", "bool", "true when the date was inferred (from the file name or the text), false when the manifest, a printed page header, a web release line or a dated dateline gives it, or it is unknown", "true"),
            Column("date_basis", "string", "where publication_date comes from, in order of trust: manifest, page (a printed page header), web (a 发布时间 line), dateline (本报2021年4月21日讯), filename or text (clause dates: inferred)", "text"),
            Column("section", "string", "section label printed on the page", "应急管理"),
            Column("outlet", "string", "the outlet a web page's 来源 line names; empty for printed pages", "株洲日报"),
            Column("kicker", "string", "line above the headline", "市科技局:"),
            Column("headline", "string", "the main title as printed (with its deck when printed on one line)", "首期灾害信息员培训班开讲"),
            Column("deck", "string", "subtitle below the headline", ""),
            Column("subheads", "string", "subheads in order, joined by |; two-line subheads joined by a space", "第一招:雪中送炭 温暖送到家,服务送上门"),
            Column("byline", "string", "the byline as printed", "株洲日报·掌上株洲讯(记者 王小明 通讯员/刘芳)"),
            Column("reporters", "string", "reporters (记者, 文/, 实习生), joined by |", "王小明"),
            Column("correspondents", "string", "correspondents (通讯员), joined by |", "刘芳"),
            Column("photographers", "string", "photographers from captions (…摄) and bylines (摄影, 图/), joined by |", "李钰"),
            Column("body", "string", "body text; paragraphs joined by a newline, broken paragraphs rejoined", ""),
            *SPAN,
            Column("n_chars", "int", "characters in body", "812"),
        ),
    ),
    "pages": (
        "One row per printed page found in a source file.",
        (
            Column("page_id", "string", "stable id from source and page start", "p0c2d…"),
            *PROVENANCE,
            Column("page_no", "int", "1-based page number within the file", "2"),
            Column("page_code", "string", "page id printed beside the editor credits", "1234567"),
            Column("section", "string", "section label printed on the page", "应急管理"),
            Column("editors", "string", "责任编辑, joined by |", "陈思远"),
            Column("art_editors", "string", "美术编辑, joined by |", "许苹"),
            Column("proofreaders", "string", "校对, joined by |", "杨卓"),
            Column("printed_date", "string", "date of a printed page header, empty when none", ""),
            *SPAN,
            Column("n_articles", "int", "articles starting on this page", "3"),
        ),
    ),
    "layout": (
        "Every character of every source has exactly one role; rows of a source tile its text.",
        (
            *PROVENANCE,
            Column("page_id", "string", "page the span lies on", "p0c2d…"),
            Column("article_id", "string", "article the span belongs to; empty for furniture and blanks", "a3f0…"),
            *SPAN,
            Column("role", "string", "headline, kicker, deck, subhead, byline, body, caption, furniture or blank", "caption"),
            Column("reason", "string", "why a title line opened an article (title above a byline, title then a lead, title under a box label, title opening a page…) or a heading stayed a subhead; empty for other roles", "title above a byline"),
            Column("text", "string", "the characters as printed", "李钰摄"),
        ),
    ),
    "figures": (
        "One row per quantity mention (a figure): in an article body, headline, kicker, deck, subhead or caption (see role), or outside every article.",
        (
            Column("figure_id", "string", "stable id from source and start offset", "f51c0e2a9b7d1"),
            Column("article_id", "string", "the article it was printed in (empty for extract_figures)", "a3f0…"),
            *PROVENANCE,
            *SPAN,
            Column("text", "string", "the mention as printed (rejoined when the layout broke it)", "近40万元"),
            Column("role", "string", "where it was printed: body, headline, kicker, deck, subhead, caption, or furniture (outside every article)", "headline"),
            Column("value", "float", "the number in base units, 万/亿 folded in", "400000"),
            Column("value_low", "float", "lowest value the words allow (empty when open)", ""),
            Column("value_high", "float", "value the words stay below (half-open), empty when open", "400000"),
            Column("unit", "string", "measure word or unit, one spelling per unit (个百分点 → 百分点, 块钱 → 块, ％ → %, 立方米每秒 → 立方米/秒; the printed form is in text), without 万/亿", "元"),
            Column("unit_known", "bool", "false when the unit is a measure word the unit lexicon lacks (300床, 5樘), kept from jieba's tags", "true"),
            Column("dimension", "string", "count, people, money, area, volume, length, mass, percent, age, duration…; ordinal, address, name, code and level (Ⅳ级) are not amounts", "money"),
            Column("qualifier", "string", "exact, approx, over, under, at_least, at_most or range", "under"),
            Column("subject", "string", "what is counted, from the words around it", "奶粉"),
            Column("comparison_direction", "string", "less or more when the figure is a change against a baseline", "less"),
            Column("comparison_baseline", "string", "what it is compared with", "历年同期"),
            Column("place", "string", "the most specific place the sentence names", "来园社区"),
            Column("date", "string", "ISO date or period the sentence refers to", "2021-04-16"),
            Column("sentence", "string", "the sentence that printed it", ""),
            Column("is_amount", "bool", "false for ordinals, addresses, numbers in names and codes: never sum those", "true"),
            Column("beat_table", "string", "the beat table that holds the figure (flood_prep, safety_stats, service_actions…); empty when none", "flood_prep"),
            Column("beat_note", "string", "why a figure printed on a beat is in no beat table: not_amount (ordinal, name, code), duration, age, background (service: the problem or setting, not an action), not_action (service: a rate, or the actors counted); dropped is a bug the beat_coverage check reports; empty otherwise", ""),
        ),
    ),
    "dates": (
        "One row per date mention in an article body, resolved against the publication date.",
        (
            Column("date_id", "string", "stable id from source and start offset", "d0b1…"),
            Column("article_id", "string", "the article it was printed in", "a3f0…"),
            *PROVENANCE,
            *SPAN,
            Column("text", "string", "the mention as printed", "4月12日"),
            Column("date", "string", "ISO date at the mention's granularity", "2021-04-12"),
            Column("date_start", "string", "first day it covers (ISO)", "2021-04-12"),
            Column("date_end", "string", "last day it covers (ISO, inclusive)", "2021-04-12"),
            Column("granularity", "string", "year, half, quarter, month, period, day or hour", "day"),
            Column("is_relative", "bool", "resolved against the publication date (今年, a month-day without a year…)", "true"),
            Column("sentence", "string", "the sentence it is in", ""),
        ),
    ),
    "checks": (
        "Fact-check findings, and the checks that ran and passed.",
        (
            Column("check", "string", "headline_vs_body, parts_vs_whole, place_name, repeated_word, percent_range, date_after_publication, beat_coverage", "headline_vs_body"),
            Column("status", "string", "fail, pass, or not_applicable (the check found nothing to check)", "fail"),
            Column("severity", "string", "error, warning or info (pass and not_applicable rows: info)", "error"),
            Column("article_id", "string", "the article checked", "a3f0…"),
            *PROVENANCE,
            *SPAN,
            Column("text", "string", "the text checked", "2.5万人"),
            Column("message", "string", "what an editor reads (Chinese)", "标题写「2.5万人」,正文写「25万余人」,请核对"),
        ),
    ),
    "problems": (
        "What could not be read or understood; the rest of the batch is built.",
        (
            *PROVENANCE,
            Column("line", "int", "1-based line in the file, empty when not known", "12"),
            Column("offset", "int", "byte offset for decoding problems, else character offset", "4096"),
            Column("kind", "string", "not_text, undecodable (a bad tail: the text before it is read), uncertain_encoding (read as Chinese in no encoding), unreadable, empty, no_articles (no Chinese text), overlong_line, bad_manifest_row (source is the manifest, line its line)…", "undecodable"),
            Column("message", "string", "what went wrong and what to do", ""),
        ),
    ),
}

_BEFORE_BEATS = ("articles", "pages", "layout", "figures", "dates")


class _Tables(Mapping):
    """Every table's (description, columns): the core tables, with each
    registered beat's table (``beats.registered()``) after ``dates``; read
    anew on each use, so a beat registered later is a table like the rest."""

    def _all(self) -> dict[str, tuple[str, tuple[Column, ...]]]:
        found = {name: _CORE[name] for name in _BEFORE_BEATS}
        found.update((b.table, (b.about, b.columns)) for b in beats.registered())
        found.update((name, spec) for name, spec in _CORE.items() if name not in _BEFORE_BEATS)
        return found

    def __getitem__(self, name: str) -> tuple[str, tuple[Column, ...]]:
        return self._all()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


TABLES: Mapping[str, tuple[str, tuple[Column, ...]]] = _Tables()


def table_names() -> list[str]:
    """Every table's name, in the order of the data dictionary.

    >>> table_names()[:5], table_names()[-2:]
    (['articles', 'pages', 'layout', 'figures', 'dates'], ['checks', 'problems'])
    """
    return list(TABLES)


_PANDAS_TYPES = {"string": "string", "int": "Int64", "bool": "boolean", "float": "Float64"}


def columns(table: str) -> list[str]:
    """Column names of a table, in order."""
    return [c.name for c in TABLES[table][1]]


def arrow_schema(table: str):
    """The Arrow (and Parquet) schema of a table.

    >>> arrow_schema("problems").field("line").type
    DataType(int64)
    """
    return _arrow_schema(tuple((c.name, c.dtype) for c in TABLES[table][1]))


@lru_cache(maxsize=None)
def _arrow_schema(columns: tuple[tuple[str, str], ...]):
    import pyarrow as pa

    types = {"string": pa.string(), "int": pa.int64(), "bool": pa.bool_(), "float": pa.float64()}
    return pa.schema([(name, types[dtype]) for name, dtype in columns])


def conform(table: str, frame):
    """Order and type a DataFrame's columns as the schema says; raises
    ValueError naming missing or unexpected columns."""
    names = columns(table)
    missing = [n for n in names if n not in frame.columns]
    extra = [n for n in frame.columns if n not in names]
    if missing or extra:
        raise ValueError(f"table {table}: missing columns {missing}, unexpected columns {extra}")
    types = {c.name: _PANDAS_TYPES[c.dtype] for c in TABLES[table][1]}
    return frame[names].astype(types)


def _cell(text: str) -> str:
    r"""A Markdown table cell: ``|`` escaped, line breaks as spaces.

    >>> _cell("a|b")
    'a\\|b'
    """
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r\n", " ").replace("\n", " ")


def render_markdown() -> str:
    """docs/tables.md: the data dictionary."""
    out = [
        "# Tables — the data dictionary",
        "",
        "Generated from `zzdata/schema.py` (run `zzdata schema > docs/tables.md`); do not edit by hand.",
        "Every row keeps `source` and a half-open `[start, end)` character span into the decoded",
        "source text. List-valued columns hold names joined by `|`.",
        "A page printed in traditional characters (繁體) keeps them in every column of the text as printed",
        "(text, sentence, headline, body, byline, section…); derived columns (unit, subject, place, names,",
        "indicator, messages) are in simplified characters.",
        "",
        "`zzdata build --out OUT` writes each build as a new version, `OUT/versions/<id>/`, and then names it",
        "in `OUT/current` (one step: readers see the old tables or the new, never a mix; the last two versions",
        "are kept, an older one is renamed `OUT/versions/.retired-<id>` and removed by the next build).",
        "A version holds each table as `<table>.csv` (UTF-8 with BOM, for Excel; text",
        "quoted, a missing value an empty cell, booleans `true`/`false`; `OUT/<table>.csv` are the current",
        "version's CSVs again) and as",
        "Parquet partitioned by the publication year and paper of each row's source file:",
        "`parquet/<table>/year=<YYYY or unknown>/paper=<paper or unknown>/part-<n>.parquet`, a partition's",
        "rows in part files of about 32 source files each (characters no file system takes are percent-encoded). `zz.Tables.read(OUT)` reads a table from",
        "Parquet when it is first used, and `years=`, `papers=` keep only those partitions. In `zzdata query`",
        "and `zz.query()`, `year` (an integer) and `paper` are columns of every table, NULL when unknown.",
        "A version's `_parts.jsonl` (format 3) lists its source files with their counts, row digests and the",
        "length and digest of their lines in each CSV (its first line holds the CSVs' sizes, times and header",
        "lengths, so each file's byte range is the sum of the lengths before it): a re-build copies the lines of",
        "unchanged files from there.",
        "",
        "Formula-safe CSV: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return (which",
        "Excel, LibreOffice and Google Sheets would run as a formula, e.g. a headline `=HYPERLINK(…)`) is",
        "written to the CSV files with a leading `'`, as OWASP advises against CSV injection; numbers are never",
        "changed. Parquet, `zz.load` and `zz.query` keep the text as printed, without the quote.",
        "",
    ]
    for name, (about, cols) in TABLES.items():
        out += [f"## {name}", "", about, "", "| column | type | meaning | example |", "|---|---|---|---|"]
        out += ["| " + " | ".join(_cell(str(v)) for v in (c.name, c.dtype, c.meaning, c.example)) + " |" for c in cols]
        out.append("")
    return "\n".join(out)
