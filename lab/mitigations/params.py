"""Privacy parameters: validated in plain language, with a warning when protection is weak.

Every mitigation checks its parameters here, so a student who passes ``epsilon=0``
or ``k=1`` gets a sentence saying why that cannot protect anyone rather than a
silent no-op. :class:`LeakWarning` fires when a protection is configured from
the data itself (a bound or scale read off the release leaks the release) or is
switched off.
"""

from __future__ import annotations

import math
import warnings

__all__ = ["LeakWarning", "warn_leak", "check_epsilon", "check_delta", "check_k", "check_positive", "check_share"]


class LeakWarning(UserWarning):
    """A protection that is switched off, or configured from the data it protects."""


def warn_leak(message: str, *, stacklevel: int = 3) -> None:
    """Emit a :class:`LeakWarning` pointing at the caller's caller."""
    warnings.warn(message, LeakWarning, stacklevel=stacklevel)


def check_epsilon(epsilon: float, *, name: str = "epsilon") -> float:
    """A privacy-loss parameter: a positive finite number; large values draw a warning.

    ``float("inf")`` is accepted with a :class:`LeakWarning`: it switches the noise off.
    """
    try:
        eps = float(epsilon)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {epsilon!r}") from None
    if math.isnan(eps) or eps <= 0:
        raise ValueError(f"{name} must be a positive number: it bounds how much one person can change what is "
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
        raise ValueError(f"delta is a probability of failure and must lie in [0, 1), got {delta!r}")
    if n and d >= 1 / n:
        warn_leak(f"delta={d:g} is at least 1/n (n={n}): the mechanism may publish someone's data outright")
    return d


def check_k(k: int, *, name: str = "k") -> int:
    """A group size: a whole number >= 1; ``k=1`` draws a warning (no protection)."""
    if isinstance(k, bool) or not isinstance(k, (int,)) and not (hasattr(k, "__index__")):
        raise ValueError(f"{name} must be a whole number of people, got {k!r}")
    k = int(k)
    if k < 1:
        raise ValueError(f"{name} must be at least 1 (it is the smallest group anyone hides in), got {k}")
    if k == 1:
        warn_leak(f"{name}=1 hides no one: every group of one is already allowed")
    return k


def check_positive(value: float, *, name: str, unit: str = "") -> float:
    """A strictly positive finite number, such as a cell size in metres."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number{(' of ' + unit) if unit else ''}, got {value!r}") from None
    if not (v > 0 and math.isfinite(v)):
        raise ValueError(f"{name} must be a positive number{(' of ' + unit) if unit else ''}, got {value!r}")
    return v


def check_share(value: float, *, name: str) -> float:
    """A share in [0, 1]."""
    v = float(value)
    if not 0 <= v <= 1:
        raise ValueError(f"{name} is a share and must lie in [0, 1], got {value!r}")
    return v
