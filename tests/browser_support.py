"""Helpers for the browser tests (tests/test_browser.py): start JupyterLab or
Voilà on a free loopback port and drive the pages with Playwright and the
system's Chromium.  Every wait is on a condition, never a fixed sleep.

Playwright cannot download browsers here, so it drives Debian's Chromium
(``ZZDATA_CHROMIUM`` names another executable).  Without it, or without the
playwright package, ``missing()`` says how to enable the tests.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("ZZDATA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # Chromium refuses to start as root with its sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "build" / "screenshots"
SERVER_START = 90  # seconds for a server to answer
KERNEL_READY = 120_000  # milliseconds for a kernel to be connected and idle
RUN_ALL = 180_000  # milliseconds for every cell of a notebook to finish
REDRAW = 60_000  # milliseconds for an explorer to redraw after a change

# JupyterLab user settings: no news or update toasts over the page, no
# autosave (the notebooks are a copy, but saving outputs is not the test).
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


def missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.is_file():
        return (
            f"browser tests need Chromium at {CHROMIUM} (set ZZDATA_CHROMIUM for another path): "
            "apt-get install chromium fonts-noto-cjk, then pip install -e '.[test]'"
        )
    for module in ("playwright", "jupyterlab", "voila"):
        if importlib.util.find_spec(module) is None:
            return f"browser tests need the {module} package: pip install -e '.[test]'"
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_notebooks(folder: Path) -> Path:
    """The curated notebooks copied into ``folder`` (so the originals stay
    without outputs and checkpoints)."""
    folder.mkdir(parents=True, exist_ok=True)
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy2(notebook, folder / notebook.name)
    return folder


def write_lab_settings(folder: Path) -> Path:
    """JupyterLab user settings (for JUPYTERLAB_SETTINGS_DIR) from LAB_SETTINGS."""
    for plugin, values in LAB_SETTINGS.items():
        target = folder / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values), encoding="utf-8")
    return folder


def private_env(home: Path) -> dict[str, str]:
    """The environment for a server: its own Jupyter folders under ``home``,
    the project's data through ZZDATA_HOME."""
    env = dict(os.environ)
    env.update(
        ZZDATA_HOME=str(ROOT),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(write_lab_settings(home / "settings")),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
        PYTHONUNBUFFERED="1",
    )
    return env


def lab_command(root_dir: Path, port: int) -> list[str]:
    """JupyterLab on 127.0.0.1:port, no token, no password, no browser."""
    command = [
        sys.executable, "-m", "jupyter", "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root_dir}",
        "--IdentityProvider.token=",
        "--ServerApp.password=",
        "--ServerApp.disable_check_xsrf=True",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    return command


class Server:
    """A server process started from ``command``, its output in ``log``."""

    def __init__(self, command: list[str], url: str, ready_path: str, env: dict[str, str], log: Path, cwd: Path):
        self.url = url
        self.log = log
        self._out = log.open("wb")
        self.process = subprocess.Popen(command, env=env, cwd=cwd, stdout=self._out, stderr=subprocess.STDOUT)
        self.wait_until_ready(ready_path)

    def get(self, path: str):
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            return response.status, response.read()

    def start_session(self, notebook: str, kernel: str = "python3") -> dict:
        """A Jupyter session for ``notebook`` with a started kernel (REST API)."""
        body = json.dumps({"path": notebook, "name": notebook, "type": "notebook", "kernel": {"name": kernel}}).encode()
        request = urllib.request.Request(self.url + "/api/sessions", data=body, method="POST", headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=SERVER_START) as response:
            return json.loads(response.read())

    def wait_for(self, condition, timeout: float, what: str) -> None:
        """Poll ``condition()`` until it is true; fail saying ``what`` was awaited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode} while waiting for {what}:\n{self.tail()}")
            try:
                if condition():
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass  # not answering yet
            time.sleep(0.2)  # the polling interval of a condition, not a wait for time to pass
        raise TimeoutError(f"no {what} within {timeout}s:\n{self.tail()}")

    def wait_until_ready(self, path: str) -> None:
        try:
            self.wait_for(lambda: self.get(path)[0] == 200, SERVER_START, f"answer on {path}")
        except (RuntimeError, TimeoutError):
            self.stop()
            raise

    def kernel_is_ready(self, notebook: str) -> bool:
        """The notebook's session has an idle kernel with a live connection."""
        sessions = json.loads(self.get("/api/sessions")[1])
        kernels = [s["kernel"] for s in sessions if s["path"] == notebook and s.get("kernel")]
        return any(k["execution_state"] == "idle" and k.get("connections", 0) > 0 for k in kernels)

    def tail(self, lines: int = 40) -> str:
        if not self._out.closed:
            self._out.flush()
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._out.close()


def launch_chromium(playwright):
    """Headless Chromium from the system, not a Playwright download."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def screenshot(locator, name: str) -> Path:
    """An element screenshot (the whole element, not just the viewport)
    into build/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / name
    locator.screenshot(path=str(target))
    return target
