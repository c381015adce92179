"""Chinese text in matplotlib charts, with a font that ships inside zzdata.

zzdata bundles ``fonts/NotoSansSC-zzdata.ttf`` (family "Noto Sans SC zzdata"):
a subset of Noto Sans CJK SC Regular (SIL Open Font License 1.1, see
``fonts/OFL.txt``) with every GB2312 character, the Chinese of the sample pages
and of zzdata's own labels, ASCII, Latin-1 and CJK/full-width punctuation,
with TrueType outlines so charts can be saved as PNG, SVG, PDF and PS.  It is
made by ``scripts/make_font.py``; ``fonts/README.md`` gives its coverage.

:func:`use_chinese_fonts` registers it with matplotlib (in memory only: no
matplotlibrc is edited, no cache deleted) and puts it first in
``rcParams["font.family"]``, followed by whichever system CJK fonts are
installed and then DejaVu Sans.  matplotlib falls back glyph by glyph along
that list, so a rare character the subset lacks (a name outside GB2312, say)
is drawn from a system CJK font when there is one.

>>> from zzdata.explore.fonts import FAMILY, font_path
>>> font_path().name
'NotoSansSC-zzdata.ttf'
>>> use_chinese_fonts() == FAMILY                     # doctest: +SKIP
True
>>> import matplotlib.pyplot as plt                   # doctest: +SKIP
>>> fig, ax = plt.subplots()                          # doctest: +SKIP
>>> ax.bar(["编织袋", "彩条布"], [3000, 1200])         # doctest: +SKIP
>>> ax.set_title("防汛物资储备(渌口区)")              # doctest: +SKIP

matplotlib is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import atexit
import contextlib
from importlib import resources
from pathlib import Path

FAMILY = "Noto Sans SC zzdata"
FONT_FILE = "NotoSansSC-zzdata.ttf"

# System CJK families used as per-glyph fallback, in order of preference; only
# those actually installed go into rcParams["font.family"] (a missing family
# would make matplotlib log "findfont: Font family ... not found").
SYSTEM_CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
)
LAST_RESORT = "DejaVu Sans"  # ships with matplotlib: Latin, Greek, Cyrillic, symbols

_extracted = contextlib.ExitStack()  # only used when zzdata runs from a zip
atexit.register(_extracted.close)


def font_path() -> Path:
    """The bundled font file, as a real path on disk.

    >>> font_path().is_file()
    True
    """
    resource = resources.files("zzdata.explore").joinpath("fonts", FONT_FILE)
    if isinstance(resource, Path):
        return resource
    # Installed as a zip: FreeType needs a file, so extract it for this process.
    return _extracted.enter_context(resources.as_file(resource))


def system_cjk_families() -> list[str]:
    """The families of :data:`SYSTEM_CJK_FAMILIES` that matplotlib can find here."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return [family for family in SYSTEM_CJK_FAMILIES if family in installed]


def use_chinese_fonts() -> str:
    """Make matplotlib draw Chinese: register the bundled font, put it first.

    Sets ``rcParams["font.family"]`` to ``[FAMILY, *installed system CJK
    families, "DejaVu Sans"]``, puts FAMILY first in ``font.sans-serif`` too
    (for text that asks for the generic family) and sets
    ``axes.unicode_minus = False`` (an ASCII hyphen for minus signs).
    Safe to call any number of times.  Returns the bundled family name.
    """
    import matplotlib as mpl
    from matplotlib import font_manager

    path = font_path()
    manager = font_manager.fontManager
    if not any(Path(entry.fname) == path for entry in manager.ttflist):
        manager.addfont(str(path))

    families = [FAMILY, *system_cjk_families(), LAST_RESORT]
    mpl.rcParams["font.family"] = families
    sans = [name for name in mpl.rcParams["font.sans-serif"] if name != FAMILY]
    mpl.rcParams["font.sans-serif"] = [FAMILY, *sans]
    mpl.rcParams["axes.unicode_minus"] = False
    return FAMILY
