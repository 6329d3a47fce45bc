"""The risk engine on Dask: unicity and the location attack over partitioned Parquet.

The same measures as :mod:`lab.attacks.unicity` and :func:`lab.attacks.prudence.location_attack`,
computed partition by partition on a dask.distributed cluster, so a release larger than one
machine's memory is never loaded into one process. The answers equal the in-memory engine's for
the same seed: points are numbered by the same rule (:mod:`~lab.attacks.on_dask.release`) and the
random draws are keyed on what they are drawn for (:mod:`lab.attacks.keyed`), not on where a row sits.

- :mod:`~lab.attacks.on_dask.release` — read, check and number a release; whole pseudonyms per partition;
- :mod:`~lab.attacks.on_dask.unicity` — ε_p for sampled targets (a broadcast of their points) or for
  every pseudonym (joins shuffled on point keys);
- :mod:`~lab.attacks.on_dask.location` — the location attack (instances counted by a shuffle on their keys);
- :mod:`~lab.attacks.on_dask.report` — what ``privacy-lab risk --engine dask`` prints.
"""
