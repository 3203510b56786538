"""The "due to ship" list (issue #24): per warehouse, the orders not fully shipped whose ship-by day is
today or tomorrow in the shop's time zone, and those already past it (late shipments, the most urgent).

Pure: the caller reads what is still to ship per order and warehouse (store/to_ship.py) and hands it in
with the shop's promise rules; time is an argument. Ship-by is already counted in business days
(promises.ship_by), so "tomorrow" is the next calendar day: nothing more to skip here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import PromiseRules

# What is still to ship from no warehouse: the variant's stock is not tracked, so Saleor allocated nothing.
NO_WAREHOUSE = ""


class Due(Enum):
    LATE = "late"  # the ship-by passed and something is still unshipped: a late shipment
    TODAY = "today"
    TOMORROW = "tomorrow"


@dataclass(frozen=True)
class Allocation:
    warehouse_id: str
    warehouse_name: str
    quantity: int


@dataclass(frozen=True)
class LineToShip:
    """Part of an order line still to ship from one warehouse (`NO_WAREHOUSE`: none allocated;
    None: not known yet, the order was stored before the app read allocations)."""

    line_id: str
    warehouse_id: str | None
    warehouse_name: str | None
    quantity: int


def still_to_ship(line_id: str, quantity: int, fulfilled: int, allocations: Iterable[Allocation]) -> list[LineToShip]:
    """Split what a line still has to ship over the warehouses its stock is allocated in.

    Saleor lowers an allocation as its units are fulfilled, so the allocations normally add up to what
    is left; what they do not cover (stock not tracked, or not enough of it) is under `NO_WAREHOUSE`,
    and allocations beyond what is left (Saleor deallocates a moment later) are not counted twice."""
    left = max(quantity - fulfilled, 0)
    parts: list[LineToShip] = []
    for allocation in allocations:
        take = min(max(allocation.quantity, 0), left)
        if take:
            parts.append(LineToShip(line_id, allocation.warehouse_id, allocation.warehouse_name, take))
            left -= take
    if left:
        parts.append(LineToShip(line_id, NO_WAREHOUSE, None, left))
    return parts


@dataclass(frozen=True)
class Item:
    name: str
    quantity: int
    sku: str | None = None


@dataclass(frozen=True)
class OpenShipment:
    """What one order still has to ship from one warehouse, with the order's promise."""

    order_id: str
    order_number: str
    warehouse_id: str | None  # NO_WAREHOUSE, or None: not known yet (see LineToShip)
    warehouse_name: str | None
    ship_by: datetime  # exclusive deadline, as promises.ship_by makes it
    rules: PromiseRules  # the channel's: its time zone says which day is today
    items: tuple[Item, ...]
    customer_name: str | None = None
    customer_email: str | None = None
    shipping_method: str | None = None
    late_incident_id: str | None = None  # the late-shipment incident already opened for it, if any


@dataclass(frozen=True)
class DueOrder:
    shipment: OpenShipment
    due: Due
    ship_by_date: date  # the local day the order must ship by
    minutes_left: int  # until the ship-by; 0 once it passed
    business_days_late: int  # 0 unless late


@dataclass(frozen=True)
class WarehouseDue:
    warehouse_id: str | None
    warehouse_name: str | None
    orders: tuple[DueOrder, ...]


def due_of(ship_by: datetime, now: datetime, rules: PromiseRules) -> Due | None:
    """Late once the ship-by passed; today or tomorrow by the shop's calendar; None when later."""
    if now >= ship_by:
        return Due.LATE
    today = now.astimezone(promises.zone_of(rules)).date()
    day = promises.promised_local_date(ship_by, rules)
    if day <= today:
        return Due.TODAY
    if day == today + timedelta(days=1):
        return Due.TOMORROW
    return None


def due_to_ship(shipments: Iterable[OpenShipment], now: datetime) -> list[WarehouseDue]:
    """Every warehouse with something due, by name (no warehouse, then not known yet, last); in each the
    orders by ship-by, the late first, so the most urgent lead."""
    groups: dict[str | None, list[DueOrder]] = {}
    names: dict[str | None, str | None] = {}
    for shipment in shipments:
        due = due_of(shipment.ship_by, now, shipment.rules)
        if due is None or not shipment.items:
            continue
        groups.setdefault(shipment.warehouse_id, []).append(
            DueOrder(
                shipment=shipment,
                due=due,
                ship_by_date=promises.promised_local_date(shipment.ship_by, shipment.rules),
                minutes_left=max(int((shipment.ship_by - now).total_seconds() // 60), 0),
                business_days_late=promises.business_days_late(shipment.ship_by, now, shipment.rules),
            )
        )
        names[shipment.warehouse_id] = names.get(shipment.warehouse_id) or shipment.warehouse_name
    return [
        WarehouseDue(
            warehouse_id=key,
            warehouse_name=names[key],
            orders=tuple(sorted(orders, key=lambda o: (o.shipment.ship_by, _number_order(o.shipment.order_number)))),
        )
        for key, orders in sorted(groups.items(), key=lambda kv: _warehouse_order(kv[0], names[kv[0]]))
    ]


def _warehouse_order(warehouse_id: str | None, name: str | None) -> tuple:
    if warehouse_id is None:
        return (2, "", "")
    if warehouse_id == NO_WAREHOUSE:
        return (1, "", "")
    return (0, (name or "").casefold(), warehouse_id)


def _number_order(number: str) -> tuple:
    # Saleor's order numbers are integers as strings: "#9" before "#10".
    return (0, int(number), "") if number.isdigit() else (1, 0, number)
