"""Bad input is never a 500: hypothesis throws NUL bytes, lone surrogates, huge and non-finite
numbers, and broken bodies at every parameter of every route in the OpenAPI document, one
parameter at a time (the others valid), over real HTTP. Every answer is a 2xx or a 4xx, and
every 4xx comes in the one error shape (OS Places' own shape under /search/places/v1)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

OS_PLACES = "/search/places/v1"
VALID = {  # a sensible value for every parameter, so that one bad one is what gets tested
    "q": "1 high street",
    "query": "1 high street",
    "postcode": "FX1 1AA",
    "uprn": "100",
    "code": "E04000001",
    "lat": "52.1",
    "lon": "-1.2",
    "bbox": "450000,250000,450500,250500",
    "point": "450000,250000",
    "key": "demo",
}
VALID_BODIES = {
    "/v1/addresses/match": {"addresses": ["1 high street"]},
    "/v1/postcodes": {"postcodes": ["FX1 1AA"]},
    "/v1/areas": {"points": [{"x": 450000, "y": 250000}]},
    f"{OS_PLACES}/polygon": {
        "type": "Polygon",
        "coordinates": [[[450000, 250000], [450100, 250000], [450100, 250100], [450000, 250000]]],
    },
}

hostile_text = st.one_of(
    st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=10), st.text(max_size=10)),
    st.builds(lambda a, b: f"{a}\ud800{b}", st.text(max_size=10), st.text(max_size=10)),
    st.sampled_from(["1e400", "-1e400", "nan", "inf", "-inf", "1" * 60, "-" + "9" * 40, "", " "]),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=40),
)
hostile_json = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.floats() | hostile_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
    max_leaves=12,
)


def encode(text: str) -> str:
    """Percent-encode any text, lone surrogates included, as a client on the wire would."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def check_answer(path: str, response: httpx.Response) -> None:
    assert response.status_code < 500, f"{response.status_code} {response.text[:300]}"
    if response.status_code < 400:
        return
    body = response.json()
    if path.startswith(OS_PLACES):
        assert set(body["error"]) == {"statuscode", "message"}
        assert body["error"]["statuscode"] == response.status_code
        return
    assert body["error"]["status"] == response.status_code
    assert body["error"]["code"] and body["error"]["message"]
    assert body["request_id"] == response.headers["x-request-id"]


def operations(api: httpx.Client) -> list[tuple[str, str, list[dict[str, Any]]]]:
    spec = api.get("/openapi.json").json()
    return [
        (path, method, operation.get("parameters", []))
        for path, methods in spec["paths"].items()
        for method, operation in methods.items()
    ]


def url_for(path: str, parameters: list[dict[str, Any]], bad: str | None, value: str) -> str:
    """The route's URL with every required parameter valid, except ``bad`` set to ``value``."""
    query = []
    for parameter in parameters:
        name = parameter["name"]
        text = value if name == bad else VALID.get(name, "1")
        if parameter["in"] == "path":
            path = path.replace(f"{{{name}}}", encode(text))
        elif name == bad or parameter.get("required"):
            query.append(f"{encode(name)}={encode(text)}")
    return path + ("?" + "&".join(query) if query else "")


def test_every_parameter_of_every_route_refuses_hostile_values(api: httpx.Client) -> None:
    routes = operations(api)
    assert len(routes) >= 19, "every route is covered"

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def one_case(data: st.DataObject) -> None:
        path, method, parameters = data.draw(st.sampled_from(routes))
        names = [p["name"] for p in parameters] or [None]
        bad = data.draw(st.sampled_from(names))
        url = url_for(path, parameters, bad, data.draw(hostile_text))
        body = VALID_BODIES.get(path)
        response = api.request(method.upper(), url, json=body if method == "post" else None)
        check_answer(path, response)

    one_case()


@pytest.mark.parametrize("path", sorted(VALID_BODIES))
def test_bodies_that_are_hostile_or_not_json_are_4xx(api: httpx.Client, path: str) -> None:
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        body=st.one_of(
            hostile_json.map(lambda value: json.dumps(value).encode()),
            st.binary(max_size=200),
            st.sampled_from([b"{", b'{"addresses": [', b"\xff\xfe", b"[" * 5000, b"null"]),
        )
    )
    def one_body(body: bytes) -> None:
        response = api.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code < 500, f"{body[:300]!r} -> {response.text[:200]}"
        check_answer(path, response)

    one_body()


def test_a_nul_in_a_path_names_the_parameter(api: httpx.Client) -> None:
    response = api.get("/v1/areas/E04%00")
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["in"] == "path"
    assert detail["field"] == "code"
    assert "NUL" in detail["problem"]


def test_a_lone_surrogate_in_a_body_names_the_item(api: httpx.Client) -> None:
    body = b'{"addresses": ["1 high street", "12 \\ud800 road"]}'
    response = api.post(
        "/v1/addresses/match", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["field"] == "addresses.1"
    assert "surrogate" in detail["problem"]


def test_malformed_json_says_where_in_words(api: httpx.Client) -> None:
    response = api.post(
        "/v1/postcodes",
        content=b'{"postcodes": ["FX1 1AA",, ]}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert "line 1, column 26" in error["message"]
    assert error["details"][0]["field"] == "body"


def test_an_unreadable_body_is_a_422_in_the_one_shape(api: httpx.Client) -> None:
    response = api.post(
        "/v1/postcodes",
        content=b'{"postcodes": ["\xff"]}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert "UTF-8" in response.json()["error"]["message"]
