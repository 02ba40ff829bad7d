"""Pure pieces of the foundation: request ids, schema states, the migration files."""

from __future__ import annotations

from service.api.middleware import choose_request_id
from service.db.migrations import SchemaState, known_migrations


def test_a_callers_plain_request_id_is_kept() -> None:
    assert choose_request_id("trace-42.a:b_c") == "trace-42.a:b_c"


def test_unsafe_or_missing_request_ids_are_replaced() -> None:
    for incoming in (None, "", "has space", "x" * 65, "new\nline", "<script>"):
        made = choose_request_id(incoming)
        assert made != incoming
        assert len(made) == 32


KNOWN = frozenset({1, 2, 3, 5})


def test_schema_behind_says_to_migrate() -> None:
    problem = SchemaState(applied=frozenset(), known=KNOWN).problem()
    assert problem is not None
    assert "address-lookup db migrate" in problem


def test_a_lower_numbered_migration_arriving_later_is_still_needed() -> None:
    state = SchemaState(applied=frozenset({1, 2, 5}), known=KNOWN)
    assert state.missing == [3]
    problem = state.problem()
    assert problem is not None and "lacks version 3" in problem


def test_schema_ahead_says_to_upgrade() -> None:
    problem = SchemaState(applied=KNOWN | {9}, known=KNOWN).problem()
    assert problem is not None
    assert "newer than this code knows" in problem


def test_schema_current_has_no_problem() -> None:
    state = SchemaState(applied=KNOWN, known=KNOWN)
    assert state.problem() is None and state.is_current


def test_migrations_are_numbered_from_one_in_order() -> None:
    # Numbers are handed out per piece of work, so one not merged yet leaves a gap for a while.
    versions = [migration.version for migration in known_migrations()]
    assert versions[0] == 1 and versions == sorted(set(versions))
