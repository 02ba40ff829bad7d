"""How long and how large one request may be (the sizes are in ``service.api.sizes``). A body
that declares a length over the cap is refused with 413 before it is read, one that turns
out longer as soon as it passes the cap. (FastAPI's own ``max_body_size`` would answer in
plain text rather than in the one error body.)

The time budget runs round the whole request: when it is spent the handler is cancelled where
it waits (a statement is cancelled on the server too, and a bulk match stops between
addresses), and the caller gets 503 ``time_budget_exceeded``. A client that sends its body too
slowly gets 408 and its connection is closed; slow headers are the HTTP protocol's business
(``service.api.slowclients``)."""

from __future__ import annotations

import asyncio
import logging
import time

from fastapi import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import from_http_exception, render
from service.api.sizes import MAX_BODY_BYTES
from service.db.outages import too_slow

log = logging.getLogger("address_lookup.limits")


class BodyTooSlow(HTTPException):
    """The client did not send its body within the body timeout (an HTTPException, which
    FastAPI passes on while it reads a body, where it would turn anything else into a 400)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"The request body did not arrive within {seconds:g} seconds")


class TimeBudgetMiddleware:
    """Stops a request that outlives its time budget, and a body that arrives too slowly
    (pure ASGI: it wraps the handler's task itself, so the work really stops)."""

    def __init__(self, app: ASGIApp, *, budget_s: float, body_timeout_s: float) -> None:
        self.app = app
        self.budget_s = budget_s
        self.body_timeout_s = body_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _declared_length(scope) > MAX_BODY_BYTES:
            # Refused here, unread: FastAPI's own limit would answer in plain text.
            request = Request(scope)
            await render(from_http_exception(HTTPException(413), request), request)(
                scope, receive, send
            )
            return
        started, received = False, 0
        body_deadline = time.monotonic() + self.body_timeout_s

        async def receive_in_time() -> Message:
            nonlocal received
            try:
                async with asyncio.timeout_at(_loop_time(body_deadline)):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow(self.body_timeout_s) from None
            received += len(message.get("body", b""))
            if received > MAX_BODY_BYTES:  # sent without a length, or longer than it said
                raise HTTPException(413)
            return message

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        budget = asyncio.timeout(self.budget_s)
        try:
            async with budget:
                await self.app(scope, receive_in_time, send_tracked)
        except TimeoutError:
            if not budget.expired():
                raise
            log.warning("request stopped after its %.1f s budget", self.budget_s)
            if not started:
                await render(too_slow(), Request(scope))(scope, receive, send)


def _declared_length(scope: Scope) -> int:
    """The Content-Length a request declares (0 when none, or not a number)."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


def _loop_time(monotonic_deadline: float) -> float:
    """A time.monotonic() deadline on the running loop's clock."""
    return asyncio.get_running_loop().time() + (monotonic_deadline - time.monotonic())
