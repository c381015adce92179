"""The flood beat (防汛抗旱): the season, not only stockpiles — resources
(materials, equipment, teams, funds), preparation (inspections, hazards
found and fixed, drills, training) and the situation (rainfall, water
levels, people affected, moved or resettled, response levels), one row
per figure, each kind a ``category`` of ``lexicon/indicators.tsv``.
"""

from __future__ import annotations

from ..columns import CHANGE, FIGURE_LINK, FIGURE_VALUE, MEASURE, ROUTING, WHERE_WHEN, Column
from .measures import measure_columns, sentence_before
from .registry import Beat, Passage

_STATUS_WORDS = (
    "储备", "排查", "整改", "派出", "开展", "组织", "录入", "建成", "新建", "拥有", "转移", "发布",
    "编制", "修订", "出动", "投入", "下发", "检查", "发现", "消除", "完成", "安置", "受灾",
)


def status_of(figure) -> str:
    """The last status verb (储备, 排查, 整改…) before the figure in its sentence."""
    before = sentence_before(figure)
    found = [(before.rfind(w), w) for w in _STATUS_WORDS if w in before]
    return max(found)[1] if found else ""


def rows(passage: Passage) -> list[dict]:
    """One flood_prep row per figure routed to the beat."""
    found = []
    for f in passage.figures:
        row = measure_columns("flood", f, passage)
        row.update(status=status_of(f), as_of=f.date or passage.publication_date)
        found.append(row)
    return found


BEAT = Beat(
    name="flood",
    table="flood_prep",
    label="防汛抗旱",
    about="Flood season (防汛抗旱): resources, preparation and the situation, one row per figure printed on the beat.",
    columns=(
        *MEASURE,
        *FIGURE_VALUE,
        *CHANGE,
        *WHERE_WHEN,
        Column("status", "string", "what was done: 储备, 排查, 整改, 派出, 转移…", "储备"),
        Column("as_of", "string", "date of the figure, else the publication date", "2021-04-22"),
        *ROUTING,
        *FIGURE_LINK,
    ),
    rows=rows,
)
