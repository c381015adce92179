"""Reading: files and folders of exported page text → decoded, immutable text.

The decoded text is never rewritten: every offset of every later stage
points into ``Page.text``.  Line ends (LF, CRLF, CR) stay as printed; the
layout stage knows all three.  A byte-order mark is part of the encoding,
not of the text, so it is not in ``Page.text``.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "p.txt").write_bytes("株洲".encode("gb18030"))
>>> read_file(folder / "p.txt", "p.txt").encoding
'gb18030'
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Page:
    """One source file's decoded text (a file may hold several printed pages)."""

    source: str  # name relative to the folder given, or the file's own name
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
    """The bytes of a file are not text in any encoding zzdata recognises."""

    def __init__(self, message: str, offset: int | None = None, line: int | None = None, kind: str = "undecodable"):
        super().__init__(message)
        self.offset = offset
        self.line = line
        self.kind = kind  # "not_text" (a PDF, an image, binary data) or "undecodable"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode page bytes; return (text, encoding name).

    Recognises UTF-8 (with or without BOM), UTF-16 with BOM and GB18030
    (a superset of GBK and GB2312).  Raises DecodeError otherwise.

    >>> decode_bytes("一\\r\\n".encode("utf-16"))
    ('一\\r\\n', 'utf-16')
    >>> decode_bytes(b"\\xef\\xbb\\xbfA")
    ('A', 'utf-8-sig')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _strict(data, encoding), encoding
    for magic, kind in _NOT_TEXT:
        if data.startswith(magic):
            raise DecodeError(f"this is a {kind} file, not exported text: export the page as plain text (.txt)", 0, 1, "not_text")
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise DecodeError(
            f"binary data (NUL byte at byte {at}): not a text export; export the page as plain text",
            offset=at,
            line=_line_of(data, at),
            kind="not_text",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            at = utf8_error.start
            raise DecodeError(
                f"undecodable bytes at byte {at} (neither UTF-8 nor GB18030): re-export the page as UTF-8",
                offset=at,
                line=_line_of(data, at),
            ) from None


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(
            f"undecodable bytes at byte {error.start} for {encoding} (its byte-order mark says so): re-export the page",
            offset=error.start,
            line=_line_of(data, error.start),
        ) from None


def _line_of(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + (head.count(b"\r") - head.count(b"\r\n")) + 1


def read_file(path: Path, source: str) -> Page:
    """Read one file into a Page; raises DecodeError or OSError."""
    data = Path(path).read_bytes()
    text, encoding = decode_bytes(data)
    return Page(source=source, path=str(path), text=text, encoding=encoding)


def find_files(sources: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """Expand files and folders into (path, source name) pairs, sorted.

    A folder contributes its text files at any depth, named relative to the
    folder with forward slashes on every platform; a file keeps its own name.
    """
    found: list[tuple[Path, str]] = []
    for src in sources:
        root = Path(src)
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file() and path.suffix.lower() in TEXT_SUFFIXES:
                    found.append((path, path.relative_to(root).as_posix()))
        else:
            found.append((root, root.name))
    return found


MANIFEST = "manifest.csv"


def read_manifest(folder: Path) -> dict[str, dict[str, str]]:
    """Rows of ``folder/manifest.csv`` by file name (file, paper,
    publication_date, pages, note); an empty dict when there is none."""
    import csv

    path = Path(folder) / MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {row["file"].strip(): row for row in csv.DictReader(handle) if row.get("file")}
