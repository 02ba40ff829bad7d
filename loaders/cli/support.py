"""What every command shares: its consoles, and running a coroutine to its end."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from rich.console import Console

T = TypeVar("T")

err = Console(stderr=True, highlight=False, soft_wrap=True)
# Off a terminal (logs, CI, pipes) rich would assume 80 columns and squeeze the tables.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 160)


def run_async(coroutine_fn: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
    return asyncio.run(coroutine_fn(*args))
