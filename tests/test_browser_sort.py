# Downloads follow the grid's own sort order, in a real browser: headless
# Chromium (Playwright) opens the flood notebook in JupyterLab and in the
# Voilà dashboard, filters the stockpiles, clicks the 原文 header (DataTables
# sorts in the browser), downloads the selection as Excel and CSV and opens
# the files: their rows come in the order the grid shows.  A row clicked on
# the sorted grid shows its own sentence (itables reports the selected row
# as its position in the data given, not on the screen).  A filter change
# then starts the grid, and the files, in the page's order again.
#
# Expected rows come from reading the sample page
# (data/zhuzhou-daily-2021-04.txt), where the four stockpile figures are
# printed 编织袋63.6万条、彩条布74万平方米、砂石料3.54万立方、块石0.84万立方:
# sorted on their printed text (and on their size, the same order here)
# 0.84万立方 < 3.54万立方 < 63.6万条 < 74万平方米.
#
# The notebook helpers (open, run, choose, click a row) are
# tests/test_browser.py's; every wait is on a condition.  Without Chromium
# or Playwright the tests are skipped (browser_support.missing()).
from __future__ import annotations

import csv
from urllib.parse import urljoin

import pytest
from browser_support import REDRAW, RUN_ALL, missing, screenshot

pytestmark = pytest.mark.skipif(missing() is not None, reason=missing() or "")

from test_browser import Explorer, explained, open_and_run  # noqa: E402

ASCENDING = [("块石", "0.84万立方"), ("砂石料", "3.54万立方"), ("编织袋", "63.6万条"), ("彩条布", "74万平方米")]
IN_PAGE_ORDER = ["63.6万条", "74万平方米", "3.54万立方", "0.84万立方"]

# The cells of one column (by its header's words), top to bottom as shown.
COLUMN_SHOWN = """([box, title]) => {
    const heads = [...box.querySelectorAll('.zz-grid thead th')];
    const k = heads.findIndex((th) => th.innerText.trim() === title);
    return [...box.querySelectorAll('.zz-grid tbody tr')].map((tr) => (tr.children[k] || tr).innerText.trim());
}"""

# The column shows ``want``, top to bottom.
COLUMN_READS = f"""([box, title, want]) => JSON.stringify(({COLUMN_SHOWN})([box, title])) === JSON.stringify(want)"""

# The download link labelled ``label`` is there and carries other data than ``old``.
NEW_LINK = """([box, label, old]) => {
    const link = [...box.querySelectorAll('.zz-downloads a')].find((a) => a.innerText.startsWith(label));
    return link !== undefined && link.href !== old;
}"""


def sort_by(explorer: Explorer, title: str, want: list[str]) -> None:
    """Click the header ``title`` and wait for its column to read ``want``."""
    explorer.box.locator(".zz-grid thead th", has_text=title).first.click()
    explorer.page.wait_for_function(COLUMN_READS, arg=[explorer.box.element_handle(), title, want], timeout=REDRAW)


def column_shown(explorer: Explorer, title: str) -> list[str]:
    return explorer.page.evaluate(COLUMN_SHOWN, [explorer.box.element_handle(), title])


def prepare_downloads(explorer: Explorer) -> None:
    """Click 下载所选 and wait for links other than those shown before (the
    links of the last order may still be there)."""
    box = explorer.box.element_handle()
    old = explorer.page.evaluate(
        """([box, label]) => { const a = [...box.querySelectorAll('.zz-downloads a')].find((a) => a.innerText.startsWith(label)); return a ? a.href : ''; }""",
        [box, "CSV"],
    )
    explorer.box.get_by_role("button", name="下载所选").click()
    explorer.page.wait_for_function(NEW_LINK, arg=[box, "CSV", old], timeout=REDRAW)


def save_download(explorer: Explorer, label: str, folder):
    """Click the download link ``label``, save its file in ``folder``."""
    link = explorer.box.locator(".zz-downloads a", has_text=label)
    with explorer.page.expect_download(timeout=REDRAW) as started:
        link.click()
    target = folder / f"{len(list(folder.iterdir()))}-{started.value.suggested_filename}"
    started.value.save_as(target)
    return target


def workbook_rows(path) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    sheet = load_workbook(path).active
    header = [c.value for c in sheet[1]]
    return [(row[header.index("指标")].value, row[header.index("原文")].value) for row in sheet.iter_rows(min_row=2)]


def csv_rows(path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [(line["indicator"], line["text"]) for line in csv.DictReader(handle)]


def check_sorted_downloads(explorer: Explorer, folder, name: str) -> None:
    """The stockpiles, sorted on 原文 up then down: the grid, the Excel and
    the CSV agree; a click on the sorted grid shows the row clicked; the
    grid's front end logged no error."""
    errors: list[str] = []
    explorer.page.on("console", lambda message: errors.append(message.text) if "zzdata:" in message.text else None)
    explorer.choose("类别", "物资储备", "共 4 行")
    assert column_shown(explorer, "原文") == IN_PAGE_ORDER  # the page's order before any sort
    sort_by(explorer, "原文", [text for _, text in ASCENDING])
    prepare_downloads(explorer)
    assert workbook_rows(save_download(explorer, "Excel", folder)) == ASCENDING
    assert csv_rows(save_download(explorer, "CSV", folder)) == ASCENDING
    context = explorer.click_row("块石", "0.84万立方")  # first on the screen, last in the data
    assert "砂石料3.54万立方" in context.replace("\n", "")
    screenshot(explorer.box, f"{name}-sorted.png")
    sort_by(explorer, "原文", [text for _, text in ASCENDING[::-1]])  # a second click: descending
    prepare_downloads(explorer)
    assert csv_rows(save_download(explorer, "CSV", folder)) == ASCENDING[::-1]
    assert workbook_rows(save_download(explorer, "Excel", folder)) == ASCENDING[::-1]
    # A new selection refills the sorted grid (grid.py: no new DataTable) and
    # starts unsorted, as a new table would: the page's order on the screen
    # and in the files, and a click picks the row clicked.
    category = explorer.box.get_by_label("类别", exact=True)
    explorer.change(lambda: category.select_option(label="全部"), None, "类别=全部 (the grid sorted)")
    explorer.choose("类别", "物资储备", "共 4 行")
    assert column_shown(explorer, "原文") == IN_PAGE_ORDER
    prepare_downloads(explorer)
    assert [text for _, text in csv_rows(save_download(explorer, "CSV", folder))] == IN_PAGE_ORDER
    context = explorer.click_row("块石", "0.84万立方")  # last on the screen and in the data again
    assert "砂石料3.54万立方" in context.replace("\n", "")
    assert not errors, errors


def test_downloads_follow_the_grids_sort_in_jupyterlab(lab_server, browser_page, tmp_path):
    with explained(lab_server, browser_page, "lab-03-sort"):
        explorer = open_and_run(browser_page, lab_server, "03-flood-preparedness.ipynb")
        check_sorted_downloads(explorer, tmp_path, "lab-03")


def test_downloads_follow_the_grids_sort_in_voila(voila_server, browser_page, tmp_path):
    with explained(voila_server, browser_page, "voila-03-sort"):
        browser_page.goto(voila_server.url + "/")
        link = browser_page.locator("a.zz-notebook").filter(has_text="03-flood-preparedness.ipynb")
        browser_page.goto(urljoin(browser_page.url, link.get_attribute("href")))  # in this tab, not a new one
        explorer = Explorer(browser_page, browser_page.locator(".zz-explorer").last, timeout=RUN_ALL)
        check_sorted_downloads(explorer, tmp_path, "voila-03")
