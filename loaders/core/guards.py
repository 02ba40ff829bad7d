"""Guards every load passes before it changes live data: not too many refused rows, and no
replacing live data with nothing or with much less, unless the operator says so (--force).
A refusal says what would have changed, so the operator can tell a bad file from a real cut."""

from __future__ import annotations

from dataclasses import dataclass

from loaders.core.report import LoadReport
from loaders.errors import CliError

DEFAULT_MAX_SHRINK = 0.10


@dataclass(frozen=True)
class ReplaceLimits:
    """How much a load may take away from the live data without --force."""

    max_shrink: float = DEFAULT_MAX_SHRINK
    force: bool = False


DEFAULT_LIMITS = ReplaceLimits()


def check_replacement(what: str, before: int, after: int, limits: ReplaceLimits) -> None:
    """Refuse to replace ``before`` live rows of ``what`` by ``after`` when that empties the
    data or shrinks it by more than --max-shrink, unless --force was given."""
    if limits.force or before == 0 or after >= before:
        return
    if after == 0:
        raise CliError(
            f"this load would replace the {before:,} live {what} with none; the live data is "
            "unchanged. Check the input; pass --force to empty it on purpose"
        )
    shrink = (before - after) / before
    if shrink > limits.max_shrink:
        raise CliError(
            f"this load would take the live {what} from {before:,} to {after:,} "
            f"({shrink:.1%} fewer), more than --max-shrink {limits.max_shrink:.0%}; the live "
            "data is unchanged. Check the input; pass --force (or a larger --max-shrink) to "
            "load it anyway"
        )


def check_reject_rate(report: LoadReport, max_rate: float) -> None:
    """Refuse a load when more of its input than --max-reject-rate was refused."""
    rate = report.reject_rate()
    if rate > max_rate:
        raise CliError(
            f"{report.rejected:,} of {report.read:,} rows ({rate:.2%}) were rejected, "
            f"more than --max-reject-rate {max_rate:.2%}; the live data is "
            f"unchanged. See {report.rejects_path} for each row and its reason."
        )
