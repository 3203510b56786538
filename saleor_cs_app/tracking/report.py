"""The one small interface every tracking source speaks: a report about one parcel.

Pure. A source (fulfilment metadata, AfterShip, DHL) turns its own input into
these; everything after that is the same for every source.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone

from saleor_cs_app.care.model import DeliveryState, Stage

__all__ = ["DeliveryReport", "DeliveryState", "ParcelStatus", "Scan", "Stage"]


@dataclass(frozen=True)
class Scan:
    """One checkpoint in a parcel's history, as the carrier reported it."""

    at: datetime  # UTC
    words: str | None
    place: str | None = None
    state: DeliveryState | None = None
    stage: Stage | None = None  # the leg the carrier names (line-haul, depot, out for delivery), when it does


@dataclass(frozen=True)
class DeliveryReport:
    """What one source says about one fulfilment now. None means "the source did not say"."""

    source: str  # "metadata" | "aftership" | "dhl"
    fulfillment_id: str
    state: DeliveryState | None  # None: the source follows the parcel but named no state we know
    carrier_name: str | None = None
    carrier_status: str | None = None  # the carrier's own words for the latest checkpoint
    carrier_status_at: datetime | None = None
    carrier_expected_date: date | None = None
    tracking_url: str | None = None
    tracking_number: str | None = None
    carrier_location: str | None = None  # where the latest checkpoint was, in the carrier's words
    # The parcel's history as the source sent it, in any order; empty when it sends only the latest word.
    scans: tuple[Scan, ...] = ()

    def all_scans(self) -> tuple[Scan, ...]:
        """The history, or the latest word as its one scan when the source sent no history."""
        if self.scans:
            return self.scans
        if self.carrier_status_at is None or not (self.carrier_status or self.state):
            return ()
        return (Scan(self.carrier_status_at, self.carrier_status, None, self.state),)


@dataclass(frozen=True)
class ParcelStatus:
    """The latest known delivery state of one fulfilment, for pages and messages."""

    fulfillment_id: str
    source: str | None
    state: str | None
    carrier_status: str | None
    carrier_status_at: datetime | None
    carrier_expected_date: date | None
    tracking_number: str | None
    carrier_name: str | None = None
    tracking_url: str | None = None
    followed_by: tuple[str, ...] = ()


def carrier_time(value, *, naive_is_utc: bool) -> datetime | None:
    """A carrier's ISO-8601 timestamp in UTC. One without an offset is the carrier's local time:
    taken as UTC only where the source's docs say so, otherwise it cannot be placed (None)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc) if naive_is_utc else None
    return parsed.astimezone(timezone.utc)
