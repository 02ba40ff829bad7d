"""The second run of a request a replica failed, as pure ASGI: the caller sees only the second
run's answer, the second run reads the same body, and an answer already begun is never run
again."""

from __future__ import annotations

import asyncio

from starlette.types import Message, Receive, Scope, Send

from service.api.replica_retry import PRIMARY_FLAG, RETRY_FLAG, ReplicaRetryMiddleware


class ReplicaFailsOnce:
    """An app whose first run fails on its replica (flags the retry, answers 503) and whose
    second run, on the primary, answers 200 with the body it read."""

    def __init__(self, *, fail_after_start: bool = False) -> None:
        self.runs: list[bool] = []  # whether each run read from the primary
        self.fail_after_start = fail_after_start

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope["state"]
        self.runs.append(bool(state.get(PRIMARY_FLAG)))
        body = (await receive())["body"]
        if len(self.runs) == 1 and not self.fail_after_start:
            state[RETRY_FLAG] = True
            await _answer(send, 503, b"replica gone")
            return
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if self.fail_after_start:
            state[RETRY_FLAG] = True
        await send({"type": "http.response.body", "body": b"read " + body})


async def _answer(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": body})


def run(app: ReplicaFailsOnce, body: bytes) -> list[Message]:
    sent: list[Message] = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive() -> Message:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: Scope = {"type": "http", "method": "POST", "path": "/v1/addresses/match"}
    asyncio.run(ReplicaRetryMiddleware(app)(scope, receive, send))
    return sent


def test_the_caller_sees_only_the_second_run_on_the_primary_with_the_same_body() -> None:
    app = ReplicaFailsOnce()
    sent = run(app, b'{"addresses": ["1 high st"]}')
    assert app.runs == [False, True]
    assert [m.get("status") for m in sent if m["type"] == "http.response.start"] == [200]
    assert sent[-1]["body"] == b'read {"addresses": ["1 high st"]}'


def test_an_answer_already_begun_goes_out_whole_and_is_not_run_again() -> None:
    app = ReplicaFailsOnce(fail_after_start=True)
    sent = run(app, b"x")
    assert app.runs == [False]
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
