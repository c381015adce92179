"""Build the Chinese font that zzdata ships: zzdata/explore/fonts/NotoSansSC-zzdata.ttf.

Run by hand, not at install or test time, whenever the character set below or
the repository's own Chinese text changes enough that a test says a glyph is
missing (tests/test_fonts.py checks the font against data/*.txt):

    apt-get install fonts-noto-cjk            # Debian/Ubuntu: Noto Sans CJK
    .venv/bin/python scripts/make_font.py     # needs fontTools (a matplotlib dependency)

Options: ``--source PATH`` (default: the Debian package's
/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc), ``--out DIR``
(default: zzdata/explore/fonts), ``--check`` (build in memory, compare with the
committed file and exit 1 if it differs).

What it does, in order:

1. Opens the collection and picks the face whose name table says family
   "Noto Sans CJK SC", subfamily "Regular" (not a guessed index).
2. Collects the characters to keep: ASCII, Latin-1, General Punctuation
   (U+2000-206F), CJK Symbols and Punctuation (U+3000-303F), Halfwidth and
   Fullwidth Forms (U+FF00-FFEF), every character of GB2312 (found by decoding
   every two-byte code 0xA1A1-0xF7FE with Python's codec), a few chart symbols
   (℃ ‰ − × ± ≤ ≥ ...), every CJK character of every file under data/ and of
   every .py/.tsv/.ipynb/.md in the repository, and a short list of rarer
   characters used in Chinese names (堃 喆 ...), each only if the font has it.
   Anything still missing falls back at draw time to an installed system CJK
   font (see zzdata.explore.fonts.use_chinese_fonts).
3. Subsets with fontTools: all name records kept (copyright, licence and
   trademark notices stay inside the file, as the OFL asks); the 'locl' and
   vertical-writing features and tables dropped (so no Japanese/Korean/
   Traditional variant forms or vertical forms come along: the glyphs are the
   Simplified Chinese ones whatever the user's locale).
4. Converts the CFF (cubic) outlines to TrueType (quadratic) ones with
   fontTools' cu2qu (max error 1 unit of 1000/em), so matplotlib can embed the
   font in PDF and PostScript (Type 42) as well as draw it.  The TrueType
   outlines are unhinted; matplotlib renders without hinting anyway.
5. Renames the family to "Noto Sans SC zzdata" (a modified version; the font
   and the Debian copyright file name no Reserved Font Name, but a distinct
   name keeps it from being mistaken for the upstream font) and notes the
   modification in the description record.
6. Writes the font, OFL.txt (copyright notice from the font's name table + the
   SIL OFL 1.1 text from /usr/share/doc/fonts-noto-cjk/copyright) and
   README.md (source package and version, command, size, coverage) to --out,
   and prints the glyph count and size.

The output is deterministic: the same source font and the same repository text
give a byte-identical file (head.modified is kept from the source font).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import fontTools
from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEBIAN_PACKAGE = "fonts-noto-cjk"
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
DEFAULT_OUT = ROOT / "zzdata" / "explore" / "fonts"
FONT_FILE = "NotoSansSC-zzdata.ttf"

SOURCE_FAMILY = "Noto Sans CJK SC"
SOURCE_SUBFAMILY = "Regular"
FAMILY = "Noto Sans SC zzdata"
POSTSCRIPT_NAME = "NotoSansSCzzdata-Regular"
MAX_BYTES = 3 * 1024 * 1024
CU2QU_MAX_ERR = 1.0  # font units (1000 per em)

RANGES = {
    "ASCII": (0x20, 0x7E),
    "Latin-1": (0xA0, 0xFF),
    "General Punctuation": (0x2000, 0x206F),
    "CJK Symbols and Punctuation": (0x3000, 0x303F),
    "Halfwidth and Fullwidth Forms": (0xFF00, 0xFFEF),
}

# Symbols that turn up in chart labels and tables but are outside the ranges
# above (some are in GB2312 too; duplicates are harmless).
CHART_SYMBOLS = "℃℉‰−×÷±≤≥≈≠∞→←↑↓√%№￥€"

# Rarer characters used in Chinese given names and place names, many outside
# GB2312.  Not required (matplotlib falls back to a system CJK font per glyph);
# kept only if the source font has them.
RARE_NAME_CHARACTERS = (
    "堃喆甦犇淼焱垚鑫昇玥珺琎璟赟頔昳晗曌祎钰琨瑄瑀琰婧昊炜烨镕彧珏琦瑾熠"
    "芃浛沄煊骞旻玙璠堉焜翀珩楠琪燚皛靓玮祺禛禎昶晟瑷珅琮璐瑭"
)

# Features whose glyphs we do not want: 'locl' maps to Japanese, Korean and
# Traditional forms; the rest are for vertical writing, which matplotlib never does.
DROPPED_FEATURES = {"locl", "vert", "vrt2", "vkrn", "vpal", "vhal", "valt", "vchw"}
DROPPED_TABLES = ["VORG", "vhea", "vmtx"]

# Where the repository's own text is scanned (step 2).
SCAN_SUFFIXES = {".py", ".tsv", ".ipynb", ".md"}
SKIP_DIRS = {".git", ".venv", "venv", "build", "dist", "node_modules", "__pycache__",
             ".hypothesis", ".pytest_cache", ".ipynb_checkpoints"}


# --------------------------------------------------------------------------- characters

def gb2312_characters() -> set[str]:
    """Every character of GB2312, by decoding every valid two-byte code."""
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def gb2312_level1() -> set[str]:
    """GB2312 level-1 hanzi: rows 16-55 (lead bytes 0xB0-0xD7), 3755 characters."""
    return {c for c in gb2312_characters() if 0xB0 <= c.encode("gb2312")[0] <= 0xD7}


def is_cjk(ch: str) -> bool:
    """Wide/full-width characters (ideographs, CJK punctuation, kana, full-width
    forms) and the general-punctuation marks Chinese text uses (“” ‘’ … — ·)."""
    cp = ord(ch)
    return (unicodedata.east_asian_width(ch) in ("W", "F")
            or 0x2000 <= cp <= 0x206F or cp == 0xB7)


def repo_text_files(root: Path = ROOT) -> list[Path]:
    """Every file under data/, and every .py/.tsv/.ipynb/.md elsewhere in the repo."""
    found = set()
    data = root / "data"
    if data.is_dir():
        found.update(p for p in data.rglob("*") if p.is_file())
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not d.endswith(".egg-info"))
        for name in filenames:
            path = Path(dirpath) / name
            if path.suffix in SCAN_SUFFIXES:
                found.add(path)
    return sorted(found)


def repo_characters(root: Path = ROOT) -> dict[str, set[str]]:
    """The CJK characters of each scanned file, keyed by path relative to root."""
    out = {}
    for path in repo_text_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        chars = {c for c in text if is_cjk(c)}
        if chars:
            out[path.relative_to(root).as_posix()] = chars
    return out


def range_characters() -> set[str]:
    return {chr(cp) for lo, hi in RANGES.values() for cp in range(lo, hi + 1)}


# --------------------------------------------------------------------------- source

def debian_version(package: str = DEBIAN_PACKAGE) -> str:
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def english_name(font: TTFont, name_id: int) -> str | None:
    rec = font["name"].getName(name_id, 3, 1, 0x409)
    return rec.toUnicode() if rec else None


def pick_face(source: Path) -> TTFont:
    """The Simplified Chinese Regular face, found by its name table."""
    if source.suffix.lower() in (".ttc", ".otc"):
        faces = TTCollection(str(source)).fonts
    else:
        faces = [TTFont(str(source))]
    matches = [f for f in faces
               if english_name(f, 1) == SOURCE_FAMILY and english_name(f, 2) == SOURCE_SUBFAMILY]
    if len(matches) != 1:
        names = [(english_name(f, 1), english_name(f, 2)) for f in faces]
        raise SystemExit(f"expected one {SOURCE_FAMILY} {SOURCE_SUBFAMILY} face in {source}, "
                         f"found {len(matches)} among {names}")
    return matches[0]


# --------------------------------------------------------------------------- conversion

def cff_to_glyf(font: TTFont, max_err: float = CU2QU_MAX_ERR) -> None:
    """Replace the CFF table by glyf/loca with quadratic outlines (cu2qu)."""
    order = font.getGlyphOrder()
    glyphset = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyphset)
        # CFF contours run counter-clockwise, TrueType ones clockwise.
        glyphset[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
        glyphs[name] = tt_pen.glyph()

    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    glyf.compile(font)

    # TrueType wants lsb == xMin.
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        advance, _ = hmtx[name]
        hmtx[name] = (advance, glyph.xMin if hasattr(glyph, "xMin") else 0)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                 "maxStackElements", "maxSizeOfInstructions"):
        setattr(maxp, attr, 0)
    maxp.maxComponentElements = 0
    maxp.compile(font)  # recalculates glyph and point counts

    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font: TTFont, source_desc: str) -> None:
    """Give the modified font its own family name, keep every notice."""
    name = font["name"]
    version = english_name(font, 5) or ""
    version_number = version.split(";")[0].replace("Version ", "").strip()
    new = {
        1: FAMILY,
        2: "Regular",
        3: f"{version_number};zzdata;{POSTSCRIPT_NAME}",
        4: FAMILY,
        6: POSTSCRIPT_NAME,
    }
    for rec in name.names:
        if rec.nameID in new:
            rec.string = new[rec.nameID]
    for rec in name.names:
        if rec.nameID == 5:
            rec.string = f"{version}; zzdata subset"
    note = (f"Modified Version of {SOURCE_FAMILY} {SOURCE_SUBFAMILY} {version_number} "
            f"({source_desc}): subset for zzdata (Simplified Chinese: GB2312 and more), "
            f"outlines converted to TrueType. Made by scripts/make_font.py in zzdata.")
    old = english_name(font, 10)
    name.setName(f"{note} {old}" if old else note, 10, 3, 1, 0x409)


# --------------------------------------------------------------------------- build

def build(source: Path) -> tuple[bytes, dict]:
    face = pick_face(source)
    source_face = f"{english_name(face, 4)} ({english_name(face, 5)})"
    notices = [n for n in (english_name(face, 0), english_name(face, 7)) if n]
    cmap = face.getBestCmap()
    have = lambda chars: {c for c in chars if ord(c) in cmap}  # noqa: E731

    gb = gb2312_characters()
    per_file = repo_characters()
    repo = set().union(*per_file.values()) if per_file else set()
    rare = set(RARE_NAME_CHARACTERS)
    wanted = range_characters() | gb | set(CHART_SYMBOLS) | repo | rare
    kept = have(wanted)

    missing_gb = sorted(gb - kept)
    if missing_gb:
        raise SystemExit(f"source font lacks GB2312 characters: {''.join(missing_gb)}")
    data_chars = {c for path, chars in per_file.items() if path.startswith("data/") for c in chars}
    missing_data = sorted(data_chars - kept)
    if missing_data:  # e.g. emoji; matplotlib falls back for these
        print(f"note: data/ characters the source font lacks: {''.join(missing_data)}", file=sys.stderr)

    options = subset.Options()
    options.layout_features = [f for f in options.layout_features if f not in DROPPED_FEATURES]
    options.drop_tables += DROPPED_TABLES
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = True
    options.hinting = False
    options.desubroutinize = True
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in kept))
    subsetter.subset(face)

    cff_to_glyf(face)
    version = debian_version()
    rename(face, f"Debian {DEBIAN_PACKAGE} {version}")
    face.recalcTimestamp = False

    buf = io.BytesIO()
    face.save(buf)
    data = buf.getvalue()

    # Read back: the coverage numbers printed and written are those of the file.
    out_font = TTFont(io.BytesIO(data))
    out_cmap = out_font.getBestCmap()
    covered = lambda chars: sum(ord(c) in out_cmap for c in chars)  # noqa: E731
    level1 = gb2312_level1()
    hanzi = {c for c in gb if unicodedata.name(c, "").startswith("CJK UNIFIED")}
    stats = {
        "source": str(source),
        "debian_package": f"{DEBIAN_PACKAGE} {version}",
        "fonttools": fontTools.version,
        "source_face": source_face,
        "notices": notices,
        "glyphs": len(out_font.getGlyphOrder()),
        "codepoints": len(out_cmap),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "gb2312": f"{covered(gb)}/{len(gb)}",
        "gb2312_hanzi": f"{covered(hanzi)}/{len(hanzi)}",
        "gb2312_level1": f"{covered(level1)}/{len(level1)}",
        "repo_cjk": f"{covered(repo)}/{len(repo)}",
        "repo_cjk_outside_gb2312": "".join(sorted(c for c in repo - gb if ord(c) in out_cmap)),
        "data_cjk": f"{covered(data_chars)}/{len(data_chars)}",
        "rare_name_characters": "".join(sorted(c for c in rare - gb if ord(c) in out_cmap)),
        "ranges": {k: f"{sum(cp in out_cmap for cp in range(lo, hi + 1))}/{hi - lo + 1}"
                   for k, (lo, hi) in RANGES.items()},
        "scanned_files": len(per_file),
    }
    return data, stats


def ofl_text(notices: list[str]) -> str:
    """Copyright notice (font name table) + the OFL text from the Debian copyright file."""
    raw = DEBIAN_COPYRIGHT.read_text(encoding="utf-8")
    m = re.search(r"^License: SIL-1\.1\n((?: .*\n?)+)", raw, re.M)
    if not m:
        raise SystemExit(f"no 'License: SIL-1.1' paragraph in {DEBIAN_COPYRIGHT}")
    body = "\n".join("" if line.strip() == "." else line[1:] for line in m.group(1).splitlines())
    header = "\n".join(notices)
    debian = re.search(r"^Files: \*\n(?:.*\n)*?Copyright: (.*)$", raw, re.M)
    if debian:
        header += f"\n(Debian's copyright file, for the upstream files: Copyright {debian.group(1).strip()}.)"
    return (
        f"{FAMILY} is a Modified Version of {SOURCE_FAMILY} (Noto Sans CJK),\n"
        f"made by scripts/make_font.py in zzdata.\n\n"
        f"Copyright notice of the original font (its name table):\n{header}\n\n"
        f"Neither the font's name table nor the Debian copyright file names a Reserved\n"
        f"Font Name.  (The upstream noto-cjk LICENSE file, not shipped by Debian, is\n"
        f"quoted elsewhere as reserving the name \"Source\"; the name above does not\n"
        f"use it.)  As a Modified Version this font has its own family name.\n\n"
        f"{body.strip()}\n"
    )


def readme_text(stats: dict) -> str:
    mib = stats["bytes"] / 1024 / 1024
    ranges = "\n".join(f"  - {k}: {v}" for k, v in stats["ranges"].items())
    return f"""# Bundled Chinese font

`{FONT_FILE}`: family **{FAMILY}**, a subset of {SOURCE_FAMILY} Regular so that
`pip install zzdata` alone draws Chinese in matplotlib charts
(`zzdata.explore.fonts.use_chinese_fonts()`).

- Source: Debian package `{stats['debian_package']}`,
  `{stats['source']}`, face {stats['source_face']}, picked by its name table.
- Made by: `python scripts/make_font.py` (see the script's docstring) with
  fontTools {stats['fonttools']}: subsetter, then CFF outlines converted to TrueType quadratic outlines with cu2qu
  (max error {CU2QU_MAX_ERR:g}/1000 em) so that matplotlib can embed the font in PDF/PS.
  No hinting. 'locl' and vertical features/tables dropped: the glyphs are the
  Simplified Chinese forms.
- Size: {stats['bytes']:,} bytes ({mib:.2f} MiB), {stats['glyphs']} glyphs,
  {stats['codepoints']} code points. sha256 `{stats['sha256']}`.
- Coverage:
  - GB2312, all characters: {stats['gb2312']} (hanzi {stats['gb2312_hanzi']},
    level 1: {stats['gb2312_level1']})
{ranges}
  - CJK characters of data/ and the repository's .py/.tsv/.ipynb/.md
    ({stats['scanned_files']} files): {stats['repo_cjk']}; outside GB2312: {stats['repo_cjk_outside_gb2312'] or '(none)'}
  - rarer name characters outside GB2312: {stats['rare_name_characters']}
  - Anything else (other GBK/Unicode hanzi, emoji) is drawn by matplotlib's per-glyph
    fallback from an installed system CJK font, if there is one.
- Licence: SIL Open Font License 1.1, see `OFL.txt` (a Modified Version, hence the
  distinct family name; the copyright, trademark and licence records of the
  original name table are kept inside the font).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed font instead of writing")
    args = parser.parse_args(argv)
    if not args.source.exists():
        raise SystemExit(f"{args.source} not found: apt-get install {DEBIAN_PACKAGE}")

    data, stats = build(args.source)
    target = args.out / FONT_FILE
    if args.check:
        same = target.exists() and target.read_bytes() == data
        print(f"{target}: {'up to date' if same else 'DIFFERS from a fresh build'}")
        return 0 if same else 1
    if len(data) > MAX_BYTES:
        raise SystemExit(f"font is {len(data):,} bytes, over the {MAX_BYTES:,} limit")

    args.out.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    (args.out / "OFL.txt").write_text(ofl_text(stats["notices"]), encoding="utf-8")
    (args.out / "README.md").write_text(readme_text(stats), encoding="utf-8")
    print(json.dumps(stats, ensure_ascii=False, indent=2))
    print(f"wrote {target}: {stats['glyphs']} glyphs, {stats['bytes']:,} bytes "
          f"({stats['bytes'] / 1024 / 1024:.2f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
