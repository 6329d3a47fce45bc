"""Tests for lab.errors: every error a user's input can cause is one family."""

from __future__ import annotations

import pandas as pd
import pytest

from lab.errors import InputError


def test_every_bad_input_error_is_an_input_error():
    """Scenario, release, output and integrity errors all derive from InputError, itself a ValueError."""
    from lab.attacks.traces import ReleaseError
    from lab.output import OutputError
    from lab.store import IntegrityError
    from lab.synth.scenario import ScenarioError

    for cls in (ScenarioError, ReleaseError, OutputError, IntegrityError):
        assert issubclass(cls, InputError), cls.__name__
    assert issubclass(InputError, ValueError)


def test_raised_bad_input_is_caught_as_input_error():
    """What the library raises for a bad scenario name or a bad release is caught by `except InputError`."""
    from lab.attacks.traces import check_release
    from lab.synth.scenario import load_scenario

    with pytest.raises(InputError, match="unknown scenario 'atlantis'"):
        load_scenario("atlantis")
    with pytest.raises(InputError, match="missing column"):
        check_release(pd.DataFrame({"pseudonym": ["a"]}))
