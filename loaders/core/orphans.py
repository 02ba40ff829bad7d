"""Worker processes that cannot outlive the load that started them. A loader killed with
SIGKILL runs no clean-up code, so its workers must learn of it themselves: on Linux the kernel
sends them SIGKILL when their parent dies (prctl PR_SET_PDEATHSIG); elsewhere a thread watches
for the parent to go. Their database sessions end with them, releasing every lock."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
_WATCH_INTERVAL_S = 1.0


def die_with_parent(parent: int) -> None:
    """Make this process die as soon as ``parent`` (the pid that started it) does."""
    if not sys.platform.startswith("linux") or not _set_parent_death_signal():
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)


def _set_parent_death_signal() -> bool:
    """Ask the kernel for SIGKILL when the parent thread dies; False when it cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:
        return False
    return int(libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)) == 0


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH_INTERVAL_S)
    os._exit(1)
