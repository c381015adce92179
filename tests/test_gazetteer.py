# The gazetteer zzdata/lexicon/places.tsv and what places.py makes of it.
# Every spot check below was read in the source the file's header cites:
# modood/Administrative-divisions-of-China at commit dc3a1d7 (国家统计局 2023年统计用区划代码),
# dist/areas.csv and dist/streets.csv, rows with codes beginning 4302; old names from the sources the
# header names (株洲县 430221 in the 2017 data, 董家段街道 and 云龙示范区 430271 in modood commit 0b7fd75).
# Hierarchy rule: village -> town -> county -> city -> province. The functional zone 云龙示范区 is a
# county-level row; a zone's towns may have the zone or a district as parent. Here its three towns
# (学林街道, 龙头铺街道, 云田镇) have 石峰区, as in the 2023 data. Names are unique: no duplicates.

import re
from collections import Counter

import pytest

from zzdata import places
from zzdata.lexicon import read_tsv

LEVELS = ("province", "city", "county", "town", "village")
UP = {"city": "province", "county": "city", "town": "county", "village": "town"}
COUNTIES = {  # the nine county-level units and their codes (dist/areas.csv, 2023)
    "荷塘区": "430202",
    "芦淞区": "430203",
    "石峰区": "430204",
    "天元区": "430211",
    "渌口区": "430212",
    "攸县": "430223",
    "茶陵县": "430224",
    "炎陵县": "430225",
    "醴陵市": "430281",
}
# 街道/镇/乡 per county in the 2023 data (the source's other 乡级 units are left out, see the header)
TOWN_COUNTS = {"荷塘区": 7, "芦淞区": 8, "石峰区": 8, "天元区": 7, "渌口区": 8, "攸县": 17, "茶陵县": 16, "炎陵县": 10, "醴陵市": 24}


@pytest.fixture(scope="module")
def rows():
    return read_tsv("places.tsv")


@pytest.fixture(scope="module")
def by_name(rows):
    return {row["name"]: row for row in rows}


@pytest.fixture
def fresh():
    for cached in (read_tsv, places.gazetteer, places._known):
        cached.cache_clear()
    yield places
    for cached in (read_tsv, places.gazetteer, places._known):
        cached.cache_clear()


def test_columns_and_levels(rows):
    assert rows, "no rows"
    for row in rows:
        assert list(row) == ["name", "level", "parent", "aliases", "note"]
        assert row["level"] in LEVELS, row
        assert row["name"].strip() == row["name"] and row["name"], row


def test_names_and_surfaces_unique(rows):
    names = Counter(row["name"] for row in rows)
    assert [n for n, c in names.items() if c > 1] == []
    surfaces = Counter(s for row in rows for s in [row["name"], *filter(None, row["aliases"].split("|"))])
    assert [s for s, c in surfaces.items() if c > 1] == []


def test_parents_exist_one_level_up(rows, by_name):
    for row in rows:
        if row["level"] == "province":
            assert row["parent"] == "", row
            continue
        parent = by_name.get(row["parent"])
        assert parent is not None, f"{row['name']}: parent {row['parent']!r} missing"
        assert parent["level"] == UP[row["level"]], (row["name"], row["parent"])


def test_top_of_the_tree(by_name):
    assert by_name["湖南省"]["level"] == "province"
    assert by_name["株洲市"]["level"] == "city" and by_name["株洲市"]["parent"] == "湖南省"
    counties = {n for n, r in by_name.items() if r["level"] == "county"}
    assert counties == set(COUNTIES) | {"云龙示范区"}
    assert "functional zone" in by_name["云龙示范区"]["note"]


def test_county_codes_in_notes(by_name):
    for name, code in COUNTIES.items():
        assert by_name[name]["parent"] == "株洲市"
        assert f"code {code}" in by_name[name]["note"], name


def test_town_notes_match_parent(rows):
    for row in rows:
        if row["level"] != "town":
            continue
        match = re.search(r"code (4302\d{5}); county (4302\d\d)", row["note"])
        assert match, row
        town_code, county_code = match.groups()
        assert town_code.startswith(county_code)
        assert COUNTIES[row["parent"]] == county_code, row


@pytest.mark.parametrize("county", COUNTIES)
def test_every_county_has_its_towns(rows, county):
    towns = [r["name"] for r in rows if r["level"] == "town" and r["parent"] == county]
    assert len(towns) >= 5
    assert len(towns) == TOWN_COUNTS[county], towns
    assert all(t.endswith(("街道", "镇", "乡")) for t in towns), towns


@pytest.mark.parametrize(
    "town, county",
    [
        ("建设街道", "芦淞区"),
        ("白关镇", "芦淞区"),
        ("董家塅街道", "芦淞区"),
        ("明照街道", "荷塘区"),
        ("仙庾镇", "荷塘区"),
        ("田心街道", "石峰区"),
        ("云田镇", "石峰区"),
        ("学林街道", "石峰区"),
        ("栗雨街道", "天元区"),
        ("雷打石镇", "天元区"),
        ("渌口镇", "渌口区"),
        ("朱亭镇", "渌口区"),
        ("酒埠江镇", "攸县"),
        ("皇图岭镇", "攸县"),
        ("下东街道", "茶陵县"),
        ("桃坑乡", "茶陵县"),
        ("霞阳镇", "炎陵县"),
        ("中村瑶族乡", "炎陵县"),
        ("国瓷街道", "醴陵市"),
        ("左权镇", "醴陵市"),
    ],
)
def test_spot_checks(by_name, town, county):
    assert by_name[town]["level"] == "town"
    assert by_name[town]["parent"] == county


def test_old_names_are_aliases(by_name):
    assert "株洲县" in by_name["渌口区"]["aliases"].split("|")
    assert "董家段街道" in by_name["董家塅街道"]["aliases"].split("|")
    assert "株洲县" not in by_name and "董家段街道" not in by_name


def test_short_aliases_only_above_towns(rows):
    for row in rows:
        if row["level"] in ("town", "village"):
            for alias in filter(None, row["aliases"].split("|")):
                assert alias.endswith(("街道", "镇", "乡", "村", "社区")), (row["name"], alias)
    counties = {r["name"]: r["aliases"].split("|") for r in rows if r["level"] == "county"}
    assert "醴陵" in counties["醴陵市"] and "茶陵" in counties["茶陵县"] and "炎陵" in counties["炎陵县"]


def test_left_out_units(by_name):
    # 乡级 units of the source that are not 街道/镇/乡, and 株洲县 as a row of its own
    for name in ("攸县工业园", "汉背管理处", "湖南醴陵经济开发区", "炎陵县桃源洞管理局", "株洲县", "株洲高新区"):
        assert name not in by_name


def test_gazetteer_loads(fresh):
    table = fresh.gazetteer()
    assert table["芦淞区"] == ("芦淞区", "county")
    assert table["白关镇"] == ("白关镇", "town")
    assert table["株洲县"] == ("渌口区", "county")
    assert table["醴陵"] == ("醴陵市", "county")
    assert table["董家段街道"] == ("董家塅街道", "town")
    assert len({name for name, _ in table.values()}) == len(read_tsv("places.tsv"))


def test_find_places_county_and_town(fresh):
    found = [(p.name, p.level) for p in fresh.find_places("芦淞区白关镇")]
    assert found == [("芦淞区", "county"), ("白关镇", "town")]


def test_find_places_old_county_name(fresh):
    found = [(p.name, p.level) for p in fresh.find_places("株洲县朱亭镇")]
    assert found == [("渌口区", "county"), ("朱亭镇", "town")]
