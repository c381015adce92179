"""Strict score of the figures and numerals golden suites, per suite.

    python benchmarks/eval_figures.py [--misses]

Reads ``tests/golden/figures/*.jsonl`` and ``tests/golden/numerals/*.jsonl``
(formats in ``tests/golden/figures/README.md``) and prints, per suite, the
share of cases read right *strictly*:

- figures, an amount mark: exactly one row at the marked ``[start, end)``
  with the expected value, unit and qualifier;
- figures, a non-amount mark (negatives): no amount row overlaps it (a date:
  no row at all), and under ``whole_text`` no amount row anywhere;
- numerals: ``parse_numeral`` (or ``parse_percent``) gives the expected
  value, low, high and qualifier, or raises ValueError where ``error`` is set.

A case of ``known_failures.jsonl`` counts as a failure of its origin suite
(its ``origin`` field: ``peers``, ``cn2an``, ``recognizers_text``…), whatever
the parser does with it.  Cases in ``declined.jsonl`` are peers' expectations
that a recorded decision turns down (the README's *Declined* table gives the
reason of each); they are not counted, but a second column shows each suite's
rate as if they were failures, so nothing is hidden.  The target is 0.97.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "tests" / "golden" / "figures"
NUMERALS = ROOT / "tests" / "golden" / "numerals"
TARGET = 0.97
OPEN, CLOSE = "⟦", "⟧"
NON_AMOUNT = {"ordinal", "address", "name", "code", "date", "level"}
SPECIAL = ("known_failures", "declined")


def read_jsonl(path: Path) -> list[dict]:
    """The JSON objects of a golden file (``#`` lines are comments)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("#")]


def strip_marks(marked: str) -> tuple[str, list[tuple[int, int]]]:
    """'共⟦9608人⟧' -> ('共9608人', [(1, 6)])."""
    out: list[str] = []
    spans, start = [], 0
    for ch in marked:
        if ch == OPEN:
            start = len(out)
        elif ch == CLOSE:
            spans.append((start, len(out)))
        else:
            out.append(ch)
    return "".join(out), spans


def same_number(actual, expected) -> bool:
    if expected is None or actual is None:
        return expected is None and (actual is None or (isinstance(actual, float) and math.isnan(actual)))
    try:
        return math.isclose(float(actual), float(expected), rel_tol=1e-9, abs_tol=1e-9)
    except (TypeError, ValueError):
        return False


def figure_marks(case: dict, extract) -> list[bool]:
    """One verdict per mark of a figures case (and one more for ``whole_text``)."""
    text, spans = strip_marks(case["text"])
    entries = case["figures"] or [{} for _ in spans]
    try:
        rows = extract(text).to_dict("records")
    except Exception:  # noqa: BLE001 - a crash fails every mark
        return [False] * (len(spans) + bool(case.get("whole_text")))
    amounts = [r for r in rows if r["dimension"] not in NON_AMOUNT]
    verdicts = []
    for (start, end), entry in zip(spans, entries):
        if "value" in entry:
            at = [r for r in rows if r["start"] == start and r["end"] == end]
            ok = len(at) == 1 and same_number(at[0]["value"], entry["value"]) and \
                at[0]["unit"] == entry["unit"] and at[0]["qualifier"] == entry["qualifier"]
        else:
            pool = rows if entry.get("dimension") == "date" else amounts
            ok = not any(r["start"] < end and r["end"] > start for r in pool)
        verdicts.append(ok)
    if case.get("whole_text"):
        verdicts.append(not amounts)
    return verdicts


def numeral_verdict(case: dict) -> bool:
    from zzdata.numerals import parse_numeral, parse_percent

    parse = {"parse_numeral": parse_numeral, "parse_percent": parse_percent}[case.get("func", "parse_numeral")]
    try:
        got = parse(case["text"])
    except ValueError:
        return "error" in case
    if "error" in case:
        return False
    return got.qualifier == case["qualifier"] and all(
        same_number(getattr(got, f), case[f]) for f in ("value", "low", "high"))


def score(folder: Path, judge) -> tuple[dict, dict, list[str]]:
    """{suite: [passed, total]}, {suite: declined count}, and the missed case ids."""
    counts: dict[str, list[int]] = {}
    declined: dict[str, int] = {}
    misses: list[str] = []
    for path in sorted(folder.glob("*.jsonl")):
        for case in read_jsonl(path):
            verdicts = judge(case)
            if path.stem == "declined":
                declined[case["origin"]] = declined.get(case["origin"], 0) + len(verdicts)
                continue
            suite = case["origin"] if path.stem == "known_failures" else path.stem
            if path.stem == "known_failures":
                verdicts = [False] * len(verdicts)
            tally = counts.setdefault(suite, [0, 0])
            tally[0] += sum(verdicts)
            tally[1] += len(verdicts)
            if not all(verdicts):
                misses.append(f"{path.stem}:{case['id']}")
    return counts, declined, misses


def report(title: str, counts: dict, declined: dict) -> bool:
    print(f"\n{title}")
    print(f"  {'suite':18s} {'strict':>10s}  {'rate':>6s}   {'with declined as misses':>24s}")
    met = True
    for suite, (passed, total) in sorted(counts.items()):
        rate = passed / total if total else 1.0
        extra = declined.get(suite, 0)
        literal = passed / (total + extra) if total + extra else 1.0
        met &= rate >= TARGET
        print(f"  {suite:18s} {passed:4d}/{total:<5d}  {rate:6.3f}   {literal:6.3f} ({extra} declined)"
              f"   {'MET' if rate >= TARGET else 'MISSED'}")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the ids of the cases not read right")
    args = parser.parse_args(argv)
    import zzdata as zz

    memo: dict = {}

    def extract(text):
        if text not in memo:
            memo[text] = zz.extract_figures(text)
        return memo[text]

    fig_counts, fig_declined, fig_misses = score(FIGURES, lambda case: figure_marks(case, extract))
    num_counts, num_declined, num_misses = score(NUMERALS, lambda case: [numeral_verdict(case)])
    met = report("figures (zz.extract_figures): marks read right, strict value+unit+qualifier", fig_counts, fig_declined)
    met &= report("numerals (parse_numeral): strings read right", num_counts, num_declined)
    print(f"\ntarget {TARGET} strict in every suite: {'MET' if met else 'MISSED'}")
    if args.misses:
        print("missed:", ", ".join(fig_misses + num_misses) or "none")
    return 0


if __name__ == "__main__":
    sys.exit(main())
