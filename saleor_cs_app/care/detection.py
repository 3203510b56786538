"""Which promises an order still has open, and which it has visibly broken.

Pure: the caller turns a Saleor order payload into `OrderState`, keeps the
returned deadlines in the database and opens the returned incidents. Late
deliveries need a tracking source's evidence and are judged in late_delivery.py.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import IncidentKind, IncidentSource, PromiseRules

# Fulfilments in these states never left the warehouse as a shipment we promised.
NOT_SHIPPED = {"WAITING_FOR_APPROVAL", "CANCELED"}
CLOSED_ORDER = {"CANCELED", "EXPIRED", "DRAFT"}


@dataclass(frozen=True)
class FulfillmentState:
    id: str
    status: str
    created: datetime
    skus: tuple[str, ...]  # one entry per unit shipped
    scanned_skus: tuple[str, ...] | None  # from the pack-scan metadata key, one entry per unit
    tracking_number: str | None = None
    warehouse: str | None = None


@dataclass(frozen=True)
class OrderState:
    status: str
    created: datetime
    paid_at: datetime | None
    fully_shipped: bool
    fulfillments: tuple[FulfillmentState, ...] = ()


@dataclass(frozen=True)
class Detection:
    late_shipment: bool = True
    wrong_item: bool = True


@dataclass(frozen=True)
class Signal:
    """Evidence of a broken promise that needs no deadline: it is known now."""

    kind: IncidentKind
    source: IncidentSource
    fulfillment_id: str
    expected_skus: tuple[str, ...] = ()
    sent_skus: tuple[str, ...] = ()


@dataclass(frozen=True)
class Assessment:
    ship_by: datetime | None
    # (kind, fulfillment id or "") → when the promise breaks if nothing happens
    deadlines: dict[tuple[IncidentKind, str], datetime]
    signals: tuple[Signal, ...]


def handling_starts_at(order: OrderState, rules: PromiseRules) -> datetime | None:
    """When the handling clock starts: payment, or creation of a confirmed order."""
    if rules.count_from == "created":
        return None if order.status == "UNCONFIRMED" else order.created
    return order.paid_at


def assess(order: OrderState, rules: PromiseRules, detection: Detection, *, ship_by: datetime | None) -> Assessment:
    """`ship_by` is the promise already stored for this order, if any: once made it never moves."""
    if order.status in CLOSED_ORDER:
        return Assessment(ship_by=ship_by, deadlines={}, signals=())
    if ship_by is None:
        start = handling_starts_at(order, rules)
        ship_by = promises.ship_by(start, rules) if start is not None else None

    deadlines: dict[tuple[IncidentKind, str], datetime] = {}
    signals: list[Signal] = []
    if detection.late_shipment and ship_by is not None and not order.fully_shipped:
        deadlines[(IncidentKind.LATE_SHIPMENT, "")] = ship_by

    for f in order.fulfillments:
        if f.status in NOT_SHIPPED:
            continue
        if detection.wrong_item and f.scanned_skus is not None:
            mismatch = sku_mismatch(f.skus, f.scanned_skus)
            if mismatch is not None:
                signals.append(Signal(IncidentKind.WRONG_ITEM, IncidentSource.PACK_SCAN, f.id, *mismatch))
    return Assessment(ship_by=ship_by, deadlines=deadlines, signals=tuple(signals))


def sku_mismatch(expected: tuple[str, ...], scanned: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Compare as multisets; returns (missing expected SKUs, wrongly sent SKUs) or None when equal."""
    want, got = Counter(expected), Counter(scanned)
    if want == got:
        return None
    missing = tuple(sorted((want - got).elements()))
    extra = tuple(sorted((got - want).elements()))
    return missing, extra


def parse_sku_list(raw: str | None) -> tuple[str, ...] | None:
    """Scanned SKUs as tracking integrations write them: a JSON list or a comma-separated list."""
    if raw is None:
        return None
    raw = raw.strip()
    if raw.startswith("["):
        try:
            items = json.loads(raw)
        except ValueError:
            items = None
        if isinstance(items, list):
            return tuple(str(i).strip() for i in items if str(i).strip())
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def fully_shipped(lines: list[tuple[int, int]]) -> bool:
    """(quantity, quantity fulfilled) per line; a partial fulfilment is not shipped for the rest."""
    return all(fulfilled >= quantity for quantity, fulfilled in lines)
