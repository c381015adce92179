"""Dashboard: the curated notebooks as web pages without code, for editors.

``zzdata dashboard`` runs Voilà (the ``dashboard`` extra) on the notebooks
folder: a Chinese start page lists the notebooks, and each opens as a page of
its prose, charts and widgets, with no code cells.  The pages make no
request beyond the server (Voilà's icon font from a CDN is left out).

Only its user reaches it:

- it listens on 127.0.0.1, and answers only requests whose Host header is
  a loopback address or ``localhost`` (403 otherwise), so a web page on
  another name cannot reach it through DNS rebinding;
- at most ``max_kernels`` pages run at once (each kernel holds a few
  hundred MB with the tables loaded); beyond that a page says so; kernels
  idle for ``idle_minutes`` are culled, connected ones too, and Voilà shuts
  a page's kernel down when the page is closed;
- the URL it prints is the one it serves: it is printed once the port is
  bound (the next free port when the asked one is taken).

``serve`` starts ``python -m zzdata.dashboard``, which runs Voilà's own
application with those settings; nothing here is imported by
``import zzdata``.

>>> command = voila_command(Path("notebooks"), port=8866)
>>> command[1:3], "--port=8866" in command, "--no-browser" in command
(['-m', 'zzdata.dashboard'], True, True)
"""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
from pathlib import Path

DEFAULT_PORT = 8866
IDLE_MINUTES = 5  # a page idle this long loses its kernel (reload to get one)
MAX_KERNELS = 4  # pages running at once
CULL_EVERY_SECONDS = 30
STOP_SECONDS = 30  # time Voilà gets to shut its kernels down after Ctrl+C
LOCAL_HOSTNAMES = ("localhost",)  # besides loopback addresses (127.0.0.1, ::1)
TEMPLATES = Path(__file__).parent / "explore" / "templates" / "voila"
ANNOUNCE = "zzdata: 株洲日报数据笔记 at {url} (Ctrl+C stops)"


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


def voila_command(
    notebooks: Path,
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    idle_minutes: float = IDLE_MINUTES,
    max_kernels: int = MAX_KERNELS,
) -> list[str]:
    """The command line: the folder's notebooks on 127.0.0.1:port, at most
    ``max_kernels`` kernels, idle ones culled (connected ones too: an open
    tab does not count as use)."""
    command = [
        sys.executable, "-m", "zzdata.dashboard", str(notebooks),
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        f"--ZZVoila.max_kernels={max_kernels}",
        f"--MappingKernelManager.cull_idle_timeout={round(idle_minutes * 60)}",
        f"--MappingKernelManager.cull_interval={max(1, min(CULL_EVERY_SECONDS, round(idle_minutes * 30)))}",
        "--MappingKernelManager.cull_connected=True",
    ]
    if not open_browser:
        command.append("--no-browser")
    return command


def serve(
    notebooks: Path | None = None,
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    idle_minutes: float = IDLE_MINUTES,
    max_kernels: int = MAX_KERNELS,
) -> int:
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
    # The server prints the URL (ANNOUNCE) once its port is bound.
    process = subprocess.Popen(voila_command(folder, port, open_browser, idle_minutes, max_kernels), env=env)
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


def notebook_title(path: Path) -> str:
    """The first heading of a notebook's first Markdown cell (what the start
    page shows beside its file name); "" when it has none or is unreadable.

    >>> import json, tempfile
    >>> cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# 防汛备汛\\n", "正文"]}]
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = Path(folder) / "n.ipynb"
    ...     _ = target.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    ...     notebook_title(target), notebook_title(Path(folder) / "none.ipynb")
    ('防汛备汛', '')
    """
    import json

    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError, AttributeError):
        return ""
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            heading = next((line for line in text.splitlines() if line.startswith("#")), "")
            return heading.lstrip("#").strip()
    return ""


def make_app():
    """Voilà's application with zzdata's settings (a class made here, so that
    importing this module does not import Voilà)."""
    import tornado.ioloop
    from traitlets import Integer
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler

    class CappedHandler(TornadoVoilaHandler):
        """A notebook page, or a page saying the dashboard is full."""

        async def get(self, path=None):
            app = self.settings["zzdata_app"]
            running = len(self.kernel_manager.list_kernel_ids())
            if running >= app.max_kernels:
                self.set_status(503)
                template = self.settings["voila_jinja2_env"].get_template("busy.html")
                minutes = round(self.kernel_manager.cull_idle_timeout / 60)
                self.finish(template.render(running=running, limit=app.max_kernels, idle_minutes=minutes, base_url=self.base_url))
                return
            await super().get(path)

    class ZZVoila(Voila):
        name = "zzdata-dashboard"
        max_kernels = Integer(MAX_KERNELS, config=True, help="pages (kernels) running at once")

        def setup_template_dirs(self):
            super().setup_template_dirs()
            self.template_paths.insert(0, str(TEMPLATES))  # the Chinese start page, no CDN

        def init_settings(self):
            settings = super().init_settings()
            # Voilà's own app lets any Host through; Jupyter's check (403 for
            # a Host that is neither loopback nor a local name) is used instead.
            settings.update(allow_remote_access=False, local_hostnames=list(LOCAL_HOSTNAMES), zzdata_app=self)
            root = Path(self.root_dir)
            settings["voila_jinja2_env"].globals["notebook_title"] = lambda path: notebook_title(root / path)
            return settings

        def init_handlers(self):
            return [(route, CappedHandler, *rest) if handler is TornadoVoilaHandler else (route, handler, *rest)
                    for route, handler, *rest in super().init_handlers()]

        def start(self):
            # Runs once the loop starts, after listen() has bound the port.
            tornado.ioloop.IOLoop.current().add_callback(self.announce)
            super().start()

        def announce(self):
            print(ANNOUNCE.format(url=self.display_url), file=sys.stderr, flush=True)

    return ZZVoila


def main(argv: list[str] | None = None) -> None:
    """``python -m zzdata.dashboard FOLDER [Voilà options]``."""
    app = make_app()
    app.launch_instance(argv=argv)


if __name__ == "__main__":
    main()
