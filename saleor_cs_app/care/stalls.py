"""When a parcel counts as stalled: on its way, and silent for longer than its carrier usually is.

Pure. The silence is measured from the carrier's last scan; the threshold is the carrier's learned
99th-percentile gap between scans (care/transit.py), never less than the policy's floor. A parcel not
handed over yet (info received), arrived, or already reported in trouble is not stalled: its own
situation says more.
"""

from __future__ import annotations

from datetime import datetime

from saleor_cs_app.care.model import DeliveryState
from saleor_cs_app.care.transit import after_business_hours

MOVING = frozenset({DeliveryState.IN_TRANSIT, DeliveryState.OUT_FOR_DELIVERY})


def stalled_at(
    state: DeliveryState | None, last_scan_at: datetime | None, *, after_hours: int, country: str | None
) -> datetime | None:
    """When the parcel becomes stalled if no scan comes first: `after_hours` business hours of the
    destination `country` after its last scan. None when silence cannot make it stalled."""
    if state not in MOVING or last_scan_at is None:
        return None
    return after_business_hours(last_scan_at, after_hours, country)
