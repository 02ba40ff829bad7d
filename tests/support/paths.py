"""Where tests find the real open data kept beside the project (never inside it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from service.settings import PROJECT_ROOT

SHARED_DATA = Path(
    os.environ.get("ADDRESS_LOOKUP_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data")
)


def shared_data(relative: str) -> Path:
    """A file from ../shared/data. Outside CI a missing file skips the test with the reason;
    in CI (CI=true) it fails, so the suite can never skip itself into green."""
    path = SHARED_DATA / relative
    if not path.exists():
        reason = f"real data {path} is missing (it lives in ../shared/data beside the project)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path
