"""Data: find the project's tables from wherever a notebook was started.

The notebooks live in notebooks/ but JupyterLab may be started anywhere in
the project; ``open_tables`` walks up from the working folder to the folder
holding data/ (or uses ZZDATA_HOME) and reads build/'s current version
(``store.current_folder``: the one ``build/current`` names) when it is up
to date, else builds the tables from data/ in memory.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root(start: Path | None = None) -> Path:
    """The nearest folder (from ``start`` upwards) with a data/ folder."""
    if os.environ.get("ZZDATA_HOME"):
        return Path(os.environ["ZZDATA_HOME"])
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data").is_dir():
            return folder
    raise FileNotFoundError(f"no data/ folder in {here} or above it; set ZZDATA_HOME to the project folder")


def _newest(folder: Path) -> float:
    return max((p.stat().st_mtime for p in folder.rglob("*") if p.is_file()), default=0.0)


def open_tables(start: Path | None = None, follow: bool = False):
    """The tables: build/'s current version when it is newer than data/
    (each table read from Parquet when first used), else built from data/.

    With ``follow``, and build/ holding tables, they follow build/
    (``live.LiveTables``): in a kernel (JupyterLab, Voilà) a one-line notice
    names the version shown, and the explorers built from them take the rows
    of each newer version ``zzdata build`` or ``zzdata watch`` publishes.
    Tables built in memory because build/ is older than data/ follow it too
    (the next version published is newer); without build/ nothing follows.

    >>> t = open_tables(follow=True)        # doctest: +SKIP
    >>> ex.flood_explorer(t)                # doctest: +SKIP
    """
    import zzdata as zz
    from zzdata.store import current_folder, is_built

    root = project_root(start)
    build = root / "build"
    tables, pointer = None, None
    if is_built(build):
        try:
            folder = current_folder(build)  # read once: a build publishing meanwhile does not mix versions
            pointer = folder.name if folder != build else None
            if _newest(folder) >= _newest(root / "data"):
                tables = zz.Tables.read(folder)
        except (ValueError, KeyError, OSError):
            pass  # written by another zzdata version, or pruned meanwhile: build afresh
    if not follow or pointer is None:
        return tables if tables is not None else zz.load(root / "data")
    from .live import LiveTables

    if tables is None:  # build/ is older than data/: shown from memory until a newer version is published
        live = LiveTables(zz.load(root / "data"), build, version=None, seen=pointer)
    else:
        live = LiveTables(tables, build, version=pointer)
    live.start()
    return live
