"""Context: what a quantity counts and what it is compared with.

jieba (``prepared_jieba``: with zzdata's domain user dictionary,
``lexicon/words.tsv``, and the gazetteer's place names, ``lexicon/places.tsv``) cuts
only the sentences that hold a figure.  The subject of a figure is the noun
phrase right after its unit (12位特困学子), else the head noun after a
的 (10名…的独居老人), else the noun phrase right before it (编织袋63.6万条),
else the subject of the figure before it in the same sentence
(防汛应急队伍355支,共9608人 → the 9608 people are those teams).

>>> subject_of("全市共储备编织袋", "、彩条布")
'编织袋'
>>> subject_of("芦淞区", "特困学子与爱心企业家结对")
'特困学子'
>>> comparison_of("今年以来降水量较历年同期偏少")
('less', '历年同期')
"""

from __future__ import annotations

import io
import marshal
import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from .lexicon import read_tsv

_SENTENCE_END = re.compile(r"[。！？!?；;…\n]+[”’」』]?")
_CLAUSE_MARK = set(",，、。！？!?；;:：…\n()（）“”‘’《》「」 ")
# jieba's part-of-speech tags: a subject phrase starts with a noun-like word
# (_HEAD) and may go on through adjectives and measure-like words (项目清单, 爱心款).
_HEAD = {"n", "nz", "nt", "nl", "ng", "nr", "nrt", "nw", "vn", "an", "j", "b", "l", "eng", "x"}
_CONTINUE = _HEAD | {"a", "m", "q", "k"}
_PREDICATE = {"vn", "a", "an", "l", "x"}
# Heads too general to stand alone: the verb before them belongs to the phrase (参加人员, 受灾人口).
_GENERIC_HEADS = ("人员", "人数", "人口", "对象", "群众", "面积")
_MEASURE_TAILS = ("总数", "数量", "总量", "总额")
_NOT_SUBJECT = {
    "全部", "全体", "所有", "其中", "以上", "左右", "价值", "时间", "目前", "今年", "去年", "当天",
    "全市", "全区", "全县", "全省", "全国", "我市", "本市", "该市", "市", "县", "区", "各级", "共", "人", "人民币",
}
_LOCALITY = re.compile(r"^(?:我|全|本|该|各)?(?:市|区|县|镇|乡|省|国)$")
_COMPARE = re.compile(
    r"(?P<how>较|比|同比|环比|与)(?P<base>[^,，。；;、]{0,12}?)(?:相比)?[,，]?(?:分别|均|都|各|也)?"
    r"(?P<dir>增长|增加|上升|提高|提升|偏多|多出|多|高出|高|减少|下降|降低|偏少|少|低)了?$"
)
_CHANGE_ONLY = re.compile(r"(?P<dir>增长|增加|上升|提高|提升|减少|下降|降低|偏少|偏多)了?$")
_MORE = {"增长", "增加", "上升", "提高", "提升", "偏多", "多出", "多", "高出", "高"}
_BASELINE = {"同比": "去年同期", "环比": "上期"}


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
    from .engine import fingerprint

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


def sentences(text: str) -> list[tuple[int, int]]:
    """[start, end) of each sentence; the closing punctuation stays with it.

    >>> [("甲。乙!丙"[s:e]) for s, e in sentences("甲。乙!丙")]
    ['甲。', '乙!', '丙']
    """
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > start:
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause around [start, end) inside a sentence, between marks such
    as commas and enumeration commas."""
    left = start
    while left > 0 and sentence[left - 1] not in _CLAUSE_MARK:
        left -= 1
    right = end
    while right < len(sentence) and sentence[right] not in _CLAUSE_MARK:
        right += 1
    return left, right


def _forward_run(words: list[tuple[str, str]]) -> tuple[str, int]:
    """The noun phrase at the start of ``words`` and how many words it took.
    A person's name may head it but not extend it (老红军胡正先 → 老红军)."""
    taken = 0
    for k, (word, flag) in enumerate(words):
        if not _continues(word, flag) or (taken == 0 and flag not in _HEAD) or (taken and flag.startswith("nr")):
            break
        following = words[k + 1][1] if k + 1 < len(words) else ""
        if taken and (flag in _PREDICATE and not following.startswith(("n", "vn")) or word[0] in "无没不未"):
            break  # 企业运营平稳: 运营 is what the companies do, not part of them
        taken += 1
    return "".join(w for w, _ in words[:taken]), taken


def _continues(word: str, flag: str) -> bool:
    return flag in _CONTINUE and word not in _NOT_SUBJECT and bool(word.strip()) and not word[0].isdigit()


def _strip_locality(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while words and (_LOCALITY.match(words[0][0]) or words[0][0] in _NOT_SUBJECT or words[0][1] not in _HEAD):
        words = words[1:]
    return words


def subject_after(after: str) -> str:
    """The noun phrase a figure counts, read from the words after its unit."""
    words = tagged(after)
    if words and words[0][0] == "的":
        words = words[1:]
    run, taken = _forward_run(words)
    rest = words[taken:]
    if run and (not rest or rest[0][0] in _NOT_SUBJECT or rest[0][1][0] in "vdpcuxfrm" or rest[0][0][0] in "的无没不未"):
        return run
    if "的" in after:
        return _forward_run(tagged(after[after.rindex("的") + 1 :]))[0]
    return ""


def subject_before(before: str) -> str:
    """The noun phrase right before a figure (编织袋63.6万条)."""
    words = [w for w in tagged(before) if w[0].strip()]
    while words and words[-1][0] in ("等", "等等", "约", "有", "为", "是"):
        words.pop()
    run: list[tuple[str, str]] = []
    verb = ""
    for k in range(len(words) - 1, -1, -1):
        word, flag = words[k]
        if not _continues(word, flag) and word not in ("市", "县", "区"):
            if flag.startswith("v") and "".join(w for w, _ in run) in _GENERIC_HEADS:
                verb = word  # 参加人员
            break
        run.insert(0, (word, flag))
    phrase = verb + "".join(w for w, _ in _strip_locality(run))
    for tail in _MEASURE_TAILS:
        if phrase.endswith(tail) and len(phrase) > len(tail):
            phrase = phrase[: -len(tail)]  # 基站总数 → 基站
    return phrase


def subject_of(before: str, after: str) -> str:
    """Subject from the words around a figure, within its clause: words
    after it first, then before."""
    left = max((i + 1 for i, ch in enumerate(before) if ch in _CLAUSE_MARK), default=0)
    right = next((i for i, ch in enumerate(after) if ch in _CLAUSE_MARK), len(after))
    return subject_after(after[:right]) or subject_before(before[left:])


_DONE = re.compile(r"已[\u4e00-\u9fff]{1,3}$|已经[\u4e00-\u9fff]{1,3}$")


def carries_subject(between: str) -> bool:
    """May a figure take the subject of the figure before it?  Yes when the
    words between them hold no verb (355支,共9608人) or only a completion
    (收集问题150个,已解决126个); not across another action (责令停产整顿12家).

    >>> carries_subject(",共"), carries_subject(",已解决"), carries_subject(",责令停产整顿")
    (True, True, False)
    """
    words = [w for w, flag in tagged(between) if flag.startswith("v") and flag != "vn"]
    return not words or bool(_DONE.search(between.strip()))


def comparison_of(before: str, earlier_baseline: str | None = None) -> tuple[str | None, str | None]:
    """(direction, baseline) when the words right before a figure compare
    it: 较历年同期偏少 → ('less', '历年同期'); 同比增长 → ('more', '去年同期').
    A bare 下降/增长 takes the baseline named earlier in the sentence.

    >>> comparison_of("同比分别下降")
    ('less', '去年同期')
    >>> comparison_of("下降", "去年")
    ('less', '去年')
    """
    clauses = re.split(r"[,，;；。]", before)
    clause = clauses[-1]
    if len(clauses) > 1 and clauses[-2].endswith("相比"):
        clause = clauses[-2] + "," + clause  # 与去年同期相比,增长了
    match = _COMPARE.search(clause)
    before = clause
    if match:
        baseline = match.group("base").strip() or _BASELINE.get(match.group("how"))
        return _direction(match.group("dir")), baseline or None
    bare = _CHANGE_ONLY.search(before)
    if bare and earlier_baseline:
        return _direction(bare.group("dir")), earlier_baseline
    return None, None


def _direction(word: str) -> str:
    return "more" if word in _MORE else "less"
