"""AfterShip webhooks: the signature check and the reading of a body into a delivery report. Pure.

Signature: header `aftership-hmac-sha256`, the base64 HMAC-SHA256 of the raw body
keyed with the account's webhook secret (…/tracking/webhook/webhook-signature).
Events: `tracking_update` (a new tag), `edd_revise` (a revised expected date).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

from saleor_cs_app.care.model import DeliveryState, Stage
from saleor_cs_app.tracking.aftership import NAME
from saleor_cs_app.tracking.report import DeliveryReport, Scan, carrier_time

SIGNATURE_HEADER = "aftership-hmac-sha256"
EVENTS = ("tracking_update", "edd_revise")

TAGS = {
    "InfoReceived": DeliveryState.INFO_RECEIVED,
    "InTransit": DeliveryState.IN_TRANSIT,
    "OutForDelivery": DeliveryState.OUT_FOR_DELIVERY,
    "AvailableForPickup": DeliveryState.AVAILABLE_FOR_PICKUP,
    "Delivered": DeliveryState.DELIVERED,
    "AttemptFail": DeliveryState.ATTEMPT_FAIL,
    "Exception": DeliveryState.EXCEPTION,
    "Expired": DeliveryState.EXPIRED,
    "Pending": None,  # AfterShip follows it but has no information from the carrier yet
}
# Exception subtags that say more than "exception" (…/tracking/enum/delivery_sub_statuses).
SUBTAGS = {"Exception_011": DeliveryState.RETURNED, "Exception_013": DeliveryState.LOST}
# The leg a checkpoint names (care.model.Stage), from its tag, or its subtag where that says more
# (…/tracking/enum/delivery-sub-statuses). "Arrived at the destination country" (InTransit_004) and customs
# (InTransit_005) are still line-haul: the domestic trunk to the depot lies ahead.
STAGE_TAGS = {"InfoReceived": Stage.ORIGIN, "InTransit": Stage.LINE_HAUL, "OutForDelivery": Stage.OUT_FOR_DELIVERY}
STAGE_SUBTAGS = {"InTransit_003": Stage.DESTINATION}  # arrived at the delivery facility
# How the carriers spell themselves, by AfterShip slug or by the slug's first part ("dpd-uk", "brt-it"): the
# e-mails and the page name them to the customer, never as "Dpd Uk" or "Myhermes Uk".
CARRIER_NAMES = {
    "dhl": "DHL", "dhlparcel": "DHL", "ups": "UPS", "fedex": "FedEx", "usps": "USPS", "gls": "GLS", "dpd": "DPD",
    "interlink-express": "DPD", "tnt": "TNT", "myhermes": "Evri", "parcel-force": "Parcelforce", "postnl": "PostNL",
    "postnord": "PostNord", "inpost": "InPost", "brt": "BRT", "seur": "SEUR", "bpost": "bpost",
}  # fmt: skip


class MalformedWebhook(ValueError):
    pass


@dataclass(frozen=True)
class AfterShipEvent:
    event_id: str
    event: str
    tracking_number: str
    state_reported: bool  # edd_revise carries the tag too, but only the date is news
    report_fields: dict


def signature(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    return bool(header) and hmac.compare_digest(signature(secret, body), header.strip())


def parse(body: bytes) -> AfterShipEvent:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedWebhook("the body is not JSON") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("msg"), dict):
        raise MalformedWebhook("no msg object")
    event_id, event, msg = payload.get("event_id"), payload.get("event"), payload["msg"]
    if not isinstance(event_id, str) or not event_id.strip() or len(event_id) > 200:
        raise MalformedWebhook("no event_id")
    if event not in EVENTS:
        raise MalformedWebhook(f"unknown event {str(event)[:40]!r}")
    number = msg.get("tracking_number")
    if not isinstance(number, str) or not number.strip():
        raise MalformedWebhook("no msg.tracking_number")
    tag = msg.get("tag")
    if event == "tracking_update" and tag not in TAGS:
        raise MalformedWebhook(f"unknown tag {str(tag)[:40]!r}")
    checkpoint = _latest_checkpoint(msg.get("checkpoints"))
    sent_at = _timestamp(payload.get("ts"))
    fields = {
        "state": SUBTAGS.get(msg.get("subtag"), TAGS.get(tag)),
        "carrier_name": _carrier_name(msg.get("slug")),
        "carrier_status": _text(checkpoint.get("message")) or _text(msg.get("subtag_message")),
        "carrier_status_at": _time(checkpoint.get("checkpoint_time")) or sent_at,
        "carrier_location": _place(checkpoint),
        "carrier_expected_date": _expected_date(msg),
        "tracking_url": _text(msg.get("courier_tracking_link")) or _text(msg.get("aftership_tracking_url")),
        "scans": _scans(msg.get("checkpoints")),
    }
    return AfterShipEvent(
        event_id=event_id.strip(),
        event=event,
        tracking_number=number.strip(),
        state_reported=event == "tracking_update",
        report_fields=fields,
    )


def report_for(event: AfterShipEvent, fulfillment_id: str) -> DeliveryReport:
    fields = dict(event.report_fields)
    if not event.state_reported:
        fields = {"carrier_expected_date": fields["carrier_expected_date"], "state": None, "scans": fields["scans"]}
    return DeliveryReport(source=NAME, fulfillment_id=fulfillment_id, tracking_number=event.tracking_number, **fields)


def _place(checkpoint: dict) -> str | None:
    """Where a checkpoint was: AfterShip's `location`, else the city and country it names."""
    place = _text(checkpoint.get("location"))
    if not place:
        place = ", ".join(filter(None, (_text(checkpoint.get("city")), _text(checkpoint.get("country_name")))))
    return place[:300] if place else None


def _latest_checkpoint(checkpoints) -> dict:
    if not isinstance(checkpoints, list):
        return {}
    dated = [c for c in checkpoints if isinstance(c, dict) and _time(c.get("checkpoint_time"))]
    return max(dated, key=lambda c: _time(c["checkpoint_time"])) if dated else {}


def _scans(checkpoints) -> tuple[Scan, ...]:
    """Every dated checkpoint: its words, its place (location, else city and country), its tag."""
    if not isinstance(checkpoints, list):
        return ()
    scans = []
    for c in checkpoints[:200]:
        at = _time(c.get("checkpoint_time")) if isinstance(c, dict) else None
        if at is None:
            continue
        place = _text(c.get("location")) or ", ".join(
            filter(None, (_text(c.get("city")), _text(c.get("country_name")) or _text(c.get("country_iso3"))))
        )
        state = SUBTAGS.get(c.get("subtag"), TAGS.get(c.get("tag")))
        stage = stage_of(c.get("tag"), c.get("subtag"))
        scans.append(Scan(at, _text(c.get("message")), (place or None) and place[:300], state, stage))
    return tuple(scans)


def stage_of(tag, subtag) -> Stage | None:
    if not isinstance(tag, str):
        return None
    return STAGE_SUBTAGS.get(subtag) if isinstance(subtag, str) and subtag in STAGE_SUBTAGS else STAGE_TAGS.get(tag)


def _expected_date(msg: dict) -> date | None:
    latest = msg.get("latest_estimated_delivery") or {}
    courier = msg.get("courier_estimated_delivery_date") or {}
    for value in (
        latest.get("datetime") if isinstance(latest, dict) else None,
        latest.get("datetime_max") if isinstance(latest, dict) else None,
        courier.get("estimated_delivery_date") if isinstance(courier, dict) else None,
    ):
        if isinstance(value, str) and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def _time(value) -> datetime | None:
    return carrier_time(value, naive_is_utc=False)


def _timestamp(value) -> datetime | None:
    return datetime.fromtimestamp(value, timezone.utc) if isinstance(value, int | float) and value > 0 else None


def _text(value) -> str | None:
    return value.strip()[:500] if isinstance(value, str) and value.strip() else None


def _carrier_name(slug) -> str | None:
    if not isinstance(slug, str) or not slug:
        return None
    slug = slug.lower()
    return CARRIER_NAMES.get(slug) or CARRIER_NAMES.get(slug.split("-")[0]) or slug.replace("-", " ").title()
