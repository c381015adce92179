# The curated notebooks, executed top to bottom against data/ in this one
# pytest process (nbclient; starting Python per notebook would cost seconds
# each); 07-over-time runs on a small generated archive (the ``archive``
# fixture of conftest.py: 12 files of benchmarks/corpus.py, 2019–2024). A notebook fails on any error output, any traceback, any warning that
# a glyph is missing from the font (in cell outputs or in the saved widget
# state, where interact/Output widgets put what they print), and on a stall:
# no cell may run longer than CELL_TIMEOUT seconds.
import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError

from zzdata.explore.labels import has_ascii_code

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 240


def test_there_are_seven_numbered_notebooks():
    assert [p.name[:3] for p in NOTEBOOKS] == ["01-", "02-", "03-", "04-", "05-", "06-", "07-"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    dirty = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; clear them before committing"
    assert "widgets" not in nb.get("metadata", {}), f"{path.name}: saved widget state committed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebooks_are_thin(path):
    nb = nbformat.read(path, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code and code[0].startswith("import zzdata as zz")
    assert not any(line.lstrip().startswith(("def ", "class ")) for src in code for line in src.splitlines())
    assert nb.cells[0].cell_type == "markdown", "prose first: say what an editor learns here"


def _raw_codes(out) -> list[str]:
    """Codes (labels.CODE_LABELS keys: stockpile, exact, fail…) in what a
    cell shows as text: tables and printed lines (a widget's text/plain is
    its Python repr, with the option values: its state is checked instead)."""
    data = out.get("data", {})
    if "application/vnd.jupyter.widget-view+json" in data:
        return []
    text = data.get("text/plain", "") + out.get("text", "")
    return has_ascii_code(text if isinstance(text, str) else "".join(text))


def _widget_codes(nb) -> list[str]:
    """Codes among what the widgets show: option labels and descriptions."""
    found = set()
    for model in nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {}).values():
        state = model.get("state", {})
        for shown in [*state.get("_options_labels", []), state.get("description", "")]:
            found.update(has_ascii_code(str(shown)))
    return sorted(found)


def _problems(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            text = json.dumps(out, ensure_ascii=False)
            if out.get("output_type") == "error":
                found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
            elif "Traceback" in text:
                found.append(f"cell {i}: a traceback was printed")
            if "missing from font" in text:
                found.append(f"cell {i}: a glyph is missing from the font")
            raw = _raw_codes(out)
            if raw:
                found.append(f"cell {i}: raw codes on an editor's screen: {raw}")
    state = json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False)
    if "missing from font" in state or "Traceback" in state:
        found.append("widget state holds a missing-glyph warning or a traceback")
    if _widget_codes(nb):
        found.append(f"widgets show raw codes: {_widget_codes(nb)}")
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_clean(path, monkeypatch, request):
    monkeypatch.setenv("ZZDATA_HOME", str(ROOT))
    if path.name.startswith("07-"):  # over time: an archive's Parquet partitions
        monkeypatch.setenv("ZZDATA_ARCHIVE", str(request.getfixturevalue("archive")))
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        allow_errors=True,
        store_widget_state=True,
    )
    try:
        client.execute()
    except CellTimeoutError as error:
        pytest.fail(f"{path.name} stalled: a cell ran over {CELL_TIMEOUT}s with no reply ({error}); see tests/test_notebooks.py")
    assert not _problems(nb), _problems(nb)
