"""The order page's pieces: the catalogue search of the report popup, and the parcels the widget shows."""

from __future__ import annotations

import logging
from datetime import datetime

import strawberry

from saleor_cs_app.saleor.client import SaleorError
from saleor_cs_app.store import orders, tenants
from saleor_cs_app.ui.errors import ApiError, NotFoundError
from saleor_cs_app.ui.types import DeliveryState

log = logging.getLogger(__name__)

MAX_SEARCH = 100


@strawberry.type
class CatalogueItem:
    sku: str
    name: str
    price: str | None
    currency: str | None


@strawberry.type
class Parcel:
    fulfillment_id: str
    tracking_number: str | None
    state: DeliveryState | None = strawberry.field(description="The tracking state, when known.")
    carrier_status: str | None
    carrier_status_at: datetime | None
    carrier_expected_date: str | None


def catalogue_search(info: strawberry.Info, order_id: strawberry.ID, search: str) -> list[CatalogueItem]:
    """Variants in the order's channel whose product name, variant name or SKU contains `search`."""
    words = search.strip()[:MAX_SEARCH]
    if len(words) < 2:
        return []
    runtime, tenant_id = info.context.runtime, info.context.caller.tenant_id
    with runtime.db.read() as session:
        tracked = orders.find(session, tenant_id, str(order_id))
        if tracked is None:
            raise NotFoundError("The app does not track this order")
        channel = tracked.channel_slug
        client = runtime.saleor_client(tenants.get(session, tenant_id))
    try:
        data = client.execute("VariantSearch", {"search": words, "channel": channel})
    except (SaleorError, OSError) as exc:
        log.info("catalogue search failed", extra={"error": type(exc).__name__})
        raise ApiError("Saleor's catalogue cannot be searched right now; try again in a moment.", "SALEOR") from None
    found = []
    for edge in (data.get("productVariants") or {}).get("edges") or ():
        node = edge["node"]
        if not node.get("sku"):
            continue
        price = (((node.get("pricing") or {}).get("price") or {}).get("gross")) or {}
        name = " ".join(filter(None, [(node.get("product") or {}).get("name"), node.get("name")]))
        found.append(
            CatalogueItem(
                sku=node["sku"],
                name=name or node["sku"],
                price=None if price.get("amount") is None else str(price["amount"]),
                currency=price.get("currency"),
            )
        )
    return found


def parcels_of(runtime, tenant_id: int, order_id: str) -> list[Parcel]:
    """The tracking module's latest state per fulfilment where it is installed; else the tracking numbers."""
    try:
        from saleor_cs_app.tracking.status import latest_for_order
    except ImportError:
        latest_for_order = None
    with runtime.db.read() as session:
        if latest_for_order is not None:
            return [
                Parcel(
                    fulfillment_id=p.fulfillment_id,
                    tracking_number=p.tracking_number,
                    state=getattr(p.state, "value", p.state),
                    carrier_status=p.carrier_status,
                    carrier_status_at=p.carrier_status_at,
                    carrier_expected_date=None if p.carrier_expected_date is None else str(p.carrier_expected_date),
                )
                for p in latest_for_order(session, tenant_id, order_id)
            ]
        tracked = orders.find(session, tenant_id, order_id)
        fulfillments = ((tracked.facts or {}).get("fulfillments") or {}) if tracked else {}
        return [
            Parcel(
                fulfillment_id=fid,
                tracking_number=f.get("tracking_number"),
                state=None,
                carrier_status=None,
                carrier_status_at=None,
                carrier_expected_date=None,
            )
            for fid, f in fulfillments.items()
        ]
