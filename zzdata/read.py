"""Reading: files and folders of exported page text → decoded, immutable text.

The decoded text is never rewritten: every offset of every later stage
points into ``Page.text``.  Line ends (LF, CRLF, CR) stay as printed; the
layout stage knows all three.  A byte-order mark is part of the encoding,
not of the text, so it is not in ``Page.text``.

Encodings are decided on evidence.  A byte-order mark, or bytes that are
valid UTF-8, decide at once.  Other bytes are decoded in every encoding a
Chinese page comes in (GB18030, Big5, UTF-16 without a mark) and in those
charset-normalizer guesses, and a decode is kept only when it reads as
Chinese: most of its Han characters common ones (``common_characters``),
hardly any control, private-use or unassigned characters.  Bytes that read
as Chinese in no encoding are a problem (``uncertain_encoding``) naming the
guesses, never garbage articles; a file whose head reads and whose tail
does not keeps its head (``read_bytes``).

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "p.txt").write_bytes("株洲".encode("gb18030"))
>>> read_file(folder / "p.txt", "p.txt").encoding
'gb18030'
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from collections.abc import Iterable

TEXT_SUFFIXES = (".txt", ".text")

# Files that are not text, whatever their name says (a PDF renamed .txt).
_NOT_TEXT = (
    (b"%PDF", "PDF"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"PK\x03\x04", "ZIP (or .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "Microsoft Office (.doc/.xls)"),
    (b"{\\rtf", "RTF"),
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings tried on bytes that are not UTF-8, in order of preference (the
# paper is printed on the mainland: GB18030, a superset of GBK and GB2312,
# wins a tie); charset-normalizer's guesses are tried after these.
_CANDIDATES = ("gb18030", "cp950", "big5hkscs", "utf-16-le", "utf-16-be")
_SAME_AS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "cp950"}  # decoded by the superset
COMMON_SHARE = 0.8  # of the Han characters, at least this many common ones
ODD_SHARE = 0.01  # of the other characters, at most this many control, private-use or unassigned
FOREIGN_SHARE = 0.05  # of the characters, at most this many letters of scripts neither Latin nor Han
MIN_EVIDENCE = 8  # Han characters needed before a decode with an uncommon one is believed
SAMPLE = 100_000  # characters counted
CHINESE_SHARE = 0.1  # of the letters, at least this many Han characters in Chinese text
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


@dataclass(frozen=True)
class Page:
    """One source file's decoded text (a file may hold several printed pages)."""

    source: str  # path relative to the source root, with forward slashes
    path: str
    text: str
    encoding: str


@dataclass(frozen=True)
class Problem:
    """Something that could not be read or understood, located in its file."""

    source: str
    kind: str
    message: str
    line: int | None = None  # 1-based
    offset: int | None = None  # byte offset for decoding errors, else character offset


class DecodeError(ValueError):
    """The bytes of a file are not text in any encoding zzdata recognises.

    ``kind`` is ``not_text`` (a PDF, an image, binary data), ``undecodable``
    or ``uncertain_encoding``; ``head``, when not None, is the (text,
    encoding) of the bytes before ``offset``, which read as Chinese."""

    def __init__(self, message: str, offset: int | None = None, line: int | None = None, kind: str = "undecodable",
                 head: tuple[str, str] | None = None):
        super().__init__(message)
        self.offset = offset
        self.line = line
        self.kind = kind
        self.head = head


@dataclass(frozen=True)
class Evidence:
    """How Chinese a decode reads: counts of its characters.

    >>> Evidence.of("gb18030", "本报讯 3月").reads_as_chinese()
    True
    """

    encoding: str
    text: str
    han: int  # Han characters
    common: int  # of which common (``common_characters``)
    odd: int  # control (but tab and line ends), private-use, unassigned or replacement characters
    letters: int  # letters of other scripts
    foreign: int  # of which neither Latin nor Han: kana, Hangul, Cyrillic… (a misread Big5 page is full of kana)
    size: int  # characters that are not white space

    @classmethod
    def of(cls, encoding: str, text: str) -> Evidence:
        """Counted on the first SAMPLE characters (a 50 MB line is judged
        by its head), each distinct character looked at once."""
        common = common_characters()
        han = common_han = odd = letters = foreign = size = 0
        for ch, n in Counter(text[:SAMPLE]).items():
            if _HAN.match(ch):
                han += n
                common_han += n if ch in common else 0
            elif ch.isalpha():
                letters += n
                foreign += n if ch > "\u024f" else 0
            elif ch == "\ufffd" or unicodedata.category(ch) in ("Cc", "Co", "Cn", "Cs") and ch not in "\t\n\r\f\v":
                odd += n
            size += 0 if ch.isspace() else n
        return cls(encoding, text, han, common_han, odd, letters, foreign, size)

    def reads_as_chinese(self) -> bool:
        """Han characters, mostly common, and hardly an odd character; with
        fewer than MIN_EVIDENCE Han characters, every one common."""
        if not self.han or self.common < COMMON_SHARE * self.han or self.odd > ODD_SHARE * self.size:
            return False
        if self.foreign > FOREIGN_SHARE * self.size:
            return False
        return self.han >= MIN_EVIDENCE or self.common == self.han

    def reads_as_text(self) -> bool:
        """Chinese, or letters of no Han script with no odd character (English)."""
        return self.reads_as_chinese() or (not self.han and not self.odd and self.letters > 0)

    def describe(self) -> str:
        if not self.han:
            return f"{self.encoding} (no Chinese characters)"
        return f"{self.encoding} ({self.common / self.han:.0%} common Chinese characters, {self.odd} control or unassigned)"


@cache
def common_characters() -> frozenset[str]:
    """The common Han characters of both scripts: GB2312's level 1 (the
    3,755 most used characters of simplified Chinese, close to the 3,500
    常用字 list) and Big5's 5,401 常用字 (traditional).  Computed once from
    Python's codecs (a few milliseconds); no dictionary is loaded.

    >>> "株" in common_characters(), "儲" in common_characters(), "鍀" in common_characters()
    (True, True, False)
    """
    found = set()
    for lead in range(0xB0, 0xD8):  # GB2312 level 1: B0A1–D7F9
        found.update(_decoded(bytes([lead, trail]), "gb2312") for trail in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):  # Big5 常用字: A440–C67E
        trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
        found.update(_decoded(bytes([lead, trail]), "big5") for trail in trails if lead << 8 | trail <= 0xC67E)
    found.discard("")
    return frozenset(found)


def _decoded(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return ""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode page bytes; return (text, encoding name).

    A byte-order mark or valid UTF-8 decides; else the decode in GB18030,
    Big5, UTF-16 without a mark (or charset-normalizer's guess) that reads
    as Chinese, GB18030 first.  Raises DecodeError otherwise: ``not_text``,
    ``undecodable`` (with the head that reads, if any) or
    ``uncertain_encoding``.

    >>> decode_bytes("一\\r\\n".encode("utf-16"))
    ('一\\r\\n', 'utf-16')
    >>> decode_bytes(b"\\xef\\xbb\\xbfA")
    ('A', 'utf-8-sig')
    >>> decode_bytes("本報訊".encode("big5"))
    ('本報訊', 'cp950')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    for magic, kind in _NOT_TEXT:
        if data.startswith(magic):
            raise DecodeError(f"this is a {kind} file, not exported text: export the page as plain text (.txt)", 0, 1, "not_text")
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return _decode_on_evidence(data)


def _decode_on_evidence(data: bytes) -> tuple[str, str]:
    """Bytes that are not UTF-8: the candidate decode that reads best as
    Chinese; else UTF-16 English, a head that reads (a bad tail), clean
    text of another script (English in cp1252) or an error naming the guesses."""
    detected = _detected(data)
    readings = [Evidence.of(encoding, text) for encoding, text in _whole_decodes(data, detected)]
    chinese = [r for r in readings if r.reads_as_chinese()]
    if chinese:
        best = max(chinese, key=lambda r: (round(r.common / r.han - (r.odd + r.foreign) / max(r.size, 1), 2), -readings.index(r)))
        return best.text, best.encoding
    for reading in readings:  # NUL bytes: UTF-16 without a mark, if it reads as text (English, say)
        if b"\x00" in data and reading.encoding.startswith("utf-16") and reading.reads_as_text():
            return reading.text, reading.encoding
    error = _undecodable(data, detected)
    if error.head is not None:
        raise error
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise DecodeError(
            f"binary data (NUL byte at byte {at}): not a text export; export the page as plain text",
            offset=at, line=_line_of(data, at), kind="not_text",
        )
    if detected and detected[0].chaos <= 0.1:  # clean text of no Han script
        reading = Evidence.of(codecs.lookup(detected[0].encoding).name, str(detected[0]))
        if reading.reads_as_text() and not reading.han:
            return reading.text, reading.encoding
    if readings:
        guesses = "; ".join(r.describe() for r in readings)
        named = ", ".join(dict.fromkeys(m.encoding for m in detected[:3])) or "none"
        raise DecodeError(
            f"uncertain encoding: the bytes read as Chinese in no encoding tried ({guesses}; charset-normalizer's "
            f"guesses: {named}): re-export the page as UTF-8",
            kind="uncertain_encoding",
        )
    raise error


def _whole_decodes(data: bytes, detected: list) -> list[tuple[str, str]]:
    """(encoding, text) of every candidate encoding that decodes all of ``data``."""
    found = []
    for encoding in _encodings(detected):
        try:
            found.append((encoding, data.decode(encoding)))
        except UnicodeDecodeError:
            pass
    return found


def _encodings(detected: list) -> list[str]:
    """The candidate encodings, then charset-normalizer's guesses (by
    codec name, a superset for a subset)."""
    names = list(_CANDIDATES)
    for match in detected:
        name = codecs.lookup(match.encoding).name
        name = _SAME_AS.get(name, name)
        if name not in names and name != "utf-8":
            names.append(name)
    return names


def _detected(data: bytes) -> list:
    """charset-normalizer's matches, best first (it samples a few chunks of
    a large file, so this stays fast)."""
    from charset_normalizer import from_bytes

    return list(from_bytes(data))


def _undecodable(data: bytes, detected: list) -> DecodeError:
    """The error for bytes no candidate decodes whole as Chinese, with the
    longest head that decodes and reads as Chinese (a UTF-8 head always
    counts as evidence; another needs MIN_EVIDENCE Han characters).  Bytes
    with a NUL have a head only in UTF-16: else they are binary."""
    heads = []
    for encoding in ("utf-8", *_encodings(detected)):
        if b"\x00" in data and not encoding.startswith("utf-16"):
            continue
        try:
            data.decode(encoding)
            continue
        except UnicodeDecodeError as error:
            end = error.start
        try:
            reading = Evidence.of(encoding, data[:end].decode(encoding))
        except UnicodeDecodeError:  # a stateful encoding cut mid-sequence
            continue
        if reading.reads_as_chinese() and (encoding == "utf-8" or reading.han >= MIN_EVIDENCE):
            heads.append((end, -len(heads), reading))
    if not heads:
        at = _utf8_error(data)
        return DecodeError(
            f"undecodable bytes at byte {at} (neither UTF-8, GB18030, Big5 nor UTF-16): re-export the page as UTF-8",
            offset=at, line=_line_of(data, at),
        )
    at, _, head = max(heads)
    return _tail_error(at, head.text, head.encoding)


def _tail_error(at: int, head: str, encoding: str) -> DecodeError:
    line = head.count("\n") + head.count("\r") - head.count("\r\n") + 1
    message = f"undecodable bytes at byte {at} in {encoding}: re-export the page as UTF-8"
    return DecodeError(message, offset=at, line=line, head=(head, encoding))


def _utf8_error(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start
    return 0


def _strict(data: bytes, encoding: str) -> str:
    """Decode bytes whose byte-order mark names their encoding; an error
    keeps the head before the bad bytes when it reads as Chinese."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        head = data[: error.start].decode(encoding)
        if Evidence.of(encoding, head).reads_as_chinese():
            raise _tail_error(error.start, head, encoding) from None
        raise DecodeError(
            f"undecodable bytes at byte {error.start} for {encoding} (its byte-order mark says so): re-export the page",
            offset=error.start, line=_line_of(data, error.start),
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + (head.count(b"\r") - head.count(b"\r\n")) + 1


def read_bytes(data: bytes, source: str, path: str = "") -> tuple[Page | None, tuple[Problem, ...]]:
    """One file's bytes → its Page (None when nothing in it can be read as
    a page) and the problems met, each located.

    A file whose head reads as Chinese and whose tail is undecodable keeps
    its head; the tail is a problem naming its line and byte.  A text with
    letters but (almost) no Han characters, English say, is a
    ``no_articles`` problem: it is not a page of the paper.

    >>> page, problems = read_bytes("标题\\n正文".encode("utf-8") + b"\\xff\\xfe", "a.txt")
    >>> page.text, [(p.kind, p.line, p.offset) for p in problems]
    ('标题\\n正文', [('undecodable', 2, 13)])
    >>> read_bytes(b"An English text.", "en.txt")[1][0].kind
    'no_articles'
    """
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as error:
        if error.head is None:
            return None, (Problem(source, error.kind, str(error), error.line, error.offset),)
        text, encoding = error.head
        lost = len(data) - error.offset
        message = (f"{error}; the text before it was read ({len(text):,} characters), "
                   f"the last {lost:,} bytes (from line {error.line} on) were not")
        return Page(source, path, text, encoding), (Problem(source, "undecodable", message, error.line, error.offset),)
    page = Page(source, path, text, encoding)
    reading = Evidence.of(encoding, text)
    if reading.letters and reading.han < CHINESE_SHARE * (reading.han + reading.letters):
        message = (f"no article found: the text holds no Chinese ({reading.han} Han characters, {reading.letters} letters "
                   "of other scripts in its first part); this is not a page of the paper, or it was exported in another language")
        return None, (Problem(source, "no_articles", message, None, None),)
    return page, ()


def read_file(path: Path, source: str) -> Page:
    """Read one file into a Page; raises DecodeError or OSError."""
    data = Path(path).read_bytes()
    text, encoding = decode_bytes(data)
    return Page(source=source, path=str(path), text=text, encoding=encoding)


def find_files(sources: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Expand files and folders into (path, source id) pairs, each file
    once: the sources in the order given, a folder's files sorted.

    The source id is the file's path relative to the source root, with
    forward slashes on every platform, so two files named page.txt in two
    folders stay apart.  The root of a folder is the folder, that of a file
    its folder (its id is its name); with several sources, the deepest
    folder holding all their roots.
    """
    sources = [Path(src) for src in sources]
    roots = [src if src.is_dir() else src.parent for src in sources]
    root = common_root(roots)
    found: dict[str, tuple[Path, str]] = {}
    for src, own in zip(sources, roots):
        base = os.path.abspath(root if root is not None else own)
        if not src.is_dir():
            absolute = os.path.abspath(src)
            found.setdefault(absolute, (src, relative_id(absolute, base)))
            continue
        top = os.path.abspath(src)
        for parts in page_files(src):
            absolute = os.path.join(top, *parts)
            source = "/".join(parts) if base == top else relative_id(absolute, base)
            found.setdefault(absolute, (src.joinpath(*parts), source))
    return list(found.values())


def page_files(folder: str | os.PathLike) -> list[tuple[str, ...]]:
    """The page files under ``folder`` (``TEXT_SUFFIXES``, any case), each
    as the names of its path below ``folder``, sorted as their paths sort;
    as ``Path.rglob``, folders linked by a symbolic link are not entered,
    and folders that cannot be read are passed over.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as top:
    ...     for name in ("b/2.TXT", "a/1.txt", "a-c/3.text", "a/notes.md"):
    ...         Path(top, name).parent.mkdir(exist_ok=True)
    ...         _ = Path(top, name).write_text("x", encoding="utf-8")
    ...     page_files(top)
    [('a', '1.txt'), ('a-c', '3.text'), ('b', '2.TXT')]
    """
    found: list[tuple[str, ...]] = []
    folders: list[tuple[str, tuple[str, ...]]] = [(os.fspath(folder), ())]
    while folders:
        where, parts = folders.pop()
        try:
            with os.scandir(where) as entries:
                listed = list(entries)
        except OSError:
            continue
        for entry in listed:
            try:
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append((entry.path, (*parts, entry.name)))
                elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in TEXT_SUFFIXES:
                    found.append((*parts, entry.name))
            except OSError:
                continue
    # Paths sort by their parts (case-blind on Windows), so 'a/1.txt' comes before 'a-c/3.text'.
    return sorted(found, key=(lambda parts: tuple(p.lower() for p in parts)) if os.name == "nt" else None)


def relative_id(absolute: str, base: str) -> str:
    """The source id of the absolute path ``absolute`` with root ``base``
    (absolute too): ``source_id`` without its calls for the usual case, a
    path below its root.

    >>> relative_id(os.path.join(os.sep, "data", "2021", "page.txt"), os.path.join(os.sep, "data"))
    '2021/page.txt'
    """
    head = base if base.endswith(os.sep) else base + os.sep
    if absolute.startswith(head):
        return absolute[len(head):].replace(os.sep, "/")
    return Path(os.path.relpath(absolute, base)).as_posix()


def common_root(folders: list[Path]) -> Path | None:
    """The deepest folder holding all ``folders`` (None when there is none,
    as for folders on two Windows drives)."""
    if not folders:
        return None
    try:
        return Path(os.path.commonpath([os.path.abspath(f) for f in folders]))
    except ValueError:
        return None


def source_id(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with forward slashes.

    >>> source_id(Path("data/2021/page.txt"), Path("data"))
    '2021/page.txt'
    """
    return Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).as_posix()
