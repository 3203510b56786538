"""The "due to ship" list: the stored unshipped lines of orders due soon, put through the pure rule
(care/due_to_ship.py) with each channel's promise rules and the app's clock."""

from __future__ import annotations

from datetime import timedelta

import strawberry

from saleor_cs_app.care import due_to_ship as rule
from saleor_cs_app.store import policies, to_ship
from saleor_cs_app.ui.due_to_ship_types import DueOrder, DueToShip, DueWarehouse, ItemToShip, WarehouseAssignment
from saleor_cs_app.ui.incident_types import dashboard_order_path, dashboard_order_url
from saleor_cs_app.watch.opening import rules_for

# Wider than any zone's end of tomorrow (at most 48 hours and a DST hour away); the rule decides exactly.
HORIZON = timedelta(days=3)


def due_to_ship(info: strawberry.Info) -> DueToShip:
    runtime, caller = info.context.runtime, info.context.caller
    now = runtime.clock()
    with runtime.db.read() as session:
        policy = policies.load(session, caller.tenant_id)
        found = to_ship.unshipped_before(session, caller.tenant_id, now + HORIZON)
        incidents = to_ship.late_shipment_incidents(session, caller.tenant_id, [order.order_id for order, _ in found])
        shipments = [
            shipment
            for order, lines in found
            for shipment in _shipments(order, lines, rules_for(policy, order), incidents.get(order.order_id))
        ]
    groups = rule.due_to_ship(shipments, now)
    return DueToShip(
        count=len({o.shipment.order_id for g in groups for o in g.orders}),
        warehouses=[_warehouse(g, caller.saleor_api_url) for g in groups],
    )


def _shipments(order, lines, rules, incident_id) -> list[rule.OpenShipment]:
    """One per warehouse the order's unshipped units wait in."""
    facts = order.facts or {}
    named = {line.get("line_id"): line for line in facts.get("lines") or []}
    by_warehouse: dict[str | None, list] = {}
    for line in lines:
        by_warehouse.setdefault(line.warehouse_id, []).append(line)
    return [
        rule.OpenShipment(
            order_id=order.order_id,
            order_number=order.number,
            warehouse_id=warehouse_id,
            warehouse_name=next((l.warehouse_name for l in rows if l.warehouse_name), None),
            ship_by=order.ship_by,
            rules=rules,
            items=tuple(_item(named.get(l.line_id) or {}, l.quantity) for l in rows),
            customer_name=facts.get("customer_first_name"),
            customer_email=facts.get("customer_email"),
            shipping_method=facts.get("shipping_method_name"),
            late_incident_id=incident_id,
        )
        for warehouse_id, rows in by_warehouse.items()
    ]


def _item(line: dict, quantity: int) -> rule.Item:
    return rule.Item(name=str(line.get("name") or line.get("sku") or "?"), quantity=quantity, sku=line.get("sku"))


def _warehouse(group: rule.WarehouseDue, saleor_api_url: str) -> DueWarehouse:
    assignment = (
        WarehouseAssignment.NOT_KNOWN_YET
        if group.warehouse_id is None
        else WarehouseAssignment.NOT_ALLOCATED
        if group.warehouse_id == rule.NO_WAREHOUSE
        else WarehouseAssignment.ALLOCATED
    )
    return DueWarehouse(
        assignment=assignment,
        warehouse_id=group.warehouse_id or None,
        name=group.warehouse_name if assignment is WarehouseAssignment.ALLOCATED else None,
        count=len(group.orders),
        late=sum(o.due is rule.Due.LATE for o in group.orders),
        orders=[_order(o, saleor_api_url) for o in group.orders],
    )


def _order(due: rule.DueOrder, saleor_api_url: str) -> DueOrder:
    s = due.shipment
    return DueOrder(
        order_id=s.order_id,
        order_number=s.order_number,
        order_url=dashboard_order_url(saleor_api_url, s.order_id),
        dashboard_path=dashboard_order_path(s.order_id),
        customer_name=s.customer_name,
        customer_email=s.customer_email,
        items=[ItemToShip(name=i.name, sku=i.sku, quantity=i.quantity) for i in s.items],
        ship_by=s.ship_by,
        ship_by_date=due.ship_by_date,
        due=due.due,
        minutes_left=due.minutes_left,
        business_days_late=due.business_days_late,
        shipping_method=s.shipping_method,
        incident_id=s.late_incident_id,
    )
