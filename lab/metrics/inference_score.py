"""How well an attribute inference did, against the registry and the base rate.

An inference (:func:`lab.attacks.sensitive.infer_attribute`) predicts an
attribute, such as the fictional community, for some of a release's
pseudonyms. Accuracy alone flatters it: when one community holds 40 % of the
people, guessing it for everyone is right 40 % of the time. So the accuracy on
the pseudonyms that got a prediction is reported beside the coverage (how many
got one), the base rate (the accuracy of guessing the most common class for
the same pseudonyms) and the lift (accuracy over base rate).

References
----------
.. [1] Gambs, S., Killijian, M.-O., & del Prado Cortez, M. N. (2010). Show me
   how you move and I will tell you who you are. *ACM SIGSPATIAL SPRINGL*, 34–41.
.. [2] Krumm, J. (2007). Inference attacks on location tracks. *Pervasive
   Computing*, LNCS 4480, 127–143.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "attribute_accuracy",
    "attribute_truth",
]


def attribute_accuracy(predictions: pd.DataFrame, truth: pd.Series) -> dict[str, float | int | str | None]:
    """Accuracy of predicted attributes on the pseudonyms covered, with coverage and base rate.

    Parameters
    ----------
    predictions : pandas.DataFrame
        pseudonym, prediction (missing when the attack made none).
    truth : pandas.Series
        The true value, indexed by pseudonym. Pseudonyms of ``predictions``
        without a true value are left out.

    Returns
    -------
    dict
        ``n`` (pseudonyms evaluated), ``covered`` (with a prediction),
        ``coverage`` (covered / n), ``accuracy`` (correct / covered),
        ``majority`` (most common true class among the covered; ties to the
        first in sorted order), ``base_rate`` (its share among the covered: the
        accuracy of always guessing it) and ``lift`` (accuracy / base_rate).
        Ratios are NaN when nothing is covered.

    Examples
    --------
    >>> import pandas as pd
    >>> pred = pd.DataFrame({"pseudonym": ["a", "b", "c", "d"], "prediction": ["X", "Y", "Y", None]})
    >>> truth = pd.Series({"a": "X", "b": "Y", "c": "X", "d": "X"})
    >>> r = attribute_accuracy(pred, truth)
    >>> r["coverage"], round(r["accuracy"], 3), round(r["base_rate"], 3), r["lift"]
    (0.75, 0.667, 0.667, 1.0)
    """
    missing = [c for c in ("pseudonym", "prediction") if c not in predictions.columns]
    if missing:
        raise ValueError(f"predictions is missing column(s) {', '.join(missing)}")
    if not isinstance(truth, pd.Series):
        raise ValueError("truth must be a pandas Series of true values indexed by pseudonym, "
                         f"got {type(truth).__name__}")
    if truth.index.has_duplicates:
        raise ValueError("truth has several values for one pseudonym; give one value per pseudonym")
    pred = predictions.drop_duplicates("pseudonym")
    true = truth.reindex(pred["pseudonym"].to_numpy())
    known = true.notna().to_numpy()
    pred, true = pred.loc[known], true.loc[known]
    if len(pred) == 0:
        raise ValueError("no pseudonym of the predictions has a true value: nothing to score")
    covered = pred["prediction"].notna().to_numpy()
    n, n_cov = len(pred), int(covered.sum())
    if n_cov == 0:
        return {"n": n, "covered": 0, "coverage": 0.0, "accuracy": float("nan"), "majority": None,
                "base_rate": float("nan"), "lift": float("nan")}
    guess = pred["prediction"].to_numpy()[covered]
    actual = true.to_numpy()[covered]
    accuracy = float(np.mean(guess == actual))
    counts = pd.Series(actual).value_counts().sort_index(kind="stable")
    majority = counts.idxmax()
    base_rate = float(counts.max() / n_cov)
    return {"n": n, "covered": n_cov, "coverage": n_cov / n, "accuracy": accuracy, "majority": majority,
            "base_rate": base_rate, "lift": accuracy / base_rate}


def attribute_truth(people: pd.DataFrame, keys: pd.DataFrame, release: str, *,
                    attribute: str = "community") -> pd.Series:
    """A registry attribute per pseudonym of a release, through the keys.

    Parameters
    ----------
    people : pandas.DataFrame
        person_id and ``attribute`` (the registry).
    keys : pandas.DataFrame
        release, pseudonym, person_id.
    release : str
        Release name, e.g. ``"gps"``.
    attribute : str, default "community"
        Registry column.

    Returns
    -------
    pandas.Series
        The attribute, indexed by the release's pseudonyms, named ``attribute``.
    """
    if attribute not in people.columns:
        raise ValueError(f"people has no column {attribute!r}")
    if not (keys["release"] == release).any():
        raise ValueError(f"the keys have no release named {release!r}")
    k = keys.loc[keys["release"] == release, ["pseudonym", "person_id"]]
    both = k.merge(people[["person_id", attribute]], on="person_id", how="inner")
    return pd.Series(both[attribute].to_numpy(), index=pd.Index(both["pseudonym"].to_numpy(), name="pseudonym"),
                     name=attribute)
