"""Beats: figures in a beat's own terms.  Each beat is a registered
component (``registry.Beat``) in a module of its own — ``flood``
(防汛抗旱 → flood_prep), ``safety`` (安全生产 → safety_stats),
``service`` (我为群众办实事 → service_actions) — and the schema, tables,
summary, ``zz.load`` and notebooks loop over ``registered()``.

``beat_tables`` routes an article's figures (``routing``: topic per
paragraph and sentence, the article's topic as the prior), hands each beat
its own, and notes every figure on a beat that reached no beat table, so
nothing on a beat is silently dropped.

>>> sorted(b.table for b in registered())[:3]
['flood_prep', 'safety_stats', 'service_actions']
"""

from __future__ import annotations

from dataclasses import dataclass

from ..columns import DROPPED
from .registry import ENTRY_POINT_GROUP, Beat, Passage, code_key, get, register, registered, unregister
from .routing import MIN_TOPIC_SCORE, Route, beats_of, paragraph_beats, route_figures, topic_scores

__all__ = [
    "ENTRY_POINT_GROUP", "MIN_TOPIC_SCORE", "Beat", "BeatResult", "Passage", "Route", "beat_tables", "beats_of", "code_key",
    "get", "register", "registered", "table_names", "topic_scores", "unregister",
]



@dataclass(frozen=True)
class BeatResult:
    """An article's rows of every beat table, and for each figure on a beat
    (by figure_id) the table holding it and the note when none does."""

    rows: dict[str, list[dict]]
    routes: dict[str, tuple[str, str]]


def table_names() -> list[str]:
    """The beat tables, in registry order."""
    return [b.table for b in registered()]


def beat_tables(article, figures, publication_date: str | None) -> BeatResult:
    """Route an article's figures to the beats and run each beat."""
    beats = {b.name: b for b in registered()}
    paragraphs = paragraph_beats(article, set(beats))
    routes = route_figures(article, figures, set(beats), paragraphs)
    rows: dict[str, list[dict]] = {b.table: [] for b in beats.values()}
    held: dict[str, tuple[str, str]] = {}
    for name, beat in beats.items():
        mine = [f for f in figures if f.figure_id in routes and routes[f.figure_id].beat == name]
        for f in mine:
            held[f.figure_id] = ("", routes[f.figure_id].note)
        taken = [f for f in mine if not routes[f.figure_id].note]
        spans = tuple((p.start, p.end) for p in paragraphs if p.beat == name)
        passage = Passage(article, tuple(taken), publication_date, {f.figure_id: routes[f.figure_id].routed_by for f in taken}, spans)
        rows[beat.table] = beat.rows(passage) if (taken or spans) else []
        covered = _covered(rows[beat.table])
        for f in taken:
            if f.figure_id in covered:
                held[f.figure_id] = (beat.table, "")
            else:
                held[f.figure_id] = ("", (beat.why_not(f) if beat.why_not else "") or DROPPED)
    return BeatResult(rows, held)


def _covered(rows: list[dict]) -> set[str]:
    found = set()
    for row in rows:
        if row.get("figure_id"):
            found.add(row["figure_id"])
        found.update(filter(None, (row.get("figure_ids") or "").split("|")))
    return found
