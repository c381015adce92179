# The curated notebooks in a real browser: headless Chromium (Playwright)
# opens them in JupyterLab, runs every cell, changes a dropdown and types into
# a search box, and checks that the explorer's table and chart are redrawn;
# then the same in the Voilà dashboard (zzdata dashboard).  Expected rows come
# from reading the sample page (data/zhuzhou-daily-2021-04.txt): four
# stockpile figures (编织袋, 彩条布, 砂石料, 块石), fourteen figures counted in
# 个, one of them about hazards (度汛安全隐患699个).
#
# Every wait is on a condition.  Element screenshots of each explorer go to
# build/screenshots/.  Without Chromium or Playwright the tests are skipped;
# browser_support.missing() says how to enable them.
from __future__ import annotations

import contextlib

import pytest
from browser_support import (
    KERNEL_READY,
    REDRAW,
    RUN_ALL,
    SCREENSHOTS,
    missing,
    screenshot,
)

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

# The notebook's kernel is connected and idle, as the page shows it: the
# toolbar names the kernel and the status bar says Idle for it (it says Idle
# before any kernel is connected, hence the name).  A dialog instead ends the
# wait with its text.
KERNEL_SHOWN_IDLE = """(name) => {
    const dialog = document.querySelector('.jp-Dialog');
    if (dialog) {
        return 'dialog: ' + dialog.innerText;
    }
    const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
    const kernel = panel && panel.querySelector('.jp-Toolbar-kernelName');
    const item = [...document.querySelectorAll('.jp-StatusBar-TextItem')]
        .find((e) => e.title === `Change kernel for ${name}`);
    const idle = kernel && !/No Kernel/.test(kernel.textContent) && item && /\\|\\s*Idle$/.test(item.textContent.trim());
    return idle ? 'idle' : false;
}"""

# Every code cell has run: its prompt shows an execution count, not [*] or
# [ ]; a dialog (which stops the run) ends the wait with its text.
ALL_CELLS_RAN = """() => {
    const dialog = document.querySelector('.jp-Dialog');
    if (dialog) {
        return 'dialog: ' + dialog.innerText;
    }
    const prompts = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt')];
    return prompts.length > 0 && prompts.every((p) => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
}"""

# The explorer shows a chart (a loaded PNG) and a table.
EXPLORER_DRAWN = """(box) => {
    const img = box.querySelector('img.widget-image');
    return img && img.src.startsWith('blob:') && img.complete && img.naturalWidth > 0
        && box.querySelector('.widget-html-content table') !== null;
}"""

# The explorer has redrawn: a new chart image, loaded, and the table says `want`.
REDRAWN = """([box, src, want]) => {
    const img = box.querySelector('img.widget-image');
    return img.src !== src && img.complete && img.naturalWidth > 0
        && box.querySelector('.widget-html-content').innerText.includes(want);
}"""

# SHA-256 of the chart's PNG bytes, so "the chart changed" means its pixels did.
CHART_DIGEST = """async (img) => {
    const bytes = await (await fetch(img.src)).arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}"""


class Explorer:
    """An explorer widget on the page: its controls, table and chart."""

    def __init__(self, page, box, timeout: float = REDRAW):
        self.page, self.box = page, box
        box.wait_for(timeout=timeout)
        page.wait_for_function(EXPLORER_DRAWN, arg=box.element_handle(), timeout=timeout)

    def state(self) -> tuple[str, str, str]:
        """(table text, chart URL, chart digest)."""
        image = self.box.locator("img.widget-image")
        return self.box.locator(".widget-html-content").inner_text(), image.get_attribute("src"), image.evaluate(CHART_DIGEST)

    def change(self, act, want: str) -> tuple[str, str]:
        """Do ``act``, wait for the redraw whose table says ``want``, and
        check that table and chart changed; returns the new (table, digest)."""
        table, src, digest = self.state()
        act()
        self.page.wait_for_function(REDRAWN, arg=[self.box.element_handle(), src, want], timeout=REDRAW)
        new_table, _, new_digest = self.state()
        assert new_table != table, "the table did not change"
        assert new_digest != digest, "the chart image did not change"
        return new_table, new_digest

    def choose(self, label: str, value: str, want: str) -> tuple[str, str]:
        return self.change(lambda: self.box.get_by_label(label, exact=True).select_option(value), want)

    def search(self, text: str, want: str) -> tuple[str, str]:
        return self.change(lambda: self.box.get_by_label("搜索", exact=True).press_sequentially(text), want)


@contextlib.contextmanager
def explained(server, page, name: str):
    """On failure, keep a screenshot of the page and show the server's log."""
    try:
        yield
    except Exception as error:
        with contextlib.suppress(Exception):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"failed-{name}.png", timeout=10_000)
        raise AssertionError(f"{error}\n--- server log ({server.log}):\n{server.tail()}") from error


def open_and_run(page, server, name: str) -> Explorer:
    """Open a notebook in JupyterLab, wait for its kernel, run all cells.

    The notebook's session is started through the REST API first, so that
    JupyterLab connects to its kernel: left to choose one itself on a busy
    machine, it sometimes asks in a Select Kernel dialog (when the kernel
    specs arrive late)."""
    server.start_session(name)
    page.goto(f"{server.url}/lab/tree/{name}?reset")
    state = page.wait_for_function(KERNEL_SHOWN_IDLE, arg=name, polling=250, timeout=KERNEL_READY).json_value()
    assert state == "idle", f"JupyterLab showed a dialog instead of connecting the kernel: {state}"
    server.wait_for(lambda: server.kernel_is_ready(name), KERNEL_READY / 1000, f"idle, connected kernel for {name}")
    # Run All is enabled only for the notebook that has the focus.
    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    notebook.locator(".jp-Cell").first.click()
    page.wait_for_function("(nb) => nb.contains(document.activeElement)", arg=notebook.element_handle())
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator('li[data-command="runmenu:run-all"]').click()
    ran = page.wait_for_function(ALL_CELLS_RAN, polling=250, timeout=RUN_ALL).json_value()
    assert ran is True, f"Run All did not finish: {ran}"
    text = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").inner_text()
    assert "Traceback" not in text and "missing from font" not in text, "a cell failed or a glyph is missing"
    return Explorer(page, page.locator(".jp-OutputArea-output > .widget-vbox").last)


def test_flood_explorer_in_jupyterlab(lab_server, browser_page):
    with explained(lab_server, browser_page, "lab-03"):
        explorer = open_and_run(browser_page, lab_server, "03-flood-preparedness.ipynb")
        table, _ = explorer.choose("类别", "stockpile", "共 4 行")
        assert all(material in table for material in ("编织袋", "彩条布", "砂石料", "块石"))
        screenshot(explorer.box, "lab-03-flood-explorer.png")
        table, _ = explorer.choose("指标", "编织袋", "共 1 行")
        assert "63.6万条" in table


def test_figure_explorer_in_jupyterlab(lab_server, browser_page):
    with explained(lab_server, browser_page, "lab-05"):
        explorer = open_and_run(browser_page, lab_server, "05-explore-figures.ipynb")
        table, _ = explorer.choose("单位", "个", "共 14 行")
        table, _ = explorer.search("隐患", "共 1 行")
        assert "699个" in table and "度汛安全隐患" in table
        screenshot(explorer.box, "lab-05-figure-explorer.png")


def test_flood_dashboard_in_voila(voila_server, browser_page):
    with explained(voila_server, browser_page, "voila-03"):
        browser_page.goto(voila_server.url + "/")
        notebooks = browser_page.locator(".jp-DirListing-item")
        notebooks.nth(5).wait_for()
        assert notebooks.count() == 6, "the start page lists the six notebooks"
        with browser_page.context.expect_page() as opened:  # a notebook opens in a new tab
            notebooks.filter(has_text="03-flood-preparedness.ipynb").dblclick()
        page = opened.value
    with explained(voila_server, page, "voila-03"):
        # Voilà runs the whole notebook before it shows the page.
        explorer = Explorer(page, page.locator(".jp-OutputArea-output > .widget-vbox").last, timeout=RUN_ALL)
        text = page.locator("body").inner_text()
        assert "import zzdata" not in text and "ex.flood_explorer" not in text, "the dashboard shows code"
        table, _ = explorer.choose("类别", "stockpile", "共 4 行")
        assert all(material in table for material in ("编织袋", "彩条布", "砂石料", "块石"))
        screenshot(explorer.box, "voila-03-flood-explorer.png")
