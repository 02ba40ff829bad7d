"""Python and SQL make the same postcode key from any text, valid or not: the loaders key
postcodes in SQL (postcode_key()) and the service keys what residents type in Python."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.postcodes.parse import parse_postcode, postcode_key
from tests.support.pg import ThrowawayDatabases

SqlKeys = Callable[[list[str]], list[str | None]]
# Any text PostgreSQL can hold (no NUL, no lone surrogates), and text shaped like postcodes
# with every kind of space, case and stray character around them.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", "\u2009", "\u202f", "\u3000", "\n", ""])
POSTCODE_LIKE = st.builds(
    lambda a, outward, b, inward, c: f"{a}{outward}{b}{inward}{c}",
    SPACES,
    st.from_regex(r"[A-Za-zſK]{1,2}[0-9][0-9A-Za-z]?", fullmatch=True),
    SPACES,
    st.from_regex(r"[0-9][A-Za-zß]{2}", fullmatch=True),
    SPACES,
)


@pytest.fixture(scope="module")
def sql_keys(databases: ThrowawayDatabases) -> Iterator[SqlKeys]:
    with databases.fresh() as url, psycopg.connect(url, autocommit=True) as conn:

        def keys(texts: list[str]) -> list[str | None]:
            rows = conn.execute(
                "SELECT postcode_key(t) FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, n) "
                "ORDER BY n",
                (texts,),
            ).fetchall()
            return [row[0] for row in rows]

        yield keys


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ANY_TEXT, POSTCODE_LIKE), min_size=1, max_size=40))
def test_python_and_sql_make_the_same_key(sql_keys: SqlKeys, texts: list[str]) -> None:
    assert [postcode_key(text) for text in texts] == sql_keys(texts)


def test_a_parsed_postcode_key_is_the_key_of_its_text(sql_keys: SqlKeys) -> None:
    texts = [" sw1a\u00a01aa ", "hp19 9bj", "GIR 0AA", "m1\t1ae"]
    parsed = [parse_postcode(text) for text in texts]
    assert [p.key if p else None for p in parsed] == sql_keys(texts)
    assert all(parsed)
