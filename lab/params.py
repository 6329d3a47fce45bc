"""Privacy parameters: validated in plain language, with a warning when protection is weak.

Every mitigation checks its parameters here, so a student who passes ``epsilon=0``
or ``k=1`` gets a sentence saying why that cannot protect anyone rather than a
silent no-op. :class:`LeakWarning` fires when a protection is configured from
the data itself (a bound or scale read off the release leaks the release) or is
switched off.

A LeakWarning is shown every time it fires, not once per line of code as
Python shows other warnings: a student who runs the same weak setting in a loop
or a notebook cell twice sees it each time. Importing this module appends one
filter for the category (as diffprivlib does for its PrivacyLeakWarning);
other categories are untouched, and any filter of your own for LeakWarning
(``warnings.simplefilter("ignore", LeakWarning)``, ``-W error``) takes precedence.
The warning points at the first line of code outside the ``lab`` package, the
line that chose the setting.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
import warnings

from lab.errors import ParameterError

__all__ = ["LeakWarning", "warn_leak", "check_epsilon", "check_delta", "check_k", "check_positive", "check_share",
           "check_whole"]


class LeakWarning(UserWarning):
    """A protection that is switched off, or configured from the data it protects."""


# Shown every time: appended, so any filter set before or after for it (or for all warnings) comes first
# and only Python's default "once per line of code" is replaced. warn_leak also keeps no memory of past
# warnings, so a filter list swapped by warnings.catch_warnings (as pytest does) cannot bring that rule back.
warnings.filterwarnings("always", category=LeakWarning, append=True)

#: Folder of the ``lab`` package: frames here are the library's, not the caller's.
_PACKAGE_DIR = os.path.normcase(os.path.dirname(os.path.abspath(__file__))) + os.sep


def warn_leak(message: str, *, stacklevel: int | None = None) -> None:
    """Emit a :class:`LeakWarning`.

    Parameters
    ----------
    message : str
        What was read off the data or switched off, and what to pass instead.
    stacklevel : int, optional
        As in :func:`warnings.warn`. By default the warning points at the first
        frame outside the ``lab`` package, however deep inside it the check ran.
    """
    try:
        frame = sys._getframe(1 if stacklevel is None else max(stacklevel, 1) - 1)
    except ValueError:  # a stack shallower than asked: let warnings.warn place it
        warnings.warn(message, LeakWarning, stacklevel=1)
        return
    if stacklevel is None:
        while frame.f_back is not None and os.path.normcase(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
            frame = frame.f_back
    # registry=None: no record of earlier warnings from this line, so none is ever swallowed as a repeat;
    # the filters (ignore, error) still apply.
    warnings.warn_explicit(message, LeakWarning, frame.f_code.co_filename, frame.f_lineno,
                           module=frame.f_globals.get("__name__", "<string>"), registry=None)


def check_epsilon(epsilon: float, *, name: str = "epsilon") -> float:
    """A privacy-loss parameter: a positive finite number; large values draw a warning.

    ``float("inf")`` is accepted with a :class:`LeakWarning`: it switches the noise off.
    """
    try:
        eps = float(epsilon)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number, got {epsilon!r}") from None
    if math.isnan(eps) or eps <= 0:
        raise ParameterError(f"{name} must be a positive number: it bounds how much one person can change what is "
                         f"released, and {epsilon!r} cannot; smaller means more private")
    if math.isinf(eps):
        warn_leak(f"{name}=inf adds no noise: the release is unprotected")
    elif eps > 10:
        warn_leak(f"{name}={eps:g} gives almost no protection (an adversary's odds can grow by e^{eps:g})")
    return eps


def check_delta(delta: float, *, n: int | None = None) -> float:
    """A failure probability in [0, 1); one above 1/n draws a warning."""
    d = float(delta)
    if not 0 <= d < 1:
        raise ParameterError(f"delta is a probability of failure and must lie in [0, 1), got {delta!r}")
    if n and d >= 1 / n:
        warn_leak(f"delta={d:g} is at least 1/n (n={n}): the mechanism may publish someone's data outright")
    return d


def check_k(k: int, *, name: str = "k") -> int:
    """A group size: a whole number >= 1; ``k=1`` draws a warning (no protection)."""
    if isinstance(k, bool) or (not isinstance(k, (int,)) and not (hasattr(k, "__index__"))):
        raise ParameterError(f"{name} must be a whole number of people, got {k!r}")
    k = int(k)
    if k < 1:
        raise ParameterError(f"{name} must be at least 1 (it is the smallest group anyone hides in), got {k}")
    if k == 1:
        warn_leak(f"{name}=1 hides no one: every group of one is already allowed")
    return k


def check_positive(value: float, *, name: str, unit: str = "") -> float:
    """A strictly positive finite number, such as a cell size in metres."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name} must be a number{(' of ' + unit) if unit else ''}, got {value!r}") from None
    if not (v > 0 and math.isfinite(v)):
        raise ParameterError(f"{name} must be a positive number{(' of ' + unit) if unit else ''}, got {value!r}")
    return v


def check_whole(value: int, *, name: str, meaning: str, minimum: int = 1) -> int:
    """A whole number of at least ``minimum``, such as a number of points or of bootstrap draws.

    Python and numpy integers are accepted; a bool, a float (even ``2.0``) or a
    string is refused with a sentence naming the parameter.

    Examples
    --------
    >>> check_whole(3, name="p", meaning="the number of points the adversary knows")
    3
    >>> check_whole(True, name="p", meaning="the number of points the adversary knows")
    Traceback (most recent call last):
    ...
    lab.errors.ParameterError: p is the number of points the adversary knows and must be a whole number >= 1, got True
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ParameterError(f"{name} is {meaning} and must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def check_share(value: float, *, name: str) -> float:
    """A share in [0, 1]."""
    v = float(value)
    if not 0 <= v <= 1:
        raise ParameterError(f"{name} is a share and must lie in [0, 1], got {value!r}")
    return v
