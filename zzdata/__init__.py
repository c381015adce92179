"""zzdata — newspaper page text to tidy tables, for editors and data desks.

>>> import zzdata as zz
>>> tables = zz.load("data")          # doctest: +SKIP
>>> tables.articles.headline.tolist()  # doctest: +SKIP
>>> [(b.name, b.table, b.label) for b in zz.registered_beats()][:1]  # doctest: +SKIP
[('flood', 'flood_prep', '防汛抗旱')]

Heavy modules (pandas, jieba) load on first use, so ``import zzdata`` is fast.
"""

__version__ = "0.1.0"

_LAZY = {
    "load": ("zzdata.pipeline", "load"),
    "build": ("zzdata.pipeline", "build"),
    "extract_figures": ("zzdata.pipeline", "extract_figures"),
    "Tables": ("zzdata.store", "Tables"),
    "query": ("zzdata.store", "query"),
    # Not "beats": once zzdata.beats is imported, zz.beats is that subpackage.
    "registered_beats": ("zzdata.beats", "registered"),
}

__all__ = sorted(_LAZY) + ["__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attribute = _LAZY[name]
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'zzdata' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, loaded or not, so tab completion finds them.

    >>> import zzdata
    >>> {"load", "extract_figures", "query", "Tables"} <= set(dir(zzdata))
    True
    """
    return sorted(set(globals()) | set(_LAZY))
