"""The beat registry: each beat is a component (``Beat``) that turns the
figures printed on its beat into the rows of its own table; everything
else (schema, tables, summary, ``zz.load``, the notebooks' filter lists)
loops over ``registered()``.

Built-in beats are the modules of this package that define ``BEAT``;
an installed package adds one through the ``zzdata.beats`` entry-point
group, and a script or a test through ``register``:

>>> from zzdata.columns import FIGURE_LINK
>>> toy = Beat("toy", "toy_stats", "玩具", "A toy beat.", FIGURE_LINK, lambda passage: [])
>>> register(toy) is toy, "toy_stats" in [b.table for b in registered()]
(True, True)
>>> unregister("toy")
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..columns import Column
    from ..figures import Figure
    from ..segment import Article

ENTRY_POINT_GROUP = "zzdata.beats"


@dataclass(frozen=True)
class Passage:
    """What a beat is given: one article, the amount figures routed to the
    beat (typed records, in order), what routed each (``routed_by`` by
    figure_id: sentence, paragraph or article) and the body ranges
    [start, end) on the beat."""

    article: "Article"
    figures: tuple["Figure", ...]
    publication_date: str | None
    routed_by: Mapping[str, str] = field(default_factory=dict)
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Beat:
    """A beat: its name (the ``beat`` column of the lexicon TSVs), its
    table and the table's columns, a Chinese label for editors, and
    ``rows(passage) -> list[dict]`` (one dict per row, keyed by the
    columns).  A row holds its figure in ``figure_id`` or several in
    ``figure_ids`` (joined by ``|``); a routed figure held by no row is
    reported, with ``why_not(figure) -> str`` when the beat says why.
    Its topic words are its rows of ``lexicon/topics.tsv`` and, for a beat
    that ships without package data, ``topic_words``."""

    name: str
    table: str
    label: str
    about: str
    columns: tuple["Column", ...]
    rows: Callable[[Passage], list[dict]]
    why_not: Callable[["Figure"], str] | None = None
    topic_words: tuple[tuple[str, int], ...] = ()  # (word, weight), beside its rows of lexicon/topics.tsv


_REGISTERED: dict[str, Beat] = {}
_DISCOVERED = False


def register(beat: Beat) -> Beat:
    """Add (or replace) a beat; returns it, so a module can write
    ``BEAT = register(Beat(...))``."""
    _REGISTERED[beat.name] = beat
    return beat


def unregister(name: str) -> None:
    """Remove a beat (tests register toy beats and take them away)."""
    _REGISTERED.pop(name, None)


def registered() -> tuple[Beat, ...]:
    """Every beat: built-ins first (this package's modules defining BEAT,
    by module name), then entry points, then those registered by hand."""
    _discover()
    return tuple(_REGISTERED.values())


def get(name: str) -> Beat:
    """The beat of that name (KeyError naming the known ones)."""
    for beat in registered():
        if beat.name == name:
            return beat
    raise KeyError(f"no beat {name!r}; beats: {', '.join(b.name for b in registered())}")


def code_key() -> str:
    """What the registered beats add to the build cache's key: each beat's
    name, table, columns and the module of its rows (with that module's
    source when it lives outside zzdata, whose code the fingerprint holds),
    so registering, removing or changing a beat re-processes the files.

    >>> code_key() == code_key()
    True
    """
    import hashlib
    import inspect
    import sys

    h = hashlib.blake2b(digest_size=8)
    for beat in registered():
        module = getattr(beat.rows, "__module__", "") or ""
        h.update(f"{beat.name}|{beat.table}|{','.join(c.name for c in beat.columns)}|{module}".encode("utf-8"))
        if not module.startswith("zzdata.") and module in sys.modules:
            try:
                h.update(inspect.getsource(sys.modules[module]).encode("utf-8"))
            except (OSError, TypeError):
                pass
    return h.hexdigest()


def _discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    _DISCOVERED = True
    package = __name__.rpartition(".")[0]
    found = {}
    for info in sorted(pkgutil.iter_modules(importlib.import_module(package).__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package}.{info.name}")
        if isinstance(getattr(module, "BEAT", None), Beat):
            found[module.BEAT.name] = module.BEAT
    found.update(_entry_points())
    by_hand = dict(_REGISTERED)
    _REGISTERED.clear()
    _REGISTERED.update(found)
    _REGISTERED.update(by_hand)


def _entry_points() -> dict[str, Beat]:
    from importlib.metadata import entry_points

    found = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        beat = point.load()
        if isinstance(beat, Beat):
            found[beat.name] = beat
    return found
