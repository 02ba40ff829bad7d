"""The rotation of read replicas, as pure decisions: who leaves, who comes back, and where
reads go when none is left."""

from __future__ import annotations

from service.db.replicas import (
    Observation,
    ReplicaState,
    RotationPolicy,
    RoundRobin,
    failed_in_use,
    judge,
)

POLICY = RotationPolicy(max_lag_s=30, max_behind_s=10)


def after(
    state: ReplicaState, seen: Observation, *, primary: int | None = 5, at: float = 100.0
) -> ReplicaState:
    return judge(state, seen, primary_version=primary, now=at, policy=POLICY)


def current(version: int = 5, received: int = 1000, replayed: int = 1000) -> Observation:
    return Observation(data_version=version, received=received, replayed=replayed)


def in_rotation() -> ReplicaState:
    return after(ReplicaState("replica1"), current())


def test_a_replica_is_out_until_its_first_check_finds_it_current() -> None:
    assert not ReplicaState("replica1").in_rotation
    assert in_rotation().in_rotation
    assert in_rotation().reason == "current"


def test_an_unreachable_replica_leaves_and_comes_back_when_it_answers() -> None:
    down = after(in_rotation(), Observation(error="ConnectionRefusedError"), at=101)
    assert not down.in_rotation
    assert "unreachable: ConnectionRefusedError" in down.reason
    assert after(down, current(), at=103).in_rotation


def test_replay_lag_above_the_setting_takes_it_out_and_catching_up_brings_it_back() -> None:
    state = after(ReplicaState("r"), current(received=1000, replayed=1000), at=100)
    # WAL keeps arriving but replay is stuck at 1000 (a long replay, or replay paused).
    for at, received in ((110, 2000), (125, 3000)):
        state = after(state, current(received=received, replayed=1000), at=at)
        assert state.in_rotation, at
    assert state.replay_lag_s == 25  # it had received no more than 1000 at 100
    stuck = after(state, current(received=4000, replayed=1000), at=131)
    assert not stuck.in_rotation
    assert "replay lag 31.0 s is above 30 s" in stuck.reason
    back = after(stuck, current(received=4000, replayed=3500), at=133)
    assert back.in_rotation and back.replay_lag_s == 8  # what it had by 125 is replayed


def test_replay_keeping_up_with_a_busy_primary_lags_no_more_than_a_check() -> None:
    state = ReplicaState("r")
    for step in range(1, 40):  # a long load: WAL streams in, no commit for minutes
        lsn = step * 1000
        state = after(state, current(received=lsn, replayed=lsn - 10), at=100 + 2 * step)
    assert state.in_rotation and state.replay_lag_s == 2


def test_a_replica_that_replayed_all_it_received_lags_nothing_however_idle() -> None:
    state = after(ReplicaState("r"), current(received=500, replayed=500), at=100)
    assert after(state, current(received=500, replayed=500), at=10_000).replay_lag_s == 0
    assert after(state, Observation(data_version=5), at=10_000).replay_lag_s == 0  # a primary


def test_an_older_data_version_is_tolerated_for_the_setting_then_leaves() -> None:
    first_seen = after(in_rotation(), current(version=5), primary=6, at=200)
    assert first_seen.in_rotation and first_seen.behind_since == 200
    assert first_seen.reason == "catching up with the primary"
    still = after(first_seen, current(version=5), primary=6, at=209)
    assert still.in_rotation and still.behind_since == 200  # the clock is not restarted
    too_long = after(still, current(version=5), primary=6, at=211)
    assert not too_long.in_rotation
    assert "data version 5 has been older than the primary's 6 for 11.0 s" in too_long.reason


def test_a_replica_that_catches_up_returns_and_forgets_it_was_behind() -> None:
    out = after(ReplicaState("r", behind_since=100), current(version=5), primary=6, at=150)
    assert not out.in_rotation
    back = after(out, current(version=6), primary=6, at=151)
    assert back.in_rotation and back.behind_since is None and back.data_version == 6


def test_a_replica_ahead_of_what_the_primary_was_last_seen_at_is_current() -> None:
    assert after(in_rotation(), current(version=7), primary=6).reason == "current"


def test_with_the_primary_version_unknown_only_reachability_and_lag_count() -> None:
    assert after(in_rotation(), current(version=1), primary=None, at=10_000).in_rotation


def test_an_unreachable_replica_keeps_its_last_known_version_and_lag() -> None:
    lagging = after(
        after(ReplicaState("r"), current(4, 10, 10), at=100), current(4, 20, 10), primary=4, at=103
    )
    down = after(lagging, Observation(error="x"), primary=4, at=105)
    assert (down.data_version, down.replay_lag_s) == (4, 3.0)


def test_a_replica_failing_a_request_leaves_until_the_next_check() -> None:
    failed = failed_in_use(in_rotation(), "it stopped answering")
    assert not failed.in_rotation
    assert failed.reason == "failed serving a request: it stopped answering"
    assert after(failed, current()).in_rotation


def test_reads_take_turns_over_the_replicas_in_rotation_only() -> None:
    states = [in_rotation(), ReplicaState("replica2"), in_rotation()]
    turns = RoundRobin()
    picks = [turns.pick(states) for _ in range(6)]
    assert sorted(set(picks), key=str) == [0, 2]
    assert picks.count(0) == picks.count(2) == 3


def test_with_no_replica_in_rotation_reads_go_to_the_primary() -> None:
    assert RoundRobin().pick([ReplicaState("replica1"), ReplicaState("replica2")]) is None
    assert RoundRobin().pick([]) is None
