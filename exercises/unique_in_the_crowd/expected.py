"""Reference answers, computed from each student's own world at grading time (the solution's computations)."""

import pandas as pd

from lab.attacks.unicity import fit_coarsening_law, unicity
from lab.mitigations.coarsen import merge_towers


def _cdr(world):
    return world.releases["cdr"]


def eps_by_p(world):
    return [unicity(_cdr(world), p=p, space="tower_id", hours=1, rng=0).share for p in (1, 2, 3, 4)]


def skipped4(world):
    return unicity(_cdr(world), p=4, space="tower_id", hours=1, rng=0).skipped


def eps_towers(world):
    return [unicity(_cdr(world), p=p, space="tower_id", hours=None, rng=0).share for p in range(1, 7)]


def p_75(world):
    return next(p for p, e in zip(range(1, 7), eps_towers(world)) if e >= 0.75)


def eps1_rare(world):
    return unicity(_cdr(world), p=1, space="tower_id", hours=1, strategy="rare", rng=0).share


def _sweep(world):
    cdr, rows = _cdr(world), []
    for factor in (1, 2, 4, 8):
        merged = cdr if factor == 1 else merge_towers(cdr, factor=factor)
        for hours in (1, 2, 4, 8):
            share = unicity(merged, p=2, space="tower_id", hours=hours, rng=0).share
            rows.append({"p": 2, "factor": factor, "hours": hours, "scale": factor * hours, "share": share})
    return pd.DataFrame(rows)


def beta2(world):
    return float(fit_coarsening_law(_sweep(world))["exponent"].iloc[0])


def eps2_coarsest(world):
    sweep = _sweep(world)
    return float(sweep.loc[(sweep["factor"] == 8) & (sweep["hours"] == 8), "share"].iloc[0])
