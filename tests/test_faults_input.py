# Issue #17, the input side (items 7, 8, 9 and 12): each finding reproduced
# first, then fixed.  Where the cases come from: the pages are the real
# sample page (data/zhuzhou-daily-2021-04.txt) re-encoded or converted by us
# (Big5 through OpenCC's s2tw, UTF-16 without a mark, a torn tail), or
# made up (English text, seeded random bytes, same-named files, manifests
# written the way Excel writes them).  Expected values come from reading
# those inputs: a line number is the sample's line count plus one, a
# reporter list is the clean sample's.
import codecs
import random
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import zzdata as zz
from zzdata import read
from zzdata.cli import main
from zzdata.manifest import ManifestError, parse_date
from zzdata.pipeline import tasks_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")
LINES = TEXT.count("\n") + 1  # the sample does not end with a line break


@pytest.fixture(scope="module")
def reference():
    return zz.load(SAMPLE)


def figures(frame):
    return list(zip(frame["value"], frame["unit"], frame["qualifier"], frame["subject"]))


def big5_page() -> bytes:
    """The sample in traditional characters, Taiwan forms (every one in
    Big5), converted one character to one character, encoded in Big5."""
    import opencc

    chars = sorted(set(TEXT) - {"\n", "\r"})
    s2tw = dict(zip(chars, opencc.OpenCC("s2tw.json").convert("\n".join(chars)).split("\n")))
    return "".join(s2tw.get(c, c) if len(s2tw.get(c, c)) == 1 else c for c in TEXT).encode("cp950")


def load_one(tmp_path: Path, name: str, data: bytes):
    (tmp_path / name).write_bytes(data)
    return zz.load(tmp_path / name)


# --- 7. encodings decided on evidence ------------------------------------------


def test_a_big5_page_reads_as_big5_and_gives_the_samples_articles(tmp_path, reference):
    data = big5_page()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert not read.Evidence.of("gb18030", data.decode("gb18030", "replace")).reads_as_chinese()  # the old misreading
    text, encoding = read.decode_bytes(data)
    assert encoding in ("cp950", "big5hkscs") and text == data.decode("cp950")
    t = load_one(tmp_path, "big5.txt", data)
    assert t.problems.empty
    assert t.articles["reporters"].tolist() == reference.articles["reporters"].tolist()
    assert figures(t.figures) == figures(reference.figures)


@pytest.mark.parametrize("seed", range(3))
def test_random_high_bytes_are_an_uncertain_encoding_not_garbage_articles(tmp_path, seed):
    rng = random.Random(seed)
    data = bytes(rng.randrange(0xA1, 0xFF) for _ in range(4000))  # every byte a GB18030 lead or trail
    data.decode("gb18030")  # the old reader took this as a GB18030 page
    t = load_one(tmp_path, "noise.txt", data)
    assert t.articles.empty and t.figures.empty
    problem = t.problems.set_index("source").loc["noise.txt"]
    assert problem["kind"] == "uncertain_encoding"
    assert "gb18030" in problem["message"] and "charset-normalizer" in problem["message"]


def test_random_bytes_of_every_value_are_a_problem(tmp_path):
    rng = random.Random(7)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(4000))
    t = load_one(tmp_path, "noise.txt", data)
    assert t.articles.empty and len(t.problems) == 1
    assert t.problems["kind"].iloc[0] in ("uncertain_encoding", "undecodable")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_detected(tmp_path, reference, encoding):
    data = TEXT.encode(encoding)
    assert read.decode_bytes(data) == (TEXT, encoding)
    t = load_one(tmp_path, "page.txt", data)
    assert t.problems.empty
    assert t.articles["headline"].tolist() == reference.articles["headline"].tolist()


def test_english_in_utf16_without_a_mark_is_no_article_not_binary(tmp_path):
    t = load_one(tmp_path, "en.txt", "Flood season report\nThe city stored sandbags.\n".encode("utf-16-le"))
    assert t.articles.empty
    assert t.problems["kind"].tolist() == ["no_articles"]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_an_english_file_is_no_articles_not_an_article_without_headline(tmp_path, encoding):
    text = "Zhuzhou Daily, English edition.\nThe city stored 636,000 sandbags before the flood season, café owners said.\n"
    t = load_one(tmp_path, "english.txt", text.encode(encoding))
    assert t.articles.empty and t.figures.empty
    problem = t.problems.set_index("source").loc["english.txt"]
    assert problem["kind"] == "no_articles" and problem["message"].startswith("no article")


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16-le"])
def test_a_valid_body_with_a_bad_tail_keeps_the_body_and_locates_the_tail(tmp_path, reference, encoding):
    body = TEXT.encode(encoding)
    tail = b"\x00\xd8" if encoding == "utf-16-le" else b"\xff\x80\xff\xfe junk"  # a lone surrogate; bytes no encoding takes
    t = load_one(tmp_path, "torn.txt", body + tail)
    assert t.articles["headline"].tolist() == reference.articles["headline"].tolist()
    assert figures(t.figures) == figures(reference.figures)
    problem = t.problems.set_index("source").loc["torn.txt"]
    assert problem["kind"] == "undecodable"
    assert problem["line"] == LINES and problem["offset"] == len(body)
    assert f"byte {len(body)}" in problem["message"] and "were not" in problem["message"]


def test_a_bad_tail_after_a_byte_order_mark_keeps_the_body():
    page, problems = read.read_bytes(codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le") + b"\x00\xdc", "torn.txt")
    assert page.text == TEXT
    assert [(p.kind, p.line) for p in problems] == [("undecodable", LINES)]


GB2312_LEVEL1 = [bytes([lead, trail]).decode("gb2312") for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)
                 if (lead, trail) < (0xD7, 0xFA)]  # the 3,755 most used characters of simplified Chinese
SIMPLIFIED = st.text(alphabet=st.sampled_from(GB2312_LEVEL1 + list("0123456789.%，。、：“”（）\n ")), min_size=1, max_size=200)


@settings(max_examples=200, deadline=None)
@given(SIMPLIFIED.filter(lambda s: read._HAN.search(s)))
def test_gb18030_pages_of_common_characters_decode_as_before(text):
    # Made up by hypothesis: any simplified text of common characters (the
    # ones editors print), in GB18030, reads back as GB18030, as it did
    # before, unless its bytes happen to be UTF-8 (a few characters can be:
    # UTF-8 is tried first, as before).
    data = text.encode("gb18030")
    assume(not _is_utf8(data))
    assert read.decode_bytes(data) == (text, "gb18030")


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_utf8_decides_at_once(text):
    data = text.encode("utf-8")
    if "\x00" not in text:
        assert read.decode_bytes(data) == (text, "utf-8")
        assert read.decode_bytes(codecs.BOM_UTF8 + data) == (text, "utf-8-sig")


# --- 8. source ids are paths relative to the source root -----------------------


@pytest.fixture()
def twins(tmp_path):
    root = tmp_path / "archive"
    for folder in ("east", "west"):
        (root / folder).mkdir(parents=True)
        shutil.copy(SAMPLE, root / folder / "page.txt")
    return root


def test_same_named_files_in_two_folders_stay_apart(twins):
    for sources in ([twins], [twins / "east" / "page.txt", twins / "west" / "page.txt"]):
        assert [source for _, source in read.find_files(sources)] == ["east/page.txt", "west/page.txt"]
        t = zz.load(*sources)
        assert set(t.articles["source"]) == {"east/page.txt", "west/page.txt"}
        assert t.articles["article_id"].is_unique


def test_a_file_in_the_root_keeps_its_name_as_source_id():
    assert read.find_files([SAMPLE]) == [(SAMPLE, SAMPLE.name)]
    assert [source for _, source in read.find_files([SAMPLE.parent])] == [SAMPLE.name]
    assert [task.source for task in tasks_of([SAMPLE, SAMPLE.parent])] == [SAMPLE.name]  # named twice, read once


def test_the_manifest_is_keyed_by_relative_path(twins):
    (twins / "manifest.csv").write_text(
        "file,paper,publication_date\neast/page.txt,株洲日报,2021-04-22\nwest/page.txt,株洲晚报,2022-05-01\n", encoding="utf-8")
    facts = {t.source: (t.paper, t.manifest_date) for t in tasks_of([twins])}
    assert facts == {"east/page.txt": ("株洲日报", "2021-04-22"), "west/page.txt": ("株洲晚报", "2022-05-01")}


def test_a_bare_name_two_files_share_is_a_problem_row(twins, tmp_path):
    (twins / "manifest.csv").write_text("file,paper,publication_date\npage.txt,株洲日报,2021-04-22\n", encoding="utf-8")
    tasks = tasks_of([twins])
    assert [(t.paper, t.manifest_date) for t in tasks] == [("", None), ("", None)]
    assert main(["build", str(twins), "--out", str(tmp_path / "out")]) == 2
    problem = zz.load(tmp_path / "out").problems.set_index("source").loc["manifest.csv"]
    assert problem["kind"] == "bad_manifest_row" and problem["line"] == 2
    assert "east/page.txt" in problem["message"] and "west/page.txt" in problem["message"]


def test_a_bare_name_one_file_has_still_matches(tmp_path):
    (tmp_path / "2021").mkdir()
    shutil.copy(SAMPLE, tmp_path / "2021" / "april.txt")
    (tmp_path / "manifest.csv").write_text("file,paper,publication_date\napril.txt,株洲日报,2021-04-22\n", encoding="utf-8")
    assert [(t.source, t.paper, t.manifest_date) for t in tasks_of([tmp_path])] == [("2021/april.txt", "株洲日报", "2021-04-22")]


# --- 9. manifest robustness -----------------------------------------------------

MANIFEST = "file,paper,publication_date,pages,note\na.txt,株洲日报,{a},2,made up\nb.txt,株洲晚报,{b},2,made up\n"


def archive(tmp_path: Path, manifest: bytes) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(SAMPLE, folder / name)
    (folder / "manifest.csv").write_bytes(manifest)
    return folder


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_a_manifest_reads_in_the_encodings_excel_writes(tmp_path, encoding):
    folder = archive(tmp_path, MANIFEST.format(a="2021-04-22", b="2021/4/3").encode(encoding))
    assert [(t.source, t.paper, t.manifest_date) for t in tasks_of([folder])] == [
        ("a.txt", "株洲日报", "2021-04-22"), ("b.txt", "株洲晚报", "2021-04-03")]


def test_a_bad_date_is_a_problem_naming_its_line_and_the_build_goes_on(tmp_path, capsys):
    folder = archive(tmp_path, MANIFEST.format(a="2021-13-45", b="2021/4/3").encode("utf-8"))
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 2
    t = zz.load(tmp_path / "out")
    assert t.problems[["source", "kind", "line"]].values.tolist() == [["manifest.csv", "bad_manifest_row", 2]]
    assert "2021-13-45" in t.problems["message"].iloc[0]
    assert "zzdata: manifest.csv:2:" in capsys.readouterr().err
    dates = t.articles.groupby("source")[["publication_date", "date_basis"]].first()
    assert dates.loc["b.txt"].tolist() == ["2021-04-03", "manifest"]
    assert dates.loc["a.txt", "date_basis"] != "manifest"
    assert set(t.articles["source"]) == {"a.txt", "b.txt"}


def test_a_bad_manifest_row_stops_a_strict_build(tmp_path):
    folder = archive(tmp_path, MANIFEST.format(a="2021-13-45", b="").encode("utf-8"))
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--strict"]) == 2
    assert not (tmp_path / "out" / "articles.csv").exists()


def test_a_manifest_without_its_file_column_is_a_clear_error(tmp_path, capsys):
    folder = archive(tmp_path, "name,paper,publication_date\na.txt,株洲日报,2021-04-22\n".encode("utf-8"))
    assert main(["build", str(folder), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "manifest.csv" in err and "no 'file' column" in err and "name, paper, publication_date" in err
    assert "Traceback" not in err
    with pytest.raises(ManifestError, match="columns found: name, paper, publication_date"):
        zz.load(folder)


@pytest.mark.parametrize(
    "cell, expected",
    [("2021-04-22", "2021-04-22"), ("2021/4/3", "2021-04-03"), ("2021.4.3", "2021-04-03"), ("2021年4月3日", "2021-04-03"),
     ("20210403", "2021-04-03"), ("2021-13-45", None), ("2021-02-29", None), ("4/3/2021", None), ("April 3", None)],
)
def test_manifest_dates(cell, expected):
    assert parse_date(cell) == expected


@settings(max_examples=300, deadline=None)
@given(st.dates())
def test_every_iso_date_parses_back(day):
    assert parse_date(day.isoformat()) == day.isoformat() or day.year < 1000


# --- 12. API and docs ------------------------------------------------------------


def test_dir_lists_the_public_names():
    import importlib

    module = importlib.reload(zz)  # nothing loaded yet: the lazy names too
    assert {"load", "build", "extract_figures", "query", "Tables", "registered_beats", "__version__"} <= set(dir(module))


def test_every_row_of_the_data_dictionary_has_four_cells():
    for line in (ROOT / "docs" / "tables.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| ") and not line.startswith("| column |"):
            assert len(re.split(r"(?<!\\)\|", line)) == 6, line  # four cells between five pipes
