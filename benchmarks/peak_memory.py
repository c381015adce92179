"""Run one ``zzdata`` command in this process, then print the peak resident
memory of this process and of its worker processes as JSON on the last line.

    python benchmarks/peak_memory.py build CORPUS --out DIR --jobs 2 --no-progress

``benchmarks/run.py`` starts it in a fresh subprocess for each measurement,
so one measurement's peak does not carry into the next.  The worker figure
is the largest peak of any worker (``RUSAGE_CHILDREN`` holds the maximum
over the children that have exited, and the process pool waits for its
workers before the build returns).  Where the ``resource`` module is
missing (Windows) both figures are null: not measured.
"""

from __future__ import annotations

import json
import sys
import time

MIB = 1024 * 1024


def peak_mib() -> tuple[float | None, float | None]:
    """(this process, the largest child) peak resident memory in MiB, or
    (None, None) where it cannot be measured."""
    try:
        import resource
    except ImportError:
        return None, None
    unit = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB elsewhere
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * unit / MIB
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * unit / MIB
    return round(own, 1), round(children, 1)


def main(argv: list[str]) -> int:
    from zzdata.cli import main as zzdata_main

    started = time.perf_counter()
    try:
        status = zzdata_main(argv)
    except SystemExit as stop:
        status = stop.code if isinstance(stop.code, int) else 1
    seconds = time.perf_counter() - started
    own, children = peak_mib()
    sys.stdout.flush()
    print(json.dumps({"status": status, "seconds": round(seconds, 3), "main_mib": own, "worker_mib": children}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
