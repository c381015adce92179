# zzdata dashboard without a browser: the command line it builds, where it
# finds the notebooks, and that `import zzdata` leaves it alone.  The page
# itself is driven in Chromium by tests/test_browser.py.
import subprocess
import sys
from pathlib import Path

from zzdata import cli, dashboard

ROOT = Path(__file__).resolve().parents[1]


def test_voila_serves_the_folder_on_loopback_and_culls_idle_kernels():
    command = dashboard.voila_command(Path("notebooks"), port=9123, idle_minutes=2)
    assert command[:4] == [sys.executable, "-m", "voila", "notebooks"]
    assert {"--Voila.ip=127.0.0.1", "--port=9123", "--no-browser"} <= set(command)
    assert "--MappingKernelManager.cull_idle_timeout=120" in command
    assert "--MappingKernelManager.cull_connected=True" in command
    assert "--no-browser" not in dashboard.voila_command(Path("notebooks"), open_browser=True)


def test_the_command_line_options():
    args = cli._parser().parse_args(["dashboard", "--port", "9000", "--open"])
    assert (args.command, args.port, args.open, args.notebooks) == ("dashboard", 9000, True, None)
    assert cli._parser().parse_args(["dashboard"]).port == dashboard.DEFAULT_PORT


def test_finds_the_notebooks_from_inside_the_project(monkeypatch):
    monkeypatch.delenv("ZZDATA_HOME", raising=False)
    assert dashboard.find_notebooks(ROOT / "zzdata" / "lexicon") == ROOT / "notebooks"


def test_a_missing_folder_is_an_error_not_a_server(tmp_path, capsys):
    assert cli.main(["dashboard", "--notebooks", str(tmp_path / "nowhere")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_import_zzdata_does_not_import_the_dashboard():
    code = "import sys, zzdata; print('zzdata.dashboard' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
