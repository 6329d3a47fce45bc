"""What the lessons share: self-checks for "your turn" exercises and the paper-vs-town table.

Running a lesson in a real kernel lives in :mod:`lab.course.execute` (imported on its own: it
brings in nbformat and nbclient, which a lesson does not need).
"""

from lab.course.checks import CheckFailed, check, matches
from lab.course.comparison import paper_vs_town

__all__ = ["CheckFailed", "check", "matches", "paper_vs_town"]


def __getattr__(name: str):
    """``execute_notebook`` and ``read_notebook`` load :mod:`lab.course.execute` when first asked for."""
    if name in ("execute_notebook", "read_notebook"):
        from lab.course import execute

        return getattr(execute, name)
    raise AttributeError(f"module 'lab.course' has no attribute {name!r}")
