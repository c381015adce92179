"""Parts: one file's rows of every table in columnar form — what a worker
sends back, what the build cache keeps and what the writer puts together.

A worker turns the row dicts of one file into, per table, the file's CSV
lines (no header; written by Arrow from a table of the schema's types),
plus the counts the build summary needs.  The main process then only joins:
a table's CSV is the header followed by every file's lines in file order
(the same bytes as writing the whole table at once), and a Parquet
partition, or a DataFrame, is Arrow's reading of its files' lines, which
gives back exactly the values written (tested, also on made-up values).  A
partition whose files did not change is not rewritten
(``store.write_parts``).  ``zzdata build`` makes no DataFrame, and never
converts rows it has seen before again.

>>> part = to_part(FileRows("a.txt", {"problems": ({"source": "a.txt", "kind": "empty", "message": "no text",
...                                                 "line": None, "offset": None},)}))
>>> part.count("problems"), part.summary.files, part.csv["problems"]
(1, 1, b'"a.txt",,,"empty","no text"\\n')
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import read, schema
from .schema import arrow_schema
from .tables import Summary, beat_counts, check_keys, columns_of

if TYPE_CHECKING:  # pyarrow is imported where a part is made or read
    import pyarrow as pa


@dataclass(frozen=True)
class FileRows:
    """One file's rows of every table (problems included), as plain dicts,
    before ``to_part`` makes them columnar (``pipeline.file_rows`` makes
    them)."""

    source: str
    rows: dict[str, tuple[dict, ...]]


@dataclass(frozen=True)
class FilePart:
    """One file's share of every table; tables without rows are left out."""

    source: str
    date: str | None  # publication date of the file's first article: its year and the paper pick the Parquet partition
    paper: str
    csv: dict[str, bytes] = field(default_factory=dict)  # table → CSV lines, no header
    digests: dict[str, str] = field(default_factory=dict)  # table → digest of its lines
    summary: Summary = field(default_factory=Summary)

    def count(self, table: str) -> int:
        return self.summary.rows.get(table, 0)

    @property
    def problems(self) -> tuple[read.Problem, ...]:
        return self.summary.problems


def to_part(rows: FileRows) -> FilePart:
    """A file's rows (dicts) → its part: CSV lines, digests, counts."""
    csv, digests = {}, {}
    for name, found in rows.rows.items():
        if found:
            csv[name] = csv_lines(arrow_table(name, found))
            digests[name] = hashlib.blake2b(csv[name], digest_size=16).hexdigest()
    articles = rows.rows.get("articles") or ({},)
    first = articles[0]
    return FilePart(rows.source, first.get("publication_date"), first.get("paper") or "", csv, digests, summarize(rows.rows))


def summarize(rows: dict[str, tuple[dict, ...]]) -> Summary:
    """The summary's counts for one file's rows."""
    layout, pages = rows.get("layout", ()), rows.get("pages", ())
    roles = Counter()
    for span in layout:
        roles[span["role"]] += span["end"] - span["start"]
    n_chars = max((p["end"] for p in pages), default=max((s["end"] for s in layout), default=0)) if layout else 0
    problems = tuple(read.Problem(**row) for row in rows.get("problems", ()))
    return Summary(
        files=int(bool(layout or problems)),
        rows={name: len(found) for name, found in rows.items() if found},
        failed_checks=sum(row["status"] == "fail" for row in rows.get("checks", ())),
        roles=dict(roles),
        n_chars=n_chars,
        unassigned=n_chars - sum(roles.values()),
        outside_figures=sum(row["article_id"] is None for row in rows.get("figures", ())),
        problems=problems,
        **beat_counts([row["beat_table"] or "" for row in rows.get("figures", ())], [row["beat_note"] or "" for row in rows.get("figures", ())]),
    )


def arrow_table(name: str, rows) -> "pa.Table":
    """Row dicts of one table → an Arrow table of its schema; a value of
    another type is converted as pandas would (``3`` in a string column is
    ``'3'``), a NaN is a missing value; a row with missing or unexpected
    keys is a ValueError naming them."""
    import pyarrow as pa

    target = arrow_schema(name)
    check_keys(name, rows)
    try:  # all rows at once, in C: the common case
        return pa.Table.from_struct_array(pa.array(rows, type=pa.struct(target), from_pandas=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    columns = columns_of(name, rows)
    arrays = [pa.array([_coerced(v, c.type) for v in columns[c.name]], type=c.type) for c in target]
    return pa.Table.from_arrays(arrays, schema=target)


def _coerced(value, kind: "pa.DataType"):
    import pyarrow as pa

    if value is None or value != value:  # noqa: PLR0124 (None or NaN)
        return None
    if kind == pa.string():
        return str(value)
    if kind == pa.int64():
        return int(value)
    if kind == pa.bool_():
        return bool(value)
    return float(value)


def csv_lines(table: "pa.Table") -> bytes:
    """A table's CSV rows without header, as ``store`` writes whole tables."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    sink = pa.BufferOutputStream()
    pcsv.write_csv(table, sink, write_options=pcsv.WriteOptions(include_header=False))
    return sink.getvalue().to_pybytes()


def csv_header(name: str) -> bytes:
    """The header line of a table's CSV, as Arrow's CSV writer makes it
    (column names are plain ASCII words, quoted).

    >>> csv_header("problems")
    b'"source","line","offset","kind","message"\\n'
    """
    return (",".join(f'"{column}"' for column in schema.columns(name)) + "\n").encode("ascii")


def read_lines(name: str, data: bytes, longest: int | None = None) -> "pa.Table":
    """CSV lines of a table (as ``csv_lines`` writes them) → an Arrow table
    of its schema: an empty unquoted cell is a missing value, ``""`` an
    empty string.  ``longest`` bounds the length of a row (Arrow reads in
    blocks, in parallel, and a row must fit in one); all of ``data`` when
    not given.

    >>> read_lines("problems", b'"a.txt",3,,"",\\n').to_pylist()
    [{'source': 'a.txt', 'line': 3, 'offset': None, 'kind': '', 'message': None}]
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv

    target = arrow_schema(name)
    if not data:
        return pa.Table.from_batches([], schema=target)  # (schema.empty_table() would import pandas)
    return pcsv.read_csv(
        pa.py_buffer(data),
        read_options=pcsv.ReadOptions(column_names=target.names, block_size=min(max(longest or len(data), 1 << 20) + 1, 2**31 - 1)),
        parse_options=pcsv.ParseOptions(newlines_in_values=True),
        convert_options=pcsv.ConvertOptions(
            column_types=target, strings_can_be_null=True, quoted_strings_can_be_null=False,
            true_values=["true"], false_values=["false"],
        ),
    )


def concat(name: str, parts) -> "pa.Table":
    """One table of several parts, in their order."""
    lines = [part.csv.get(name, b"") for part in parts]
    return read_lines(name, b"".join(lines), max(map(len, lines), default=0))  # a row never spans two files


def total(parts) -> Summary:
    """The summary of a build from its parts."""
    return sum((part.summary for part in parts), Summary())
