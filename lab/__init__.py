"""Location Privacy Lab: a fictional town, its data releases, and the attacks and
mitigations that show what location data gives away.

The pipeline runs one way::

    lab.synth -> lab.observe -> lab.mitigations -> lab.attacks -> lab.metrics

Only :mod:`lab.metrics` reads the ground truth.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("location-privacy-lab")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0"

__all__ = ["__version__"]
