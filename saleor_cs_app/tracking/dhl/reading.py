"""A DHL shipment (Unified API) read into a delivery report, and when to ask again. Pure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from saleor_cs_app.care.model import DeliveryState, Stage
from saleor_cs_app.tracking.dhl import NAME
from saleor_cs_app.tracking.report import DeliveryReport, Scan, carrier_time

STATUS_CODES = {
    "pre-transit": DeliveryState.INFO_RECEIVED,
    "transit": DeliveryState.IN_TRANSIT,
    "delivered": DeliveryState.DELIVERED,
    "failure": DeliveryState.EXCEPTION,
    "unknown": None,
}
# DHL's status codes name no leg beyond "pre-transit" and "transit"; its event descriptions do, in words
# that repeat across its parcel and express networks ("Arrived at Delivery Facility", "With delivery
# courier", "The shipment has been loaded onto the delivery vehicle"). Lower-case fragments, checked in order.
STAGE_CODES = {"pre-transit": Stage.ORIGIN, "transit": Stage.LINE_HAUL}
STAGE_WORDS = (
    ("with delivery courier", Stage.OUT_FOR_DELIVERY),
    ("out for delivery", Stage.OUT_FOR_DELIVERY),
    ("loaded onto the delivery vehicle", Stage.OUT_FOR_DELIVERY),
    ("delivery facility", Stage.DESTINATION),
    ("delivery base", Stage.DESTINATION),
)
DAILY_CALLS = 250  # the free tier's daily allowance; the poller never plans beyond it


def is_dhl(shipping_method_name: str | None, tracking_number: str | None) -> bool:
    if not tracking_number:
        return False
    if "dhl" in (shipping_method_name or "").lower():
        return True
    number = tracking_number.strip().upper()
    return number.startswith(("JJD", "00340434", "JVGL"))


def report_from(shipment: dict, fulfillment_id: str, tracking_number: str) -> DeliveryReport:
    status = shipment.get("status") if isinstance(shipment.get("status"), dict) else {}
    words = status.get("description") or status.get("status")
    return DeliveryReport(
        source=NAME,
        fulfillment_id=fulfillment_id,
        state=STATUS_CODES.get(str(status.get("statusCode") or "unknown").lower()),
        carrier_name="DHL",
        carrier_status=str(words).strip()[:500] if words else None,
        carrier_status_at=_time(status.get("timestamp")),
        carrier_expected_date=_date(shipment.get("estimatedTimeOfDelivery")),
        carrier_location=_place(status),
        tracking_number=tracking_number,
        scans=_scans(shipment.get("events")),
    )


def _place(status: dict) -> str | None:
    """The event's place: DHL's `location.address.addressLocality` (a city, sometimes with its country)."""
    address = ((status.get("location") or {}).get("address") or {}) if isinstance(status.get("location"), dict) else {}
    place = address.get("addressLocality") if isinstance(address, dict) else None
    return str(place).strip()[:300] if isinstance(place, str) and place.strip() else None
def _scans(events) -> tuple[Scan, ...]:
    """The shipment's events (each like `status`): time, words, the place's locality."""
    if not isinstance(events, list):
        return ()
    scans = []
    for event in events[:200]:
        at = _time(event.get("timestamp")) if isinstance(event, dict) else None
        if at is None:
            continue
        words = event.get("description") or event.get("status")
        address = ((event.get("location") or {}).get("address") or {}) if isinstance(event.get("location"), dict) else {}
        place = address.get("addressLocality") if isinstance(address, dict) else None
        code = str(event.get("statusCode") or "unknown").lower()
        text = str(words).strip()[:500] if words else None
        scans.append(Scan(at, text, str(place)[:300] if place else None, STATUS_CODES.get(code), stage_of(code, text)))
    return tuple(scans)


def stage_of(status_code: str, words: str | None) -> Stage | None:
    """The leg a DHL event names: its words where they name one, else its status code's."""
    stage = STAGE_CODES.get(status_code)
    if stage is Stage.LINE_HAUL and words:
        lowered = words.lower()
        stage = next((named for fragment, named in STAGE_WORDS if fragment in lowered), stage)
    return stage


def next_poll(now: datetime, deadline: datetime | None) -> datetime:
    """Rarely while the deadline is far, often as it nears, twice a day once it has passed."""
    if deadline is None:
        return now + timedelta(hours=24)
    left = deadline - now
    if left > timedelta(days=3):
        step = timedelta(hours=24)
    elif left > timedelta(days=1):
        step = timedelta(hours=8)
    elif left > timedelta(0):
        step = timedelta(hours=3)
    else:
        step = timedelta(hours=12)
    if timedelta(0) < left < step:
        return deadline + timedelta(minutes=5)  # look right after it passes
    return now + step


def _time(value) -> datetime | None:
    # DHL's timestamps without an offset are the event's local time; UTC is the nearest defensible guess.
    return carrier_time(value, naive_is_utc=True)


def _date(value) -> date | None:
    if isinstance(value, str) and len(value) >= 10:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None
