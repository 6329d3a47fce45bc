"""Rewrite the golden fingerprints after a deliberate change to the generator.

Run ``python -m tests.golden`` from the repository root, then review the diff.
"""

import json
from pathlib import Path

from lab.synth.scenario import load_scenario
from lab.world import generate_world, world_fingerprints

path = Path(__file__).parent / "classroom_seed7.json"
prints = world_fingerprints(generate_world(load_scenario("classroom"), 7))
path.write_text(json.dumps(prints, indent=1, sort_keys=True) + "\n")
print(f"wrote {path}")
