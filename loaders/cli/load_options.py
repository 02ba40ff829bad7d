"""Options every ``load`` command shares: the guards against refused rows and against
replacing live data with nothing or with much less, and how long a swap may wait."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Load even if it empties the live data or shrinks it by more than --max-shrink.",
    ),
]
MaxShrinkOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        max=1.0,
        help="Refuse (changing nothing) a load that would shrink the live data by more than "
        "this share (0.1 = 10 %); the refusal gives the counts before and after.",
    ),
]
SwapWaitOption = Annotated[
    float,
    typer.Option(
        min=0.0,
        help="Seconds a full load waits for other sessions (a pg_dump, a long report) to let "
        "go of the live tables before it gives up, naming them, with the live data unchanged. "
        "It never makes the service's queries wait meanwhile.",
    ),
]
RejectsDirOption = Annotated[
    Path,
    typer.Option(
        help="Folder for the rejects file: every refused row with its line and the reason.",
    ),
]


MaxRejectRateOption = Annotated[
    float,
    typer.Option(
        min=0.0, max=1.0, help="Fail, changing nothing, if more than this share of rows is bad."
    ),
]
