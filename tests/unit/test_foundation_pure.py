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


def test_schema_behind_says_to_migrate() -> None:
    problem = SchemaState(current=0, latest=3).problem()
    assert problem is not None
    assert "address-lookup db migrate" in problem


def test_schema_ahead_says_to_upgrade() -> None:
    problem = SchemaState(current=9, latest=3).problem()
    assert problem is not None
    assert "newer than this code knows" in problem


def test_schema_current_has_no_problem() -> None:
    assert SchemaState(current=3, latest=3).problem() is None


def test_migrations_are_numbered_from_one_each_number_once() -> None:
    # Numbers are handed out per piece of work, so one may land (0008) before another (0007):
    # a gap is allowed, a repeated number or a file out of order is not.
    versions = [migration.version for migration in known_migrations()]
    assert versions[0] == 1
    assert versions == sorted(set(versions))
