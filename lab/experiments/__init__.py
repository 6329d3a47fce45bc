"""Experiments: mitigations × attacks × utility, one row per setting.

The last stage before what people look at. :mod:`~lab.experiments.tradeoff`
protects a release of traces with every mitigation at several strengths and
measures, on each protected release, what an adversary still learns and what
an analyst still has; :mod:`~lab.experiments.counts` does the same for
publishing counts instead of traces. Every attack in a row runs on the very
release that row publishes.
"""
