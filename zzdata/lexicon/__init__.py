"""Lexicons: plain TSV package data, loaded lazily and cached.

Each file has a header row; lines starting with ``#`` are comments.

>>> rows = read_tsv("units.tsv")
>>> next(r for r in rows if r["surface"] == "万元")["factor"]
'10000'
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def read_tsv(name: str) -> tuple[dict[str, str], ...]:
    """Rows of a lexicon file as dicts keyed by its header."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header = lines[0].split("\t")
    return tuple(dict(zip(header, (line.split("\t") + [""] * len(header))[: len(header)])) for line in lines[1:])
