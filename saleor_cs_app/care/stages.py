"""Which leg of its journey a parcel is in, and since when, from its carrier's stage-tagged scans. Pure.

A stage is counted from the first scan of an unbroken run of scans in that stage: a parcel whose scans go
line-haul, line-haul, destination has been at the depot since the destination scan. Scans that name no
stage (an exception, the delivery itself, a source that does not tell) neither start nor end a run.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from saleor_cs_app.care.model import Stage


def runs(scans: Iterable[tuple[datetime, Stage | None]]) -> list[tuple[Stage, datetime]]:
    """(stage, entered at) of each run of scans in one stage, oldest first; scans come in any order."""
    found: list[tuple[Stage, datetime]] = []
    for at, stage in sorted((s for s in scans if s[1] is not None), key=lambda s: s[0]):
        if not found or found[-1][0] is not stage:
            found.append((stage, at))
    return found


def current(scans: Iterable[tuple[datetime, Stage | None]]) -> tuple[Stage, datetime] | None:
    """The stage of the latest staged scan and when that run began; None when no scan names a stage."""
    found = runs(scans)
    return found[-1] if found else None
