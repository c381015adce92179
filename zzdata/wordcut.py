"""Wordcut: jieba, prepared once per process with zzdata's words.

``prepared_jieba`` adds the domain user dictionary (``lexicon/words.tsv``)
and the gazetteer's place names (``lexicon/places.tsv``, tagged ns) to
jieba; every stage that cuts words (layout's line ends, quantities, places,
context, beats, checks, and the notebooks' key words) goes through it, and
through ``tokens`` and ``tagged``, which remember the short windows they
were asked about.  The first process to prepare jieba keeps a snapshot of
it in the user's cache folder (``snapshot_folder``), named by the
``fingerprint`` of the code and lexicons; later processes load that.
"""

from __future__ import annotations

import io
import marshal
import os
import sys
from functools import lru_cache
from pathlib import Path

from .fingerprint import fingerprint
from .lexicon import read_tsv


SNAPSHOT_FOLDER_VARIABLE = "ZZDATA_CACHE_DIR"


def snapshot_folder() -> Path:
    """The folder of this user's jieba snapshot: ``$ZZDATA_CACHE_DIR``, else
    the platform's cache folder (``%LOCALAPPDATA%\\zzdata`` on Windows,
    ``~/Library/Caches/zzdata`` on macOS, ``$XDG_CACHE_HOME/zzdata`` or
    ``~/.cache/zzdata`` elsewhere)."""
    if os.environ.get(SNAPSHOT_FOLDER_VARIABLE):
        return Path(os.environ[SNAPSHOT_FOLDER_VARIABLE])
    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no home folder (a service account): the temporary folder, as jieba does
        import tempfile

        return Path(tempfile.gettempdir()) / (f"zzdata-{os.getuid()}" if hasattr(os, "getuid") else "zzdata")
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local") / "zzdata"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "zzdata"
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "zzdata"


def snapshot_path() -> Path:
    """Where jieba's prepared state for this code is kept: the name holds
    the fingerprint of zzdata's code and lexicons and jieba's version (and
    Python's, whose format marshal is), so a stale snapshot is never read."""
    return snapshot_folder() / f"jieba-{fingerprint()}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"


@lru_cache(maxsize=1)
def prepared_jieba():
    """jieba with zzdata's domain words (``lexicon/words.tsv``) and the
    gazetteer's place names (``lexicon/places.tsv``, tagged ns) added; every
    stage that cuts words uses this one.

    The first process to prepare it keeps a snapshot of the result (the
    dictionary with the words, and their tags) in ``snapshot_path()``, as
    jieba keeps its own model in the temporary folder; later processes load
    that, in about half the time, with the same words and tags."""
    import jieba

    jieba.setLogLevel(60)
    path = snapshot_path()
    if _load_snapshot(jieba, path):
        return jieba
    import jieba.posseg

    for row in read_tsv("words.tsv"):
        jieba.add_word(row["word"], freq=None, tag=row["tag"] or None)
    for row in read_tsv("places.tsv"):  # the gazetteer: places are words (ns), never split
        for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
            jieba.add_word(name, freq=None, tag="ns")
    jieba.posseg.dt.makesure_userdict_loaded()  # the words' tags, into the tagger's table
    _save_snapshot(jieba, path)
    return jieba


def _load_snapshot(jieba, path: Path) -> bool:
    """Load a snapshot into a jieba nobody has used yet; False (and nothing
    changed) when there is none, it does not read, or jieba was used."""
    if jieba.dt.initialized or "jieba.posseg" in sys.modules:
        return False
    try:
        version, freq, total, tags = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return False
    if version != jieba.__version__:
        return False
    tokenizer = jieba.dt
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = freq, total, True
    tokenizer.get_dict_file = io.BytesIO  # the tagger reads its tags from this file when imported: none, they come next
    try:
        import jieba.posseg
    finally:
        del tokenizer.get_dict_file
    jieba.posseg.dt.word_tag_tab = tags
    return True


def _save_snapshot(jieba, path: Path) -> None:
    import jieba.posseg

    data = marshal.dumps((jieba.__version__, jieba.dt.FREQ, jieba.dt.total, jieba.posseg.dt.word_tag_tab))
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(data)
        partial.replace(path)
    except OSError:  # a read-only folder: prepared the slow way next time too
        partial.unlink(missing_ok=True)
        return
    for stale in path.parent.glob("jieba-*.marshal"):  # of other code: never read again
        if stale != path:
            stale.unlink(missing_ok=True)


# The same short windows are tokenised again and again (a sentence's figures
# share their context; figures, places, beats and checks look at the same
# words), so the results of the last few thousand are kept.
_REMEMBERED = 8192


@lru_cache(maxsize=_REMEMBERED)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(prepared_jieba().lcut(text, HMM=False))


def tokens(text: str) -> list[str]:
    """jieba words of a short text (dictionary only, no new-word guessing)."""
    return list(_tokens(text))


@lru_cache(maxsize=_REMEMBERED)
def _tagged(text: str, guess_names: bool) -> tuple[tuple[str, str], ...]:
    prepared_jieba()
    import jieba.posseg

    return tuple((p.word, p.flag) for p in jieba.posseg.lcut(text, HMM=guess_names))


def tagged(text: str, guess_names: bool = False) -> list[tuple[str, str]]:
    """(word, part-of-speech) pairs; ``guess_names`` lets jieba's HMM group
    words it does not know (place and person names)."""
    return list(_tagged(text, guess_names))

