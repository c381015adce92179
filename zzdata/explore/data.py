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


def open_tables(start: Path | None = None):
    """The tables: build/'s current version when it is newer than data/
    (each table read from Parquet when first used), else built from data/."""
    import zzdata as zz
    from zzdata.store import current_folder, is_built

    root = project_root(start)
    build = root / "build"
    if is_built(build):
        try:
            version = current_folder(build)  # read once: a build publishing meanwhile does not mix versions
            if _newest(version) >= _newest(root / "data"):
                return zz.Tables.read(version)
        except (ValueError, KeyError, OSError):
            pass  # written by another zzdata version, or pruned meanwhile: build afresh
    return zz.load(root / "data")
