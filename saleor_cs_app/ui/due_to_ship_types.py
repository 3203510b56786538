"""The "due to ship" list's GraphQL types (issue #24): per warehouse, the orders to send today or tomorrow
and those already late."""

from __future__ import annotations

import enum
from datetime import date, datetime

import strawberry

from saleor_cs_app.care.due_to_ship import Due

ShipDue = strawberry.enum(Due, name="ShipDue", description="Late (the ship-by passed), today or tomorrow.")


@strawberry.enum(description="Where the units of a group wait.")
class WarehouseAssignment(enum.Enum):
    ALLOCATED = "allocated"  # Saleor allocated them in the warehouse named
    NOT_ALLOCATED = "not_allocated"  # stock not tracked: Saleor allocated them nowhere
    NOT_KNOWN_YET = "not_known_yet"  # stored before the app read allocations; known at the order's next event


@strawberry.type
class ItemToShip:
    name: str
    sku: str | None
    quantity: int


@strawberry.type
class DueOrder:
    order_id: str
    order_number: str
    order_url: str = strawberry.field(description="The order in the dashboard, for a new tab.")
    dashboard_path: str = strawberry.field(description="The order's path inside the dashboard, for AppBridge.")
    customer_name: str | None
    customer_email: str | None
    items: list[ItemToShip] = strawberry.field(description="What is still to ship from this warehouse.")
    ship_by: datetime = strawberry.field(description="The exclusive deadline: the ship-by day ends here.")
    ship_by_date: date = strawberry.field(description="The day it must ship by, in the shop's time zone.")
    due: ShipDue
    minutes_left: int = strawberry.field(description="Until the ship-by ends, by the app's clock; 0 once late.")
    business_days_late: int
    shipping_method: str | None
    incident_id: str | None = strawberry.field(description="The late-shipment incident, once the app opened one.")


@strawberry.type
class DueWarehouse:
    assignment: WarehouseAssignment
    warehouse_id: str | None
    name: str | None
    count: int = strawberry.field(description="Orders in this group.")
    late: int = strawberry.field(description="Of them, already past their ship-by.")
    orders: list[DueOrder]


@strawberry.type
class DueToShip:
    count: int = strawberry.field(description="Orders in the list; one split over two warehouses counts once.")
    warehouses: list[DueWarehouse]
