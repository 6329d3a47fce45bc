"""Releases: what the town's sensors record about the people in it.

One module per release. Each takes the ground-truth stays of a block of people
and returns an Arrow table in the release's own pseudonym space:

- :mod:`lab.observe.gps`: an app logging location while in use;
- :mod:`lab.observe.cdr`: an operator's call detail records at the serving tower;
- :mod:`lab.observe.sightings`: face-recognition cameras matched to the registry;
- :mod:`lab.observe.checkins`: public posts naming places.

:mod:`lab.observe.trace` locates people at any instant; :mod:`lab.observe.keys`
holds the pseudonym answer key.
"""
