"""Raw sockets for the tests of slow and misbehaving clients."""

from __future__ import annotations

import socket
import time


def read_until_closed(sock: socket.socket, seconds: float) -> tuple[bytes, bool]:
    """What the server sends within the time, and whether it closed the connection (a reset
    counts: a server that closes with our bytes unread resets)."""
    received, deadline = b"", time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        sock.settimeout(left)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            return received, False
        except ConnectionResetError:
            return received, True
        if not chunk:
            return received, True
        received += chunk
    return received, False


def trickle(sock: socket.socket, head: bytes, *, extra_bytes: int, every_s: float) -> None:
    """Send ``head``, then one byte every ``every_s`` seconds, stopping early if the server
    has closed the connection (as it should when that is too slow)."""
    sock.sendall(head)
    for _ in range(extra_bytes):
        time.sleep(every_s)
        try:
            sock.sendall(b"X")
        except (BrokenPipeError, ConnectionResetError):
            return
