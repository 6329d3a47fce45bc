"""Progress of long work, shown on stderr: "step i of n", elapsed time and an estimate of what is left.

Library functions that run for more than a few seconds take a ``progress``
argument of type :class:`Progress`: a function that wraps the iterable of their
steps and yields the same items. They never print themselves, so a notebook or
a test sees nothing unless it asks. :func:`steps` is the implementation the
command line passes (a tqdm bar on stderr, switched off by ``-q``)::

    def tradeoff(release, *, progress: Progress | None = None):
        todo = settings
        if progress is not None:
            todo = progress(todo, total=len(settings), desc="trade-off", unit="setting",
                            label=lambda s: f"{s.mitigation} {s.setting}")
        for s in todo:
            ...

Standard output keeps the results only: progress never goes there, and nothing
about timing is written into a data file.

Examples
--------
>>> [x * 2 for x in steps(range(3), total=3, desc="doubling", enabled=False)]
[0, 2, 4]
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

__all__ = ["Progress", "steps"]

T = TypeVar("T")


class Progress(Protocol):
    """Wraps the steps of a long computation and yields them unchanged, reporting as they go.

    Called as ``progress(iterable, total=n, desc="what", unit="step", label=fn)``;
    ``label(item)`` names the step about to run (shown beside the count).
    """

    def __call__(self, iterable: Iterable[T], *, total: int | None = None, desc: str = "", unit: str = "step",
                 label: Callable[[T], str] | None = None) -> Iterable[T]: ...


def steps(iterable: Iterable[T], *, total: int | None = None, desc: str = "", unit: str = "step",
          label: Callable[[T], str] | None = None, enabled: bool = True) -> Iterator[T]:
    """Yield the items of ``iterable``, showing a progress bar on stderr while they are worked on.

    The bar reads ``desc: 3/9 step [00:40<01:20, unicity p=4]``: items done, total,
    elapsed time, estimated time left and the current item's label. On a
    terminal it is one rewritten line; when stderr is a file or a pipe it is
    redrawn at most every 30 seconds, so logs stay short.

    Parameters
    ----------
    iterable : iterable
        The steps.
    total : int, optional
        Number of steps (default: ``len(iterable)`` when it has one).
    desc : str
        What is being done, shown first.
    unit : str
        What a step is ("block", "setting").
    label : callable, optional
        ``label(item)`` names the step about to run.
    enabled : bool
        ``False`` yields the items and shows nothing (``-q/--quiet``).

    Yields
    ------
    The items of ``iterable``, unchanged.
    """
    if not enabled:
        yield from iterable
        return
    from tqdm import tqdm

    if total is None and hasattr(iterable, "__len__"):
        total = len(iterable)
    tty = sys.stderr.isatty()
    every = 0.5 if tty else 30.0
    # The bar is drawn here, never by tqdm on its own, so what it shows always holds together:
    # the steps done and the label of the step under way.
    with tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=tty, mininterval=every,
              leave=True) as bar:
        last = time.monotonic()

        def draw(force: bool = False) -> None:
            nonlocal last
            now = time.monotonic()
            if force or now - last >= every:
                bar.refresh()
                last = now

        for item in iterable:
            if label is not None:
                bar.set_postfix_str(label(item), refresh=False)
                draw(force=tty)
            yield item
            bar.n += 1
            if label is None:
                draw()
