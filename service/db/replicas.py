"""Which read replicas are in rotation: pure decisions from what the last check saw, with no
database in sight (the checks themselves are in ``service.db.readpools``).

A replica leaves rotation when it does not answer, when its replay lags more than a setting,
or when it has served an older data version than the primary's for longer than a setting (a
load the primary finished that the replica has not replayed yet). It comes back at the first
check that finds it answering and current. With none in rotation, reads go to the primary."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RotationPolicy:
    """How far behind a replica may be and still serve reads."""

    max_lag_s: float = 30.0
    max_behind_s: float = 10.0


@dataclass(frozen=True)
class Observation:
    """What one check of a replica saw: its data version (the newest load in effect there)
    and how far into the WAL it has received and replayed (None: not a standby), or the error
    that stopped the check."""

    data_version: int | None = None
    received: int | None = None
    replayed: int | None = None
    error: str | None = None

    @property
    def reachable(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class ReplicaState:
    """One replica as the rotation sees it. ``behind_since`` is when it was first seen serving
    an older data version than the primary's (None: it is not behind)."""

    name: str
    in_rotation: bool = False
    reason: str = "not checked yet"
    data_version: int | None = None
    replay_lag_s: float | None = None
    behind_since: float | None = None
    received_at: tuple[tuple[float, int], ...] = ()  # (check time, WAL received by then)


def judge(
    state: ReplicaState,
    seen: Observation,
    *,
    primary_version: int | None,
    now: float,
    policy: RotationPolicy,
) -> ReplicaState:
    """The replica's state after a check at ``now`` that saw ``seen``."""
    if not seen.reachable:
        return _out(state, f"unreachable: {seen.error}", None, seen, behind_since=None)
    state = replace(state, received_at=_remember(state, seen, now, policy))
    lag = replay_lag(state.received_at, seen, now)
    behind_since = _behind_since(state, seen, primary_version, now)
    if lag > policy.max_lag_s:
        reason = f"replay lag {lag:.1f} s is above {policy.max_lag_s:g} s"
        return _out(state, reason, lag, seen, behind_since)
    if behind_since is not None and now - behind_since > policy.max_behind_s:
        reason = (
            f"data version {seen.data_version} has been older than the primary's "
            f"{primary_version} for {now - behind_since:.1f} s"
        )
        return _out(state, reason, lag, seen, behind_since)
    return replace(
        state,
        in_rotation=True,
        reason="current" if behind_since is None else "catching up with the primary",
        data_version=seen.data_version,
        replay_lag_s=lag,
        behind_since=behind_since,
    )


def failed_in_use(state: ReplicaState, error: str) -> ReplicaState:
    """The replica failed while serving a request: out of rotation until the next check
    finds it answering again."""
    return replace(state, in_rotation=False, reason=f"failed serving a request: {error}")


def _behind_since(
    state: ReplicaState, seen: Observation, primary_version: int | None, now: float
) -> float | None:
    behind = (
        primary_version is not None
        and seen.data_version is not None
        and seen.data_version < primary_version
    ) or (primary_version is not None and seen.data_version is None)
    if not behind:
        return None
    return state.behind_since if state.behind_since is not None else now


def replay_lag(received_at: tuple[tuple[float, int], ...], seen: Observation, now: float) -> float:
    """How long ago the replica had received the WAL it has replayed now: 0 when it has
    replayed all it received; else the time since the last check by which it had received
    no more than it has now replayed (since the oldest remembered check, if none). Unlike
    ``now() - pg_last_xact_replay_timestamp()`` this does not grow while the primary commits
    nothing (idle, or one long load), and shows a replica stuck in replay however busy."""
    if seen.received is None or seen.replayed is None or seen.replayed >= seen.received:
        return 0.0
    replayed = seen.replayed
    caught_up = [at for at, received in received_at if received <= replayed]
    if caught_up:
        return now - max(caught_up)
    return now - received_at[0][0] if received_at else 0.0


def _remember(
    state: ReplicaState, seen: Observation, now: float, policy: RotationPolicy
) -> tuple[tuple[float, int], ...]:
    """The checks worth remembering: those of the last twice ``max_lag_s``, and this one."""
    if seen.received is None:
        return ()
    kept = tuple(entry for entry in state.received_at if now - entry[0] <= 2 * policy.max_lag_s)
    return (*kept, (now, seen.received))


def _out(
    state: ReplicaState,
    reason: str,
    lag: float | None,
    seen: Observation,
    behind_since: float | None,
) -> ReplicaState:
    return replace(
        state,
        in_rotation=False,
        reason=reason,
        data_version=seen.data_version if seen.reachable else state.data_version,
        replay_lag_s=lag if seen.reachable else state.replay_lag_s,
        behind_since=behind_since,
    )


@dataclass
class RoundRobin:
    """Spreads requests over the replicas in rotation, in turn."""

    turn: int = 0

    def pick(self, states: list[ReplicaState]) -> int | None:
        """The index of the replica to read from next, or None: none is in rotation (read
        from the primary)."""
        ready = [index for index, state in enumerate(states) if state.in_rotation]
        if not ready:
            return None
        self.turn += 1
        return ready[self.turn % len(ready)]
