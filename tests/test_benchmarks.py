"""The benchmark script keeps running: ``benchmarks/run.py --quick`` (a few
synthetic files made from the sample page) exits 0 and prints every
section, the machine and a verdict per target.

No timing is asserted: a benchmark reports MET or MISSED, it does not fail.
The timeout only catches a hang: the quick run takes about 45 s on an idle
2-core machine, longer when other work shares the cores.
Cases: made up here, from the sections the script promises in its docstring.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN = ROOT / "benchmarks" / "run.py"
HANG_GUARD_S = 180


def test_quick_benchmark_runs_every_section(tmp_path):
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    argv = [sys.executable, str(RUN), "--quick", "--markdown", "--out", str(tmp_path / "work")]
    done = subprocess.run(
        argv, check=False, capture_output=True, text=True, encoding="utf-8", errors="replace", env=env, timeout=HANG_GUARD_S
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    for header in ("(a) build throughput", "(b) scaling", "(c) cold start", "(d) incremental", "(e) peak memory"):
        assert f"== {header}" in out, header
    for line in ("platform:", "cpu:", "python:", "zzdata:", "== results", "== Markdown", "| section | measure |"):
        assert line in out, line
    for measure in ("zzdata build, 1 worker", "--jobs 2", "import zzdata", "re-build, one file changed", "largest of"):
        assert measure in out, measure
    assert "ERROR" not in out
    assert " MET" in out or " MISSED" in out


def test_corpus_is_deterministic_and_spread_over_years(tmp_path):
    make_corpus = _load_corpus_module().make_corpus
    first = make_corpus(tmp_path / "one", 30, seed=3)
    again = make_corpus(tmp_path / "two", 30, seed=3)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert len({p.read_bytes() for p in first}) == 30  # every file differs
    assert len({p.parent.name for p in first}) >= 3  # several years
    manifest = (tmp_path / "one" / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert manifest[0] == "file,paper,publication_date,pages,note" and len(manifest) == 31


def test_subprocesses_import_the_code_measured_not_the_checkout(tmp_path, monkeypatch):
    # ``python -m`` and ``-c`` put the working folder first on sys.path: run
    # from the checkout, every build of the benchmark imported the checkout's
    # zzdata/ instead of the copy it meant to measure.  Made-up stand-in copy.
    run = _load_module("zzdata_benchmarks_run", "run.py")
    copy = tmp_path / "code" / "zzdata"
    copy.mkdir(parents=True)
    (copy / "__init__.py").write_text("", encoding="utf-8")
    monkeypatch.setitem(run._code, "root", tmp_path / "code")
    monkeypatch.chdir(ROOT)
    _, done = run.run_timed([sys.executable, "-c", "import zzdata; print(zzdata.__file__)"])
    assert Path(done.stdout.strip()).resolve() == (copy / "__init__.py").resolve()


def _load_corpus_module():
    """benchmarks/corpus.py, loaded by path (benchmarks/ is not a package)."""
    return _load_module("zzdata_benchmarks_corpus", "corpus.py")


def _load_module(name: str, file: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module
