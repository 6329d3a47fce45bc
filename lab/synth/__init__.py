"""The fictional world's truth: scenario, town, registry of people, and their movements.

- :mod:`~lab.synth.scenario`: scenarios (TOML shipped as package data) read into a frozen :class:`Scenario`
- :mod:`~lab.synth.names`: the fictional names, read from Faker's tables (Faker's one home)
- :mod:`~lab.synth.city`: districts, places, towers and cameras of an island town in open ocean
- :mod:`~lab.synth.people`: the registry (ids, names, birth dates, communities, homes, employers)
- :mod:`~lab.synth.movement`: jump lengths, exploration and preferential return
- :mod:`~lab.synth.routines`: the ground-truth visits, day by day

Nothing here may be imported by an attack or a mitigation: it is what they must not see.
"""
