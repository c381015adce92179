"""A synthetic corpus for the benchmarks, made from the real sample page.

Every file is the sample, ``data/zhuzhou-daily-2021-04.txt``, with its
dates moved to the file's own publication date and its Arabic figures
scaled by a factor of its own, so no two files are alike (the build cache
and jieba's per-string work see different text) while the layout, the
articles and the kinds of figures stay those of a real page.  Files sit in
one folder per year, and ``manifest.csv`` gives each its publication date,
spread over several years, so partitioning by year is exercised.

File ``i`` depends only on the seed and ``i``: a corpus of 200 files is
the first 200 files of the corpus of 1,000 with the same seed.

>>> vary_text("2021年4月22日,储备编织袋63.6万条,偏少36%。", _date(2023, 5, 10), 2.0)
'2023年5月9日,储备编织袋127.2万条,偏少72%。'
"""

from __future__ import annotations

import argparse
import csv
import random
import re
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
PAPER = "株洲日报"
SAMPLE_DATE = date(2021, 4, 23)  # the day after the latest date the sample prints (4月22日)
FIRST_YEAR, LAST_YEAR = 2019, 2024
# Publication dates fall between 10 February and 9 October, so the sample's
# months (3月 to 7月) stay in the year they were printed in.
EARLIEST, WINDOW_DAYS = (2, 10), 241

# A year; a month with an optional day; or a figure.  Tried in this order at
# each position, so the digits of a date are never scaled as figures.
_YEAR = r"(?P<year>20\d\d)(?=年)"
_MONTH_DAY = r"(?P<month>\d{1,2})月(?:(?P<day>\d{1,2})日)?"
_FIGURE = r"(?P<figure>\d+(?:\.\d+)?)(?P<after>%?)"
_TOKEN = re.compile(f"{_YEAR}|{_MONTH_DAY}|{_FIGURE}")
_KEEP_AFTER = ("年", "日", "时")  # durations in years (83年党龄), bare days and hours stay as printed
_CODE_DIGITS = 6  # page codes (2823906) and the like stay as printed


def _date(year: int, month: int, day: int) -> date:
    return date(year, month, day)


def vary_text(text: str, publication: date, factor: float) -> str:
    """The text with its dates moved by (publication − the sample's date)
    and its figures multiplied by ``factor`` in the format they were printed."""
    shift = publication - SAMPLE_DATE

    def replace(match: re.Match) -> str:
        if match["year"]:
            return str(int(match["year"]) + publication.year - SAMPLE_DATE.year)
        if match["month"]:
            return _move_month_day(int(match["month"]), match["day"], shift)
        end = match.end("figure")
        if text[end : end + 1] in _KEEP_AFTER or len(match["figure"]) >= _CODE_DIGITS:
            return match.group(0)
        return _scale(match["figure"], factor, percent=bool(match["after"])) + match["after"]

    return _TOKEN.sub(replace, text)


def _move_month_day(month: int, day: str | None, shift: timedelta) -> str:
    """4月22日 moved by ``shift``; a bare month (6月上旬) moves by as many months."""
    if day is None:
        moved = date(SAMPLE_DATE.year, month, 15) + shift
        return f"{moved.month}月"
    moved = date(SAMPLE_DATE.year, month, min(int(day), 28)) + shift
    return f"{moved.month}月{moved.day}日"


def _scale(figure: str, factor: float, percent: bool = False) -> str:
    """``figure`` times ``factor`` with as many decimals as it had; an
    integer stays at least 1, a percentage at most 99."""
    decimals = len(figure.partition(".")[2])
    value = float(figure) * factor
    if percent:
        value = min(value, 99)
    if decimals:
        return f"{max(value, 10**-decimals):.{decimals}f}"
    return str(max(1, round(value)))


def file_plan(seed: int, index: int) -> tuple[date, float]:
    """Publication date and scale factor of file ``index``, from the seed alone."""
    rng = random.Random(f"{seed}:{index}")
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    publication = date(year, *EARLIEST) + timedelta(days=rng.randrange(WINDOW_DAYS))
    factor = round(2 ** rng.uniform(-1.0, 1.5), 3)  # 0.5× to 2.8×
    return publication, factor


def make_corpus(folder: str | Path, n_files: int, seed: int = 7) -> list[Path]:
    """Write ``n_files`` varied copies of the sample into ``folder``
    (``YEAR/zzrb-DATE-NNNN.txt``) and ``folder/manifest.csv``; return the
    paths, in order.  The same seed writes the same bytes."""
    folder = Path(folder)
    sample = SAMPLE.read_text(encoding="utf-8")
    paths, rows = [], []
    for index in range(n_files):
        publication, factor = file_plan(seed, index)
        name = f"{publication.year}/zzrb-{publication.isoformat()}-{index:04d}.txt"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(vary_text(sample, publication, factor), encoding="utf-8", newline="")
        paths.append(path)
        rows.append([name, PAPER, publication.isoformat(), 2, f"sample varied: figures ×{factor}, seed {seed}"])
    _write_manifest(folder / "manifest.csv", rows)
    return paths


def _write_manifest(path: Path, rows: list[list]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "paper", "publication_date", "pages", "note"])
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic corpus made from the sample page.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    paths = make_corpus(args.folder, args.files, args.seed)
    print(f"{len(paths)} files written to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
