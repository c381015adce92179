"""Columns: the vocabulary of table columns, shared by the core tables
(``schema``) and the beats (``beats``), which declare their own tables'
columns from these pieces.

>>> [c.name for c in SPAN]
['start', 'end']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str  # "string", "int", "bool", "float"
    meaning: str
    example: str = ""


PROVENANCE = (
    Column("source", "string", "source file, relative to the folder given to build/load", "zhuzhou-daily-2021-04.txt"),
)
SPAN = (
    Column("start", "int", "first character, offset into the decoded source text", "2053"),
    Column("end", "int", "one past the last character (half-open [start, end))", "2120"),
)
FIGURE_VALUE = (
    Column("value", "float", "the number in base units", "636000"),
    Column("unit", "string", "unit as printed (in simplified characters), without 万/亿", "条"),
    Column("qualifier", "string", "exact, approx, over, under, at_least, at_most or range", "exact"),
)
FIGURE_LINK = (
    Column("figure_id", "string", "the figure this row came from (see figures; empty for stated zeros)", "f51c…"),
    Column("article_id", "string", "the article", "a3f0…"),
    *PROVENANCE,
    *SPAN,
    Column("text", "string", "the mention as printed", "63.6万条"),
    Column("sentence", "string", "the sentence that printed it", ""),
)
# What every beat row says of its figure: the open-vocabulary indicator, the
# taxonomy's category, the subject as written and the sign of a change.
MEASURE = (
    Column("indicator", "string", "the taxonomy's normalised name when one matches (lexicon/indicators.tsv), else the cleaned head of the subject", "编织袋"),
    Column("indicator_known", "bool", "true when the indicator comes from the taxonomy, false when it is the subject's head", "true"),
    Column("category", "string", "the kind of indicator (the taxonomy's, else from lexicon/categories.tsv by the subject's head word and the dimension)", "stockpile"),
    Column("subject", "string", "what is counted, as written", "编织袋"),
)
CHANGE = (
    Column("direction", "string", "up or down when the figure is a change against a baseline (偏少36% is down, never +36); empty otherwise", "down"),
    Column("baseline", "string", "what a change is measured against (去年同期, 历年同期…)", "历年同期"),
)
WHERE_WHEN = (
    Column("scope", "string", "the scope the sentence states (全市, 市、县…) or the place", "全市"),
    Column("place", "string", "the most specific place the sentence names", "渌口区"),
    Column("year", "int", "the year the figure refers to (its date, else the publication year), so an indicator lines up as a time series", "2021"),
)
ROUTING = (
    Column("routed_by", "string", "what put the figure on this beat: sentence, paragraph or article (the topic words of lexicon/topics.tsv)", "article"),
)
# The beat_note of a figure on a beat that its beat took and no row holds,
# with no reason given: a bug, which the beat_coverage check reports.
DROPPED = "dropped"
