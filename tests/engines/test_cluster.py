"""Tests for lab.engines.cluster."""

from __future__ import annotations

import pytest

from lab.engines.cluster import check_scheduler, dask_client
from lab.errors import InputError


@pytest.mark.parametrize("address", ["localhost", "tcp://host:port", ":8786"])
def test_a_malformed_scheduler_address_is_refused(address):
    """An address without a host and a numeric port is refused, naming the option."""
    with pytest.raises(InputError, match="--scheduler"):
        check_scheduler(address)


def test_a_local_cluster_runs_work_and_is_gone_after():
    """Without an address a LocalCluster of the asked size answers, and is closed on exit."""
    with dask_client(workers=2, tasks=1) as client:
        assert len(client.scheduler_info()["workers"]) == 1
        assert client.submit(sum, [1, 2, 3]).result() == 6
    assert client.status == "closed"


def test_a_well_formed_address_is_returned_as_given():
    """tcp://HOST:PORT and HOST:PORT pass unchanged; None means a LocalCluster."""
    assert check_scheduler("tcp://10.0.0.5:8786") == "tcp://10.0.0.5:8786"
    assert check_scheduler("sched:8786") == "sched:8786" and check_scheduler(None) is None
