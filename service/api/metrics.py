"""Prometheus metrics at /metrics (or on an internal port of their own): requests and their
latency by route template and status, the connection pool's use, the data being served (its
version, when it was loaded and so its age) and how loads ended.

Built on ``prometheus-client`` itself rather than an instrumentator: the request middleware
already knows the matched route (``scope["route"]``), where prometheus-fastapi-instrumentator
and starlette-exporter match every request against every route again, and the pool and data
metrics need the client library anyway. Its multiprocess mode makes the figures the sum over
``serve --workers N``: ``serve`` points PROMETHEUS_MULTIPROC_DIR at a fresh folder before any
worker starts, and whichever worker is scraped reads every worker's figures from there."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.middleware import route_of
from service.api.pool_metrics import record_read_pools
from service.db.datastate import DataState, DataStateWatch

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Counter(
    "address_lookup_requests_total", "Requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "address_lookup_request_duration_seconds",
    "Time to answer a request, in the service",
    ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
POOL = Gauge(
    "address_lookup_db_pool_connections",
    "Database connections held by the pools of all service processes, by state",
    ["state"],
    multiprocess_mode="livesum",
)
DATA_VERSION = Gauge(
    "address_lookup_data_version",
    "The live address data version (address-lookup status lists it)",
    multiprocess_mode="max",
)
DATA_LOADED = Gauge(
    "address_lookup_data_loaded_timestamp_seconds",
    "When the live address data finished loading (Unix time)",
    multiprocess_mode="max",
)
LOADS = Gauge(
    "address_lookup_loads",
    "Loads recorded, by how they ended (live, replaced, failed, or still loading)",
    ["outcome"],
    multiprocess_mode="max",
)


class DataAgeCollector(Collector):
    """The live data's age in seconds, computed when scraped from the loaded timestamp."""

    def __init__(self, source: Collector) -> None:
        self.source = source

    def collect(self) -> Iterator[GaugeMetricFamily]:
        loaded = [
            sample.value
            for family in self.source.collect()
            if family.name == DATA_LOADED._name
            for sample in family.samples
        ]
        if loaded and max(loaded) > 0:
            age = GaugeMetricFamily(
                "address_lookup_data_age_seconds", "How long ago the live address data loaded"
            )
            age.add_metric([], time.time() - max(loaded))
            yield age


REGISTRY.register(DataAgeCollector(DATA_LOADED))


def scrape_registry() -> CollectorRegistry:
    """What a scrape reads: every worker's figures in multiprocess mode, else this process's;
    with the data's age beside them."""
    if not os.environ.get(MULTIPROCESS_ENV):
        return REGISTRY
    registry = CollectorRegistry()
    source = multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    registry.register(DataAgeCollector(source))
    return registry


def record_data_state(state: DataState | None) -> None:
    if state is None:
        return
    if state.address_version is not None and state.address_age_s is not None:
        DATA_VERSION.set(state.address_version)
        DATA_LOADED.set(time.time() - state.address_age_s)
    for outcome, count in state.outcomes.items():
        LOADS.labels(outcome).set(count)


def record_pool(pool: asyncpg.Pool | None) -> None:
    if pool is None:
        return
    size, idle = pool.get_size(), pool.get_idle_size()
    POOL.labels("in_use").set(size - idle)
    POOL.labels("idle").set(idle)


class MetricsMiddleware:
    """Counts and times every request by method, route template and status (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            route = route_of(scope) or "unmatched"
            labels = (scope["method"], route, str(status))
            REQUESTS.labels(*labels).inc()
            LATENCY.labels(*labels).observe(time.perf_counter() - started)
            record_pool(getattr(scope["app"].state, "pool", None))


async def metrics_page(request: Request) -> Response:
    """The Prometheus text page (no key needed: it names no caller and no address)."""
    watch: DataStateWatch | None = getattr(request.app.state, "data_state", None)
    record_data_state(await watch.current() if watch else None)
    record_read_pools(getattr(request.app.state, "reads", None))
    return Response(generate_latest(scrape_registry()), media_type=CONTENT_TYPE_LATEST)


async def keep_recording(app: FastAPI, every_s: float = 5.0) -> None:
    """Refresh the pool and data figures of this process while it runs, so that they are
    current even when it is idle (a metrics port of its own never reaches the app)."""
    while True:
        record_pool(getattr(app.state, "pool", None))
        record_read_pools(getattr(app.state, "reads", None))
        watch: DataStateWatch | None = getattr(app.state, "data_state", None)
        record_data_state(await watch.current() if watch else None)
        await asyncio.sleep(every_s)


@asynccontextmanager
async def recording(app: FastAPI, pool: asyncpg.Pool) -> AsyncIterator[None]:
    """For the app's life: keep this process's figures current; forget them when it stops."""
    app.state.pool = pool
    task = asyncio.create_task(keep_recording(app))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if os.environ.get(MULTIPROCESS_ENV):
            multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def install(app: FastAPI, *, separate_port: bool) -> None:
    """Count every request; serve /metrics here unless it has a port of its own."""
    app.add_middleware(MetricsMiddleware)
    if not separate_port:
        app.add_api_route("/metrics", metrics_page, include_in_schema=False)
