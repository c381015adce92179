# Robustness on the sample page re-encoded by us (made-up forms of a real
# page) and on made-up bad files: every good form gives the same articles and
# figures, every bad file is a located problem, nothing is silently lost, and
# an interrupted build leaves the previous tables as they were.
import codecs
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zzdata as zz
from zzdata.cli import main
from zzdata.layout import find_layout
from zzdata.read import DecodeError, decode_bytes, read_bytes

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "zhuzhou-daily-2021-04.txt"
TEXT = SAMPLE.read_text(encoding="utf-8")
FULL_WIDTH = str.maketrans("0123456789.%", "０１２３４５６７８９．％")

FORMS = {
    "utf-8-bom": codecs.BOM_UTF8 + TEXT.encode("utf-8"),
    "gb18030": TEXT.encode("gb18030"),
    "utf-16-le-bom": codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    "utf-16-be-bom": codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    "crlf": TEXT.replace("\n", "\r\n").encode("utf-8"),
    "cr": TEXT.replace("\n", "\r").encode("utf-8"),
    "full-width-digits": TEXT.translate(FULL_WIDTH).encode("utf-8"),
}


@pytest.fixture(scope="module")
def reference():
    return zz.load(SAMPLE)


@pytest.mark.parametrize("form", FORMS)
def test_every_form_gives_the_same_articles_and_figures(tmp_path, reference, form):
    path = tmp_path / f"{form}.txt"
    path.write_bytes(FORMS[form])
    t = zz.load(path)
    assert t.problems.empty
    as_printed = (lambda s: s.translate(FULL_WIDTH)) if form == "full-width-digits" else (lambda s: s)
    assert t.articles["headline"].tolist() == [as_printed(h) for h in reference.articles["headline"]]
    assert t.articles["body"].tolist() == [as_printed(b) for b in reference.articles["body"]]
    figures = lambda f: list(zip(f["value"], f["unit"], f["qualifier"], f["subject"]))  # noqa: E731
    assert figures(t.figures) == figures(reference.figures)
    assert int(t.coverage()["unassigned"].sum()) == 0


def test_one_folder_of_every_kind_builds_and_names_each_bad_file(tmp_path, reference, capsys):
    # Issue #6's acceptance folder: the sample in every form (ours, made from
    # the real page), traditional characters included, beside made-up bad
    # files.  Good files give the clean sample's articles and figures, every
    # bad file is a problem with a reason, and the build exits 2.
    import opencc

    chars = sorted(set(TEXT) - {"\n", "\r"})
    s2t = dict(zip(chars, opencc.OpenCC("s2t.json").convert("\n".join(chars)).split("\n")))
    folder = tmp_path / "every-kind"
    folder.mkdir()
    for form, data in FORMS.items():
        (folder / f"{form}.txt").write_bytes(data)
    (folder / "traditional.txt").write_text("".join(s2t.get(c, c) if len(s2t.get(c, c)) == 1 else c for c in TEXT), encoding="utf-8")
    bad = {
        "empty.txt": (b"", "empty"),
        "scan.txt": (b"%PDF-1.4\n%binary", "not_text"),
        "photo.txt": (b"\xff\xd8\xff\xe0\x00\x10JFIF", "not_text"),
        "torn.txt": ("标题\n正文".encode("utf-8") + b"\x81\x20\xff", "undecodable"),
        "rule.txt": ("——————\n※※※\n".encode("utf-8"), "no_articles"),
    }
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "out"
    assert main(["build", str(folder), "--out", str(out)]) == 2
    t = zz.load(out)
    assert dict(zip(t.problems["source"], t.problems["kind"])) == {name: kind for name, (_, kind) in bad.items()}
    err = capsys.readouterr().err
    assert all(f"zzdata: {name}" in err for name in bad)
    figures = lambda f: list(zip(f["value"], f["unit"], f["qualifier"], f["subject"]))  # noqa: E731
    for form in [*FORMS, "traditional"]:
        source = f"{form}.txt"
        articles = t.articles[t.articles["source"] == source]
        assert articles["reporters"].tolist() == reference.articles["reporters"].tolist(), form
        assert figures(t.figures[t.figures["source"] == source]) == figures(reference.figures), form
    assert int(t.coverage()["unassigned"].sum()) == 0


def test_coverage_of_the_sample_is_total(reference):
    coverage = reference.coverage()
    assert coverage["unassigned"].tolist() == [0]
    assert coverage["n_chars"].tolist() == [len(TEXT)]


@pytest.fixture()
def batch(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "renamed.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary")
    (folder / "broken.txt").write_bytes("第一行\n".encode("utf-8") + b"\xff\xfe\xfa" + "后面".encode("utf-8"))
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "noise.txt").write_text("，。、；：\n\n……\n", encoding="utf-8")
    return folder


def test_bad_files_are_located_problems_and_the_rest_builds(batch, tmp_path, capsys):
    assert main(["build", str(batch), "--out", str(tmp_path / "out")]) == 2
    t = zz.load(tmp_path / "out")
    assert (t.articles["source"] == "good.txt").sum() == 7
    problems = dict(zip(t.problems["source"], t.problems["message"]))
    kinds = dict(zip(t.problems["source"], t.problems["kind"]))
    assert kinds == {"empty.txt": "empty", "renamed.txt": "not_text", "broken.txt": "undecodable", "image.txt": "not_text", "noise.txt": "no_articles"}
    assert t.summary().startswith("files: 6 ")
    assert set(problems) == {"empty.txt", "renamed.txt", "broken.txt", "image.txt", "noise.txt"}
    assert problems["noise.txt"].startswith("no article")
    assert "PDF" in problems["renamed.txt"] and "PNG" in problems["image.txt"]
    assert "byte 10" in problems["broken.txt"]  # 第一行\n is 10 bytes of UTF-8
    assert t.problems.set_index("source").loc["broken.txt", "line"] == 2
    err = capsys.readouterr().err
    assert all(name in err for name in problems)


def test_strict_stops_at_the_first_problem_and_writes_nothing(batch, tmp_path):
    out = tmp_path / "strict"
    assert main(["build", str(batch), "--out", str(out), "--strict"]) == 2
    assert not out.exists()


def test_all_good_files_exit_zero(tmp_path):
    assert main(["build", str(SAMPLE), "--out", str(tmp_path / "out")]) == 0


def test_a_rebuild_writes_byte_identical_csvs(tmp_path):
    main(["build", str(SAMPLE), "--out", str(tmp_path / "a")])
    main(["build", str(SAMPLE), "--out", str(tmp_path / "b")])
    for csv in sorted((tmp_path / "a").glob("*.csv")):
        assert csv.read_bytes() == (tmp_path / "b" / csv.name).read_bytes(), csv.name


def _tables(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
            if p.is_file() and ".cache" not in p.parts and not p.name.endswith(".partial") and p.name != ".lock"}  # a killed build leaves its lock


def test_an_interrupted_build_leaves_the_previous_tables(tmp_path):
    out = tmp_path / "out"
    main(["build", str(SAMPLE), "--out", str(out)])
    before = _tables(out)
    many = tmp_path / "many"
    many.mkdir()
    for k in range(200):
        (many / f"page{k:03d}.txt").write_text(TEXT, encoding="utf-8")
    build = subprocess.Popen([sys.executable, "-m", "zzdata", "build", str(many), "--out", str(out), "--jobs", "1"])
    deadline = time.monotonic() + 120
    while not any((out / ".cache").glob("*.part")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # polling for the condition "the build is midway": files are being processed
    assert build.poll() is None, "the build ended before it could be interrupted"
    build.kill()
    build.wait()
    assert _tables(out) == before


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_decode_or_raise_a_decode_error(data):
    try:
        text, _ = decode_bytes(data)
    except DecodeError as error:
        assert error.offset is None or 0 <= error.offset <= len(data)
    else:
        assert isinstance(text, str)


MESSY = st.text(alphabet=st.sampled_from(list("标题正文。,，！“”()（）\n\r \t　记者通讯员/王小明摄供图责任编辑:校对0123456789万亿余近约第招")), max_size=300)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), MESSY))
def test_layout_roles_tile_any_text(text):
    layout = find_layout(text)
    position = 0
    for span in layout.spans:
        assert span.start == position and span.end > span.start
        position = span.end
    assert position == len(text)


def test_a_50_mb_single_line_is_a_located_problem_and_the_batch_builds(tmp_path, capsys):
    # Made up: a real page's text repeated without a single line break until
    # the file holds 50 MB, the way a broken exporter (or a dump that is not
    # a page) delivers it; beside it, the sample as it is.
    folder = tmp_path / "batch"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "good.txt")
    line = TEXT.replace("\n", "")
    size = len(line.encode("utf-8"))
    (folder / "one-line.txt").write_text(line * (50 * 2**20 // size + 1), encoding="utf-8")
    assert (folder / "one-line.txt").stat().st_size >= 50 * 2**20
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--jobs", "1"]) == 2
    t = zz.load(tmp_path / "out")
    problem = t.problems.set_index("source").loc["one-line.txt"]
    assert problem["kind"] == "overlong_line" and problem["line"] == 1
    assert "re-export with paragraph breaks" in problem["message"]
    assert "one-line.txt:1:" in capsys.readouterr().err
    assert (t.articles["source"] == "good.txt").sum() == 7
    good = t.figures[t.figures["source"] == "good.txt"]
    assert len(good) == len(zz.load(SAMPLE).figures)
    assert int(t.coverage()["unassigned"].sum()) == 0  # the long line still has its roles


def test_figures_outside_every_article_are_kept_and_counted(tmp_path):
    # The sample's only furniture figure is the page code printed before the
    # editor credits of page 2 (2823906 责任编辑:王建设…); it is no article's.
    t = zz.load(SAMPLE)
    outside = t.figures[t.figures["article_id"].isna()]
    assert outside["text"].tolist() == ["2823906"]
    assert outside["dimension"].tolist() == ["code"] and not outside["is_amount"].any()
    assert "figures outside any article" in t.summary()


ADVERSARIAL = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("（()）【[]】“”‘’《》<>")),  # unbalanced brackets and quotes
        st.sampled_from(list("0123456789０１２３４５６７８９.．%％,，")),  # runs of digits
        st.sampled_from(list("万亿千百十萬億余多近约第个元条人家吨米")),  # stray multipliers and units
        st.sampled_from(list("\x00\x01\x07\x1b\u200b\ufeff\u2028\r\n\t 　")),  # control and invisible characters
        st.sampled_from(list("abcXYZ αβγ абв한글かなカナ😀")),  # other scripts
        st.sampled_from(list("全市储备编织袋记者通讯员责任编辑街道社区。，、；：")),
    ),
    max_size=400,
)


@settings(max_examples=150, deadline=None)
@given(ADVERSARIAL)
def test_any_text_goes_through_every_stage(text):
    # Made up by hypothesis: the whole per-file pipeline, reader included, on
    # adversarial text.  Nothing escapes, spans lie inside the text, the
    # layout tiles it, and every row fits its table's schema.
    from zzdata.engine import Task
    from zzdata.pipeline import assemble, process_task

    data = text.encode("utf-8")
    result = process_task(Task("fuzz.txt", "fuzz.txt", data))
    tables = assemble([result])
    if result.count("layout") == 0:
        assert result.count("problems") >= 1  # not text, or empty: said so
        return
    decoded = read_bytes(data, "fuzz.txt")[0].text  # what the offsets point into (a bad tail is left out)
    for name in ("articles", "pages", "layout", "figures", "dates"):
        frame = getattr(tables, name)
        assert ((frame["start"] >= 0) & (frame["start"] <= frame["end"]) & (frame["end"] <= len(decoded))).all(), name
    for row in tables.figures.itertuples():
        printed = decoded[row.start : row.end]  # a figure the layout broke keeps its rejoined text
        assert printed[:1] == row.text[:1] and printed[-1:] == row.text[-1:], (printed, row.text)
    assert int(tables.coverage()["unassigned"].sum()) == 0
