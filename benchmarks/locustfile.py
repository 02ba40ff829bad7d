"""A realistic mix of council-form traffic for locust: search, typeahead, postcode lookups, UPRN
lookups and area lookups, drawn from a query pool of real rows (benchmarks/load_test.py writes
it; point LOCUST_QUERY_POOL at it). Two mixes: ``CouncilFormUser`` (forms that search) and
``WidgetUser`` (forms with the typeahead widget: most requests are keystrokes, every prefix of
a messy query from its third character).

Every response carries ``Server-Timing: app;dur=<ms>``; each request is also reported under
"SERVER <name>" with that duration, so the statistics show the time spent in the service as
well as what the client saw. Locust rounds the durations it keeps to whole milliseconds, so
the exact ones are also written, per endpoint, to LOCUST_SERVER_TIMES (a JSON file) when
the run ends.

    LOCUST_QUERY_POOL=benchmarks/out/query_pool.json locust -f benchmarks/locustfile.py \
        --host http://127.0.0.1:8000 --headless -u 20 -r 5 -t 60s [WidgetUser]
"""

from __future__ import annotations

import os
import random
from collections import defaultdict
from functools import cache
from typing import Any

import orjson
from locust import FastHttpUser, between, events, task


@cache
def query_pool() -> dict[str, list[Any]]:
    """Queries, postcodes, UPRNs and points to ask about (loaded once per process)."""
    path = os.environ.get("LOCUST_QUERY_POOL", "benchmarks/out/query_pool.json")
    with open(path, "rb") as handle:
        pool: dict[str, list[Any]] = orjson.loads(handle.read())
    return pool


SERVER_TIMES: defaultdict[str, list[float]] = defaultdict(list)


@events.quitting.add_listener  # type: ignore[misc]
def write_server_times(**_: Any) -> None:
    path = os.environ.get("LOCUST_SERVER_TIMES")
    if path:
        with open(path, "wb") as handle:
            handle.write(orjson.dumps(SERVER_TIMES))


def report_server_time(name: str, response: Any) -> None:
    """Fire a second sample, named 'SERVER <name>', with the service's own duration."""
    header = response.headers.get("server-timing", "") if response.headers else ""
    if "dur=" not in header:
        return
    duration = float(header.split("dur=")[1].split(",")[0])
    SERVER_TIMES[name].append(duration)
    events.request.fire(
        request_type="SERVER",
        name=name,
        response_time=duration,
        response_length=0,
        exception=None,
        context={},
    )


class FormUser(FastHttpUser):  # type: ignore[misc]
    """What both mixes ask, and how: each task's weight is set by the mix."""

    abstract = True
    wait_time = between(0.0, 0.05)

    def _get(self, path: str, name: str, **params: Any) -> None:
        with self.client.get(path, params=params, name=name, catch_response=True) as response:
            if response.status_code not in (200, 404):
                response.failure(f"{response.status_code}: {response.text[:200]}")
            report_server_time(name, response)

    def _search(self) -> None:
        self._get("/v1/addresses/search", "search", q=random.choice(query_pool()["search"]))

    def _postcode(self) -> None:
        self._get(f"/v1/postcodes/{random.choice(query_pool()['postcodes'])}", "postcode")

    def _uprn(self) -> None:
        self._get(f"/v1/addresses/{random.choice(query_pool()['uprns'])}", "uprn")

    def _areas(self) -> None:
        x, y = random.choice(query_pool()["points"])
        self._get("/v1/areas", "areas", x=x, y=y)


WIDGET_SUGGESTIONS = 10  # what the widget asks for (TYPEAHEAD_LIMIT in its script)


class WidgetUser(FormUser):
    """A resident on a form with the typeahead widget: a request per pause in typing, so
    autocomplete is 60 % of the requests (every keystroke prefix, from the third character),
    asking for as many suggestions as the widget shows (its TYPEAHEAD_LIMIT)."""

    @task(60)
    def autocomplete(self) -> None:
        typed = random.choice(query_pool()["keystrokes"])
        self._get("/v1/addresses/autocomplete", "autocomplete", q=typed, limit=WIDGET_SUGGESTIONS)

    @task(20)
    def search(self) -> None:
        self._search()

    @task(10)
    def postcode(self) -> None:
        self._postcode()

    @task(5)
    def uprn(self) -> None:
        self._uprn()

    @task(5)
    def areas(self) -> None:
        self._areas()


class CouncilFormUser(FormUser):
    """A resident on a council form: mostly searching and typing, some postcode journeys."""

    @task(35)
    def search(self) -> None:
        self._search()

    @task(30)
    def autocomplete(self) -> None:
        self._get(
            "/v1/addresses/autocomplete", "autocomplete", q=random.choice(query_pool()["typeahead"])
        )

    @task(15)
    def postcode(self) -> None:
        self._postcode()

    @task(10)
    def uprn(self) -> None:
        self._uprn()

    @task(10)
    def areas(self) -> None:
        self._areas()
