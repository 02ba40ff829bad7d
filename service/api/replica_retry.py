"""A request that a read replica failed (it stopped under the request, or replay cancelled its
query) runs once more, on the primary, before anything of its answer is sent: the caller sees
a normal answer, not a 503. Every lookup only reads, so running it again is safe; its body is
kept as it arrives so that the second run reads the same one.

The innermost middleware: the time budget, the keys gate and the usage count around it see one
request, however many runs it took."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.pool_metrics import READ_RETRIES

RETRY_FLAG = "retry_on_primary"
PRIMARY_FLAG = "read_from_primary"


class ReplicaRetryMiddleware:
    """Runs a request again on the primary when its replica failed it (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        body: list[Message] = []

        async def receive_kept() -> Message:
            message = await receive()
            body.append(message)
            return message

        started = False

        async def send_unless_retrying(message: Message) -> None:
            nonlocal started
            if started or not state.get(RETRY_FLAG):  # once begun, an answer goes out whole
                started = True
                await send(message)

        await self.app(scope, receive_kept, send_unless_retrying)
        if state.get(RETRY_FLAG) and not started:
            state[RETRY_FLAG], state[PRIMARY_FLAG] = False, True
            READ_RETRIES.inc()
            await self.app(scope, _replay(body, receive), send)


def _replay(kept: list[Message], receive: Receive) -> Receive:
    """The messages the first run received, then whatever else arrives."""
    pending = list(kept)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed
