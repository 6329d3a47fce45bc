"""Bad input: the one family of errors a user causes by what they give.

A scenario that cannot describe a town (:class:`lab.synth.scenario.ScenarioError`),
a release that cannot be read (:class:`ReleaseError`), a parameter that
cannot be used (:class:`ParameterError`), an
output that cannot be written (:class:`lab.output.OutputError`), a world whose
files no longer match its manifest (:class:`lab.store.IntegrityError`): each
derives from :class:`InputError`. ``privacy-lab`` reports these in one line with
exit status 2; any other exception is a bug in the lab and keeps its traceback.

Examples
--------
>>> from lab.errors import InputError
>>> from lab.synth.scenario import ScenarioError
>>> issubclass(ScenarioError, InputError) and issubclass(InputError, ValueError)
True
"""

from __future__ import annotations

__all__ = ["InputError", "ParameterError", "ReleaseError"]


class InputError(ValueError):
    """A value, file or option given by the user that cannot be used; the message says which and why."""


class ParameterError(InputError):
    """A parameter (a privacy parameter, a cell size, a slot length...) that cannot be used, said in plain words."""


class ReleaseError(InputError):
    """A release that cannot be read without risking a wrong answer (a missing column, NaN, naive times)."""
