# A dashboard page already open takes a newer build (zzdata/explore/live.py),
# in a real browser: headless Chromium (Playwright) opens 03-flood-preparedness
# in a Voilà server of its own, whose project is a copy of data/ built into a
# temporary build/ (the project's own build/ is never written).  The test
# picks 物资储备 (the sample page prints four stockpile figures: 编织袋63.6万条,
# 彩条布, 砂石料, 块石0.84万立方), publishes a version with one more page (made
# up here: 冲锋舟12艘 and 抽水机46台, two more stockpile figures), and waits
# for the page's notice to name the new version and for the count to say 6,
# the filter kept.  Every wait is on a condition, never a fixed delay; the
# time from the publication to the new count is printed.
from __future__ import annotations

import shutil
import time

import pytest
from browser_support import RUN_ALL, SCREENSHOTS, ROOT, Server, copy_notebooks, free_port, missing, private_env, screenshot

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

PAGE = (
    "渌口区备足物资迎战主汛期\n"
    "本报讯(记者 李小红)截至6月3日,渌口区防汛仓库储备冲锋舟12艘、抽水机46台,随时可调用。\n"
)
FOLLOW = 90_000  # milliseconds for a published version to reach the page (polled every 1.5 s)


def _build(project) -> None:
    from zzdata.cli import main

    assert main(["build", str(project / "data"), "--out", str(project / "build"), "--jobs", "1", "--no-progress"]) in (0, 2)


@pytest.fixture
def followed_dashboard(tmp_path):
    """A Voilà server over a copy of the notebooks, its project a copy of data/ built once."""
    from zzdata.dashboard import voila_command

    project = tmp_path / "project"
    shutil.copytree(ROOT / "data", project / "data")
    _build(project)
    notebooks = copy_notebooks(tmp_path / "notebooks")
    port = free_port()
    env = private_env(tmp_path) | {"ZZDATA_HOME": str(project)}
    server = Server(voila_command(notebooks, port), f"http://127.0.0.1:{port}", "/", env, tmp_path / "server.log", ROOT)
    yield server, project
    server.stop()


def test_an_open_dashboard_page_takes_a_newer_version(followed_dashboard, browser_page):
    server, project = followed_dashboard
    page = browser_page
    try:
        page.goto(server.url + "/voila/render/03-flood-preparedness.ipynb")
        box = page.locator(".zz-explorer").last
        box.wait_for(timeout=RUN_ALL)  # Voilà runs the whole notebook before it shows the page
        notice = box.locator(".zz-live")
        notice.wait_for()
        assert "第 1 版" in notice.inner_text()
        box.get_by_label("类别", exact=True).select_option(label="物资储备")
        box.locator(".zz-count", has_text="共 4 行").wait_for(timeout=FOLLOW)

        (project / "data" / "extra.txt").write_text(PAGE, encoding="utf-8")
        _build(project)
        published = time.perf_counter()
        box.locator(".zz-live", has_text="已更新到第 2 版").wait_for(timeout=FOLLOW)
        box.locator(".zz-count", has_text="共 6 行").wait_for(timeout=FOLLOW)
        print(f"\npublished → new count on the page: {time.perf_counter() - published:.1f} s")
        assert box.get_by_label("类别", exact=True).evaluate("(s) => s.options[s.selectedIndex].text") == "物资储备"
        assert "冲锋舟" in box.locator(".zz-grid").inner_text()
        box.locator(".zz-chart-text", has_text="冲锋舟").wait_for(state="attached", timeout=FOLLOW)  # the chart follows the grid
        box.locator(".zz-chart .zz-bars", has_text="冲锋舟").wait_for(timeout=FOLLOW)  # a bar of it on screen
        screenshot(box, "voila-03-followed.png")
    except Exception as error:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "failed-voila-03-followed.png", timeout=10_000)
        raise AssertionError(f"{error}\n--- server log ({server.log}):\n{server.tail()}") from error
