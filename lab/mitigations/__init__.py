"""Mitigations: protections a data holder applies before a release.

Pure functions, release → release (or → counts), composable; none mutates its
input, and those that keep rows keep their index labels so before and after
align. Parameters are validated by :mod:`~lab.params`, which also
defines :class:`~lab.params.LeakWarning`.

- :mod:`~lab.mitigations.minimise` — pseudonym rotation, dropping sensitive places,
  truncation, subsampling;
- :mod:`~lab.mitigations.coarsen` — grid snapping, merged towers, time bins;
- :mod:`~lab.mitigations.aggregate`, :mod:`~lab.mitigations.suppress` — counts per
  cell and slot, small-count suppression, the differencing warning;
- :mod:`~lab.mitigations.kanon_qi`, :mod:`~lab.mitigations.kanon_traj` — k-anonymity
  of quasi-identifiers and of trajectories;
- :mod:`~lab.mitigations.geoind` — geo-indistinguishability (planar Laplace);
- :mod:`~lab.mitigations.domain`, :mod:`~lab.mitigations.ledger`,
  :mod:`~lab.mitigations.dp` — differentially private counts and their budget.
"""

from lab.params import LeakWarning

__all__ = ["LeakWarning"]
