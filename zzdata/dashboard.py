"""Dashboard: the curated notebooks as web pages without code, for editors.

``zzdata dashboard`` runs Voilà (the ``dashboard`` extra) on the notebooks
folder: the start page lists the notebooks, and each opens as a page of its
prose, charts and widgets, with no code cells.  Every page visit starts a
kernel (a few hundred MB with the tables loaded); Voilà shuts it down when the
page is closed, and kernels idle for ``idle_minutes`` are culled, so tabs left
open or browsers that quit without closing do not hold memory for ever.

The server listens on 127.0.0.1 only.  Nothing here is imported by
``import zzdata``.

>>> command = voila_command(Path("notebooks"), port=8866)
>>> command[1:3], "--port=8866" in command, "--no-browser" in command
(['-m', 'voila'], True, True)
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

DEFAULT_PORT = 8866
IDLE_MINUTES = 15  # a page idle this long loses its kernel (reload to get one)
CULL_EVERY_SECONDS = 60
STOP_SECONDS = 30  # time Voilà gets to shut its kernels down after Ctrl+C


def find_notebooks(start: Path | None = None) -> Path:
    """The curated notebooks: ZZDATA_HOME/notebooks, else the notebooks/
    folder of the nearest folder (from ``start`` upwards) that has one."""
    if os.environ.get("ZZDATA_HOME"):
        return Path(os.environ["ZZDATA_HOME"]) / "notebooks"
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / "notebooks").glob("*.ipynb")):
            return folder / "notebooks"
    raise FileNotFoundError(f"no notebooks/ folder in {here} or above it; give --notebooks DIR or set ZZDATA_HOME")


def voila_command(notebooks: Path, port: int = DEFAULT_PORT, open_browser: bool = False, idle_minutes: float = IDLE_MINUTES) -> list[str]:
    """The Voilà command line: the folder's notebooks on 127.0.0.1:port,
    idle kernels culled (connected ones too: an open tab does not count as use)."""
    command = [
        sys.executable, "-m", "voila", str(notebooks),
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--MappingKernelManager.cull_idle_timeout={round(idle_minutes * 60)}",
        f"--MappingKernelManager.cull_interval={CULL_EVERY_SECONDS}",
        "--MappingKernelManager.cull_connected=True",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command


def serve(notebooks: Path | None = None, port: int = DEFAULT_PORT, open_browser: bool = False, idle_minutes: float = IDLE_MINUTES) -> int:
    """Serve the notebooks with Voilà until Ctrl+C; returns its exit status."""
    try:
        folder = Path(notebooks) if notebooks else find_notebooks()
    except FileNotFoundError as error:
        print(f"zzdata: {error}", file=sys.stderr)
        return 2
    if not folder.is_dir():
        print(f"zzdata: {folder}: no such folder", file=sys.stderr)
        return 2
    if importlib.util.find_spec("voila") is None:
        print("zzdata: the dashboard needs Voilà: pip install 'zzdata[dashboard]'", file=sys.stderr)
        return 2
    env = dict(os.environ)
    if (folder.resolve().parent / "data").is_dir():
        env.setdefault("ZZDATA_HOME", str(folder.resolve().parent))  # where the kernels find data/ and build/
    print(f"zzdata: the notebooks of {folder} at http://127.0.0.1:{port}/ (Ctrl+C stops)", file=sys.stderr)
    process = subprocess.Popen(voila_command(folder, port, open_browser, idle_minutes), env=env)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stopped by a service manager: stop Voilà too
    try:
        return process.wait()
    except KeyboardInterrupt:
        return _stop(process)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _stop(process: subprocess.Popen) -> int:
    """Let Voilà shut its kernels down, then wait for it (killed if it hangs).
    On Windows the console's Ctrl+C has reached it already, and terminate()
    would kill it outright, leaving its kernels behind."""
    if os.name != "nt":
        process.terminate()  # SIGTERM: Voilà stops and shuts its kernels down
    try:
        return process.wait(timeout=STOP_SECONDS)
    except (KeyboardInterrupt, subprocess.TimeoutExpired):
        process.kill()
        return process.wait()
