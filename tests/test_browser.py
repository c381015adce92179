# The curated notebooks in a real browser: headless Chromium (Playwright)
# opens them in JupyterLab, runs every cell, changes a dropdown and types into
# a search box, and checks that the explorer's count, grid and chart are
# redrawn; clicks a grid row and sees its sentence in the article; downloads
# the filtered selection as Excel and CSV and opens the files; filters the
# checks explorer (06), whose chart is a PNG; then the same on 03 in the
# Voilà dashboard (zzdata dashboard), where no request may leave 127.0.0.1.
# The time from a widget change to the new count, grid and chart is printed
# (no timed assert: the machine is shared), with the kernel's share of the
# chart's time (Explorer.chart_seconds: the chart's plan and its HTML,
# charts.bars_html; or a figure and its PNG for a chart that is no bar
# chart); the rest is the trip to the page and the browser's layout.
#
# Expected rows come from reading the sample page
# (data/zhuzhou-daily-2021-04.txt): four stockpile figures (编织袋63.6万条,
# 彩条布, 砂石料, 块石0.84万立方), fourteen figures counted in 个, one of them
# about hazards (度汛安全隐患699个), and the printed forms 近6千人次,
# 13万余家 and 较历年同期偏少36% (a fall: −36%).
#
# Every wait is on a condition.  Element screenshots of each explorer go to
# build/screenshots/.  Without Chromium or Playwright the tests are skipped;
# browser_support.missing() says how to enable them.
from __future__ import annotations

import contextlib
import csv
import re
import time
from urllib.parse import urlparse

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

# The explorer shows a chart (bars as HTML, or a loaded PNG), a count and a
# grid with rows.
EXPLORER_DRAWN = """(box) => {
    const chart = box.querySelector('.zz-chart');
    const img = chart && chart.querySelector('img');
    return chart && (chart.querySelector('.zz-bars') !== null || (img !== null && img.complete && img.naturalWidth > 0))
        && /共 \\d+ 行/.test(box.querySelector('.zz-count').innerText)
        && box.querySelector('.zz-grid table tbody tr') !== null;
}"""

# The count says `want` (the grid has its rows by then: one message).
COUNTED = """([box, want]) => box.querySelector('.zz-count').innerText.includes(want)"""

# The count and grid read otherwise than `before` (the text `state` gave).
GRID_CHANGED = """([box, before]) => {
    const text = box.querySelector('.zz-count').innerText + '\\n' + box.querySelector('.zz-grid').innerText;
    return text !== before;
}"""

# Times in the page, from the control's last input or change event (the
# widget change; typed words: the last key) to the moment the count (saying
# `want`, if given), the grid's rows (drawn by DataTables) and the chart read
# otherwise than before (MutationObserver; a PNG chart counts once loaded):
# no polling interval or Playwright round trip in them.  `window.zzWatch`
# holds them in milliseconds; the grid's stays null while its text is the
# same.
WATCH = """([box, countBefore, gridBefore, want, chartBefore]) => {
    if (window.zzUnwatch) window.zzUnwatch();  // the last change's watch
    const watch = window.zzWatch = {start: null, count: null, grid: null, chart: null};
    const now = () => performance.now();
    const started = () => Object.assign(watch, {start: now(), count: null, grid: null, chart: null});
    box.addEventListener('input', started, {capture: true});
    box.addEventListener('change', started, {capture: true});
    const check = () => {
        if (watch.start === null) return;
        if (watch.count === null) {
            const count = box.querySelector('.zz-count').innerText;
            if (want === null ? count !== countBefore : count.includes(want)) watch.count = now();
        }
        if (watch.grid === null && box.querySelector('.zz-grid').innerText !== gridBefore) watch.grid = now();
        if (watch.chart === null) {
            const chart = box.querySelector('.zz-chart');
            const img = chart.querySelector('img');
            if (chart.innerHTML !== chartBefore && (img === null || (img.complete && img.naturalWidth > 0))) watch.chart = now();
        }
    };
    const observer = new MutationObserver(check);
    observer.observe(box, {subtree: true, childList: true, characterData: true, attributes: true});
    box.addEventListener('load', check, {capture: true});
    window.zzUnwatch = () => {
        observer.disconnect();
        box.removeEventListener('input', started, {capture: true});
        box.removeEventListener('change', started, {capture: true});
        box.removeEventListener('load', check, {capture: true});
    };
}"""

# The count or the grid, and the chart (if one is awaited), were seen new.
WATCHED = """(chart) => (window.zzWatch.count !== null || window.zzWatch.grid !== null) && (!chart || window.zzWatch.chart !== null)"""

# The chart's words (and the kernel's drawing time beside them) were rewritten.
WORDS_CHANGED = """([box, before]) => box.querySelector('.zz-chart-text').innerHTML !== before"""

# A new chart in the page (a PNG one loaded).
CHART_CHANGED = """([box, before]) => {
    const chart = box.querySelector('.zz-chart');
    const img = chart.querySelector('img');
    return chart.innerHTML !== before && (img === null || (img.complete && img.naturalWidth > 0));
}"""

# SHA-256 of the chart's HTML (a PNG's bytes are in it), so "the chart
# changed" means what it shows did.
CHART_DIGEST = """async (chart) => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(chart.innerHTML));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}"""

TIMINGS: list[str] = []


class Explorer:
    """An explorer widget on the page: its controls, count, grid, chart,
    the clicked row's context and the downloads."""

    def __init__(self, page, box, timeout: float = REDRAW):
        self.page, self.box = page, box
        box.wait_for(timeout=timeout)
        page.wait_for_function(EXPLORER_DRAWN, arg=box.element_handle(), timeout=timeout)

    def grid(self) -> str:
        return self.box.locator(".zz-grid").inner_text()

    def state(self) -> tuple[str, str, str]:
        """(count and grid text, chart HTML, chart digest)."""
        chart = self.box.locator(".zz-chart")
        text = self.box.locator(".zz-count").inner_text() + "\n" + self.grid()
        return text, chart.inner_html(), chart.evaluate(CHART_DIGEST)

    def change(self, act, want: str | None, what: str, chart: bool = True) -> str:
        """Do ``act``, wait for the count to say ``want`` (None: for the
        grid to change) and (with ``chart``) for a new chart; check both
        changed, note the times (measured in the page: ``WATCH``); returns
        the new grid text."""
        table, before, digest = self.state()
        handle = self.box.element_handle()
        words = self.box.locator(".zz-chart-text").inner_html()
        self.page.evaluate(WATCH, [handle, self.box.locator(".zz-count").inner_text(), self.grid(), want, before])
        act()
        if want is None:
            self.page.wait_for_function(GRID_CHANGED, arg=[handle, table], polling=20, timeout=REDRAW)
        else:
            self.page.wait_for_function(COUNTED, arg=[handle, want], polling=20, timeout=REDRAW)
        if chart:
            self.page.wait_for_function(CHART_CHANGED, arg=[handle, before], polling=20, timeout=REDRAW)
        self.page.wait_for_function(WATCHED, arg=chart, polling=20, timeout=REDRAW)
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        with contextlib.suppress(PlaywrightTimeout):  # the grid's rows may come after the count and chart
            self.page.wait_for_function("() => window.zzWatch.grid !== null", polling=20, timeout=5_000)
        watch = self.page.evaluate("window.zzWatch")

        def after(name: str) -> str:
            return f"{(watch[name] - watch['start']) / 1000:.2f} s" if watch[name] is not None else "unchanged"

        shown = f"{what}: count {after('count')}, grid {after('grid')}"
        TIMINGS.append(f"{shown}, chart {after('chart')}{self.kernel_share(words)}" if chart else shown)
        new_table, _, new_digest = self.state()
        assert new_table != table, "the count and grid did not change"
        if chart:
            assert new_digest != digest, "the chart did not change"
        return self.grid()

    def kernel_share(self, words_before: str) -> str:
        """The kernel's time to make the new chart (the explorer writes it,
        hidden, beside the chart's words just after the chart), as a note
        for the timings; '' when it does not come within a few seconds."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        try:
            self.page.wait_for_function(WORDS_CHANGED, arg=[self.box.element_handle(), words_before], polling=20, timeout=5_000)
        except PlaywrightTimeout:
            return ""
        seconds = self.box.locator(".zz-chart-seconds")
        return f" (kernel {float(seconds.text_content()):.2f} s)" if seconds.count() else ""

    def choose(self, label: str, option: str, want: str) -> str:
        box = self.box.get_by_label(label, exact=True)
        return self.change(lambda: box.select_option(label=option), want, f"{label}={option}")

    def search(self, text: str, want: str) -> str:
        box = self.box.get_by_label("搜索", exact=True)
        return self.change(lambda: (box.fill(""), box.press_sequentially(text)), want, f"搜索 {text}")

    def click_row(self, cell: str, mention: str) -> str:
        """Click the grid row with a cell reading exactly ``cell``; wait for
        the context to mark ``mention``; returns the context's text."""
        began = time.perf_counter()
        self.box.locator(".zz-grid tbody td").filter(has_text=re.compile(f"^{re.escape(cell)}$")).first.click()
        marked = self.box.locator(".zz-detail mark", has_text=mention).first
        marked.wait_for(timeout=REDRAW)
        TIMINGS.append(f"row click → context: {time.perf_counter() - began:.2f} s")
        return self.box.locator(".zz-detail").inner_text()

    def download(self, label: str, folder):
        """Prepare the downloads, click the link starting with ``label``,
        save the file in ``folder``; returns its path."""
        self.box.get_by_role("button", name="下载所选").click()
        link = self.box.locator(".zz-downloads a", has_text=label)
        link.wait_for(timeout=REDRAW)
        with self.page.expect_download(timeout=REDRAW) as started:
            link.click()
        target = folder / started.value.suggested_filename
        started.value.save_as(target)
        return target


@pytest.fixture(scope="module", autouse=True)
def _print_timings():
    yield
    if TIMINGS:
        print("\nbrowser timings (widget change → shown):\n  " + "\n  ".join(TIMINGS))


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
    return Explorer(page, page.locator(".zz-explorer").last)


def check_stockpile_workbook(path) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    assert {"指标", "类别", "原文", "来源文件"} <= set(header), header
    rows = [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]
    assert {r["指标"] for r in rows} == {"编织袋", "彩条布", "砂石料", "块石"}  # the filtered selection, not all
    assert {r["类别"] for r in rows} == {"物资储备"} and "0.84万立方" in {r["原文"] for r in rows}


def test_flood_explorer_in_jupyterlab(lab_server, browser_page, tmp_path):
    with explained(lab_server, browser_page, "lab-03"):
        explorer = open_and_run(browser_page, lab_server, "03-flood-preparedness.ipynb")
        assert "stockpile" not in explorer.box.inner_text()  # codes are shown in Chinese
        grid = explorer.choose("类别", "物资储备", "共 4 行")
        assert all(material in grid for material in ("编织袋", "彩条布", "砂石料", "块石", "0.84万立方"))
        context = explorer.click_row("编织袋", "63.6万条")
        assert "全市共储备编织袋" in context.replace("\n", "")
        screenshot(explorer.box, "lab-03-flood-explorer.png")
        check_stockpile_workbook(explorer.download("Excel", tmp_path))
        with explorer.download("CSV", tmp_path).open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.DictReader(handle))
        assert len(lines) == 4 and {line["category"] for line in lines} == {"stockpile"}  # machine names
        grid = explorer.choose("指标", "编织袋", "共 1 行")
        assert "63.6万条" in grid


def test_figure_explorer_in_jupyterlab(lab_server, browser_page):
    with explained(lab_server, browser_page, "lab-05"):
        explorer = open_and_run(browser_page, lab_server, "05-explore-figures.ipynb")
        explorer.choose("单位", "个", "共 14 行")
        grid = explorer.search("隐患", "共 1 行")
        assert "699个" in grid and "度汛安全隐患" in grid
        context = explorer.click_row("699个", "699个")
        assert "已整改593处" in context  # the rest of its sentence
        screenshot(explorer.box, "lab-05-figure-explorer.png")
        unit = explorer.box.get_by_label("单位", exact=True)
        explorer.change(lambda: unit.select_option(label="全部"), None, "单位=全部 (搜索 隐患)")
        search = explorer.box.get_by_label("搜索", exact=True)
        for words, printed in (("人次", "近6千人次"), ("工贸", "13万余家"), ("偏少", "−36%（偏少）")):
            explorer.change(lambda w=words: search.fill(w), None, f"搜索 {words} (filled at once)")
            # the grid and the chart (beside its bar) show the figure as printed, with its hedge or sign
            explorer.box.locator(".zz-grid td", has_text=printed).first.wait_for(timeout=REDRAW)
            explorer.box.locator(".zz-chart .zz-note", has_text=printed).first.wait_for(timeout=REDRAW)
            explorer.box.locator(".zz-chart-text", has_text=printed).first.wait_for(state="attached", timeout=REDRAW)
        explorer.change(lambda: search.fill(""), None, "搜索 cleared: every figure (its chart drawn before)")
        start = explorer.box.get_by_label("从", exact=True)  # a large selection not drawn before: figures dated from the first month
        explorer.change(lambda: start.select_option(index=1), None, "从=first month")


def test_checks_explorer_in_jupyterlab(lab_server, browser_page):
    """The checks explorer's chart (stacked bars, no BarChart) is a PNG,
    drawn once the grid is out: it follows a filter too."""
    with explained(lab_server, browser_page, "lab-06"):
        explorer = open_and_run(browser_page, lab_server, "06-fact-checks.ipynb")
        status = explorer.box.get_by_label("结果", exact=True)
        explorer.change(lambda: status.select_option(label="待核对"), None, "结果=待核对 (a PNG chart)")
        assert explorer.box.locator(".zz-chart img.zz-chart-png").count() == 1
        assert "待核对" in explorer.grid() and "通过" not in explorer.grid()
        explorer.box.locator(".zz-chart-text", has_text="核查结果").wait_for(state="attached", timeout=REDRAW)
        explorer.change(lambda: status.select_option(label="全部"), None, "结果=全部 (its PNG drawn before)")


def test_flood_dashboard_in_voila(voila_server, browser_page, tmp_path):
    outside: list[str] = []
    browser_page.context.on(
        "request", lambda request: outside.append(request.url)
        if urlparse(request.url).scheme in ("http", "https", "ws", "wss") and urlparse(request.url).hostname != "127.0.0.1" else None
    )
    with explained(voila_server, browser_page, "voila-03"):
        browser_page.goto(voila_server.url + "/")
        assert browser_page.title() == "株洲日报 · 数据笔记"
        assert "株洲日报 · 数据笔记" in browser_page.locator("h1").inner_text()
        notebooks = browser_page.locator("a.zz-notebook")
        notebooks.nth(5).wait_for()
        assert notebooks.count() >= 6, "the start page lists the notebooks"
        screenshot(browser_page.locator("body"), "voila-start.png")
        with browser_page.context.expect_page() as opened:  # a notebook opens in a new tab
            notebooks.filter(has_text="03-flood-preparedness.ipynb").click()
        page = opened.value
    with explained(voila_server, page, "voila-03"):
        # Voilà runs the whole notebook before it shows the page.
        explorer = Explorer(page, page.locator(".zz-explorer").last, timeout=RUN_ALL)
        text = page.locator("body").inner_text()
        assert "import zzdata" not in text and "ex.flood_explorer" not in text, "the dashboard shows code"
        grid = explorer.choose("类别", "物资储备", "共 4 行")
        assert all(material in grid for material in ("编织袋", "彩条布", "砂石料", "块石"))
        context = explorer.click_row("块石", "0.84万立方")
        assert "砂石料3.54万立方" in context.replace("\n", "")
        check_stockpile_workbook(explorer.download("Excel", tmp_path))
        screenshot(explorer.box, "voila-03-flood-explorer.png")
    assert not outside, f"requests left 127.0.0.1: {outside}"
