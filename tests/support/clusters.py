"""Scratch managed clusters for the tests that start, stop and break one of their own."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from service.db import localcluster
from service.settings import PROJECT_ROOT, LocalDatabaseSettings


@contextmanager
def scratch_cluster() -> Iterator[localcluster.LocalCluster]:
    """A cluster of its own under .data/test-clusters (not /tmp: when the tests run as root the
    cluster belongs to the postgres user, who cannot enter pytest's private tmp dirs), stopped
    afterwards and every file of it removed: those in the checkout, and those it really lives
    in (for root in a private checkout, under /var/lib/address-lookup: clusterplace)."""
    requested = PROJECT_ROOT / ".data" / "test-clusters" / uuid.uuid4().hex[:8]
    cluster = localcluster.cluster_from_settings(LocalDatabaseSettings(data_dir=requested))
    try:
        yield cluster
    finally:
        localcluster.stop(cluster)
        for folder in {requested, cluster.root}:
            shutil.rmtree(folder, ignore_errors=True)
