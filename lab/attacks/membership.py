"""Membership inference on aggregate location data: was this person in the crowd?

A data holder publishes, for a group of people, the number of distinct people
seen in each grid cell during each time slot ("footfall"). The adversary knows
the traces of a set of candidate users (or of a superset of the group) and
wants to know whether one target user is among the people counted.

Pyrgelis, Troncoso and De Cristofaro cast this as a distinguishability game:
the challenger draws groups of ``m`` users, with the target (label 1) or
without (label 0), aggregates them and shows the adversary the counts; the
adversary, who can play the same game on its prior knowledge as often as it
likes, trains a classifier to tell the two apart. The attack is as good as the
area under the ROC curve (AUC) of that classifier on fresh aggregates: 0.5 is a
coin flip, 1 means membership is certain.

Two adversaries are built here:

``"logistic"``
    The paper's: a per-target L2-regularised logistic regression (fitted with
    L-BFGS) on features of training aggregates: the raw vector of counts per
    (cell, slot), per-cell summary statistics over time (mean, standard
    deviation, minimum, maximum, median), or both.
``"correlation"``
    A matched filter needing no training: the target's own series, centred
    on the population mean, correlated with the centred aggregate, each
    (cell, slot) weighted by the inverse of its count variance. Under a
    Gaussian approximation of the counts this is the log-likelihood ratio of
    "in" against "out", up to a constant.

A defence is measured by running the game on what the defence publishes: pass
``mechanism``, the very function a data holder would run on a group's traces
(small-count suppression, differentially private counts, ...), and every
aggregate the adversary sees, training ones included, is that function's
output. The mechanism is public, only its randomness is secret; an adversary
who knows the noise scale can say so with ``noise_scale``, which only weights
the correlation test.

References
----------
.. [1] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
   Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
.. [2] Mann, H. B., Whitney, D. R. (1947). On a test of whether one of two
   random variables is stochastically larger than the other. Annals of
   Mathematical Statistics 18(1), 50-60.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Sequence
from numbers import Real

import numpy as np
import pandas as pd
from scipy import linalg, optimize, sparse, special, stats

from lab.attacks.traces import check_release
from lab.grid import cell_slots

__all__ = [
    "METHODS",
    "FEATURES",
    "UserSeries",
    "MembershipResult",
    "user_series",
    "draw_groups",
    "aggregate_groups",
    "publish_groups",
    "auc",
    "membership_game",
    "membership_auc",
]

#: The adversaries :func:`membership_game` knows.
METHODS = ("logistic", "correlation")
#: The feature sets the logistic adversary can use.
FEATURES = ("raw", "summary", "both")

#: A data holder's publication: a group's traces in, counts (cell, slot, count) out.
Mechanism = Callable[[pd.DataFrame], pd.DataFrame]
#: What the adversary is shown for groups of users: ``n_groups × m`` row numbers in,
#: ``n_groups × (cells · slots)`` published counts out.
Publisher = Callable[[np.ndarray], np.ndarray]


@dataclasses.dataclass(frozen=True)
class UserSeries:
    """Each user's presence per (cell, slot): the adversary's prior knowledge.

    ``matrix[u, j]`` is 1 when user ``u`` was seen in column ``j`` at least once.
    Columns are cell-major: column ``j`` is cell ``j // n_slots``, slot ``j % n_slots``.
    """

    matrix: sparse.csr_matrix   #: users × (cells · slots), 0/1
    pseudonyms: np.ndarray      #: pseudonym of each row, sorted
    columns: pd.DataFrame       #: cell (grid id) and slot of each column
    n_slots: int

    @property
    def n_users(self) -> int:
        return self.matrix.shape[0]

    @property
    def n_cells(self) -> int:
        return self.matrix.shape[1] // self.n_slots

    def __iter__(self) -> Iterator:
        """Unpack as ``matrix, pseudonyms, columns``."""
        return iter((self.matrix, self.pseudonyms, self.columns))


@dataclasses.dataclass(frozen=True)
class MembershipResult:
    """The outcome of one target's game: AUC and the adversary's scores on the test aggregates."""

    auc: float
    scores: np.ndarray   #: higher means "the target is in the group"
    labels: np.ndarray   #: 1 where the test group held the target


def user_series(
    release: pd.DataFrame, *, cell_m: float, slot_s: int, origin: tuple[float, float] | None = None,
    start: pd.Timestamp | None = None,
) -> UserSeries:
    """Turn a release into one presence vector per user over (cell, slot).

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon.
    cell_m : float
        Side of the square grid cells in metres.
    slot_s : int
        Length of the time slots in seconds.
    origin, start
        Grid anchor and start of slot 0, as in
        :func:`lab.grid.cell_slots`.

    Returns
    -------
    UserSeries
        Only cells where someone was seen become columns; every slot from
        ``start`` to the last observation does. Summing rows gives
        :func:`lab.mitigations.aggregate.count_by_cell`'s counts.

    Raises
    ------
    ValueError
        A non-positive cell or slot, or observations before ``start``.

    References
    ----------
    .. [1] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
       Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
    """
    check_release(release)
    cs = cell_slots(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    slot = cs["slot"].to_numpy()
    if slot.min() < 0:
        raise ValueError(f"{int((slot < 0).sum())} observation(s) fall before start={start}; "
                         "choose an earlier start or filter the release first")
    user, pseudonyms = pd.factorize(cs["pseudonym"], sort=True)
    cell, cells = pd.factorize(cs["cell"], sort=True)
    n_slots = int(slot.max()) + 1
    col = cell.astype(np.int64) * n_slots + slot
    matrix = sparse.csr_matrix((np.ones(len(col), dtype=np.float64), (user, col)),
                               shape=(len(pseudonyms), len(cells) * n_slots))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0
    columns = pd.DataFrame({"cell": np.repeat(np.asarray(cells, dtype=np.int64), n_slots),
                            "slot": np.tile(np.arange(n_slots, dtype=np.int64), len(cells))})
    return UserSeries(matrix=matrix, pseudonyms=np.asarray(pseudonyms), columns=columns, n_slots=n_slots)


def draw_groups(
    n_users: int, target: int, *, group_size: int, n: int, rng: np.random.Generator | int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Random groups of ``group_size`` distinct users, half with the target, half without.

    Parameters
    ----------
    n_users : int
        Number of users to draw from (row numbers ``0 .. n_users - 1``).
    target : int
        Row number of the target.
    group_size : int
        Users per group, at most ``n_users - 1``.
    n : int
        Number of groups.
    rng : numpy.random.Generator, int or None

    Returns
    -------
    members : numpy.ndarray
        ``n × group_size`` row numbers; a group with the target has it in its last column.
    labels : numpy.ndarray
        1 for the first ``n // 2`` groups (target in), 0 for the rest.

    References
    ----------
    .. [1] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
       Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
    """
    rng = np.random.default_rng(rng)
    others = np.delete(np.arange(n_users), target)
    keys = rng.random((n, len(others)))
    if group_size < len(others):
        pick = np.argpartition(keys, group_size - 1, axis=1)[:, :group_size]
    else:
        pick = np.argsort(keys, axis=1)
    members = others[pick]
    labels = (np.arange(n) < n // 2).astype(np.int64)
    members[labels == 1, -1] = target
    return members, labels


def aggregate_groups(series: UserSeries, groups: np.ndarray) -> np.ndarray:
    """Counts of distinct users per (cell, slot) for each group: indicator matrix @ series.

    Parameters
    ----------
    series : UserSeries
    groups : numpy.ndarray
        ``n_groups × m`` row numbers of each group's members (distinct within a row).

    Returns
    -------
    numpy.ndarray
        ``n_groups × (cells · slots)`` counts (float).
    """
    groups = np.asarray(groups)
    if groups.ndim != 2 or not np.issubdtype(groups.dtype, np.integer):
        raise ValueError("groups must be a 2-D array of user row numbers (one row per group)")
    if groups.size and (groups.min() < 0 or groups.max() >= series.n_users):
        raise ValueError(f"groups name users outside 0..{series.n_users - 1}")
    ordered = np.sort(groups, axis=1)
    if (ordered[:, 1:] == ordered[:, :-1]).any():
        raise ValueError("a group lists the same user twice; members must be distinct")
    n, m = groups.shape
    indicator = sparse.csr_matrix((np.ones(n * m), (np.repeat(np.arange(n), m), groups.ravel())),
                                  shape=(n, series.n_users))
    return (indicator @ series.matrix).toarray()


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve, from the Mann-Whitney U statistic.

    The probability that a random positive scores above a random negative,
    ties counting one half.

    Parameters
    ----------
    scores : array_like
        Finite scores, higher meaning "positive".
    labels : array_like
        1 (positive) or 0 (negative) per score; both must occur.

    Returns
    -------
    float
        In [0, 1]; 0.5 when the scores carry no information (all tied, for instance).

    References
    ----------
    .. [1] Mann, H. B., Whitney, D. R. (1947). On a test of whether one of two
       random variables is stochastically larger than the other. Annals of
       Mathematical Statistics 18(1), 50-60.
    .. [2] Hanley, J. A., McNeil, B. J. (1982). The meaning and use of the area
       under a receiver operating characteristic (ROC) curve. Radiology 143(1), 29-36.

    Examples
    --------
    >>> auc([0.1, 0.4, 0.4, 0.9], [0, 0, 1, 1])
    0.875
    """
    scores = np.asarray(scores, dtype=float).ravel()
    labels = np.asarray(labels).ravel()
    if scores.shape != labels.shape:
        raise ValueError(f"scores and labels must have the same length, got {scores.size} and {labels.size}")
    if not np.isin(labels, (0, 1)).all():
        raise ValueError("labels must be 0 (negative) or 1 (positive)")
    if not np.isfinite(scores).all():
        raise ValueError("scores must be finite numbers (no NaN or infinity)")
    pos = labels == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError("the AUC needs at least one positive and one negative label")
    ranks = stats.rankdata(scores)  # ties get their average rank
    u = ranks[pos].sum() - n_pos * (n_pos + 1) / 2
    return float(u / (n_pos * n_neg))


def publish_groups(release: pd.DataFrame, series: UserSeries, mechanism: Mechanism) -> Publisher:
    """What a data holder running ``mechanism`` publishes for each group, on the adversary's columns.

    Parameters
    ----------
    release : pandas.DataFrame
        The traces ``series`` was built from.
    series : UserSeries
        The adversary's columns (cell, slot); published keys outside them carry
        nothing the adversary can use and are dropped, missing keys read 0.
    mechanism : callable
        The publication itself, e.g. ``lambda g: suppress_small_counts(count_by_cell(g, ...), k=5)``
        or ``lambda g: dp_counts(g, ...)``: a group's traces in, a table with
        cell, slot and count out, on the same grid and slots as ``series``.

    Returns
    -------
    callable
        ``groups -> counts``: one call of ``mechanism`` per group, on the rows
        of exactly that group's members.
    """
    user = pd.Index(series.pseudonyms).get_indexer(release["pseudonym"].to_numpy())
    if (user < 0).any():
        raise ValueError("the release has pseudonyms the series does not know; build both from the same release")
    order = np.argsort(user, kind="stable")
    bounds = np.searchsorted(user[order], np.arange(series.n_users + 1))
    columns = pd.MultiIndex.from_arrays([series.columns["cell"].to_numpy(), series.columns["slot"].to_numpy()])

    def publish(groups: np.ndarray) -> np.ndarray:
        out = np.zeros((len(groups), len(columns)))
        for i, members in enumerate(np.asarray(groups)):
            first, size = bounds[members], bounds[members + 1] - bounds[members]
            # The members' row ranges, concatenated without a loop over members.
            rows = order[np.repeat(first - np.cumsum(size) + size, size) + np.arange(size.sum())]
            counts = mechanism(release.iloc[np.sort(rows)])
            missing = {"cell", "slot", "count"} - set(counts.columns)
            if missing:
                raise ValueError("the mechanism must return cell, slot and count; "
                                 f"it lacks {', '.join(sorted(missing))}")
            pos = columns.get_indexer(pd.MultiIndex.from_arrays([counts["cell"].to_numpy(), counts["slot"].to_numpy()]))
            keep = pos >= 0
            out[i, pos[keep]] = counts["count"].to_numpy(dtype=float)[keep]
        return out

    return publish


def _features(counts: np.ndarray, *, features: str, n_slots: int) -> np.ndarray:
    """Raw counts, per-cell statistics over time (mean, std, min, max, median), or both."""
    if features == "raw":
        return counts
    cube = counts.reshape(len(counts), -1, n_slots)
    summary = [cube.mean(axis=2), cube.std(axis=2), cube.min(axis=2), cube.max(axis=2), np.median(cube, axis=2)]
    return np.hstack(([counts] if features == "both" else []) + summary)


def _fit_logistic(x: np.ndarray, y: np.ndarray, *, l2: float) -> tuple[np.ndarray, float]:
    """Weights and intercept minimising the summed log-loss plus ``l2 / 2 * |w|^2`` (L-BFGS)."""
    sign = 2.0 * y - 1.0
    d = x.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:d], theta[d]
        margin = -sign * (x @ w + b)
        g = -sign * special.expit(margin)
        value = np.logaddexp(0.0, margin).sum() + 0.5 * l2 * (w @ w)
        return float(value), np.append(x.T @ g + l2 * w, g.sum())

    fit = optimize.minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
    return fit.x[:d], float(fit.x[d])


def _logistic_scores(train: np.ndarray, y: np.ndarray, test: np.ndarray, *, l2: float) -> np.ndarray:
    """Fit an L2-regularised logistic regression on standardised features; return test log-odds.

    With more features than training aggregates the weights lie in the span of
    the training rows, so the fit runs in that span: with ``X X^T = L L^T``
    (Cholesky, a tiny ridge added since centred rows are dependent), ``w = X^T L^-T c``
    gives ``X w = L c`` and ``|w| = |c|``.
    """
    mean, sd = train.mean(axis=0), train.std(axis=0)
    keep = sd > 0
    if not keep.any():
        return np.zeros(len(test))
    x = (train[:, keep] - mean[keep]) / sd[keep]
    x_test = (test[:, keep] - mean[keep]) / sd[keep]
    if x.shape[1] <= x.shape[0]:
        w, b = _fit_logistic(x, y, l2=l2)
        return x_test @ w + b
    gram = x @ x.T
    gram[np.diag_indices_from(gram)] += 1e-9 * np.trace(gram) / len(gram)
    lower = linalg.cholesky(gram, lower=True)
    c, b = _fit_logistic(lower, y, l2=l2)
    return (x_test @ x.T) @ linalg.solve_triangular(lower, c, lower=True, trans="T") + b


def _correlation_scores(series: UserSeries, target: int, test: np.ndarray, *, group_size: int,
                        noise_scale: float) -> np.ndarray:
    """Variance-weighted correlation of the target's centred series with each centred aggregate."""
    n = series.n_users - 1
    x = series.matrix[target].toarray().ravel()
    present = np.asarray(series.matrix.sum(axis=0)).ravel() - x
    mu = (present + 0.5) / (n + 1.0)   # share of the others seen in each column, smoothed away from 0 and 1
    var = group_size * mu * (1.0 - mu) + 2.0 * noise_scale ** 2
    w = (x - mu) / var
    # The centring term is one constant for every aggregate: subtracting it once keeps equal
    # aggregates at exactly equal scores (a matrix product may round rows differently).
    return test @ w - group_size * float(mu @ w)


def _check_game(*, n_users: int, group_size: int, n_train: int, n_test: int, method: str, features: str,
                noise_scale: float, l2: float) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if features not in FEATURES:
        raise ValueError(f"unknown features {features!r}; choose one of {', '.join(FEATURES)}")
    if not (isinstance(group_size, (int, np.integer)) and group_size >= 1):
        raise ValueError(f"group_size must be a whole number of users, at least 1, got {group_size!r}")
    if group_size > n_users - 1:
        raise ValueError(f"group_size {group_size} is larger than the {n_users - 1} other users the adversary "
                         "knows: a group without the target could not be drawn")
    for name, value in (("n_train", n_train), ("n_test", n_test)):
        if not (isinstance(value, (int, np.integer)) and value >= 2):
            raise ValueError(f"{name} must be a whole number of groups, at least 2 (one with the target, "
                             f"one without), got {value!r}")
    if not (isinstance(noise_scale, Real) and np.isfinite(noise_scale) and noise_scale >= 0):
        raise ValueError(f"noise_scale must be a non-negative number (0: the adversary assumes no noise), "
                         f"got {noise_scale!r}")
    if not (isinstance(l2, Real) and np.isfinite(l2) and l2 > 0):
        raise ValueError(f"l2 must be a positive regularisation strength, got {l2!r}")


def membership_game(
    series: UserSeries, target: str, *, group_size: int, n_train: int = 400, n_test: int = 200,
    method: str = "logistic", features: str = "raw", publish: Publisher | None = None, noise_scale: float = 0.0,
    l2: float = 1.0, rng: np.random.Generator | int | None = None,
) -> MembershipResult:
    """Play the distinguishability game for one target and score the adversary.

    Test groups of ``group_size`` users are drawn from the users in ``series``
    (half with the target, half without), published, and scored by the
    adversary; the result's AUC measures how well it tells them apart.

    Parameters
    ----------
    series : UserSeries
        The adversary's prior knowledge, from :func:`user_series`; the groups
        are drawn from its users. Pass a subset of users to model a weaker prior.
    target : str
        Pseudonym of the target user.
    group_size : int
        Number of users per aggregate (``m`` in the paper).
    n_train, n_test : int
        Number of training aggregates (logistic only; the correlation test
        needs none) and of test aggregates, each half with the target.
    method : {"logistic", "correlation"}
        The adversary (see the module notes).
    features : {"raw", "summary", "both"}
        Features of the logistic adversary: counts per (cell, slot), per-cell
        mean, std, min, max and median over time, or both.
    publish : callable, optional
        What the data holder publishes for groups of users (:func:`publish_groups`
        wraps a real mechanism); default: exact counts (:func:`aggregate_groups`).
    noise_scale : float
        The Laplace scale the adversary knows the publisher used (the mechanism is
        public); it only weights the correlation test. 0: assume no noise.
    l2 : float
        L2 penalty of the logistic regression (on standardised features).
    rng : numpy.random.Generator, int or None
        Randomness of the groups and the noise. The test groups are drawn
        first, so both methods face the same test groups for the same seed.

    Returns
    -------
    MembershipResult

    References
    ----------
    .. [1] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
       Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
    """
    _check_game(n_users=series.n_users, group_size=group_size, n_train=n_train, n_test=n_test, method=method,
                features=features, noise_scale=noise_scale, l2=l2)
    row = np.searchsorted(series.pseudonyms, target)
    if row >= series.n_users or series.pseudonyms[row] != target:
        raise ValueError(f"target {target!r} is not one of the {series.n_users} users in the prior knowledge")
    rng = np.random.default_rng(rng)
    test_groups, labels = draw_groups(series.n_users, row, group_size=group_size, n=n_test, rng=rng)
    publish = publish if publish is not None else (lambda groups: aggregate_groups(series, groups))
    test = publish(test_groups)
    if method == "correlation":
        scores = _correlation_scores(series, row, test, group_size=group_size, noise_scale=noise_scale)
    else:
        train_groups, y = draw_groups(series.n_users, row, group_size=group_size, n=n_train, rng=rng)
        train = publish(train_groups)
        scores = _logistic_scores(_features(train, features=features, n_slots=series.n_slots), y,
                                  _features(test, features=features, n_slots=series.n_slots), l2=l2)
    return MembershipResult(auc=auc(scores, labels), scores=scores, labels=labels)


def membership_auc(
    release: pd.DataFrame, *, targets: Sequence[str], group_size: int, cell_m: float, slot_s: int,
    n_train: int = 400, n_test: int = 200, method: str = "logistic", features: str = "raw",
    mechanism: Mechanism | None = None, noise_scale: float = 0.0, l2: float = 1.0,
    origin: tuple[float, float] | None = None, start: pd.Timestamp | None = None,
    rng: np.random.Generator | int | None = None,
) -> pd.DataFrame:
    """AUC of the membership game for each target, the adversary knowing every user of the release.

    Parameters
    ----------
    release : pandas.DataFrame
        pseudonym, t, lat, lon: the adversary's prior knowledge (the population
        the aggregated groups are drawn from).
    targets : sequence of str
        Pseudonyms to attack, one game each.
    cell_m, slot_s, origin, start
        The aggregate's grid and time slots (see :func:`user_series`).
    mechanism : callable, optional
        The publication under attack, run on each group's traces
        (:func:`publish_groups`); default: exact counts.
    group_size, n_train, n_test, method, features, noise_scale, l2
        As in :func:`membership_game`.
    rng : numpy.random.Generator, int or None
        Each target plays with its own child generator, so its AUC does not
        depend on the other targets.

    Returns
    -------
    pandas.DataFrame
        target, active (the target's number of non-empty cell-slots), auc; one row per target.

    References
    ----------
    .. [1] Pyrgelis, A., Troncoso, C., De Cristofaro, E. (2018). Knock Knock,
       Who's There? Membership Inference on Aggregate Location Data. NDSS 2018.
    """
    if isinstance(targets, str):
        raise ValueError("targets must be a list of pseudonyms, not a single string")
    targets = list(targets)
    if not targets:
        raise ValueError("targets is empty: name at least one pseudonym to attack")
    series = user_series(release, cell_m=cell_m, slot_s=slot_s, origin=origin, start=start)
    unknown = sorted(set(targets) - set(series.pseudonyms))
    if unknown:
        raise ValueError(f"{len(unknown)} target(s) never appear in the release, e.g. {unknown[0]!r}")
    active = np.diff(series.matrix.indptr)[np.searchsorted(series.pseudonyms, targets)]
    publish = publish_groups(release, series, mechanism) if mechanism is not None else None
    children = np.random.default_rng(rng).spawn(len(targets))
    aucs = [membership_game(series, t, group_size=group_size, n_train=n_train, n_test=n_test, method=method,
                            features=features, publish=publish, noise_scale=noise_scale, l2=l2, rng=child).auc
            for t, child in zip(targets, children)]
    return pd.DataFrame({"target": targets, "active": active.astype(np.int64), "auc": np.asarray(aucs, dtype=float)})
