"""The notebook side of zzdata: fonts, charts, widgets and exports.

It imports matplotlib and ipywidgets (the ``notebooks`` extra); the core
pipeline never imports it, so ``import zzdata`` stays light.

>>> from zzdata import explore as ex          # doctest: +SKIP
>>> t = ex.open_tables()                       # doctest: +SKIP
>>> ex.stockpile_chart(t.flood_prep, t.articles)  # doctest: +SKIP
"""

from .charts import (
    CURATED,
    bars_by_unit,
    category_chart,
    checks_chart,
    checks_summary,
    figures_chart,
    format_value,
    hazards_chart,
    printed,
    rainfall_chart,
    safety_chart,
    sections_chart,
    service_chart,
    service_crosstab,
    signed,
    stockpile_chart,
)
from .data import open_tables, project_root
from .explorers import (
    article_explorer,
    article_keywords,
    beat_explorer,
    beat_labels,
    beats_overview,
    findings,
    checks_explorer,
    figure_explorer,
    flood_explorer,
    safety_explorer,
    service_explorer,
)
from .export import export_all, export_button, export_charts, export_workbook
from .fonts import font_path, use_chinese_fonts
from .widgets import ALL, Explorer, filter_frame, highlight

__all__ = [
    "ALL",
    "CURATED",
    "Explorer",
    "article_explorer",
    "article_keywords",
    "bars_by_unit",
    "beat_explorer",
    "beat_labels",
    "beats_overview",
    "category_chart",
    "checks_chart",
    "checks_explorer",
    "checks_summary",
    "export_all",
    "export_button",
    "export_charts",
    "export_workbook",
    "figure_explorer",
    "figures_chart",
    "filter_frame",
    "findings",
    "flood_explorer",
    "font_path",
    "format_value",
    "hazards_chart",
    "highlight",
    "open_tables",
    "printed",
    "project_root",
    "rainfall_chart",
    "safety_chart",
    "safety_explorer",
    "sections_chart",
    "service_chart",
    "service_crosstab",
    "service_explorer",
    "signed",
    "stockpile_chart",
    "use_chinese_fonts",
]
