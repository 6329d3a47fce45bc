"""Rewrite the golden fingerprints after a deliberate change to the generator.

Run ``python -m tests.golden`` from the repository root, then review the diff.

The fingerprints also depend on Faker's en_US name tables (``lab.synth.names``
samples them directly), so ``pyproject.toml`` bounds Faker to the major version
the fingerprints were made with (``faker>=40.63,<41``). To move to a new Faker:

1. raise the bound in ``pyproject.toml`` (for example ``faker>=41.2,<42``) and
   install it (``pip install -e '.[test]'``);
2. run ``python -m tests.golden``;
3. review the diff of ``tests/golden/classroom_seed7.json`` and the generated
   names, then run the whole suite. New tables change names, and a table of a
   different length can shift later random draws, so more than the people and
   places may change; the realism and attack tests must still pass.

If a minor Faker release changes the tables within the bound, the golden test
fails the same way; re-pin as above, tightening the lower bound.
"""

import json
from pathlib import Path

from lab.synth.scenario import load_scenario
from lab.world import generate_world, world_fingerprints

path = Path(__file__).parent / "classroom_seed7.json"
prints = world_fingerprints(generate_world(load_scenario("classroom"), 7))
path.write_text(json.dumps(prints, indent=1, sort_keys=True) + "\n")
print(f"wrote {path}")
