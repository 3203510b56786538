"""Source: fulfilment metadata written by any integration (a shipping plugin, a WMS, a script).

The merchant names the key in the policy (`detection.delivery_status_key`,
default `delivery.status`). A fulfilment that carries the key is followed by
this source; its value is the state. Pure.
"""

from __future__ import annotations

import re

from saleor_cs_app.care.model import DeliveryState
from saleor_cs_app.tracking.report import DeliveryReport

NAME = "metadata"

# Integrations spell states their own way: "delivered", "InTransit", "failed-attempt" …
_ALIASES = {
    "pending": DeliveryState.INFO_RECEIVED,
    "inforeceived": DeliveryState.INFO_RECEIVED,
    "labelcreated": DeliveryState.INFO_RECEIVED,
    "shipped": DeliveryState.IN_TRANSIT,
    "intransit": DeliveryState.IN_TRANSIT,
    "outfordelivery": DeliveryState.OUT_FOR_DELIVERY,
    "availableforpickup": DeliveryState.AVAILABLE_FOR_PICKUP,
    "readyforpickup": DeliveryState.AVAILABLE_FOR_PICKUP,
    "delivered": DeliveryState.DELIVERED,
    "attemptfail": DeliveryState.ATTEMPT_FAIL,
    "failedattempt": DeliveryState.ATTEMPT_FAIL,
    "attemptfailed": DeliveryState.ATTEMPT_FAIL,
    "exception": DeliveryState.EXCEPTION,
    "expired": DeliveryState.EXPIRED,
    "returned": DeliveryState.RETURNED,
    "returnedtosender": DeliveryState.RETURNED,
    "lost": DeliveryState.LOST,
}


def parse_state(value: str) -> DeliveryState | None:
    return _ALIASES.get(re.sub(r"[^a-z]", "", value.lower()))


def reports_from_order(order: dict, key: str) -> list[DeliveryReport]:
    """One report per fulfilment of a Saleor order payload that carries the key."""
    reports = []
    for fulfillment in order.get("fulfillments") or []:
        value = next((m.get("value") for m in fulfillment.get("metadata") or [] if m.get("key") == key), None)
        if value is None or not str(value).strip():
            continue
        reports.append(
            DeliveryReport(
                source=NAME,
                fulfillment_id=fulfillment["id"],
                state=parse_state(str(value)),
                tracking_number=fulfillment.get("trackingNumber") or None,
            )
        )
    return reports
