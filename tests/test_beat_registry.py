# Beats are registered components: a fourth beat is one module (here, the toy
# beat below, as a new zzdata/beats/<name>.py would define it), its topic and
# taxonomy rows (here given as the Beat's topic_words, since a test cannot add
# package data) and one golden page (tests/golden/beats/toy_traffic.txt, made up
# for this test: the people and figures are invented; 渌口区 is a real Zhuzhou
# district).  Expected values were read from that page.
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import zzdata as zz
from zzdata import beats, schema
from zzdata.beats.measures import measure_columns
from zzdata.columns import CHANGE, FIGURE_LINK, FIGURE_VALUE, MEASURE, ROUTING, WHERE_WHEN

PAGE = Path(__file__).resolve().parent / "golden" / "beats" / "toy_traffic.txt"


def _traffic_rows(passage):
    return [measure_columns("traffic", f, passage) for f in passage.figures]


TOY = beats.Beat(
    name="traffic",
    table="traffic_stats",
    label="道路交通",
    about="Road-traffic enforcement (道路交通), one row per figure: a toy beat for tests.",
    columns=(*MEASURE, *FIGURE_VALUE, *CHANGE, *WHERE_WHEN, *ROUTING, *FIGURE_LINK),
    rows=_traffic_rows,
    topic_words=(("交警", 3), ("交通事故", 3), ("酒驾", 2), ("交通安全", 2)),
)


@pytest.fixture()
def toy(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(PAGE, folder / PAGE.name)
    (folder / "manifest.csv").write_text(f"file,paper,publication_date,pages,note\n{PAGE.name},株洲日报,2021-04-10,1,made up\n", encoding="utf-8")
    beats.register(TOY)
    try:
        yield folder
    finally:
        beats.unregister("traffic")


def test_a_registered_beat_is_a_table_everywhere(toy, tmp_path):
    assert "traffic_stats" in zz.Tables.names()
    assert "## traffic_stats" in schema.render_markdown()
    tables = zz.build([toy])
    traffic = tables.traffic_stats
    # 查处酒驾醉驾违法行为86起 / 超速违法行为1200余起 / 事故起数同比下降15% / 宣传活动12场 / 宣传资料近3千份
    assert sorted(traffic["text"]) == sorted(["86起", "1200余起", "15%", "12场", "近3千份"])
    change = traffic[traffic["text"] == "15%"].iloc[0]
    assert (change["direction"], change["value"]) == ("down", 15)
    assert set(traffic["routed_by"]) <= {"article", "paragraph", "sentence"}
    assert set(tables.figures.loc[tables.figures["text"] == "86起", "beat_table"]) == {"traffic_stats"}
    assert "traffic_stats: 5" in tables.summary()
    out = tmp_path / "out"
    tables.write(out)
    assert (out / "traffic_stats.csv").exists()
    again = zz.load(out)
    assert sorted(again.traffic_stats["text"]) == sorted(traffic["text"])


def test_unregistered_beat_is_gone(toy):
    beats.unregister("traffic")
    assert "traffic_stats" not in zz.Tables.names()
    assert "traffic_stats" not in schema.TABLES


def test_registering_a_beat_invalidates_the_build_cache(tmp_path):
    # A cache filled before the toy beat existed must not hide its rows.
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(PAGE, folder / PAGE.name)
    cache = tmp_path / "cache"
    before = zz.build([folder], cache=cache)
    assert "traffic_stats" not in before.names()
    beats.register(TOY)
    try:
        after = zz.build([folder], cache=cache)
        assert len(after.traffic_stats) == 5
    finally:
        beats.unregister("traffic")
    again = zz.build([folder], cache=cache)
    assert "traffic_stats" not in again.names()


def test_a_beat_that_drops_figures_is_reported(toy):
    # A beat whose rows take none of its figures, and says no reason why:
    # every such figure gets beat_note "dropped" and a failing beat_coverage check.
    beats.register(beats.Beat("traffic", "traffic_stats", "道路交通", "drops everything", TOY.columns,
                              lambda passage: [], topic_words=TOY.topic_words))
    tables = zz.build([toy])
    assert tables.traffic_stats.empty
    dropped = tables.figures[tables.figures["beat_note"] == "dropped"]
    assert sorted(dropped["text"]) == sorted(["86起", "1200余起", "15%", "12场", "近3千份"])
    failed = tables.checks[(tables.checks["check"] == "beat_coverage") & (tables.checks["status"] == "fail")]
    assert sorted(failed["text"]) == sorted(dropped["text"])
    assert "not in one: dropped 5" in tables.summary()
