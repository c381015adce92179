"""Score the layout (articles and headlines) on real web-exported news pages.

    python benchmarks/eval_layout.py [benchmarks/layout_devset/texts] [--gold FILE] [--details]

The texts are not in the repository (see benchmarks/layout_devset/README.md);
the gold is ``benchmarks/layout_devset/gold.jsonl``, one page a line: its
URL, the search query that found it, a locator of its true headline (a piece
of the printed title), how many articles it holds and the publication date it
prints (empty when none).  Printed:

- articles: pages whose article count equals the gold's, and the articles
  found against the gold total;
- headlines: pages where exactly one article's headline holds the locator
  and no other article's headline is chrome (a page is right only when the
  article count is right too);
- dates: pages printing a date whose publication_date equals it.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def score(texts: Path, gold_file: Path, details: bool = False) -> dict:
    import zzdata as zz

    gold = [json.loads(line) for line in gold_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    t = zz.build([texts])
    counts = dict(pages=0, count_right=0, found=0, expected=0, headline_right=0, dated=0, date_right=0)
    for g in gold:
        source = g["id"] + ".txt"
        mine = t.articles[t.articles["source"] == source]
        heads = [str(h) for h in mine["headline"]]
        holding = [h for h in heads if g["headline_locator"] in h]
        count_right = len(mine) == g["n_articles"]
        headline_right = count_right and len(holding) == 1
        counts["pages"] += 1
        counts["count_right"] += count_right
        counts["found"] += len(mine)
        counts["expected"] += g["n_articles"]
        counts["headline_right"] += headline_right
        dates = set(mine["publication_date"].dropna().astype(str))
        if g["publication_date"]:
            counts["dated"] += 1
            counts["date_right"] += dates == {g["publication_date"]}
        if details:
            basis = sorted(set(mine["date_basis"].astype(str))) if "date_basis" in mine else []
            print(f"{g['id']}: {len(mine)}/{g['n_articles']} articles, headline {'ok' if headline_right else 'WRONG'}: {heads}"
                  f" date {sorted(dates)} {basis} (gold {g['publication_date'] or '-'})")
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("texts", nargs="?", default=HERE / "layout_devset" / "texts", type=Path)
    parser.add_argument("--gold", default=HERE / "layout_devset" / "gold.jsonl", type=Path)
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args(argv)
    if not args.texts.is_dir():
        print(f"no texts at {args.texts}: see benchmarks/layout_devset/README.md", file=sys.stderr)
        return 2
    c = score(args.texts, args.gold, args.details)
    print(f"pages: {c['pages']}")
    print(f"article count right: {c['count_right']}/{c['pages']} pages (articles found {c['found']}, gold {c['expected']})")
    print(f"headline right: {c['headline_right']}/{c['pages']} pages")
    print(f"publication date right: {c['date_right']}/{c['dated']} pages that print one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
