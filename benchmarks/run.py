"""Benchmarks of zzdata: each number is measured in this run against a
baseline measured in the same run, and compared with its target.

    .venv/bin/python benchmarks/run.py              # 1,000 files, every section
    .venv/bin/python benchmarks/run.py --quick      # a smoke run on a few files
    .venv/bin/python benchmarks/run.py --only a,c --files 200 --markdown
    .venv/bin/python benchmarks/run.py --only d --archive 4000  # issue #18's archive

Sections:
  (a) build throughput (characters per second, one worker, in this process)
      against plain ``jieba.lcut`` over the same texts, in this process;
  (b) scaling of ``zzdata build --jobs k`` from 1 to N workers, in
      ``--scaling-runs`` rounds (each k once per round, so a change of load
      weighs on every k of a round alike);
  (c) cold start of ``import zzdata`` and ``zzdata --help`` against
      ``python -c pass``, and which heavy modules they load;
  (d) incremental re-builds of an archive of ``--archive`` files (default
      ``--files``): nothing changed, one file changed, one file removed,
      each against the full build and the floor (that one file built alone);
  (e) peak memory of the main process and of each worker, at two corpus sizes.
  (f) watch mode: the seconds from a page dropped into the source to a new
      version published, over 20 drops.
``--profile N`` adds a cProfile of an N-file build (where the time goes).

It is a benchmark, not a test: it exits 0 when targets are missed (each is
printed MET or MISSED) and 1 only when a section could not run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # corpus.py

from corpus import make_corpus

SECTIONS = {
    "a": "build throughput against plain jieba.lcut",
    "b": "scaling from 1 to N workers",
    "c": "cold start",
    "d": "incremental re-build",
    "e": "peak memory",
    "f": "watch mode: a dropped page to published tables",
}
HEAVY_MODULES = ("pandas", "numpy", "pyarrow", "jieba", "duckdb", "cn2an", "tqdm")
RUN_STATS = re.compile(
    r"files processed: (?P<processed>\d+), taken from the cache: (?P<cached>\d+), "
    r"dropped from the cache: (?P<dropped>\d+) \((?P<seconds>[\d.]+) s\)"
)
QUICK = {"files": 6, "repeat": 3, "memory_sizes": (2, 6), "scaling_runs": 1}

# Targets of issue #7, item 6.
TARGET_THROUGHPUT_RATIO = 0.5  # pipeline chars/s ÷ jieba.lcut chars/s
TARGET_EFFICIENCY = 0.9  # speed-up ≥ 0.9 × workers (1.8× on 2)
TARGET_IMPORT_S = 0.5
TARGET_HELP_S = 1.0
TARGET_UNCHANGED_RATIO = 0.01  # issue #18: a re-build with nothing changed ≤ 1% of the full build (4,000 files)
TARGET_OVER_FLOOR = 0.01  # issue #18: a one-file re-build ≤ the floor (that file alone) + 1% of the full build
TARGET_WORKER_MIB = 300
TARGET_MEMORY_GROWTH = 0.10  # per-worker peak at the large size ≤ 1.10 × the small size
TARGET_WATCH_S = 2.0  # issue #18: a sample-sized page dropped is published within 2 s (median)
WATCH_DROPS = 20


@dataclass(frozen=True)
class Result:
    """One line of the results table."""

    section: str
    measure: str
    value: str
    against: str = ""  # the baseline or reference it is compared with
    ratio: str = ""
    target: str = ""
    verdict: str = ""  # MET, MISSED, or empty for information


@dataclass(frozen=True)
class Context:
    """What every section needs: the settings and where to work."""

    files: int
    jobs: tuple[int, ...]
    repeat: int
    memory_sizes: tuple[int, int]
    work: Path
    seed: int
    archive: int = 0  # files of the archive (d) re-builds; 0: ``files``
    scaling_runs: int = 3  # rounds of (b)

    def corpus(self, n_files: int | None = None) -> Path:
        """The synthetic corpus of ``n_files`` (default: ``files``), made once."""
        n_files = n_files or self.files
        folder = self.work / f"corpus-{n_files}"
        if not (folder / "manifest.csv").is_file():
            started = time.perf_counter()
            make_corpus(folder, n_files, self.seed)
            say(f"made a corpus of {n_files} files in {time.perf_counter() - started:.1f} s: {folder}")
        return folder


# ---------------------------------------------------------------- helpers


def say(message: str) -> None:
    """A progress line, flushed at once."""
    print(message, flush=True)


def verdict(ok: bool) -> str:
    return "MET" if ok else "MISSED"


_code = {"root": ROOT}  # the folder zzdata is imported from, here and in every subprocess


def use_code(work: Path, live: bool) -> Path:
    """Import zzdata from a copy of the checkout's ``zzdata/`` in the work
    folder (or, when ``live``, from the checkout itself), here and in every
    subprocess.  The copy keeps the code still for the whole run: an edit
    to the checkout half-way would change the build cache's fingerprint and
    make the re-build of (d) re-process everything."""
    root = ROOT
    if not live:
        root = work / "code"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(ROOT / "zzdata", root / "zzdata", ignore=shutil.ignore_patterns("__pycache__"))
    _code["root"] = root
    sys.path.insert(0, str(root))
    import zzdata

    if Path(zzdata.__file__).resolve().parent != (root / "zzdata").resolve():
        raise RuntimeError(f"zzdata was imported from {zzdata.__file__}, not from {root}")
    return root


def child_env() -> dict[str, str]:
    """The environment of every subprocess: zzdata importable from the code
    this run measures, output in UTF-8."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_code["root"]), env.get("PYTHONPATH", "")]))
    return env


def run_timed(argv: list[str], cwd: Path | None = None) -> tuple[float, subprocess.CompletedProcess]:
    """Run a command to the end; its wall time in seconds and its outcome.
    It runs in the folder of the code measured (unless ``cwd``): ``python
    -m`` and ``-c`` look for modules in the working folder first, so run
    from the checkout they would import its ``zzdata/``, not the copy."""
    started = time.perf_counter()
    done = subprocess.run(argv, check=False, capture_output=True, text=True, encoding="utf-8", errors="replace", env=child_env(),
                          cwd=cwd or _code["root"])
    return time.perf_counter() - started, done


def zzdata_build(corpus: Path, out: Path, *options: str) -> tuple[float, dict]:
    """``python -m zzdata build CORPUS --out OUT`` in a subprocess: wall
    seconds and the run's counts as the CLI printed them, with ``cpu``: the
    CPU seconds of the build and its workers (None without ``resource``)."""
    argv = [sys.executable, "-m", "zzdata", "build", str(corpus), "--out", str(out), "--no-progress", *options]
    cpu_before = children_cpu_seconds()
    seconds, done = run_timed(argv)
    cpu_after = children_cpu_seconds()
    if done.returncode not in (0, 2):
        raise RuntimeError(f"zzdata build exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    found = RUN_STATS.search(done.stdout)
    if not found:
        raise RuntimeError(f"zzdata build printed no 'files processed: …' line:\n{done.stdout[-2000:]}")
    counts = {k: (float(v) if k == "seconds" else int(v)) for k, v in found.groupdict().items()}
    counts["cpu"] = None if cpu_before is None else cpu_after - cpu_before
    return seconds, counts


def children_cpu_seconds() -> float | None:
    """CPU seconds (user and system) of this process's finished subprocesses
    and theirs (a build's pool workers), or None where ``resource`` is missing."""
    try:
        import resource
    except ImportError:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cores_used(wall: float, counts: dict) -> str:
    """How many cores a build kept busy on average (its CPU seconds ÷ wall
    seconds): below k for ``--jobs k`` when other work took the cores."""
    return "" if counts.get("cpu") is None else f"; {counts['cpu'] / wall:.2f} cores busy"


def seconds_text(seconds: float) -> str:
    return f"{seconds:.3f} s" if seconds < 10 else f"{seconds:.1f} s"


# ---------------------------------------------------------------- (a) throughput


def bench_throughput(ctx: Context) -> list[Result]:
    """Characters per second of ``build(corpus, jobs=1)`` in this process
    against plain ``jieba.lcut`` over the same decoded texts, in this
    process, once before and once after the builds (the mean is the floor,
    so a change of load on the machine weighs on both alike).

    The build runs twice: as it is, and with zzdata's memo caches cleared
    before each file.  Every synthetic file repeats the sample's prose, so
    the memos hit across files as they would not on an archive of distinct
    pages; the second build is the honest figure (a lower bound: a real
    archive repeats some boilerplate).  One-off loads are excluded from
    all: jieba's dictionary is loaded before it is timed, and zzdata's
    lexicons (``pipeline.warm_up``) before the builds."""
    import jieba

    from zzdata import engine, pipeline

    corpus = ctx.corpus()
    texts = [path.read_bytes().decode("utf-8") for path in sorted(corpus.rglob("*.txt"))]  # corpus.py writes UTF-8
    chars = sum(map(len, texts))
    jieba.setLogLevel(60)
    plain = jieba.Tokenizer()  # jieba's default dictionary: zzdata adds its words to jieba.dt, not to this one
    loads = {"jieba": _timed(plain.initialize)}
    jieba_before = _timed(lambda: [plain.lcut(text) for text in texts])
    loads["zzdata warm-up"] = _timed(pipeline.warm_up)
    loads["import pandas"] = _timed(importlib.import_module, "pandas")  # the first DataFrame would pay it
    builds, cleared = {}, set()
    for distinct in (False, True):
        how = ", memos cleared per file" if distinct else ""
        say(f"building {len(texts)} files ({chars:,} characters) with one worker in this process{how} …")
        stats = engine.RunStats()
        with memos_cleared_per_file(distinct) as names:
            seconds = _timed(pipeline.build, [corpus], jobs=1, progress=False, stats=stats)
        builds[distinct], cleared = (seconds, stats.seconds), cleared | names
    jieba_after = _timed(lambda: [plain.lcut(text) for text in texts])
    return _throughput_results(len(texts), chars, (jieba_before, jieba_after), builds, loads, cleared)


def _timed(call, *args, **kwargs) -> float:
    """Seconds ``call(*args, **kwargs)`` takes."""
    started = time.perf_counter()
    call(*args, **kwargs)
    return time.perf_counter() - started


def memo_caches() -> dict[str, object]:
    """zzdata's memo caches by name: ``functools`` caches bounded to more
    than one entry (``_tagged``, ``_tokens``).  Unbounded and one-entry
    caches load lexicons and tables once, and are left alone."""
    found = {}
    for module_name, module in list(sys.modules.items()):
        if module_name == "zzdata" or module_name.startswith("zzdata."):
            for name, value in vars(module).items():
                info = getattr(value, "cache_info", None)
                if callable(info) and hasattr(value, "cache_clear") and (info().maxsize or 0) > 1:
                    found[f"{module_name.removeprefix('zzdata.')}.{name}"] = value
    return found


@contextmanager
def memos_cleared_per_file(active: bool = True):
    """While active, every file ``pipeline.build`` processes starts with
    zzdata's memo caches empty; yields the set of the caches' names."""
    from zzdata import pipeline

    cleared: set[str] = set()
    original = pipeline.process_task

    def process_task(task):
        for name, memo in memo_caches().items():
            memo.cache_clear()
            cleared.add(name)
        return original(task)

    if active:
        pipeline.process_task = process_task  # build() looks the name up when it runs
    try:
        yield cleared
    finally:
        pipeline.process_task = original


def _throughput_results(files, chars, jieba_runs, builds, loads, cleared) -> list[Result]:
    jieba_s = statistics.mean(jieba_runs)
    runs = " and ".join(seconds_text(s) for s in jieba_runs)
    results = [Result("a", f"plain jieba.lcut, {files} files", f"{chars / jieba_s:,.0f} chars/s", f"{chars:,} chars in {runs} (before, after)")]
    labels = {False: "zzdata build, 1 worker (memos shared across files)", True: "zzdata build, 1 worker, memos cleared per file"}
    for distinct, (build_s, work_s) in builds.items():
        ratio = jieba_s / build_s
        results += [
            Result("a", labels[distinct], f"{chars / build_s:,.0f} chars/s", "jieba.lcut chars/s",
                   f"{ratio:.3f}", f"≥ {TARGET_THROUGHPUT_RATIO}", verdict(ratio >= TARGET_THROUGHPUT_RATIO)),
            Result("a", "  build time (per file)", f"{seconds_text(build_s)} ({build_s / files * 1000:.0f} ms)",
                   f"jieba.lcut {seconds_text(jieba_s)} ({jieba_s / files * 1000:.0f} ms)"),
            Result("a", "  of which reading + DataFrames", seconds_text(build_s - work_s), "build time", f"{(build_s - work_s) / build_s:.0%}"),
        ]
    results.append(Result("a", "memo caches cleared", ", ".join(sorted(cleared)) or "none found"))
    results.append(Result("a", "one-off loads (excluded)", ", ".join(f"{name} {seconds_text(s)}" for name, s in loads.items())))
    return results


# ---------------------------------------------------------------- (b) scaling


def bench_scaling(ctx: Context) -> list[Result]:
    """Wall time of ``zzdata build --jobs k --force`` in a fresh subprocess
    for each k (tables written, as a user runs it), and the speed-up over
    k = 1; also the speed-up of the engine alone (the time the CLI prints:
    the per-file work and the cache, without start-up, DataFrames and writing).
    ``ctx.scaling_runs`` rounds, each running every k once: a speed-up is
    taken within its round, and the verdict goes by the median."""
    corpus = ctx.corpus()
    fresh = ctx.work / f"user-cache-fresh-{time.time_ns()}"
    warm = warm_up_seconds(fresh)  # prepares jieba afresh, and writes the snapshot there
    shutil.rmtree(fresh, ignore_errors=True)
    warm_up_seconds()  # the run's own cache folder has its snapshot from here on
    warm_from_snapshot = warm_up_seconds()
    rounds = []
    for run in range(ctx.scaling_runs):
        timings, loads = {}, {}
        for jobs in ctx.jobs:
            loads[jobs] = load_average()
            say(f"round {run + 1} of {ctx.scaling_runs}: zzdata build --jobs {jobs} over {ctx.files} files (load {loads[jobs]}) …")
            timings[jobs] = zzdata_build(corpus, ctx.work / f"scaling-{jobs}", "--jobs", str(jobs), "--force")
        rounds.append((timings, loads))
    return _scaling_results(rounds, warm, warm_from_snapshot)


def load_average() -> str:
    """The machine's load average over the last minute, or "?" (Windows)."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


def warm_up_seconds(cache_folder: Path | None = None) -> float:
    """How long one worker's warm-up (jieba's dictionary and the lexicons,
    pyarrow, pandas and cn2an) takes in a fresh process; ``cache_folder``
    stands in for the user's cache folder (where jieba's prepared snapshot
    is read from or, when missing, written to)."""
    code = "import time; from zzdata import pipeline; t = time.perf_counter(); pipeline.warm_up(); print(time.perf_counter() - t)"
    env = child_env() if cache_folder is None else dict(child_env(), ZZDATA_CACHE_DIR=str(cache_folder))
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, encoding="utf-8", env=env,
                          cwd=_code["root"])  # see run_timed
    return float(done.stdout.strip().splitlines()[-1])


def _scaling_results(rounds: list[tuple[dict, dict]], warm: float, warm_from_snapshot: float) -> list[Result]:
    """A line per round and k (the round's speed-up over its smallest k, and
    the load average when the build started), then the median speed-up of
    each k over the rounds, with its verdict."""
    cores = os.cpu_count() or 1
    results = [
        Result("b", "per-worker warm-up, jieba prepared afresh (a machine's first build)", seconds_text(warm)),
        Result("b", "per-worker warm-up, jieba from the user's snapshot", seconds_text(warm_from_snapshot), "afresh", f"{warm_from_snapshot / warm:.0%}"),
    ]
    speed_ups: dict[int, list[float]] = {}
    for run, (timings, loads) in enumerate(rounds, 1):
        base_jobs = min(timings)
        base_wall, base = timings[base_jobs]
        for jobs, (wall, counts) in sorted(timings.items()):
            prefix = f"round {run}: " if len(rounds) > 1 else ""
            measure = f"{prefix}--jobs {jobs}: wall (engine {seconds_text(counts['seconds'])})"
            if jobs == base_jobs:
                results.append(Result("b", measure, seconds_text(wall), f"baseline (load {loads[jobs]}{cores_used(wall, counts)})"))
                continue
            speed_up, work_speed_up = base_wall / wall, base["seconds"] / max(counts["seconds"], 1e-9)
            speed_ups.setdefault(jobs, []).append(speed_up)
            ratio = f"{speed_up:.2f}× (engine {work_speed_up:.2f}×)"
            against = f"--jobs {base_jobs} (load {loads[jobs]}{cores_used(wall, counts)})"
            if len(rounds) > 1:
                results.append(Result("b", measure, seconds_text(wall), against, ratio))
            else:
                target, ok = _scaling_verdict(jobs, speed_up, cores)
                results.append(Result("b", measure, seconds_text(wall), against, ratio, target, ok))
    if len(rounds) > 1:
        for jobs, found in sorted(speed_ups.items()):
            middle = statistics.median(found)
            spread = ", ".join(f"{x:.2f}×" for x in found)
            target, ok = _scaling_verdict(jobs, middle, cores)
            results.append(Result("b", f"--jobs {jobs}: median speed-up of {len(found)} rounds", f"{middle:.2f}×", spread, "", target, ok))
    return results


def _scaling_verdict(jobs: int, speed_up: float, cores: int) -> tuple[str, str]:
    target = TARGET_EFFICIENCY * jobs
    return f"≥ {target:.1f}×", verdict(speed_up >= target) if jobs <= cores else f"n/a ({cores} cores)"


# ---------------------------------------------------------------- (c) cold start

IMPORT_CHECK = "import sys, zzdata; print(' '.join(m for m in {mods!r} if m in sys.modules) or '-')"
HELP_CHECK = (
    "import sys, io, contextlib\n"
    "from zzdata.cli import main\n"
    "with contextlib.redirect_stdout(io.StringIO()):\n"
    "    try: main(['--help'])\n"
    "    except SystemExit: pass\n"
    "print(' '.join(m for m in {mods!r} if m in sys.modules) or '-')"
)


def bench_cold_start(ctx: Context) -> list[Result]:
    """Median wall time of fresh interpreters: ``python -c pass`` (the
    floor), ``import zzdata``, ``python -m zzdata --help`` and the
    ``zzdata --help`` console script; and the heavy modules each loads."""
    py = sys.executable
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "import zzdata": [py, "-c", "import zzdata"],
        "python -m zzdata --help": [py, "-m", "zzdata", "--help"],
    }
    script = console_script()
    if script:
        commands["zzdata --help (console script)"] = [str(script), "--help"]
    say(f"cold start: {len(commands)} commands × {ctx.repeat} runs …")
    medians = {name: median_seconds(argv, ctx.repeat) for name, argv in commands.items()}
    return _cold_start_results(medians) + _heavy_module_results()


def console_script() -> Path | None:
    """The ``zzdata`` launcher next to this interpreter, if installed."""
    folder = Path(sys.executable).parent
    for name in ("zzdata", "zzdata.exe"):
        if (folder / name).is_file():
            return folder / name
    return None


def median_seconds(argv: list[str], repeat: int) -> float:
    """Median wall time of ``repeat`` runs, after one untimed run that fills
    the OS file cache and writes the bytecode."""
    run_timed(argv)
    return statistics.median(run_timed(argv)[0] for _ in range(repeat))


def _cold_start_results(medians: dict[str, float]) -> list[Result]:
    floor = medians["python -c pass"]
    targets = {"import zzdata": TARGET_IMPORT_S, "python -m zzdata --help": TARGET_HELP_S, "zzdata --help (console script)": TARGET_HELP_S}
    results = [Result("c", "python -c pass (floor)", seconds_text(floor))]
    for name, seconds in medians.items():
        if name in targets:
            target = targets[name]
            ratio = f"{seconds / floor:.1f}× ({seconds - floor:+.3f} s)"
            results.append(Result("c", name, seconds_text(seconds), "python -c pass", ratio, f"< {target} s", verdict(seconds < target)))
    return results


def _heavy_module_results() -> list[Result]:
    results = []
    for name, code in (("import zzdata", IMPORT_CHECK), ("zzdata --help", HELP_CHECK)):
        _, done = run_timed([sys.executable, "-c", code.format(mods=HEAVY_MODULES)])
        loaded = (done.stdout.strip().splitlines() or ["?"])[-1]
        measure = f"heavy modules after {name}"
        results.append(Result("c", measure, loaded, "", "", "none of " + ", ".join(HEAVY_MODULES), verdict(loaded == "-")))
    return results


# ---------------------------------------------------------------- (d) incremental


def bench_incremental(ctx: Context) -> list[Result]:
    """``zzdata build`` (one worker per core) on a fresh copy of the archive
    (``ctx.archive`` files), then again with nothing changed, with one
    figure of one file edited, and with one file deleted; wall times
    against the full build's, and against the floor: the edited file built
    by itself (start-up, jieba and one file's work, which any run that
    processes a file pays)."""
    corpus = ctx.work / "incremental" / "corpus"
    out = ctx.work / "incremental" / "out"
    shutil.rmtree(corpus.parent, ignore_errors=True)
    shutil.copytree(ctx.corpus(ctx.archive or None), corpus)
    files = sorted(corpus.rglob("*.txt"))
    say(f"incremental: full build of {len(files)} files …")
    runs = {"full build (fresh cache)": zzdata_build(corpus, out)}
    say("incremental: re-build with nothing changed …")
    runs["re-build, nothing changed"] = zzdata_build(corpus, out)
    edit_one_figure(files[len(files) // 2])
    say("incremental: re-build after one file changed …")
    runs["re-build, one file changed"] = zzdata_build(corpus, out)
    files[len(files) // 3].unlink()
    say("incremental: re-build after one file deleted …")
    runs["re-build, one file deleted"] = zzdata_build(corpus, out)
    say("incremental: the edited file built by itself (what any one-file run costs) …")
    runs["the edited file alone"] = zzdata_build(files[len(files) // 2], ctx.work / "incremental" / "alone", "--force")
    return _incremental_results(runs, len(files))


def edit_one_figure(path: Path) -> None:
    """Add one to the first figure of a file (not a date), as an editor's
    correction would."""
    text = path.read_text(encoding="utf-8")
    found = re.search(r"(?<![\d.])\d{2,5}(?![\d.年月日时%])", text)
    if not found:
        raise RuntimeError(f"no figure to edit in {path}")
    edited = text[: found.start()] + str(int(found.group()) + 1) + text[found.end() :]
    path.write_text(edited, encoding="utf-8", newline="")


def _incremental_results(runs: dict[str, tuple[float, dict]], n_files: int) -> list[Result]:
    full_wall, full = runs["full build (fresh cache)"]
    alone_wall, alone = runs["the edited file alone"]
    floor = alone_wall / full_wall
    measure = f"full build, {n_files} files: wall (engine {seconds_text(full['seconds'])})"
    results = [Result("d", measure, seconds_text(full_wall), "baseline")]
    expected = {
        "re-build, nothing changed": (0, 0),
        "re-build, one file changed": (1, 1),  # its old result is dropped: the key covers the content
        "re-build, one file deleted": (0, 1),
    }
    for name, (processed, dropped) in expected.items():
        wall, counts = runs[name]
        ratio = wall / full_wall
        if name == "re-build, nothing changed":
            target, ok = f"≤ {TARGET_UNCHANGED_RATIO:.0%}", verdict(ratio <= TARGET_UNCHANGED_RATIO)
        else:  # issue #18: what a one-file re-build costs beyond the floor grows with the archive, and must stay small
            limit = floor + TARGET_OVER_FLOOR
            target, ok = f"≤ floor + {TARGET_OVER_FLOOR:.0%} ({limit:.1%})", verdict(ratio <= limit)
        measure = f"{name}: wall (engine {seconds_text(counts['seconds'])})"
        results.append(Result("d", measure, seconds_text(wall), "full build", f"{ratio:.1%}", target, ok))
        said = f"processed {counts['processed']}, cached {counts['cached']}, dropped {counts['dropped']}"
        right = counts["processed"] == processed and counts["dropped"] == dropped
        results.append(Result("d", f"  {name}: the CLI says", said, "", "", f"processed {processed}, dropped {dropped}", verdict(right)))
    measure = f"floor: the edited file built by itself, jieba snapshot ready (engine {seconds_text(alone['seconds'])})"
    results.append(Result("d", measure, seconds_text(alone_wall), "full build", f"{floor:.1%}"))
    return results


# ---------------------------------------------------------------- (f) watch latency


def bench_watch(ctx: Context) -> list[Result]:
    """``zzdata watch`` on the corpus (jieba loaded once, the catch-up build
    done), then ``WATCH_DROPS`` pages dropped one at a time into the source:
    the seconds from each copy to a new version named by ``OUT/current``."""
    corpus = ctx.work / "watch" / "corpus"
    out = ctx.work / "watch" / "out"
    shutil.rmtree(corpus.parent, ignore_errors=True)
    shutil.copytree(ctx.corpus(), corpus)
    pages = sorted(ctx.corpus().rglob("*.txt"))
    argv = [sys.executable, "-m", "zzdata", "watch", str(corpus), "--out", str(out)]
    watcher = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=_code["root"],
                               errors="replace", env=child_env())
    latencies = []
    try:
        started = time.perf_counter()
        catch_up = _wait_for_version(out, None, watcher, timeout=600) - started
        say(f"watch: catch-up build of {len(pages)} files in {catch_up:.1f} s; dropping {WATCH_DROPS} pages …")
        dropped = corpus / "dropped"
        dropped.mkdir()
        for i in range(WATCH_DROPS):
            before = (out / "current").read_text(encoding="utf-8")
            shutil.copyfile(pages[i % len(pages)], dropped / f"drop-{i:02d}.partial")
            began = time.perf_counter()
            (dropped / f"drop-{i:02d}.partial").replace(dropped / f"drop-{i:02d}.txt")  # arrives whole, as a save does
            latencies.append(_wait_for_version(out, before, watcher, timeout=120) - began)
    finally:
        watcher.terminate()
        _, err = watcher.communicate(timeout=60)
    if watcher.returncode not in (0, 143, -15):  # 143: SIGTERM came during an update, which stops at once
        raise RuntimeError(f"zzdata watch exited {watcher.returncode}: {err.strip()[-2000:]}")
    median = statistics.median(latencies)
    spread = f"{min(latencies):.2f}–{max(latencies):.2f} s over {len(latencies)} drops"
    return [
        Result("f", f"watch: catch-up build of {len(pages)} files", seconds_text(catch_up), "", "", "", ""),
        Result("f", "watch: page dropped → new version published (median)", f"{median:.2f} s", spread, "",
               f"≤ {TARGET_WATCH_S:.0f} s", verdict(median <= TARGET_WATCH_S)),
    ]


def _wait_for_version(out: Path, before: str | None, watcher: subprocess.Popen, timeout: float) -> float:
    """The moment ``OUT/current`` names a version other than ``before``."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            now = (out / "current").read_text(encoding="utf-8")
        except OSError:
            now = None
        if now and now != before:
            return time.perf_counter()
        if watcher.poll() is not None:
            raise RuntimeError(f"zzdata watch ended early (exit {watcher.returncode})")
        time.sleep(0.01)
    raise RuntimeError("no new version was published in time")


# ---------------------------------------------------------------- (e) peak memory


# Linux carries a process's peak resident memory into a child it starts
# (fork or vfork, then exec): measured directly from this process, which
# holds the tables of (a), every build would report at least this process's
# peak.  A small interpreter in between starts the measured one afresh.
LEAN_LAUNCHER = "import subprocess, sys; raise SystemExit(subprocess.run(sys.argv[1:]).returncode)"


def bench_memory(ctx: Context) -> list[Result]:
    """Peak resident memory of ``zzdata build`` (the main process and the
    largest worker) at two corpus sizes, each build in a fresh subprocess."""
    jobs = max(ctx.jobs)
    peaks = {}
    for size in ctx.memory_sizes:
        corpus = ctx.corpus(size)
        say(f"peak memory: zzdata build --jobs {jobs} over {size} files …")
        out = ctx.work / f"memory-{size}"
        argv = [sys.executable, str(HERE / "peak_memory.py"), "build", str(corpus), "--out", str(out), "--jobs", str(jobs), "--no-progress"]
        _, done = run_timed([sys.executable, "-c", LEAN_LAUNCHER, *argv])
        peaks[size] = json.loads(done.stdout.strip().splitlines()[-1])
    return _memory_results(peaks, jobs)


def _memory_results(peaks: dict[int, dict], jobs: int) -> list[Result]:
    small, large = sorted(peaks)
    if peaks[large]["main_mib"] is None:
        return [Result("e", "peak memory", "not measured (no resource module on this platform)")]
    worker_key = "worker_mib" if jobs > 1 else "main_mib"  # one job runs inline: the main process is the worker
    results = []
    for size in (small, large):
        main, worker = peaks[size]["main_mib"], peaks[size][worker_key]
        results.append(Result("e", f"{size} files, main process", f"{main:,.0f} MiB"))
        ok = verdict(worker < TARGET_WORKER_MIB)
        results.append(Result("e", f"{size} files, largest of {jobs} workers", f"{worker:,.0f} MiB", target=f"< {TARGET_WORKER_MIB} MiB", verdict=ok))
    growth = peaks[large][worker_key] / peaks[small][worker_key] - 1
    extra = peaks[large][worker_key] - peaks[small][worker_key]
    results.append(
        Result("e", f"per-worker peak, {large} vs {small} files", f"{extra:+,.0f} MiB", f"{small} files", f"{1 + growth:.2f}×",
               f"≤ +{TARGET_MEMORY_GROWTH:.0%} (independent of size)", verdict(growth <= TARGET_MEMORY_GROWTH))
    )
    main_growth = peaks[large]["main_mib"] / peaks[small]["main_mib"]
    note = "(the main process holds each file's part, its CSV lines, until the tables are written)"
    results.append(Result("e", f"main process, {large} vs {small} files", f"{main_growth:.2f}×", f"{small} files", target=note))
    return results


# ---------------------------------------------------------------- profile


def profile_build(ctx: Context, n_files: int, top: int = 15) -> None:
    """cProfile of an ``n_files`` build with one worker in this process
    (after the warm-up, memo caches cleared before each file as in (a)):
    the zzdata functions with the most cumulative time, and the functions
    of any package with the most time of their own."""
    import cProfile
    import pstats

    from zzdata import pipeline

    corpus = ctx.corpus(n_files)
    pipeline.warm_up()
    profiler = cProfile.Profile()
    with memos_cleared_per_file():
        profiler.runcall(pipeline.build, [corpus], jobs=1, progress=False)
    stats = pstats.Stats(profiler)
    total = max(entry[3] for entry in stats.stats.values())
    say(f"\n== profile: build of {n_files} files, one worker, memos cleared per file, {total:.1f} s ==")
    _print_top(stats.stats, lambda key: f"{os.sep}zzdata{os.sep}" in key[0], 3, "zzdata functions by cumulative time", top, total)
    _print_top(stats.stats, lambda key: True, 2, "any function by own time", top, total)


def _print_top(entries: dict, keep, column: int, title: str, top: int, total: float) -> None:
    rows = sorted(((value[column], key, value) for key, value in entries.items() if keep(key)), key=lambda row: row[0], reverse=True)
    say(f"-- {title}")
    say(f"{'cumulative s':>12} {'own s':>8} {'share':>6} {'calls':>9}  function")
    for _, (filename, line, name), value in rows[:top]:
        where = _short_path(filename)
        say(f"{value[3]:12.2f} {value[2]:8.2f} {value[3] / total:6.0%} {value[1]:9d}  {where}:{line}({name})")


def _short_path(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("zzdata", "site-packages"):
        if anchor in parts:
            return "/".join(parts[parts.index(anchor) + (anchor == "site-packages") :])
    return filename


# ---------------------------------------------------------------- machine and output


def describe_machine() -> dict[str, str]:
    """The machine, interpreter and code the numbers were measured on."""
    import zzdata

    facts = {
        "date": datetime.now().astimezone().isoformat(timespec="minutes"),
        "platform": platform.platform(),
        "cpu": f"{_cpu_model()}, {os.cpu_count()} logical cores",
        "memory": _memory_total(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "zzdata": f"{zzdata.__version__} ({_git_commit()})",
        "jieba / pandas": f"{_version('jieba')} / {_version('pandas')}",
    }
    if hasattr(os, "getloadavg"):
        facts["load average at start"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return facts


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def _memory_total() -> str:
    try:
        return f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 1024**3:.1f} GiB"
    except (AttributeError, ValueError, OSError):
        return "unknown"


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        status = ["git", "status", "--porcelain", "zzdata"]
        dirty = subprocess.run(status, check=False, cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {head}" + (", with uncommitted changes in zzdata/" if dirty else "")


COLUMNS = ("section", "measure", "value", "against", "ratio", "target", "verdict")


def render_text(results: list[Result]) -> str:
    """The results as an aligned plain-text table."""
    rows = [COLUMNS] + [tuple(getattr(r, c) for c in COLUMNS) for r in results]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip() for row in rows)


def _width(text: str) -> int:
    """Display width: ≥, × and the like are one column, CJK two."""
    return sum(2 if "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in text)


def render_markdown(machine: dict[str, str], results: list[Result]) -> str:
    """The machine and the results table in Markdown, to paste into the README."""
    lines = [f"- **{key}**: {value}" for key, value in machine.items()] + [""]
    lines.append("| " + " | ".join(COLUMNS) + " |")
    lines.append("|" + "---|" * len(COLUMNS))
    for r in results:
        cells = [getattr(r, c).replace("|", "\\|").strip() for c in COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ---------------------------------------------------------------- main

RUNNERS = {"a": bench_throughput, "b": bench_scaling, "c": bench_cold_start, "d": bench_incremental, "e": bench_memory,
           "f": bench_watch}


def _parser() -> argparse.ArgumentParser:
    summary, details = __doc__.split("\n\n", 1)
    parser = argparse.ArgumentParser(description=summary, epilog=details, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="files in the synthetic corpus (default 1000)")
    parser.add_argument("--jobs", help="worker counts for (b), e.g. 1,2,4 (default: 1, 2, 4 … up to the cores)")
    parser.add_argument("--quick", action="store_true", help=f"a smoke run: {QUICK['files']} files, {QUICK['repeat']} cold-start runs")
    parser.add_argument("--only", default=",".join(SECTIONS), help="sections to run, e.g. a,c (default: all)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per cold-start command (median; default 5)")
    parser.add_argument("--archive", type=int, default=0, metavar="N",
                        help="files in the archive of (d), e.g. 4000 as in issue #18 (default: --files)")
    parser.add_argument("--scaling-runs", type=int, default=3, metavar="N",
                        help="rounds of (b), each running every --jobs once (default 3; --quick: 1)")
    parser.add_argument("--memory-sizes", help="the two corpus sizes of (e), e.g. 200,1000 (default: files/5 and files)")
    parser.add_argument("--profile", type=int, metavar="N", default=0, help="also profile a build of N files (cProfile)")
    parser.add_argument("--out", type=Path, help="work folder, kept afterwards (default: a temporary folder, removed)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the synthetic corpus (default 7)")
    parser.add_argument("--markdown", action="store_true", help="also print the machine and results as Markdown, for benchmarks/README.md")
    parser.add_argument("--live", action="store_true", help="import zzdata from the checkout, not from a copy taken at the start")
    return parser


def _default_jobs() -> tuple[int, ...]:
    cores, jobs = os.cpu_count() or 1, [1]
    while jobs[-1] * 2 <= cores:
        jobs.append(jobs[-1] * 2)
    return tuple(sorted({*jobs, cores, 2}))


def _context(args: argparse.Namespace, work: Path) -> Context:
    files = QUICK["files"] if args.quick else args.files
    jobs = tuple(int(j) for j in args.jobs.split(",")) if args.jobs else _default_jobs()
    if args.memory_sizes:
        small, large = sorted(int(n) for n in args.memory_sizes.split(","))
    else:
        small, large = QUICK["memory_sizes"] if args.quick else (max(1, files // 5), files)
    repeat = QUICK["repeat"] if args.quick else args.repeat
    scaling_runs = QUICK["scaling_runs"] if args.quick else max(1, args.scaling_runs)
    archive = files if args.quick or not args.archive else args.archive
    return Context(files, jobs, repeat, (small, large), work, args.seed, archive, scaling_runs)


def run_sections(ctx: Context, sections: list[str]) -> tuple[list[Result], list[str]]:
    """Every chosen section in turn; a section that fails is reported and
    the others still run.  Returns the results and the failed sections."""
    results, failed = [], []
    for key in sections:
        say(f"\n== ({key}) {SECTIONS[key]} ==")
        started = time.perf_counter()
        try:
            found = RUNNERS[key](ctx)
        except Exception:  # noqa: BLE001 -- a benchmark reports a broken section and goes on
            traceback.print_exc()
            say(f"({key}) ERROR: the section could not run")
            failed.append(key)
            continue
        say(render_text(found))
        say(f"({key}) took {time.perf_counter() - started:.0f} s")
        results += found
    return results, failed


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        _parser().error(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    work = (args.out or Path(tempfile.mkdtemp(prefix="zzdata-bench-"))).resolve()  # the subprocesses run elsewhere (run_timed)
    work.mkdir(parents=True, exist_ok=True)
    use_code(work, args.live)
    # The run's own stand-in for the user's cache folder: the first build
    # prepares jieba and keeps its snapshot there, later ones load it, as on
    # any machine after its first build; (b) also times a warm-up without it.
    os.environ["ZZDATA_CACHE_DIR"] = str(work / "user-cache")
    machine = describe_machine()
    machine["code measured"] = "the checkout, live (--live)" if args.live else "a copy of zzdata/ taken at the start"
    say("zzdata benchmarks\n" + "\n".join(f"{key}: {value}" for key, value in machine.items()))
    ctx = _context(args, work)
    say(f"corpus: {ctx.files} files (seed {ctx.seed}); jobs: {', '.join(map(str, ctx.jobs))}; work folder: {work}")
    started = time.perf_counter()
    try:
        results, failed = run_sections(ctx, sections)
        if args.profile:
            profile_build(ctx, args.profile)
    finally:
        if args.out is None:
            shutil.rmtree(work, ignore_errors=True)
    if hasattr(os, "getloadavg"):
        machine["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        say(f"load average at end: {machine['load average at end']} (other work on the machine skews the times)")
    say(f"\n== results ({time.perf_counter() - started:.0f} s in all) ==\n" + render_text(results))
    met = sum(r.verdict == "MET" for r in results)
    missed = sum(r.verdict == "MISSED" for r in results)
    say(f"targets: {met} met, {missed} missed" + (f"; sections that could not run: {', '.join(failed)}" if failed else ""))
    if args.markdown:
        say("\n== Markdown ==\n" + render_markdown(machine, results))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
