"""Live: tables that follow a build folder, so that an open notebook or
dashboard page shows each newer version ``zzdata build`` (or ``zzdata
watch``) publishes.

``LiveTables`` stands for the tables (``t.articles``, ``t.flood_prep``… are
those of the version it holds) and keeps a list of the explorers built from
it.  In a kernel (JupyterLab, Voilà) it reads the build folder's one-line
``current`` pointer every ``POLL_SECONDS`` on the kernel's asyncio loop;
when the pointer names another version, that version's tables are read (in a
worker thread: no widget is touched there), each explorer gets its new rows
(``Explorer.replace_frame``: filters kept where they still exist) and the
notice, a one-line HTML widget shown above the explorers, names the version.
A version that cannot be read leaves the old tables, and the notice says so;
a pointer or a build folder gone leaves everything as it is.  Outside a
kernel nothing polls: ``poll()`` is the step, called by hand (the tests).
A notebook run again in the same kernel opens its tables again: the new
``LiveTables`` takes over from the last one of that build folder (which
stops polling and reads through the new one), so a kernel keeps one
follower per build folder, and an explorer built again replaces the one of
the same name from the earlier run.

>>> from zzdata import explore as ex                       # doctest: +SKIP
>>> t = ex.open_tables(follow=True)      # a LiveTables when build/ holds tables  # doctest: +SKIP
>>> ex.flood_explorer(t)                 # follows t: new rows when a version is published  # doctest: +SKIP
>>> version_label("000012-20210422T080305Z", local=False)
'第 12 版（2021-04-22 08:03:05 发布）'
"""

from __future__ import annotations

import asyncio
import html
import weakref
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import pandas as pd

POLL_SECONDS = 1.5  # how often the pointer is read: one small file
CSS_CLASS = "zz-live"  # the notice's class, for the page's styles and the browser tests
_FOLLOWING: dict[Path, "LiveTables"] = {}  # in this kernel: the follower of each build folder


def version_label(name: str | None, local: bool = True) -> str:
    """A version's name (``000012-20210422T080305Z``: its number and UTC
    time) as an editor reads it, in local time unless ``local`` is false;
    the time alone when published today.

    >>> version_label("000003-20210422T080305Z", local=False)
    '第 3 版（2021-04-22 08:03:05 发布）'
    >>> version_label("a-folder")
    '版本 a-folder'
    """
    try:
        number = int(name[:6])
        when = datetime.strptime(name[7:], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return f"版本 {name}"
    if local:
        when = when.astimezone()
    today = datetime.now(when.tzinfo).date() == when.date()
    return f"第 {number} 版（{when:%H:%M:%S} 发布）" if today and local else f"第 {number} 版（{when:%Y-%m-%d %H:%M:%S} 发布）"


def _loaded(tables) -> list[str]:
    """The tables already in memory: a lazy reader's read ones, else all."""
    from zzdata.store import LazyTables

    names = tables.names()
    return [n for n in names if n in vars(tables)] if isinstance(tables, LazyTables) else list(names)


class LiveTables:
    """The tables of a build folder's current version, kept current.

    Attributes are those of the tables held (``t.figures``…, ``t.summary()``);
    ``version`` is the name of the version shown (None: built in memory from
    the pages), ``seen`` the last one the pointer named (shown, failed, or
    older than the pages when opened), ``notice`` the HTML widget saying
    which.  ``follow(explorer, frame_of)`` registers an explorer:
    ``frame_of(tables)`` gives its rows from a version's tables (the
    explorers of ``explorers`` do this themselves).  ``poll()`` is one step;
    ``start()`` polls on the kernel's loop."""

    def __init__(self, tables, build: str | Path, version: str | None = None, seen: str | None = None):
        import ipywidgets as w

        vars(self).update(_tables=tables, build=Path(build), version=version, seen=seen or version, task=None, _followers=[], _adopted=[])
        self.notice = w.HTML(self._line("数据为{shown}；有新版本发布时，筛选表自动换用新数据。"))
        self.notice.add_class(CSS_CLASS)

    def __getattr__(self, name: str):  # only for what the instance lacks: the tables' attributes
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._tables, name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(dir(self._tables)))

    def __repr__(self) -> str:
        return f"LiveTables({str(self.build)!r}, version={self.version!r}; {self._tables!r})"

    @property
    def tables(self):
        """The tables of the version shown (``Tables`` or ``LazyTables``)."""
        return self._tables

    def follow(self, explorer, frame_of: Callable[[object], pd.DataFrame]) -> None:
        """Give ``explorer`` the rows ``frame_of(tables)`` of every newer
        version, and show the notice above it."""
        self._adopted = [(ref, f) for ref, f in self._adopted if ref() is not None and ref().name != explorer.name]
        self._followers.append((weakref.ref(explorer), frame_of))
        self._show_notice(explorer)

    def explorers(self) -> list:
        """The explorers following these tables (those still alive)."""
        return [e for e in (ref() for ref, _ in self._registered()) if e is not None]

    def take_over(self, earlier: "LiveTables") -> None:
        """Follow for ``earlier`` too (the same notebook's tables, opened
        again): it stops polling and reads through these tables from now on;
        its explorers follow these until one of the same name is built
        again; its notice widget, shown on the page, is this one's."""
        earlier.stop()
        vars(earlier).update(_tables=self)
        self._adopted = [*self._adopted, *earlier._registered()]
        vars(earlier).update(_followers=[], _adopted=[])
        text, self.notice = self.notice.value, earlier.notice
        self.notice.value = text
        for explorer in self.explorers():
            self._show_notice(explorer)

    def _registered(self) -> list:
        return [*self._followers, *self._adopted]

    def _show_notice(self, explorer) -> None:
        if self.notice not in explorer.widget.children:
            explorer.widget.children = (self.notice, *explorer.widget.children)

    # -- one step -----------------------------------------------------------

    def changed(self) -> Path | None:
        """The folder of the version the pointer names when it is not the one
        seen last (shown or failed), else None; None too when the pointer
        (or the build folder) is gone or unreadable, and once taken over
        (``take_over``).  Reads one small file."""
        from zzdata.store import current_folder

        if isinstance(self._tables, LiveTables):  # taken over: the newer follower polls
            return None
        try:
            folder = current_folder(self.build)
        except (FileNotFoundError, OSError):
            return None
        if folder == self.build or folder.name == self.seen:
            return None
        return folder

    def load(self, folder: Path) -> tuple[object, list]:
        """A version's tables and, for each follower, its new rows; the tables
        read so far are read now, so a damaged version fails here, not in a
        chart later.  Touches no widget (runs in a worker thread)."""
        import zzdata as zz

        tables = zz.Tables.read(folder)
        for name in _loaded(self._tables):
            getattr(tables, name)
        return tables, [(ref, frame_of(tables)) for ref, frame_of in self._registered()]

    def apply(self, name: str, loaded: tuple[object, list]) -> int:
        """Show the loaded version: new tables, each explorer its new rows,
        the notice updated.  Returns how many explorers were redrawn."""
        tables, frames = loaded
        done = {id(ref) for ref, _ in frames}
        late = [(ref, frame_of(tables)) for ref, frame_of in self._registered() if id(ref) not in done]  # built meanwhile
        frames = [(ref, frame) for ref, frame in frames if any(ref is r for r, _ in self._registered())]  # replaced meanwhile
        vars(self).update(_tables=tables, version=name, seen=name)
        redrawn, broken = 0, 0
        for ref, frame in [*frames, *late]:
            explorer = ref()
            try:
                if explorer is not None:
                    explorer.replace_frame(frame)
                    redrawn += 1
            except Exception:  # noqa: BLE001 - one explorer that cannot redraw does not stop the others
                broken += 1
        self._followers = [(ref, f) for ref, f in self._followers if ref() is not None]
        self._adopted = [(ref, f) for ref, f in self._adopted if ref() is not None]
        trouble = f"（{broken} 个筛选表未能更新，请重新打开本页）" if broken else ""
        self.notice.value = self._line("已更新到{shown}：筛选表已换用新数据；其他图表重新打开本页后更新。" + trouble)
        return redrawn

    def fail(self, name: str, error: BaseException) -> None:
        """A version that cannot be read: keep the tables shown, say so once."""
        self.seen = name
        reason = html.escape(f"{type(error).__name__}: {error}"[:300], quote=True)
        self.notice.value = (
            f'<span class="{CSS_CLASS}-failed" title="{reason}">{html.escape(version_label(name))}读取失败，'
            f"仍显示{html.escape(self._shown())}的数据。</span>"
        )

    def poll(self) -> bool:
        """One step, all in this thread: is a newer version published? Then
        show it (or say it failed).  True when the explorers were given new
        rows."""
        folder = self.changed()
        if folder is None:
            return False
        try:
            self.apply(folder.name, self.load(folder))
        except Exception as error:  # noqa: BLE001 - any damage: the old tables stay, the notice says why
            self.fail(folder.name, error)
            return False
        return True

    # -- in a kernel --------------------------------------------------------

    def start(self, every: float = POLL_SECONDS) -> bool:
        """Poll every ``every`` seconds on the running kernel's asyncio loop
        and show the notice; False (nothing started) outside a kernel."""
        from IPython.display import display

        from .widgets import _in_kernel

        try:
            loop = asyncio.get_running_loop() if _in_kernel() else None
        except RuntimeError:
            loop = None
        if loop is None:
            return False
        earlier = _FOLLOWING.get(self.build.resolve())
        if earlier is not None and earlier is not self:
            self.take_over(earlier)
        _FOLLOWING[self.build.resolve()] = self
        self.stop()
        self.task = loop.create_task(self._run(every))
        display(self.notice)
        return True

    def stop(self) -> None:
        """Stop polling."""
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def _run(self, every: float) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(every)
            folder = self.changed()
            if folder is None:
                continue
            try:
                self.apply(folder.name, await loop.run_in_executor(None, self.load, folder))
            except Exception as error:  # noqa: BLE001 - said in the notice, once per version; polling goes on
                self.fail(folder.name, error)

    def _shown(self) -> str:
        return version_label(self.version) if self.version else "由 data/ 中的版面直接生成的表"

    def _line(self, template: str) -> str:
        return f"<span>{html.escape(template.format(shown=self._shown()))}</span>"
