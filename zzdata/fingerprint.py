"""Fingerprint: a digest of the code and data that turn a page into rows.

The build cache (``engine``) keys every file's result with it, and jieba's
prepared snapshot (``wordcut``) carries it in its name, so neither is ever
read by code other than the one that made it.  It covers zzdata's version,
every module of the core (not the notebook wing, ``explore/``, which reads
the tables but never makes them), the lexicons, and the versions of the
libraries that read the text.

>>> len(fingerprint())
24
"""

from __future__ import annotations

import hashlib
from pathlib import Path

LIBRARIES = ("jieba", "cn2an", "opencc")
_NOT_CORE = ("explore",)


def fingerprint() -> str:
    """A digest of zzdata's version, code and lexicons, and of the versions
    of the libraries that read the text: a cached result is reused only by
    the code that made it."""
    from importlib.metadata import PackageNotFoundError, version

    from . import __version__  # looked up at each call: a test changes it

    package = Path(__file__).resolve().parent
    h = hashlib.blake2b(__version__.encode("utf-8"), digest_size=12)
    for library in LIBRARIES:
        try:
            h.update(f"{library}={version(library)}".encode("utf-8"))
        except PackageNotFoundError:
            h.update(f"{library}=none".encode("utf-8"))
    for path in _sources(package):
        h.update(path.relative_to(package).as_posix().encode("utf-8") + b"\x00" + path.read_bytes())
    return h.hexdigest()


def _sources(package: Path) -> list[Path]:
    """The core's modules (those of its sub-packages too) and the lexicons."""
    code = [p for p in package.rglob("*.py") if p.relative_to(package).parts[0] not in _NOT_CORE]
    return sorted([*code, *package.glob("lexicon/*.tsv")])
