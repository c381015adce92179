# zzdata dashboard: the command line it builds, where it finds the notebooks,
# that `import zzdata` leaves it alone, and a real server (python -m
# zzdata.dashboard on a free loopback port): a request naming another Host
# is refused (DNS rebinding), the start page is in Chinese and loads nothing
# from the network, the printed URL is the one served even when the asked
# port is taken, and kernels are capped and culled.  The notebook pages are
# driven in Chromium by tests/test_browser.py.  The kernel tests use a
# made-up one-cell notebook, so a kernel starts in seconds.
import json
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from zzdata import cli, dashboard

ROOT = Path(__file__).resolve().parents[1]
needs_voila = pytest.mark.skipif(__import__("importlib").util.find_spec("voila") is None, reason="needs voila: pip install -e '.[test]'")


def test_voila_serves_the_folder_on_loopback_and_culls_idle_kernels():
    command = dashboard.voila_command(Path("notebooks"), port=9123, idle_minutes=2, max_kernels=3)
    assert command[:4] == [sys.executable, "-m", "zzdata.dashboard", "notebooks"]
    assert {"--Voila.ip=127.0.0.1", "--port=9123", "--no-browser", "--ZZVoila.max_kernels=3"} <= set(command)
    assert "--MappingKernelManager.cull_idle_timeout=120" in command
    assert "--MappingKernelManager.cull_connected=True" in command
    assert "--no-browser" not in dashboard.voila_command(Path("notebooks"), open_browser=True)
    assert dashboard.IDLE_MINUTES <= 5 and dashboard.MAX_KERNELS == 4  # "within a few minutes", "default 4"


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


def test_the_templates_are_package_data():
    assert {"page.html", "tree-lab.html", "tree.html", "index.html.j2", "busy.html", "start.html"} <= {
        p.name for p in dashboard.TEMPLATES.iterdir()
    }


# ---- a real server ------------------------------------------------------


def tiny_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    notebook = {
        "cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": [], "source": "1 + 1"}],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (folder / "tiny.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    return folder


def get(url: str, host: str | None = None, timeout: float = 120):
    """(status, body) of a GET, with another Host header if given."""
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


@pytest.fixture
def started(tmp_path):
    """Start ``python -m zzdata.dashboard`` with extra options; yields a
    function returning (process, announced URL); stops them all after."""
    from browser_support import SERVER_START, private_env

    processes = []

    def start(folder: Path, port: int, **options):
        log = tmp_path / f"server-{len(processes)}.log"
        command = dashboard.voila_command(folder, port, **options)
        out = log.open("wb")
        process = subprocess.Popen(command, env=private_env(tmp_path / f"home-{len(processes)}"), stdout=out, stderr=subprocess.STDOUT)
        processes.append((process, out))
        pattern = re.compile(r"zzdata: .* at (http://\S+) ")
        import time

        deadline = time.monotonic() + SERVER_START
        while time.monotonic() < deadline and process.poll() is None:
            found = pattern.search(log.read_text(encoding="utf-8", errors="replace"))
            if found:
                return process, found.group(1)
            time.sleep(0.2)  # polling the log for the announced URL
        raise AssertionError(f"no URL announced:\n{log.read_text(encoding='utf-8', errors='replace')[-3000:]}")

    yield start
    for process, out in processes:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        out.close()


@needs_voila
def test_only_local_hosts_are_answered_and_the_start_page_is_chinese(started):
    from browser_support import free_port

    port = free_port()
    _, url = started(ROOT / "notebooks", port)
    assert url == f"http://127.0.0.1:{port}/"
    status, page = get(url)
    assert status == 200
    assert "<title>株洲日报 · 数据笔记</title>" in page and "Voilà Home" not in page
    assert not re.search(r"""(?:href|src)=["']https?://""", page), "the start page loads something from the network"
    assert get(url, host=f"localhost:{port}")[0] == 200
    kernel = "00000000-0000-0000-0000-000000000000"  # refused before it is looked up
    for path in ("", "voila/render/01-corpus-at-a-glance.ipynb", "voila/tree", "voila/api/contents/",
                 f"api/kernels/{kernel}", f"api/kernels/{kernel}/channels", f"voila/api/shutdown/{kernel}"):
        assert get(url + path, host=f"evil.example:{port}")[0] == 403, path  # DNS rebinding


@needs_voila
def test_the_printed_url_is_the_one_served_when_the_port_is_taken(started):
    from browser_support import free_port

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        busy = taken.getsockname()[1]
        _, url = started(ROOT / "notebooks", busy)
        served = int(re.search(r":(\d+)/$", url).group(1))
        assert served != busy
        assert get(url)[0] == 200


@needs_voila
def test_kernels_are_capped_and_idle_ones_culled(started, tmp_path):
    from browser_support import free_port

    folder = tiny_notebooks(tmp_path / "nb")
    _, url = started(folder, free_port(), max_kernels=1, idle_minutes=4 / 60)  # culled after 4 s idle
    first, page = get(url + "voila/render/tiny.ipynb")
    assert first == 200 and "jp-OutputArea" in page  # a page, its kernel left running (no browser closes it)
    status, busy = get(url + "voila/render/tiny.ipynb")
    assert status == 503 and "暂时打不开" in busy and "最多 1 个" in busy
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, _ = get(url + "voila/render/tiny.ipynb")
        if status == 200:
            break  # the idle kernel was culled, so a new page gets one
        time.sleep(1)  # polling: the cull runs every two seconds here
    assert status == 200, "the idle kernel was never culled"


@needs_voila
def test_a_notebook_page_speaks_chinese_while_it_loads(started, tmp_path):
    """The page's title is the notebook's own (metadata title), and Voilà's loading lines ("Running …",
    "Executing 3 of 10") are replaced by Chinese ones before any cell runs."""
    from browser_support import free_port

    folder = tiny_notebooks(tmp_path / "nb")
    notebook = json.loads((folder / "tiny.ipynb").read_text(encoding="utf-8"))
    notebook["metadata"]["title"] = "小测试"
    (folder / "tiny.ipynb").write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    _, url = started(folder, free_port())
    status, page = get(url + "voila/render/tiny.ipynb")
    assert status == 200 and "<title>小测试</title>" in page
    ours = page.index("window.voila_process = window.update_loading_text;\n  })();")
    assert ours < page.index("voila_process(1, 1)")  # in place before the first cell reports
    assert "正在运行第" in page and "正在打开《" in page


def test_every_notebook_has_a_chinese_title():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        title = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("title", "")
        assert re.search(r"[\u4e00-\u9fff]", title) and not re.search(r"[A-Za-z]", title), (path.name, title)
