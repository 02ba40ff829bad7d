"""The pure parts of tenancy: keys, origins, councils' codes and boxes, endpoint families,
lease sizes, CORS settings and the key schemes in the OpenAPI document."""

from __future__ import annotations

import base64
import re

import pytest

from service.api.tenancy_openapi import add_key_schemes
from service.tenancy.councils import TenancyInputError, checked_code, parse_box
from service.tenancy.gate import GateConfig
from service.tenancy.keys import KeyKind, hash_key, make_key, parse_key
from service.tenancy.limits import LOW_WATER, block_for
from service.tenancy.origins import BadOrigin, checked_origin, origin_of
from service.tenancy.usage import family_of


def test_keys_carry_their_kind_a_public_id_and_128_random_bits() -> None:
    browser, server = make_key(KeyKind.BROWSER), make_key(KeyKind.SERVER)
    assert re.fullmatch(r"alpk_[a-z2-7]{8}_[a-z2-7]{26}", browser.key)
    assert re.fullmatch(r"alsk_[a-z2-7]{8}_[a-z2-7]{26}", server.key)
    assert browser.key.startswith(browser.public_id + "_")
    secret = base64.b32decode(browser.key.rsplit("_", 1)[1].upper() + "======")
    assert len(secret) * 8 == 128
    assert len({make_key(KeyKind.BROWSER).key for _ in range(200)}) == 200


def test_only_the_hash_of_a_key_is_kept_and_a_presented_key_matches_only_its_own() -> None:
    new = make_key(KeyKind.SERVER)
    assert new.secret_hash == hash_key(new.key) and new.key.encode() not in new.secret_hash
    presented = parse_key(new.key)
    assert presented is not None and presented.kind is KeyKind.SERVER
    assert presented.public_id == new.public_id
    assert presented.matches(new.secret_hash)
    other = parse_key(new.public_id + "_" + "a" * 26)
    assert other is not None and not other.matches(new.secret_hash)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "demo",
        "alpk_short_x",
        "alxk_abcdefgh_" + "a" * 26,
        "alpk_abcdefgh_" + "a" * 25,
        "ALPK_ABCDEFGH_" + "A" * 26,
        "alpk_abcdefgh_" + "a" * 26 + " ",
    ],
)
def test_malformed_keys_are_not_parsed(text: str) -> None:
    assert parse_key(text) is None


@pytest.mark.parametrize(
    ("sent", "origin"),
    [
        ("https://Forms.Example.gov.uk", "https://forms.example.gov.uk"),
        ("https://forms.example.gov.uk:443", "https://forms.example.gov.uk"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://127.0.0.1:80/report?uprn=1#x", "http://127.0.0.1"),
        ("http://[::1]:9000/page", "http://[::1]:9000"),
        ("null", None),
        ("file:///home/page.html", None),
        ("http://bad:port", None),
    ],
)
def test_origins_are_compared_by_scheme_host_and_port(sent: str, origin: str | None) -> None:
    assert origin_of(sent) == origin


def test_an_operator_registers_an_origin_not_a_page() -> None:
    assert checked_origin("https://forms.example.gov.uk/") == "https://forms.example.gov.uk"
    with pytest.raises(BadOrigin, match="path"):
        checked_origin("https://forms.example.gov.uk/report")
    with pytest.raises(BadOrigin, match="not a web origin"):
        checked_origin("forms.example.gov.uk")


def test_council_codes_and_home_boxes_are_checked() -> None:
    assert checked_code(" e07000203 ") == "E07000203"
    with pytest.raises(TenancyInputError, match="ONS/GSS"):
        checked_code("Mid Suffolk")
    assert parse_box("600000,230000,630000,260000") == (600000, 230000, 630000, 260000)
    with pytest.raises(TenancyInputError, match="four numbers"):
        parse_box("1,2,3")
    with pytest.raises(TenancyInputError, match="British National Grid"):
        parse_box("630000,230000,600000,260000")  # minx above maxx


@pytest.mark.parametrize(
    ("route", "family"),
    [
        ("/v1/addresses/search", "search"),
        ("/v1/addresses/autocomplete", "autocomplete"),
        ("/v1/addresses/{uprn}", "uprn"),
        ("/v1/addresses/100023336956", "uprn"),
        ("/v1/addresses/nearest", "geographic"),
        ("/v1/addresses", "geographic"),
        ("/v1/addresses/match", "match"),
        ("/v1/postcodes/{postcode}", "postcode"),
        ("/v1/postcodes", "postcode"),
        ("/v1/areas/{code}", "areas"),
        ("/search/places/v1/find", "osplaces"),
        ("/v1/usage", "other"),
        ("/nowhere", "other"),
    ],
)
def test_every_route_belongs_to_one_endpoint_family(route: str, family: str) -> None:
    assert family_of(route) == family


def test_leases_are_small_beside_the_limit() -> None:
    assert block_for(1) == 1 and block_for(600) == 2 and block_for(10**9) == 1000
    for limit in (500, 600, 10_000, 1_000_000):
        # what 10 processes can hold unspent (a block and a quarter each) is within 5 %
        assert 10 * int(block_for(limit) * (1 + LOW_WATER)) <= 0.05 * limit


def test_cors_origins_setting() -> None:
    assert GateConfig.parse_origins("*") == (frozenset(), True)
    origins, any_origin = GateConfig.parse_origins("https://a.gov.uk, http://localhost:8080/")
    assert origins == {"https://a.gov.uk", "http://localhost:8080"} and not any_origin
    with pytest.raises(ValueError, match="ADDRESS_LOOKUP_CORS_ORIGINS"):
        GateConfig.parse_origins("a.gov.uk")


def test_the_openapi_document_declares_the_key_in_query_and_header() -> None:
    schema = {"paths": {"/v1/areas": {"get": {}}, "/healthz": {"get": {}}}}
    add_key_schemes(schema, required=True)
    schemes = schema["components"]["securitySchemes"]  # type: ignore[index]
    assert {(s["in"], s["name"]) for s in schemes.values()} == {
        ("query", "key"),
        ("header", "X-API-Key"),
    }
    assert schema["paths"]["/v1/areas"]["get"]["security"] == [
        {"ApiKeyHeader": []},
        {"ApiKeyQuery": []},
    ]
    assert "429" in schema["paths"]["/v1/areas"]["get"]["responses"]
    assert schema["paths"]["/healthz"]["get"]["security"] == []
