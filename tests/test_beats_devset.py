# Where the cases come from: three made-up pages in tests/golden/beats/
# (dev_flood.txt, dev_safety.txt, dev_service.txt) that reproduce what the
# development set of real articles prints (benchmarks/devset/: 31 articles
# from papers and sites in 江西, 广东, 湖北, 安徽, 福建, 广西, 贵州 and 云南,
# found with the search tool; their texts are not in the repository).  The
# pages copy no sentence of those articles: the people, villages and figures
# are invented, the counties and towns are real Zhuzhou divisions from
# zzdata/lexicon/places.tsv.  Phenomena carried over: flood stockpiles beyond
# sandbags (tents, lighting, generators, pumps, boats, vehicles), people
# affected and moved, water levels and rainfall against the normal, a drill,
# a safety paragraph inside a flood article; safety counts with 同比分别下降
# X%和Y%, losses, inspections in 家次, hazards found and fixed, 立案, 责令停产
# 整顿, fines, 约谈, training; service actions with several figures each, and
# background or problem figures (撂荒地 area, a quarrel) that are no action.
#
# tests/golden/beats/dev_gold.jsonl holds one line per figure of the pages,
# written by reading them: the sentence with the figure's span marked ⟦…⟧
# (unique on its page; ``figure`` names the mention inside it when the mark
# also covers the subject), value, unit, qualifier, beat table, category,
# subject (and accepted alternatives) and direction.  A line whose table is
# empty (dates, durations, background figures) must be in no beat table.
#
# Each figure is scored by benchmarks/eval_beats.py's own rules (imported,
# so the devset evaluation and these tests cannot drift apart).
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sys
from pathlib import Path

import pytest

import zzdata as zz

ROOT = Path(__file__).resolve().parent.parent
PAGES = ROOT / "tests" / "golden" / "beats"
DATES = {"dev_flood.txt": "2021-06-08", "dev_safety.txt": "2021-07-06", "dev_service.txt": "2021-06-20"}
GOLD = [json.loads(line) for line in (PAGES / "dev_gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
ACTIONS = sorted({case["action"] for case in GOLD if case.get("action")})


def _load_eval():
    spec = importlib.util.spec_from_file_location("eval_beats", ROOT / "benchmarks" / "eval_beats.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


EVAL = _load_eval()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The three pages built once, with a manifest giving their dates."""
    folder = tmp_path_factory.mktemp("dev_beats")
    rows = ["file,paper,publication_date,pages,note"]
    for name, date in DATES.items():
        shutil.copy(PAGES / name, folder / name)
        rows.append(f"{name},株洲日报,{date},1,made up for tests")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return EVAL.Build(zz.build([folder]))


def span_of(case: dict):
    """The offsets of the case's figure on its page, from the marked sentence."""
    text = (PAGES / case["page"]).read_text(encoding="utf-8")
    marked = re.search("⟦(.+?)⟧", case["sentence"]).group(1)
    plain = case["sentence"].replace("⟦", "").replace("⟧", "")
    assert text.count(marked) == 1 and text.count(plain) == 1, f"{case['id']}: the marked span must occur once"
    figure = case.get("figure") or marked
    start = text.index(marked) + marked.index(figure)
    return EVAL.Span(start, start + len(figure), figure, plain)


def test_gold_is_well_formed():
    ids = [case["id"] for case in GOLD]
    assert len(ids) == len(set(ids)) and all(i.isascii() for i in ids)
    for case in GOLD:
        span = span_of(case)
        text = (PAGES / case["page"]).read_text(encoding="utf-8")
        assert text[span.start : span.end] == span.marked
        assert case["table"] in ("", *EVAL.BEAT_TABLES), case["id"]
        assert bool(case["table"]) == bool(case["category"]), case["id"]


def _marked(case: dict):
    """A gold case as a pytest parameter; a known failure (its reason in the
    case's known_failure) runs as a strict xfail, so a fix is noticed."""
    reason = case.get("known_failure")
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case["id"], marks=marks)


@pytest.mark.parametrize("case", [_marked(case) for case in GOLD])
def test_dev_figure(built, case):
    row = built.figure_row(case["page"], span_of(case))
    figure_id = EVAL.text_of(row.get("figure_id")) if row is not None else ""
    wrong = [f"{metric}: expected {want}, got {got}"
             for metric, ok, want, got in EVAL.judge(case, row, built.beat_rows(figure_id)) if not ok]
    assert not wrong, f"{case['sentence']}\n" + "\n".join(wrong)


@pytest.mark.parametrize("action", ACTIONS)
def test_dev_action_keeps_its_figures_together(built, action):
    """The figures printed for one action are one action: one service row
    holds them all, or the rows that hold them share an action_id."""
    cases = [case for case in GOLD if case.get("action") == action]
    ids = []
    for case in cases:
        row = built.figure_row(case["page"], span_of(case))
        assert row is not None, f"{case['id']}: no figure"
        ids.append(EVAL.text_of(row.get("figure_id")))
    service = built.beat["service_actions"]
    assert not service.empty, "no service_actions rows"
    held = [set(built.rows_of["service_actions"].get(i, [])) for i in ids]
    missing = [case["id"] for case, rows in zip(cases, held) if not rows]
    assert not missing, f"not in service_actions: {missing}"
    if set.intersection(*held):
        return
    action_ids = {EVAL.text_of(service.iloc[pos].get("action_id")) for rows in held for pos in rows}
    assert len(action_ids) == 1 and "" not in action_ids, f"split over rows with action_id {sorted(action_ids)}"
