# The house without circles: zzdata's modules import one another one way
# only.  The layers and what the notebook wing and the core may import are
# import-linter contracts in pyproject.toml ([tool.importlinter]); here they
# are run, and the import graph (function-local and TYPE_CHECKING imports
# included) is checked for cycles.
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports(*args: str) -> subprocess.CompletedProcess:
    found = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert found, "lint-imports is missing: pip install -e '.[test]' (import-linter)"
    return subprocess.run([found, "--no-cache", *args], cwd=ROOT, capture_output=True, text=True, encoding="utf-8")


def test_the_import_contracts_are_kept():
    done = _lint_imports()
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_a_broken_contract_fails(tmp_path):
    """The harness sees a break: with the pipeline declared below read
    (it imports read), lint-imports fails."""
    config = tmp_path / "upside-down.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "zzdata"\n\n'
        '[[tool.importlinter.contracts]]\nname = "upside down"\ntype = "layers"\n'
        'layers = ["zzdata.read", "zzdata.pipeline"]\n',
        encoding="utf-8",
    )
    done = _lint_imports("--config", str(config))
    assert done.returncode != 0 and "zzdata.pipeline -> zzdata.read" in done.stdout, done.stdout[-3000:]


def cycles(graph) -> list[list[str]]:
    """The import cycles of a graph: each strongly connected group of two
    or more modules (or a module importing itself), sorted (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(module: str) -> None:  # recursion depth: the longest import chain, a few dozen
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or graph.direct_import_exists(importer=module, imported=module):
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return sorted(found)


def _where(graph, group: list[str]) -> list[str]:
    """Each import between members of a cycle, with its line."""
    lines = []
    for importer in group:
        for imported in group:
            if graph.direct_import_exists(importer=importer, imported=imported):
                for detail in graph.get_import_details(importer=importer, imported=imported):
                    lines.append(f"{importer}:{detail['line_number']}: {detail['line_contents']}")
    return lines


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("zzdata", cache_dir=None)  # TYPE_CHECKING and function-local imports count too


def test_no_module_of_zzdata_is_in_an_import_cycle(graph):
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join("\n".join(_where(graph, group)) + "\n" for group in found)


def test_the_cycle_finder_finds_a_cycle():
    made_up = grimp.ImportGraph()
    for importer, imported in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.c", "p.d"), ("p.e", "p.e")]:
        made_up.add_import(importer=importer, imported=imported)
    assert cycles(made_up) == [["p.a", "p.b", "p.c"], ["p.e"]]


@pytest.mark.parametrize("module", ["zzdata.engine", "zzdata.store", "zzdata.tables", "zzdata.parts", "zzdata.wordcut"])
def test_the_lower_layers_do_not_reach_the_pipeline(graph, module):
    """The engine is handed its work; tables and parts know nothing of the
    pipeline that fills them."""
    assert not graph.chain_exists(importer=module, imported="zzdata.pipeline"), graph.find_shortest_chain(importer=module, imported="zzdata.pipeline")
