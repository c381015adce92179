"""The grid: itables' ``ITable`` widget that also tells Python the order
the editor sorted it in, so that downloads follow what the grid shows.

An editor sorts the grid by clicking a column header; DataTables sorts in
the browser and ``ITable`` has no trait for it.  ``Grid`` adds one,
``sort_order``: the rows' positions in the frame given, in the order the
grid shows them (an empty list while that is the frame's own order).  It is filled by
front-end code that wraps itables' own (the same bundled DataTables, so it
works offline in JupyterLab and in Voilà): the wrapper hands itables a
``drawCallback`` that, after every draw, reads DataTables' applied order of
all rows (not only the page shown) and sets the trait when it changed.
Python never imitates DataTables' comparisons (numbers, text, HTML): it
takes the order DataTables used.

``selected_rows`` (itables' own) are positions in the frame given too:
DataTables' row indexes do not change when the grid is sorted, so a click
on a sorted grid picks the right row.

>>> import pandas as pd
>>> frame = pd.DataFrame({"text": ["63.6万条", "74万平方米", "0.84万立方"]})
>>> in_grid_order(frame, [2, 0, 1]).text.tolist()
['0.84万立方', '63.6万条', '74万平方米']
>>> in_grid_order(frame, []).text.tolist()  # not sorted (or not drawn yet): the frame's order
['63.6万条', '74万平方米', '0.84万立方']
"""

from __future__ import annotations

import json

import pandas as pd
import traitlets
from itables.widget import ITable

# The front end: itables' ES module is loaded as anywidget loads any (a
# blob URL), and its render is given a model whose ``_dt_args`` carry a
# drawCallback.  The rows' data indexes are mapped to positions in the
# frame as itables maps selected rows (a downsampled table shows its first
# and last rows).
_WRAPPER = """
const ITABLES = %s;
let loaded = null;

async function itables() {
    if (loaded === null) {
        const url = URL.createObjectURL(new Blob([ITABLES], { type: "text/javascript" }));
        try {
            let widget = (await import(url)).default;
            loaded = typeof widget === "function" ? await widget() : widget;
        } finally {
            URL.revokeObjectURL(url);
        }
    }
    return loaded;
}

function sameRows(a, b) {
    return Array.isArray(a) && a.length === b.length && a.every((x, k) => x === b[k]);
}

function reportOrder(model) {
    return function () {
        try {
            sendOrder(model, this.api());
        } catch (error) {  // the grid still draws; the downloads keep the selection's order
            console.error("zzdata: the grid's order was not reported", error);
        }
    };
}

function sendOrder(model, api) {
    const cut = (model.get("_dt_args") || {}).filtered_row_count || 0;
    const half = api.rows().count() / 2;
    let rows = api.rows({ order: "applied" }).indexes().toArray().map((r) => (cut && r >= half ? r + cut : r));
    if (rows.every((r, k) => r === k)) {
        rows = [];  // the frame's own order: nothing to send after a new selection
    }
    if (!sameRows(model.get("sort_order"), rows)) {
        model.set("sort_order", rows);
        model.save_changes();
    }
}

// New rows for the same columns and options (a filter change) refill the
// DataTable drawn last instead of letting itables build a new one: that
// rebuild took the page 0.1-0.25 s, a refill a tenth of that.  Its state
// is reset as a new table's would be: the options' order, the first page,
// no row selected (the page length the editor chose stays).  Any other
// change (columns, options, a downsampled table) is itables' own.
function layout(args) {  // the options but the rows, as text (taken before DataTables alters them), or null
    if (!args || args.filtered_row_count) {
        return null;
    }
    const { data_json, ...options } = args;
    return JSON.stringify(options);
}

function rows(json) {  // as itables reads data_json: its NaN and infinities, integers beyond 2**53
    return JSON.parse(json, (key, value, context) => {
        if (typeof value === "number" && !Number.isSafeInteger(value) && context && /^-?\\d+$/.test(context.source)) {
            return BigInt(context.source);
        }
        return value === "___NaN___" ? NaN : value === "___Infinity___" ? Infinity : value === "___-Infinity___" ? -Infinity : value;
    });
}

async function render(props) {
    const base = await itables();
    const model = props.model;
    let api = null;  // the DataTable drawn last
    let shown = layout(model.get("_dt_args"));
    const report = reportOrder(model);
    const withOrder = {
        ...model,
        get(name) {
            const value = model.get(name);
            const drawn = function () {
                api = this.api();
                report.call(this);
            };
            return name === "_dt_args" && value ? { ...value, drawCallback: drawn } : value;
        },
        on(name, callback, context) {
            if (name !== "change:_dt_args") {
                return model.on(name, callback, context);
            }
            return model.on(name, (...args) => {
                const next = model.get("_dt_args");
                const table = layout(next);
                const refill = api !== null && table !== null && table === shown;
                shown = table;
                if (!refill) {
                    return callback.apply(context, args);
                }
                try {
                    api.rows({ selected: true }).deselect();
                    api.clear().rows.add(rows(next.data_json || "[]")).order(next.order || []).draw();
                } catch (error) {  // a table in an unexpected state: built anew
                    console.error("zzdata: the grid was rebuilt", error);
                    callback.apply(context, args);
                }
            }, context);
        },
    };
    return base.render({ ...props, model: withOrder });
}

export default { render };
"""


def _esm() -> str:
    """The wrapper with itables' module inside (anywidget holds ``_esm`` as
    a file's contents or as text; ``str`` gives the text either way)."""
    return _WRAPPER % json.dumps(str(ITable._esm))


class Grid(ITable):
    """``ITable`` with ``sort_order``: the positions (in the frame given) of
    the rows in the order the grid shows them.  New data or options
    (``update``) start unsorted, as the browser's new DataTable does; an
    update that changes nothing leaves the grid, and its order, as they are."""

    _esm = _esm()
    sort_order = traitlets.List(traitlets.Int()).tag(sync=True)

    def update(self, df=None, caption=None, **kwargs) -> None:
        before = self._dt_args
        super().update(df, caption, **kwargs)
        if self._dt_args != before:  # the front end draws a new DataTable
            self.sort_order = []


def in_grid_order(frame: pd.DataFrame, order: list[int]) -> pd.DataFrame:
    """``frame``'s rows in the grid's order: the positions in ``order``
    first, then any row it does not name (a downsampled grid) in the
    frame's order.  An order that does not fit the frame (a position out of
    range or twice: it was of another selection) leaves the frame as it is.

    >>> frame = pd.DataFrame({"x": [10, 20, 30, 40]})
    >>> in_grid_order(frame, [3, 0]).x.tolist()
    [40, 10, 20, 30]
    >>> in_grid_order(frame, [0, 4]).x.tolist()  # 4 is out of range
    [10, 20, 30, 40]
    """
    order = list(order or ())
    if not order or len(set(order)) != len(order) or not all(0 <= k < len(frame) for k in order):
        return frame
    named = set(order)
    return frame.iloc[order + [k for k in range(len(frame)) if k not in named]]
