"""A real HTTP server around an app for API tests: uvicorn on a free port in a thread, or the
service's own ``serve`` command in a process of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from service.api.slowclients import uvicorn_options
from service.settings import ServerSettings, TenancySettings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(app: FastAPI, protocol: str = "httptools") -> Iterator[str]:
    """Serve the app over real HTTP until the block ends; yields its base URL."""
    options = uvicorn_options(ServerSettings(), protocol)  # the options `serve` runs with
    config = uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


# Tests of lookups run the service with keys optional; the tests of keys turn them on.
KEYS_OPTIONAL = TenancySettings(require_keys=False)


@contextmanager
def serve_process(url: str, log: Path, **env: str) -> Iterator[str]:
    """``address-lookup serve`` in its own process on a free port, its output in ``log``;
    yields its base URL once it is ready, and stops it (SIGTERM, a clean shutdown) after."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "address-lookup"), "serve", "--port", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            env={**os.environ, "DATABASE_URL": url, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(base, process, log)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def wait_until_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Wait up to a minute for the service at ``base`` to answer /readyz; fail with the end
    of its log if it exits first."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the service did not become ready")


def http_status(url: str) -> int | None:
    """The status a GET of the URL answers with, or None when nothing answers."""
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.TransportError:
        return None


def wait_until(condition: Callable[[], bool], timeout: float = 60) -> None:
    """Poll until the condition holds; AssertionError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.2)
