# Fixtures for the browser tests (tests/test_browser.py): one headless
# Chromium, and a fresh JupyterLab and Voilà server per test session, each on
# a free loopback port with its own Jupyter folders and a copy of the
# notebooks.  Nothing starts unless a browser test asks for it.  And for
# every test: jieba's prepared snapshot (wordcut.snapshot_folder) goes to a
# folder of the session, not the user's cache.
import os

import pytest
from browser_support import (
    ROOT,
    Server,
    copy_notebooks,
    free_port,
    lab_command,
    launch_chromium,
    private_env,
)

VIEWPORT = {"width": 1280, "height": 1600}


@pytest.fixture(autouse=True, scope="session")
def _session_cache_folder(tmp_path_factory):
    """The user's cache stays untouched; subprocesses (the CLI, notebook
    kernels) inherit the variable."""
    before = os.environ.get("ZZDATA_CACHE_DIR")
    os.environ["ZZDATA_CACHE_DIR"] = str(tmp_path_factory.mktemp("zzdata-cache"))
    yield
    if before is None:
        os.environ.pop("ZZDATA_CACHE_DIR", None)
    else:
        os.environ["ZZDATA_CACHE_DIR"] = before


ARCHIVE_FILES = 12  # a small archive: benchmarks/corpus.py's varied copies of the sample, 2019–2024


@pytest.fixture(scope="session")
def archive(tmp_path_factory):
    """A build folder of a small generated archive (tests/test_timeline.py
    and notebook 07): ``zzdata build`` over ARCHIVE_FILES files."""
    import importlib.util

    from zzdata.cli import main

    spec = importlib.util.spec_from_file_location("zzdata_benchmarks_corpus", ROOT / "benchmarks" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    folder = tmp_path_factory.mktemp("archive")
    corpus.make_corpus(folder / "pages", ARCHIVE_FILES, seed=7)
    assert main(["build", str(folder / "pages"), "--out", str(folder / "build"), "--jobs", "1", "--no-progress"]) == 0
    return folder / "build"


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(60_000)  # clicks and lookups on a busy 2-core CI machine
    page = context.new_page()
    yield page
    context.close()


def _start(tmp_path_factory, name: str, command_for, ready_path: str) -> Server:
    home = tmp_path_factory.mktemp(name)
    notebooks = copy_notebooks(home / "notebooks")
    port = free_port()
    return Server(command_for(notebooks, port), f"http://127.0.0.1:{port}", ready_path, private_env(home), home / "server.log", ROOT)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    server = _start(tmp_path_factory, "lab", lab_command, "/api/status")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory):
    from zzdata.dashboard import voila_command

    server = _start(tmp_path_factory, "voila", lambda notebooks, port: voila_command(notebooks, port), "/")
    yield server
    server.stop()
