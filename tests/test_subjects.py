# Golden tests for what a figure counts (subject) and how it is compared (comparison_direction, _baseline):
# issue #13 point 4.
#
# Where the cases come from: tests/golden/figures/subjects.jsonl, made-up sentences in the register of the Zhuzhou
# Daily's safety, disaster and statistics reports (verb-object counts, lists read with 分别, objects carried across a
# completion verb, signed changes), with negative look-alikes. Expected values were worked out by reading each
# sentence, never from program output. The loader, the ⟦…⟧ marks and the per-figure checks are those of
# tests/test_figures_golden.py; this file adds "subject_not" (subjects a row must not have) and a per-case "xfail".
from __future__ import annotations

import json
import re

import pytest

from test_figures_golden import GOLDEN, QUALIFIERS, check_amount, extract, strip_marks, subject_matches

PATH = GOLDEN / "subjects.jsonl"
EXTRA = ("subject_not",)
ALLOWED = {"value", "unit", "qualifier", "dimension", "subject", "value_low", "value_high",
           "comparison_direction", "comparison_baseline", *EXTRA}


def load_subject_cases() -> list[dict]:
    cases = []
    for n, line in enumerate(PATH.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        raw = json.loads(line)
        raw["plain"], raw["spans"] = strip_marks(raw["text"])
        assert len(raw["spans"]) == len(raw["figures"]), f"{PATH.name}:{n} {raw['id']}: marks and figures differ"
        cases.append(raw)
    return cases


CASES = load_subject_cases()


def _params():
    marks = lambda c: [pytest.mark.xfail(strict=True, reason=c["xfail"])] if "xfail" in c else []  # noqa: E731
    return [pytest.param(c, id=c["id"], marks=marks(c)) for c in CASES]


def _row(frame, start: int, end: int):
    rows = frame[(frame["start"] == start) & (frame["end"] == end)]
    return rows.iloc[0] if len(rows) == 1 else None


def subject_right(row, entry: dict) -> bool:
    """The subject test of one entry: the expected head (if any), and none of the forbidden ones."""
    if row is None:
        return False
    if "subject" in entry and not subject_matches(row["subject"], entry["subject"]):
        return False
    return not any(subject_matches(row["subject"], bad) for bad in entry.get("subject_not", ()))


@pytest.mark.parametrize("case", _params())
def test_subject_case(case: dict) -> None:
    frame = extract(case["plain"])
    for (start, end), entry in zip(case["spans"], case["figures"]):
        shown = case["plain"][start:end]
        check_amount(frame, start, end, {k: v for k, v in entry.items() if k not in EXTRA}, shown)
        row = _row(frame, start, end)
        assert subject_right(row, entry), (shown, "subject", row["subject"], "not one of", entry.get("subject_not"))


def test_subject_file_is_well_formed() -> None:
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 40, len(ids)
    for case in CASES:
        assert re.fullmatch(r"sj-[a-z0-9-]+", case["id"]) and case.get("source"), case["id"]
        for entry in case["figures"]:
            assert set(entry) <= ALLOWED and entry["qualifier"] in QUALIFIERS, (case["id"], entry)
            assert "subject" in entry or "subject_not" in entry or "comparison_direction" in entry, case["id"]


def test_subject_score_report(capsys) -> None:
    """Prints the fraction of entries whose subject (and, separately, comparison) is right; asserts nothing
    beyond the per-case tests, so the report also shows how the xfail cases stand."""
    subjects = comparisons = n_subjects = n_comparisons = 0
    for case in CASES:
        frame = extract(case["plain"])
        for (start, end), entry in zip(case["spans"], case["figures"]):
            row = _row(frame, start, end)
            if "subject" in entry or "subject_not" in entry:
                n_subjects += 1
                subjects += subject_right(row, entry)
            if "comparison_direction" in entry:
                n_comparisons += 1
                comparisons += row is not None and all(
                    (row[k] if isinstance(row[k], str) else None) == entry.get(k)
                    for k in ("comparison_direction", "comparison_baseline"))
    with capsys.disabled():
        print(f"\nsubjects right: {subjects}/{n_subjects}; comparisons right: {comparisons}/{n_comparisons}")
