"""Score the beat tables against the development set of real articles.

    python benchmarks/eval_beats.py [benchmarks/devset/texts] [--gold FILE] [--details]

The texts are not in the repository (see benchmarks/devset/README.md); the
gold is: ``benchmarks/devset/gold.jsonl``, one article a line, each figure
given by a locator such as ``储备了编织袋⟦410000条⟧、三色布``.  The folder is
built with ``zz.build([folder])`` and each gold figure is looked up in the
figures table by its span, then in the beat tables by its figure id.

Printed per beat and overall:

- found: a figures row at the span with the gold value, unit and qualifier
  (amounts only; dates, ordinals and numbers in names are not counted);
- routing: a figure with a gold table is in that beat table, a figure
  without one (dates, durations, names, background figures) is in none;
- category: the beat row's category is one the gold allows (over figures
  routed right);
- table+category: the acceptance measure of issue #13 — over every figure
  whose gold table is a beat table, the share in that table with a
  category the gold allows;
- subject: the beat row's subject (else the figures row's) equals the gold
  subject or an alternative, or one contains the other;
- direction: the beat row's ``direction`` (else the figures row's
  comparison_direction, more → up, less → down) over figures with one;
- service-action precision: service_actions rows holding at least one gold
  action figure and no gold non-action figure, over its rows from the articles
  of the gold file (the folder may hold other texts, e.g. the held-out set).

The beat tables are being reshaped: a column that is not there counts as a
wrong answer, never as an error, so the script runs on any version.
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
DEFAULT_TEXTS = HERE / "devset" / "texts"
DEFAULT_GOLD = HERE / "devset" / "gold.jsonl"
BEAT_TABLES = ("flood_prep", "safety_stats", "service_actions")
BEATS = ("flood", "safety", "service")
METRICS = ("found", "routing", "category", "table+category", "subject", "direction")
MARK = re.compile(r"⟦(.+?)⟧")
DIRECTION = {"more": "up", "less": "down", "up": "up", "down": "down"}


@dataclass
class Span:
    """A gold figure located in its article's text."""

    start: int
    end: int
    marked: str
    context: str


@dataclass
class Tally:
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(METRICS, 0))

    def add(self, metric: str, ok: bool) -> None:
        self.total[metric] += 1
        self.right[metric] += bool(ok)

    def cell(self, metric: str) -> str:
        n = self.total[metric]
        return f"{self.right[metric]}/{n} {100 * self.right[metric] / n:5.1f}%" if n else "—"


def locate(text: str, locator: str) -> Span | None:
    """The marked span of ``locator`` in ``text``, or None when the context is not there once."""
    m = MARK.search(locator)
    context = locator.replace("⟦", "").replace("⟧", "")
    if not m or text.count(context) != 1:
        return None
    at = text.index(context) + m.start()
    return Span(at, at + len(m.group(1)), m.group(1), context)


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column, or a column of empty strings when the table has no such column."""
    if name in frame.columns:
        return frame[name].astype("string").fillna("")
    return pd.Series("", index=frame.index, dtype="string")


def table(tables, name: str) -> pd.DataFrame:
    try:
        frame = getattr(tables, name)
    except Exception:  # a table the version does not have, or fails to build
        return pd.DataFrame()
    return frame if isinstance(frame, pd.DataFrame) else pd.DataFrame()


def figure_ids(frame: pd.DataFrame) -> pd.Series:
    """The figure ids each beat row holds, as sets (figure_ids joined by |, else figure_id)."""
    ids = column(frame, "figure_ids")
    single = column(frame, "figure_id")
    return pd.Series([{i for i in (a or b).split("|") if i} for a, b in zip(ids, single)], index=frame.index, dtype=object)


class Build:
    """The built tables, indexed for lookups by source file and figure id."""

    def __init__(self, tables):
        self.figures = table(tables, "figures")
        if not self.figures.empty:
            self.figures = self.figures.assign(_file=[Path(str(s)).name for s in column(self.figures, "source")])
        self.beat = {}
        for name in BEAT_TABLES:
            frame = table(tables, name)
            self.beat[name] = frame.assign(_ids=figure_ids(frame)) if not frame.empty else frame
        self.rows_of = {name: self._index(frame) for name, frame in self.beat.items()}

    @staticmethod
    def _index(frame: pd.DataFrame) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        if frame.empty:
            return found
        for pos, ids in enumerate(frame["_ids"]):
            for i in ids:
                found.setdefault(i, []).append(pos)
        return found

    def figure_row(self, file: str, span: Span) -> pd.Series | None:
        """The figures row for a gold span: same offsets, else same text in a sentence
        holding the context, else the row overlapping the span most."""
        if self.figures.empty:
            return None
        rows = self.figures[self.figures["_file"] == file]
        starts, ends = (pd.to_numeric(column(rows, name).replace("", None), errors="coerce").astype(float) for name in ("start", "end"))
        exact = rows[((starts == span.start) & (ends == span.end)).to_numpy()]
        if len(exact):
            return exact.iloc[0]
        same_text = (column(rows, "text") == span.marked).to_numpy(dtype=bool)
        in_sentence = column(rows, "sentence").map(lambda s: _shares(s, span.context)).to_numpy(dtype=bool)
        same = rows[same_text & in_sentence]
        if len(same):
            return same.loc[(starts[same.index] - span.start).abs().fillna(float("inf")).idxmin()]
        overlap = (ends.clip(upper=span.end) - starts.clip(lower=span.start)).fillna(0)
        if len(overlap) and overlap.max() > 0:
            return rows.loc[overlap.idxmax()]
        return None

    def beat_rows(self, figure_id: str) -> dict[str, pd.Series]:
        """The first row of each beat table that holds ``figure_id``; a row
        holding several figures (a service action) shows this figure's own
        subject and category (its ``subjects``/``categories`` entry)."""
        return {name: own_view(self.beat[name].iloc[self.rows_of[name][figure_id][0]], figure_id)
                for name in BEAT_TABLES if figure_id and figure_id in self.rows_of[name]}


def own_view(row: pd.Series, figure_id: str) -> pd.Series:
    """A row with one figure's subject and category when it lists several."""
    ids = text_of(row.get("figure_ids")).split("|")
    if figure_id not in ids or "subjects" not in row.index:
        return row
    k = ids.index(figure_id)
    row = row.copy()
    for many, one in (("subjects", "subject"), ("categories", "category")):
        values = text_of(row.get(many)).split("|")
        if len(values) == len(ids):
            row[one] = values[k]
    return row


def _shares(sentence: str, context: str) -> bool:
    """Whether a sentence holds the locator's context (or the part of it inside one sentence)."""
    sentence = str(sentence)
    return context in sentence or any(part and part in sentence for part in re.split(r"[。;;!?\n]", context) if len(part) >= 2)


def same_value(got, want: float) -> bool:
    try:
        got = float(got)
    except (TypeError, ValueError):
        return False
    return not math.isnan(got) and math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9)


def subject_matches(got: str, gold: dict) -> bool:
    got = (got or "").strip()
    if not got:
        return False
    for want in [gold.get("subject", "")] + list(gold.get("subject_alts", [])):
        if want and (got == want or want in got or got in want):
            return True
    return False


def direction_of(beat_row: pd.Series | None, figure_row: pd.Series | None) -> str:
    if beat_row is not None and "direction" in beat_row.index and str(beat_row["direction"] or "") not in ("", "<NA>", "nan"):
        return DIRECTION.get(str(beat_row["direction"]), str(beat_row["direction"]))
    if figure_row is not None and "comparison_direction" in figure_row.index:
        return DIRECTION.get(str(figure_row["comparison_direction"]), "")
    return ""


def text_of(value) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>" else str(value)


def score(gold: list[dict], texts: Path, build: Build, misses: list[tuple]) -> tuple[dict[str, Tally], tuple[int, int]]:
    tallies = {beat: Tally() for beat in (*BEATS, "all")}
    action_ids: set[str] = set()
    other_ids: set[str] = set()
    for article in gold:
        file = f"{article['id']}.txt"
        text = (texts / file).read_text(encoding="utf-8-sig")
        in_action = {loc for action in article.get("actions", []) for loc in action["figures"]}
        for fig in article["figures"]:
            span = locate(text, fig["locator"])
            row = build.figure_row(file, span) if span else None
            fid = text_of(row.get("figure_id")) if row is not None else ""
            beat_rows = build.beat_rows(fid)
            if fid:
                (action_ids if fig["locator"] in in_action else other_ids).add(fid)
            for metric, ok, want, got in judge(fig, row, beat_rows):
                tallies[article["beat"]].add(metric, ok)
                tallies["all"].add(metric, ok)
                if not ok:
                    misses.append((article["id"], fig["locator"], metric, want, got))
    # only the service_actions rows of the articles in this gold file: the folder may hold others
    # (the held-out gold is scored on the folder that also holds the development texts)
    files = {f"{article['id']}.txt" for article in gold}
    scored = set(column(build.figures, "figure_id")[build.figures["_file"].isin(files)]) if not build.figures.empty else set()
    service = build.beat["service_actions"]
    rows = [ids for ids in (service["_ids"] if not service.empty else []) if ids & scored]
    precise = sum(1 for ids in rows if ids & action_ids and not ids & other_ids)
    return tallies, (precise, len(rows))


def judge(fig: dict, row, beat_rows: dict) -> list[tuple[str, bool, str, str]]:
    """(metric, right, expected, got) for each metric that applies to a gold figure."""
    results = []
    want_table = fig["table"]
    if fig["value"] is not None and fig.get("is_amount", True):
        ok = row is not None and same_value(row.get("value"), fig["value"]) \
            and text_of(row.get("unit")) == fig["unit"] and text_of(row.get("qualifier")) == fig["qualifier"]
        got = "no figure" if row is None else \
            f"{text_of(row.get('text'))} = {text_of(row.get('value'))} {text_of(row.get('unit'))} {text_of(row.get('qualifier'))}"
        results.append(("found", ok, f"{fig['value']:g} {fig['unit']} {fig['qualifier']}", got))
    routed = want_table in beat_rows if want_table else not beat_rows
    results.append(("routing", routed, want_table or "(none)", ",".join(beat_rows) or "(none)"))
    if want_table and routed:
        got = text_of(beat_rows[want_table].get("category"))
        results.append(("category", got in fig["category"].split("|"), fig["category"], got or "(no category)"))
    if want_table:  # the acceptance measure: in the right table with a sensible category, over every beat figure
        got = text_of(beat_rows[want_table].get("category")) if routed else ""
        results.append(("table+category", routed and got in fig["category"].split("|"), f"{want_table}/{fig['category']}",
                         f"{','.join(beat_rows) or '(none)'}/{got or '-'}"))
    if want_table:
        source = beat_rows.get(want_table)
        got = text_of(source.get("subject")) if source is not None else ""
        if not got and row is not None:
            got = text_of(row.get("subject"))
        results.append(("subject", subject_matches(got, fig), "|".join([fig["subject"], *fig.get("subject_alts", [])]), got or "(none)"))
    if fig.get("direction"):
        beat_row = beat_rows.get(want_table) if want_table else None
        got = direction_of(beat_row if beat_row is not None else next(iter(beat_rows.values()), None), row)
        results.append(("direction", got == fig["direction"], fig["direction"], got or "(none)"))
    return results


def print_report(tallies: dict[str, Tally], precision: tuple[int, int], n_articles: dict[str, int]) -> None:
    header = ["beat", "articles", *METRICS]
    rows = [[beat, str(n_articles.get(beat, 0)), *(tallies[beat].cell(m) for m in METRICS)] for beat in (*BEATS, "all")]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    precise, total = precision
    print(f"service-action precision: {precise}/{total}" + (f" {100 * precise / total:.1f}%" if total else " (no service_actions rows)"))


def write_manifest(gold: list[dict], texts: Path) -> None:
    """The manifest zzdata reads beside the texts: paper (the outlet) and publication date."""
    texts.mkdir(parents=True, exist_ok=True)
    with open(texts / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["file", "paper", "publication_date", "pages", "note"])
        out.writerows([f"{a['id']}.txt", a["outlet"], a["publication_date"], 1, a.get("note", "")] for a in gold)


def check_texts(gold: list[dict], texts: Path) -> int:
    """1 when a text is missing, lacks its headline or a locator's context is not there exactly once."""
    bad = 0
    for article in gold:
        path = texts / f"{article['id']}.txt"
        if not path.is_file():
            print(f"{article['id']}: missing")
            bad += 1
            continue
        text = path.read_text(encoding="utf-8-sig")
        if not text.startswith(article["headline_locator"]):
            print(f"{article['id']}: the first line does not start with {article['headline_locator']}")
            bad += 1
        for fig in article["figures"]:
            if locate(text, fig["locator"]) is None:
                context = fig["locator"].replace("⟦", "").replace("⟧", "")
                print(f"{article['id']}: {fig['locator']} occurs {text.count(context)} times")
                bad += 1
    print(f"{len(gold)} texts checked, {bad} problems")
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("texts", nargs="?", default=str(DEFAULT_TEXTS), help="folder of the devset texts")
    parser.add_argument("--gold", default=str(DEFAULT_GOLD))
    parser.add_argument("--details", action="store_true", help="list every miss: locator, expected, got")
    parser.add_argument("--check-texts", action="store_true", help="only check that every locator occurs once in its text")
    parser.add_argument("--write-manifest", action="store_true", help="write TEXTS/manifest.csv from the gold, then evaluate")
    args = parser.parse_args(argv)
    texts = Path(args.texts)
    gold = [json.loads(line) for line in Path(args.gold).read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.write_manifest:
        write_manifest(gold, texts)
    if args.check_texts:
        return check_texts(gold, texts)
    present = [a for a in gold if (texts / f"{a['id']}.txt").is_file()]
    missing = [a["id"] for a in gold if a not in present]
    if missing:
        print(f"note: {len(missing)} of {len(gold)} texts missing from {texts}, skipped: {', '.join(missing)}"
              " (see benchmarks/devset/README.md to fetch them)")
    if not present:
        print("nothing to evaluate")
        return 0
    import zzdata as zz

    build = Build(zz.build([texts]))
    misses: list[tuple] = []
    tallies, precision = score(present, texts, build, misses)
    n_articles = {beat: sum(a["beat"] == beat for a in present) for beat in BEATS}
    n_articles["all"] = len(present)
    print_report(tallies, precision, n_articles)
    if args.details:
        for metric in METRICS:
            chosen = [m for m in misses if m[2] == metric]
            if chosen:
                print(f"\n{metric} misses ({len(chosen)}):")
                for art, loc, _, want, got in chosen:
                    print(f"  {art}  {loc}  expected {want}  got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
