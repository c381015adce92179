# What is tested: the Chinese font zzdata ships and zzdata.explore.fonts.
#
# - The font file zzdata/explore/fonts/NotoSansSC-zzdata.ttf exists with its
#   licence (OFL.txt) beside it, is at most 3 MB, is named "Noto Sans SC zzdata"
#   and has TrueType (glyf) outlines, which PDF/PS embedding needs.
# - Its cmap (read with fontTools) has a glyph for every CJK or full-width
#   punctuation character of data/*.txt, for all 3755 GB2312 level-1 hanzi and
#   for the rest of GB2312, and for every Chinese display name of
#   zzdata/explore/labels.py; the charts' ⚠ is in it or in DejaVu Sans.
# - use_chinese_fonts() registers the font once (idempotent), puts its family
#   first in rcParams["font.family"], follows it only with system CJK families
#   that are installed and then DejaVu Sans, sets axes.unicode_minus = False;
#   font_path() finds the file; importing the module does not import matplotlib.
# - A figure whose title, axis labels and tick labels hold the sample's Chinese
#   saves to PNG, SVG, PDF and PS (Type 3 and Type 42) with no warning at all
#   (so no "Glyph ... missing from font(s)") and no findfont log warning, and
#   the vector files embed the bundled font.
# - A character the subset lacks but an installed system CJK font has is drawn
#   from that font by matplotlib's per-glyph fallback, silently (skipped when no
#   system CJK font is installed).
#
# To rebuild the font after the sample text changes: python scripts/make_font.py

from __future__ import annotations

import io
import logging
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FONT_DIR = ROOT / "zzdata" / "explore" / "fonts"
FONT = FONT_DIR / "NotoSansSC-zzdata.ttf"
FAMILY = "Noto Sans SC zzdata"
MAX_BYTES = 3 * 1024 * 1024

# Words of the sample pages (data/zhuzhou-daily-2021-04.txt).
TITLE = "防汛物资储备(渌口区):编织袋、彩条布、砂石料"
XLABEL = "物资(单位:立方、平方米)"
YLABEL = "数量/万"
TICKS = ["编织袋", "彩条布", "砂石料", "块石"]


def is_cjk_or_fullwidth_punct(ch: str) -> bool:
    """Ideographs, CJK and full-width punctuation (wide or full-width
    characters), and the general punctuation Chinese text uses (“” … —)."""
    return (unicodedata.east_asian_width(ch) in ("W", "F")
            or 0x2000 <= ord(ch) <= 0x206F or ch == "\u00b7")


def gb2312_level1() -> set[str]:
    """Rows 16-55 of GB2312 (lead bytes 0xB0-0xD7): the 3755 level-1 hanzi."""
    chars = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:  # 0xD7FA-0xD7FE are unassigned
                pass
    return chars


def gb2312_all() -> set[str]:
    chars = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


@pytest.fixture(scope="module")
def cmap() -> dict[int, str]:
    ttLib = pytest.importorskip("fontTools.ttLib")
    return ttLib.TTFont(FONT).getBestCmap()


@pytest.fixture
def mpl():
    """matplotlib with rcParams restored after the test."""
    matplotlib = pytest.importorskip("matplotlib")
    with matplotlib.rc_context():
        yield matplotlib


# ----------------------------------------------------------------------------- the file

def test_font_file_exists_with_licence_and_is_small():
    assert FONT.is_file(), "run: python scripts/make_font.py"
    assert FONT.stat().st_size <= MAX_BYTES
    assert (FONT_DIR / "OFL.txt").is_file()
    assert "SIL OPEN FONT LICENSE Version 1.1" in (FONT_DIR / "OFL.txt").read_text(encoding="utf-8")


def test_font_names_and_outlines():
    ttLib = pytest.importorskip("fontTools.ttLib")
    font = ttLib.TTFont(FONT)
    assert font["name"].getDebugName(1) == FAMILY
    assert "glyf" in font and "CFF " not in font  # TrueType outlines
    assert font["name"].getDebugName(13).startswith("This Font Software is licensed under the SIL Open Font")


def test_covers_every_chinese_character_of_the_sample(cmap):
    texts = sorted((ROOT / "data").glob("*.txt"))
    assert texts, "no data/*.txt"
    for path in texts:
        wanted = {c for c in path.read_text(encoding="utf-8") if is_cjk_or_fullwidth_punct(c)}
        assert len(wanted) > 100, path
        missing = sorted(c for c in wanted if ord(c) not in cmap)
        assert not missing, f"{path.name}: no glyph for {''.join(missing)}; rerun scripts/make_font.py"


def test_covers_every_display_name_and_chart_mark(cmap):
    # the Chinese labels of zzdata/explore/labels.py and the marks the charts
    # draw (⚠ for a disputed figure, − for a fall, full-width brackets)
    from zzdata.explore import charts, labels

    words = [*labels.COLUMN_LABELS.values(), *(v for codes in labels.CODE_LABELS.values() for v in codes.values())]
    wanted = {c for word in words for c in word if is_cjk_or_fullwidth_punct(c)} | set("（）「」−")
    assert not sorted(c for c in wanted if ord(c) not in cmap)
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    ttLib = pytest.importorskip("fontTools.ttLib")
    assert ord(charts.WARNING) in cmap or ord(charts.WARNING) in ttLib.TTFont(dejavu).getBestCmap()


def test_covers_gb2312_level1(cmap):
    level1 = gb2312_level1()
    assert len(level1) == 3755
    missing = sorted(c for c in level1 if ord(c) not in cmap)
    assert not missing, "".join(missing)


def test_covers_all_of_gb2312(cmap):
    chars = gb2312_all()
    assert len(chars) == 7445  # 6763 hanzi + 682 symbols
    assert not sorted(c for c in chars if ord(c) not in cmap)


# ----------------------------------------------------------------------------- the module

def test_importing_the_module_does_not_import_matplotlib():
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('probe', {str(ROOT / 'zzdata/explore/fonts.py')!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print('matplotlib' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_font_path():
    pytest.importorskip("matplotlib")
    from zzdata.explore.fonts import font_path

    assert font_path().resolve() == FONT.resolve()


def test_use_chinese_fonts_puts_bundled_family_first(mpl):
    from matplotlib import font_manager

    from zzdata.explore import fonts

    assert fonts.use_chinese_fonts() == FAMILY
    assert fonts.use_chinese_fonts() == FAMILY  # idempotent
    families = mpl.rcParams["font.family"]
    assert families[0] == FAMILY
    assert families[-1] == "DejaVu Sans"
    assert len(families) == len(set(families))
    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    assert set(families) <= installed
    assert families[1:-1] == fonts.system_cjk_families()
    assert mpl.rcParams["font.sans-serif"][0] == FAMILY
    assert mpl.rcParams["axes.unicode_minus"] is False
    entries = [e for e in font_manager.fontManager.ttflist
               if Path(e.fname).resolve() == FONT.resolve()]
    assert len(entries) == 1
    found = font_manager.findfont(font_manager.FontProperties(family=families),
                                  fallback_to_default=False)
    assert Path(found).resolve() == FONT.resolve()


def _sample_figure():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(5, 3))
    ax = fig.subplots()
    ax.bar(TICKS, [3.2, -1.2, 0.5, 0.08])  # a negative value: a minus sign on the axis
    ax.set_title(TITLE)
    ax.set_xlabel(XLABEL)
    ax.set_ylabel(YLABEL)
    fig.text(0.01, 0.01, "来源:《株洲日报》2021年4月", fontsize=7)
    return fig


@pytest.mark.parametrize("fmt, fonttype", [
    ("png", None), ("svg", None), ("pdf", 3), ("pdf", 42), ("ps", 3), ("ps", 42),
])
def test_sample_chinese_draws_without_missing_glyphs(mpl, caplog, fmt, fonttype):
    from zzdata.explore.fonts import use_chinese_fonts

    use_chinese_fonts()
    if fonttype:
        # Keep both equal: matplotlib 3.11 sizes PDF Type 3 subsets by ps.fonttype.
        mpl.rcParams["pdf.fonttype"] = mpl.rcParams["ps.fonttype"] = fonttype
    fig = _sample_figure()
    out = io.BytesIO()
    with caplog.at_level(logging.WARNING, logger="matplotlib"), warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph ... missing from font(s)" and any other
        fig.savefig(out, format=fmt)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
    data = out.getvalue()
    assert len(data) > 1000
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == TICKS
    if fmt != "png":
        assert b"NotoSansSCzzdata" in data  # the bundled font is what got embedded


# ----------------------------------------------------------------------------- fallback

def _fallback_character(cmap) -> tuple[str, str]:
    """A CJK ideograph the subset lacks but the first installed system CJK font has."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    from zzdata.explore.fonts import system_cjk_families

    families = system_cjk_families()
    if not families:
        pytest.skip("no system CJK font installed (e.g. apt-get install fonts-noto-cjk, "
                    "fonts-wqy-zenhei): per-glyph fallback cannot be exercised")
    family = families[0]
    entry = next(e for e in font_manager.fontManager.ttflist if e.name == family)
    collection = Path(entry.fname).suffix.lower() in (".ttc", ".otc")
    with TTFont(entry.fname, fontNumber=entry.index if collection else -1, lazy=True) as font:
        system = font.getBestCmap()
    for cp in range(0x4E00, 0xA000):
        if cp in system and cp not in cmap:
            return chr(cp), family
    pytest.skip(f"{family} has no ideograph outside the bundled subset")


def test_rare_character_falls_back_to_system_cjk_font(mpl, cmap):
    from matplotlib.figure import Figure

    from zzdata.explore.fonts import LAST_RESORT, use_chinese_fonts

    use_chinese_fonts()
    rare, family = _fallback_character(cmap)
    text = f"编织袋 {rare} 渌口区"

    def draw(families):
        fig = Figure(figsize=(3, 1))
        fig.text(0.1, 0.4, text, family=families)
        fig.savefig(io.BytesIO(), format="png")

    # The subset alone really lacks it ...
    with pytest.warns(UserWarning, match="missing from font"):
        draw([FAMILY, LAST_RESORT])
    # ... and with use_chinese_fonts()'s list it is drawn from the system font, silently.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        draw(mpl.rcParams["font.family"])
        for fmt in ("svg", "pdf"):
            fig = Figure(figsize=(3, 1))
            fig.text(0.1, 0.4, text)
            fig.savefig(io.BytesIO(), format=fmt)
    assert family in mpl.rcParams["font.family"]
