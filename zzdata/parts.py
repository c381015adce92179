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

The CSV file an editor opens is formula-safe (``cells.py``): where a table
holds text a spreadsheet would run (``=HYPERLINK(…``), the part also keeps
``sheet`` lines with those cells quoted, while Parquet and DataFrames get the
text as printed.  The build cache keeps a part as JSON lines
(``encode_part``/``decode_part``): plain data, checked on reading.

>>> part = to_part(FileRows("a.txt", {"problems": ({"source": "a.txt", "kind": "empty", "message": "no text",
...                                                 "line": None, "offset": None},)}))
>>> part.count("problems"), part.summary.files, part.csv["problems"]
(1, 1, b'"a.txt",,,"empty","no text"\\n')
"""

from __future__ import annotations

import hashlib
import re
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import read, schema
from .cells import FORMULA_STARTS, QUOTE
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
class Published:
    """Where an unchanged file's rows already are: the lines of each table
    in the published version's CSV (``store.published_parts``).

    ``spans`` maps a table to the [start, end) bytes of the file's lines in
    that version's ``<table>.csv`` and the digest of those bytes (checked
    when they are copied: a CSV edited in place is never spliced in);
    ``key`` is the file's build-cache key, under which its whole part can be
    loaded when a Parquet partition holding it must be written again;
    ``line`` is its entry in that version's index, as written there
    (``splice.write_index`` copies it when nothing of it changed)."""

    key: str
    spans: dict[str, tuple[int, int, str]]
    line: str | None = None


@dataclass(frozen=True)
class FilePart:
    """One file's share of every table; tables without rows are left out.

    A part taken from the published version (``published`` set) holds the
    counts and digests but no lines: its lines are spliced from that
    version's CSVs (``store.write_parts``)."""

    source: str
    date: str | None  # publication date of the file's first article: its year and the paper pick the Parquet partition
    paper: str
    csv: dict[str, bytes] = field(default_factory=dict)  # table → CSV lines, no header
    digests: dict[str, str] = field(default_factory=dict)  # table → digest of its lines
    summary: Summary = field(default_factory=Summary)
    sheet: dict[str, bytes] = field(default_factory=dict)  # table → formula-safe CSV lines, where they differ from csv
    published: Published | None = None  # lines left in the published version's CSVs (none here)

    def sheet_lines(self, table: str) -> bytes:
        """The lines of the CSV file an editor opens (``cells.safe_cell`` applied)."""
        self._has_lines()
        return self.sheet.get(table, self.csv.get(table, b""))

    def _has_lines(self) -> None:
        if self.published is not None:  # never mistake a part without lines for a file without rows
            raise ValueError(f"{self.source}: the part's lines are in the published version's CSVs; load the whole part first")

    def count(self, table: str) -> int:
        return self.summary.rows.get(table, 0)

    @property
    def problems(self) -> tuple[read.Problem, ...]:
        return self.summary.problems


def to_part(rows: FileRows) -> FilePart:
    """A file's rows (dicts) → its part: CSV lines, digests, counts."""
    csv, digests, sheet = {}, {}, {}
    for name, found in rows.rows.items():
        if found:
            table = arrow_table(name, found)
            csv[name] = csv_lines(table)
            digests[name] = hashlib.blake2b(csv[name], digest_size=16).hexdigest()
            safe = formula_safe(table) if _FORMULA_CELL.search(csv[name]) else table  # a scan of the CSV bytes is cheap
            if safe is not table:
                sheet[name] = csv_lines(safe)
    articles = rows.rows.get("articles") or ({},)
    first = articles[0]
    return FilePart(rows.source, first.get("publication_date"), first.get("paper") or "", csv, digests, summarize(rows.rows), sheet)


# A string cell starting as a formula would, in Arrow's CSV (every string
# quoted): at a line's start or after a comma, a quote and one of the
# characters.  A false alarm only costs the exact pass of formula_safe.
_FORMULA_CELL = re.compile(b'(?:^|,)"[' + re.escape("".join(FORMULA_STARTS).encode()) + b"]", re.MULTILINE)


def formula_safe(table: "pa.Table") -> "pa.Table":
    """The table with ``cells.safe_cell`` applied to every string cell (a
    leading quote before ``= + - @``, tab or CR), as ``store.write_csv``
    applies ``cells.safe_frame``; the same object when no cell needs it.

    >>> t = arrow_table("problems", [{"source": "=1+1", "kind": "-", "message": "ok", "line": None, "offset": None}])
    >>> formula_safe(t).column("source").to_pylist(), formula_safe(t).column("message").to_pylist()
    (["'=1+1"], ['ok'])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    pattern = "^[" + "".join("\\" + c if c in "-^]\\" else c for c in FORMULA_STARTS) + "]"
    out = table
    for i, column in enumerate(table.schema):
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        values = table.column(i)
        mask = pc.fill_null(pc.match_substring_regex(values, pattern), False)
        if pc.any(mask).as_py():
            quoted = pc.binary_join_element_wise(pa.scalar(QUOTE, column.type), values, pa.scalar("", column.type))
            out = out.set_column(i, column, pc.if_else(mask, quoted, values))
    return out


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
        idle_checks=sum(row["status"] == "not_applicable" for row in rows.get("checks", ())),
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
    for part in parts:
        part._has_lines()
    lines = [part.csv.get(name, b"") for part in parts]
    return read_lines(name, b"".join(lines), max(map(len, lines), default=0))  # a row never spans two files


def encode_part(part: FilePart) -> bytes:
    """A part as JSON lines, for the build cache: a first line with the
    source, date, paper and summary, then one line per table with its CSV
    lines (and formula-safe lines, when they differ) as text.

    >>> p = to_part(FileRows("a.txt", {"problems": ({"source": "a.txt", "kind": "empty", "message": "no text",
    ...                                              "line": None, "offset": None},)}))
    >>> decode_part(encode_part(p)) == p
    True
    """
    part._has_lines()
    head = {"source": part.source, "date": part.date, "paper": part.paper, "summary": summary_json(part.summary)}
    lines = [json.dumps(head, ensure_ascii=False)]
    for name, data in part.csv.items():
        entry = {"table": name, "digest": part.digests[name], "csv": data.decode("utf-8", "surrogateescape")}
        if name in part.sheet:
            entry["sheet"] = part.sheet[name].decode("utf-8", "surrogateescape")
        lines.append(json.dumps(entry, ensure_ascii=False))
    return "\n".join(lines).encode("utf-8", "surrogatepass")


def decode_part(data: bytes) -> FilePart:
    """A part from ``encode_part``'s bytes; a ValueError (or TypeError,
    KeyError) for anything else: every field is checked for its type, every
    table's lines against its digest.  Nothing is evaluated."""
    lines = data.decode("utf-8", "surrogatepass").split("\n")
    head = json.loads(lines[0])
    summary = summary_from_json(head["summary"])
    csv, digests, sheet = {}, {}, {}
    for line in lines[1:]:
        entry = json.loads(line)
        name = _checked(entry["table"], str)
        if name not in schema.TABLES and name not in schema.table_names():
            raise ValueError(f"unknown table {name!r}")
        csv[name] = _checked(entry["csv"], str).encode("utf-8", "surrogateescape")
        digests[name] = _checked(entry["digest"], str)
        if hashlib.blake2b(csv[name], digest_size=16).hexdigest() != digests[name]:
            raise ValueError(f"table {name}: lines differ from their digest")
        if "sheet" in entry:
            sheet[name] = _checked(entry["sheet"], str).encode("utf-8", "surrogateescape")
    return FilePart(_checked(head["source"], str), _checked(head["date"], str, None), _checked(head["paper"], str), csv, digests, summary, sheet)


def summary_json(s: Summary) -> dict:
    """A file's summary as plain JSON values (``summary_from_json`` reads it back)."""
    return {
        "files": s.files, "rows": s.rows, "failed_checks": s.failed_checks, "roles": s.roles, "n_chars": s.n_chars,
        "unassigned": s.unassigned, "outside_figures": s.outside_figures, "beat_figures": s.beat_figures,
        "beat_notes": s.beat_notes, "idle_checks": s.idle_checks, "problems": [[p.source, p.kind, p.message, p.line, p.offset] for p in s.problems],
    }


def summary_from_json(s: dict) -> Summary:
    """``summary_json``'s values back as a Summary, every field checked for
    its type (a TypeError, KeyError or ValueError otherwise).

    >>> summary_from_json(summary_json(Summary(files=1, rows={"figures": 3}))).rows
    {'figures': 3}
    """
    counts = {key: _checked(s[key], int) for key in ("files", "failed_checks", "n_chars", "unassigned", "outside_figures", "beat_figures", "idle_checks")}
    problems = tuple(
        read.Problem(_checked(src, str), _checked(kind, str), _checked(msg, str), _checked(line, int, None), _checked(off, int, None))
        for src, kind, msg, line, off in s["problems"]
    )
    return Summary(rows=_counts(s["rows"]), roles=_counts(s["roles"]), beat_notes=_counts(s["beat_notes"]), problems=problems, **counts)


def _checked(value, kind, *allowed):
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)) or any(value is a for a in allowed):
        return value
    raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")


def _counts(mapping) -> dict[str, int]:
    if not isinstance(mapping, dict) or not all(type(k) is str and type(v) is int for k, v in mapping.items()):
        raise TypeError("expected an object of counts (names and whole numbers)")
    return dict(mapping)


def total(parts) -> Summary:
    """The summary of a build from its parts."""
    return Summary.add_up(part.summary for part in parts)
