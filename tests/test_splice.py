# Re-builds that write only what changed (zzdata/splice.py, store.write_parts):
# whatever happened to the pages since the last build, the spliced CSVs are
# byte-identical to those of a full build into an empty folder, the Parquet
# tables hold the same rows, and the printed summary is the same; a build
# with nothing changed loads no part and publishes nothing; a published CSV
# that was written to since is never spliced in.
#
# The pages are made up here, from short sentences of the kinds the paper
# prints (stockpiles, service actions, safety figures), not copied from any
# article; what is checked is only that two ways of building agree.
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import zzdata as zz
from zzdata import parts, pipeline, splice, store
from zzdata.cli import main

SENTENCES = [
    "本报讯(记者 李明)近日,芦淞区储备编织袋3.2万条、救生衣860件,确保汛期物资充足。",
    "荷塘区宋家桥街道为辖区居民办实事12件,惠及群众近6千人次。",
    "今年一季度,全市共排查安全隐患699个,已整改593个,整改率84.8%。",
    "天元区新建应急避难场所4处,可容纳1.3万余人。",
    "截至目前,全市累计降水量较历年同期偏少36%。",
    "石峰区组织防汛演练3次,参与人员200余名。",
    "醴陵市为老旧小区加装电梯15台,改造管网8.6公里。",
]
TITLES = ["防汛物资准备到位", "我为群众办实事", "安全生产形势平稳", "应急能力再提升"]


def page(title: str, sentences: list[int]) -> str:
    body = "\n".join(SENTENCES[i % len(SENTENCES)] for i in sentences)
    return f"{title}\n{body}\n(编辑 王芳)\n"


def build(src: Path, out: Path, *extra: str, jobs: int = 1) -> str:
    """``zzdata build`` in this process; its printed summary (without the
    lines that tell how it was made)."""
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert main(["build", str(src), "--out", str(out), "--jobs", str(jobs), *extra]) in (0, 1)
    lines = printed.getvalue().splitlines()
    return "\n".join(x for x in lines if not x.startswith(("files processed", "pages read", "tables written", "nothing changed", "cache entries")))


def csv_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.csv").read_bytes() for name in zz.Tables.names()}


def same_as_a_full_build(src: Path, out: Path, tmp: Path, summary: str) -> None:
    fresh = tmp / f"fresh{len(list(tmp.glob('fresh*')))}"
    assert build(src, fresh) == summary
    assert csv_bytes(out) == csv_bytes(fresh)
    for name in zz.Tables.names():
        spliced, full = (zz.query(f"select * from {name}", folder) for folder in (out, fresh))
        assert spliced.equals(full), name


def pages_in(src: Path, n: int) -> list[Path]:
    src.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = src / f"p{i:02d}.txt"
        path.write_text(page(TITLES[i % len(TITLES)], [i, i + 2, i + 4]), encoding="utf-8")
        paths.append(path)
    return paths


# One step of what happens to a source folder between two builds.
STEPS = st.lists(
    st.tuples(st.sampled_from(["edit", "remove", "add", "touch", "same-size"]), st.integers(0, 50), st.integers(0, 50)),
    min_size=1, max_size=3,
)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_a_spliced_rebuild_is_a_full_build(tmp_path_factory, steps):
    tmp = tmp_path_factory.mktemp("splice")
    src, out = tmp / "src", tmp / "out"
    pages_in(src, 4)
    build(src, out)
    for op, which, sentence in steps:
        files = sorted(src.glob("*.txt"))
        target = files[which % len(files)] if files else None
        if op == "edit" and target:
            target.write_text(target.read_text(encoding="utf-8") + SENTENCES[sentence % len(SENTENCES)] + "\n", encoding="utf-8")
        elif op == "remove" and target and len(files) > 1:
            target.unlink()
        elif op == "add":  # between two others, in file order
            (src / f"p{which % 5:02d}a.txt").write_text(page(TITLES[sentence % len(TITLES)], [sentence, sentence + 3]), encoding="utf-8")
        elif op == "touch" and target:
            target.touch()
        elif op == "same-size" and target:  # one digit for another: same size, other rows
            text = target.read_text(encoding="utf-8")
            digit = next((c for c in text if c.isdigit()), None)
            if digit:
                target.write_text(text.replace(digit, str((int(digit) + 1) % 10), 1), encoding="utf-8")
        summary = build(src, out)
        same_as_a_full_build(src, out, tmp, summary)


def test_nothing_changed_loads_no_part_and_publishes_nothing(tmp_path, monkeypatch):
    src, out = tmp_path / "src", tmp_path / "out"
    pages_in(src, 3)
    first = build(src, out)
    version = store.current_folder(out)

    def refused(*args, **kwargs):
        raise AssertionError("a part was loaded or processed")

    monkeypatch.setattr(parts, "decode_part", refused)
    monkeypatch.setattr(pipeline, "process_task", refused)
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: refused() if src in self.parents else real(self))  # no page read either
    assert build(src, out) == first  # the summary from the index's counts
    monkeypatch.undo()
    assert store.current_folder(out) == version and len(list((out / "versions").iterdir())) == 1


def _edit_in_place(flat: Path, old: bytes, new: bytes) -> None:
    """Change bytes of a published CSV through its flat hard link, its size kept."""
    data = flat.read_bytes()
    assert len(old) == len(new) and old in data
    flat.write_bytes(data.replace(old, new, 1))


def _as_on_a_coarse_clock(version: Path) -> int:
    """Give the version's CSVs its index's time, as a file system with
    2-second times would, and record those times in the index (its own
    time kept): git's racy case.  Returns the time."""
    import json

    index = version / splice.PARTS_INDEX
    info = index.stat()
    for csv in version.glob("*.csv"):
        os.utime(csv, ns=(info.st_mtime_ns, info.st_mtime_ns))
    head, *lines = index.read_text(encoding="utf-8").split("\n")
    head = json.loads(head)
    head["csv"] = {name: [(version / f"{name}.csv").stat().st_size, info.st_mtime_ns] for name in head["csv"]}
    index.write_text("\n".join([json.dumps(head, ensure_ascii=False), *lines]), encoding="utf-8")
    os.utime(index, ns=(info.st_atime_ns, info.st_mtime_ns))
    return info.st_mtime_ns


def test_a_published_csv_edited_in_place_is_not_spliced_in(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    files = pages_in(src, 3)
    build(src, out)
    flat = out / "figures.csv"  # a hard link to the version's CSV: an edit in place reaches it
    _edit_in_place(flat, "编织袋".encode(), "麻布袋".encode())  # same length in UTF-8, a new time: the index no longer vouches
    files[1].write_text(files[1].read_text(encoding="utf-8") + SENTENCES[1] + "\n", encoding="utf-8")  # p00, with the bags, unchanged
    summary = build(src, out)
    same_as_a_full_build(src, out, tmp_path, summary)
    assert "麻布袋".encode() not in flat.read_bytes()


def test_on_a_coarse_clock_each_files_copied_lines_are_checked(tmp_path):
    """An edit that keeps size and time could pass unseen only where the CSV
    is as new as its index; there each file's lines are checked against
    their digest before they are copied, and bad ones come from the cache."""
    src, out = tmp_path / "src", tmp_path / "out"
    files = pages_in(src, 3)
    build(src, out)
    stamp = _as_on_a_coarse_clock(store.current_folder(out))
    flat = out / "figures.csv"
    _edit_in_place(flat, "编织袋".encode(), "麻布袋".encode())
    os.utime(flat, ns=(stamp, stamp))  # the time the coarse clock would give it
    files[1].write_text(files[1].read_text(encoding="utf-8") + SENTENCES[1] + "\n", encoding="utf-8")  # p00, with the bags, unchanged
    summary = build(src, out)
    same_as_a_full_build(src, out, tmp_path, summary)
    assert "麻布袋".encode() not in flat.read_bytes()


def test_without_the_cache_a_bad_copy_means_a_full_build(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    files = pages_in(src, 3)
    build(src, out)
    for entry in (out / ".cache").glob("*.part"):  # the unchanged files' parts can't be loaded
        entry.unlink()
    stamp = _as_on_a_coarse_clock(store.current_folder(out))
    flat = out / "figures.csv"
    _edit_in_place(flat, b"3.2", b"4.2")
    os.utime(flat, ns=(stamp, stamp))
    files[1].write_text(files[1].read_text(encoding="utf-8") + SENTENCES[2] + "\n", encoding="utf-8")
    summary = build(src, out)  # splice.StaleIndex: built again without the index
    same_as_a_full_build(src, out, tmp_path, summary)


def test_the_index_gives_the_parts_without_their_lines(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    pages_in(src, 2)
    build(src, out)
    found = splice.published_parts(store.current_folder(out))
    full = pipeline.build_parts([src])
    assert len(found) == 2
    by_source = {p.source: p for p in found.values()}
    for part in full:
        stub = by_source[part.source]
        assert stub.summary == part.summary and stub.digests == part.digests and stub.csv == {}
        with pytest.raises(ValueError, match="published version"):
            stub.sheet_lines("figures")  # never taken for a file without rows
        for table, (start, end, digest) in stub.published.spans.items():
            assert (out / f"{table}.csv").read_bytes()[start:end] == part.sheet_lines(table)


@pytest.mark.skipif(not hasattr(os, "link"), reason="no hard links here")
def test_a_change_writes_again_only_the_part_files_holding_it(tmp_path):
    """A partition of many files is kept in several part files (store._chunks);
    after one file changes, the others are hard-linked from the last build."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    for i in range(80):  # one year, one paper: one partition
        (src / f"p{i:03d}.txt").write_text(page(TITLES[i % len(TITLES)], [i]), encoding="utf-8")
    build(src, out)

    def part_files() -> dict[str, int]:
        root = store.current_folder(out) / "parquet" / "figures"
        return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*.parquet")}

    before = part_files()
    assert len(before) > 1  # 80 files, about 32 a part file
    changed = src / "p040.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + SENTENCES[0] + "\n", encoding="utf-8")
    summary = build(src, out)
    after = part_files()
    assert set(after) == set(before)
    assert sum(after[p] != before[p] for p in after) == 1  # the one holding p040.txt
    same_as_a_full_build(src, out, tmp_path, summary)


def test_with_two_processes_the_index_is_read_while_the_changed_file_is_processed(tmp_path, monkeypatch):
    """One file changed, ``--jobs 2``: a worker processes it while this
    process reads the published index (``splice.PublishedParts``) and
    removes retired versions; the tables are a full build's."""
    import threading

    src, out = tmp_path / "src", tmp_path / "out"
    paths = pages_in(src, 5)
    for _ in range(3):  # three versions: the first is retired by the third
        paths[0].write_text(paths[0].read_text(encoding="utf-8") + SENTENCES[1] + "\n", encoding="utf-8")
        build(src, out)
    assert any(p.name.startswith(store.RETIRED_PREFIX) for p in (out / "versions").iterdir())
    loaded_in, removed_in = [], []
    load, remove = splice.PublishedParts.load, store.remove_retired
    monkeypatch.setattr(splice.PublishedParts, "load", lambda self: (loaded_in.append(threading.current_thread().name), load(self))[1])
    monkeypatch.setattr(store, "remove_retired", lambda out: (removed_in.append(threading.current_thread().name), remove(out))[1])
    paths[2].write_text(paths[2].read_text(encoding="utf-8") + SENTENCES[0] + "\n", encoding="utf-8")
    summary = build(src, out, jobs=2)
    assert loaded_in[0] == removed_in[0] == "zzdata-meanwhile"  # read once, there; then taken as loaded
    names = [p.name for p in (out / "versions").iterdir()]
    assert sum(n.startswith(store.RETIRED_PREFIX) for n in names) == 1  # the one this build retired
    same_as_a_full_build(src, out, tmp_path, summary)


def test_an_index_whose_entries_cannot_be_read_gives_way_to_the_cache(tmp_path, monkeypatch):
    """The index's first line names the files, but their lines are damaged:
    the unchanged files' parts come from the build cache, none is processed again."""
    src, out = tmp_path / "src", tmp_path / "out"
    paths = pages_in(src, 4)
    build(src, out)
    index = store.current_folder(out) / splice.PARTS_INDEX
    head, rest = index.read_bytes().split(b"\n", 1)
    stat = index.stat()
    index.write_bytes(head + b"\n" + rest.replace(b'"lines"', b'"liens"'))
    os.utime(index, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert splice.published_parts(index.parent) == {} and len(splice.PublishedParts(index.parent)) == 4
    processed = []
    work = pipeline.process_task
    monkeypatch.setattr(pipeline, "process_task", lambda task: (processed.append(task.source), work(task))[1])
    paths[1].write_text(paths[1].read_text(encoding="utf-8") + SENTENCES[2] + "\n", encoding="utf-8")
    summary = build(src, out)
    assert processed == ["p01.txt"]
    same_as_a_full_build(src, out, tmp_path, summary)


def test_an_unchanged_files_index_line_is_the_same_in_the_next_version(tmp_path):
    """The index keeps each file's line lengths, not offsets: a change
    earlier in file order leaves the later files' entries as they were."""
    src, out = tmp_path / "src", tmp_path / "out"
    paths = pages_in(src, 4)
    build(src, out)

    def entries() -> list[str]:
        return (store.current_folder(out) / splice.PARTS_INDEX).read_text(encoding="utf-8").split("\n")[1:]

    before = entries()
    paths[0].write_text(paths[0].read_text(encoding="utf-8") + SENTENCES[3] + "\n", encoding="utf-8")
    build(src, out)
    after = entries()
    assert after[0] != before[0] and after[1:] == before[1:]
    found = splice.published_parts(store.current_folder(out))
    assert sorted(p.source for p in found.values()) == [p.name for p in paths]


def test_an_index_whose_lines_do_not_add_up_to_the_csv_is_not_used(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    pages_in(src, 3)
    build(src, out)
    index = store.current_folder(out) / splice.PARTS_INDEX
    head, rest = index.read_text(encoding="utf-8").split("\n", 1)
    assert len(splice.published_parts(index.parent)) == 3
    longer = head.replace('"headers":{"articles":', '"headers":{"articles":1', 1)  # a header ten times as long
    assert longer != head
    index.write_text(longer + "\n" + rest, encoding="utf-8")
    assert splice.published_parts(index.parent) == {}
