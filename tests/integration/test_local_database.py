"""The managed local PostGIS: idempotent, crash-safe, and a service that rides out an outage.

Each test runs its own scratch cluster under .data/test-clusters (not /tmp: when the tests run
as root the cluster belongs to the postgres user, who cannot enter pytest's private tmp dirs).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator

import httpx
import pytest

from service.db import localcluster
from tests.support.cli import COMMAND, run_cli
from tests.support.clusters import scratch_cluster
from tests.support.server import free_port, http_status, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def scratch() -> Iterator[localcluster.LocalCluster]:
    with scratch_cluster() as cluster:
        yield cluster


def _cli_env(cluster: localcluster.LocalCluster) -> dict[str, str]:
    """Point the command at the scratch cluster (an empty DATABASE_URL counts as unset)."""
    return {"ADDRESS_LOOKUP_DATA_DIR": str(cluster.root), "DATABASE_URL": ""}


def test_start_twice_then_stop_twice(scratch: localcluster.LocalCluster) -> None:
    env = _cli_env(scratch)
    first = run_cli("db", "start", env=env)
    second = run_cli("db", "start", env=env)
    assert first.returncode == 0, first.stderr
    assert "started" in first.stdout
    assert second.returncode == 0
    assert "already running" in second.stdout
    status = run_cli("db", "status", env=env)
    assert "running (pid" in status.stdout
    assert run_cli("db", "stop", env=env).stdout.strip() == "local database stopped"
    assert run_cli("db", "stop", env=env).stdout.strip() == "local database was not running"
    assert "stopped" in run_cli("db", "status", env=env).stdout


def test_start_after_the_server_was_killed(scratch: localcluster.LocalCluster) -> None:
    localcluster.start(scratch)
    pid = localcluster.status(scratch).pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: not localcluster.status(scratch).running)
    assert (scratch.data_dir / "postmaster.pid").exists(), "a crash leaves its pid file behind"
    assert localcluster.start(scratch) is True
    assert localcluster.status(scratch).running


def test_start_when_the_stale_pid_file_names_another_live_process(
    scratch: localcluster.LocalCluster,
) -> None:
    localcluster.start(scratch)
    localcluster.stop(scratch)
    impostor = subprocess.Popen(["sleep", "60"])
    try:
        pid_file = scratch.data_dir / "postmaster.pid"
        pid_file.write_text(f"{impostor.pid}\n{scratch.data_dir}\n")
        if os.geteuid() == 0:
            shutil.chown(pid_file, "postgres")
        assert localcluster.start(scratch) is True
        assert localcluster.status(scratch).pid != impostor.pid
    finally:
        impostor.kill()


def test_readyz_follows_the_database_down_and_back_up(scratch: localcluster.LocalCluster) -> None:
    localcluster.start(scratch)
    env = {"DATABASE_URL": scratch.url}
    assert run_cli("db", "migrate", env=env).returncode == 0
    port = free_port()
    server = subprocess.Popen(
        [COMMAND, "serve", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/readyz"
        wait_until(lambda: http_status(url) == 200)
        localcluster.stop(scratch)
        wait_until(lambda: http_status(url) == 503)
        body = httpx.get(url).json()
        assert "unreachable" in body["error"]["message"]
        localcluster.start(scratch)
        wait_until(lambda: http_status(url) == 200)
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
