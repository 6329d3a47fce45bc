"""Attacks: what an adversary learns from a release.

Each module is one attack, reading a release (and the auxiliary knowledge its
threat model grants) but never the ground truth or the answer key:

- :mod:`~lab.attacks.unicity` — how many pseudonyms p points single out;
- :mod:`~lab.attacks.population` — unicity against the size of the crowd;
- :mod:`~lab.attacks.prudence` — background-knowledge attacks (location, sequence,
  time, frequency, probability, proportion, home-work);
- :mod:`~lab.attacks.home_work` — home and work inference, (home, work) anonymity sets;
- :mod:`~lab.attacks.top_locations` — uniqueness of the top-N locations;
- :mod:`~lab.attacks.linkage` — linking to named auxiliary points and across releases;
- :mod:`~lab.attacks.sensitive` — visits to sensitive places, inferred attributes;
- :mod:`~lab.attacks.recovery` — trajectories rebuilt from aggregate counts;
- :mod:`~lab.attacks.membership` — membership inference on aggregates;
- :mod:`~lab.attacks.report` — the risk report of one release.

:mod:`~lab.attacks.traces` checks and encodes releases and draws populations;
:mod:`~lab.attacks.instances` counts background-knowledge instances exactly;
:mod:`~lab.attacks.keyed` makes random draws that depend on what they are for, not on row
order, so :mod:`~lab.attacks.on_dask` (unicity and the location attack on a Dask cluster,
partition by partition) gives the in-memory engine's answers.
"""
