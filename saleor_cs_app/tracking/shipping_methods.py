"""The shop's shipping methods in Saleor, to open one from the promise advice and apply its new
`maximumDeliveryDays` (shippingPriceUpdate).

Both need MANAGE_SHIPPING, which the manifest does not ask: the merchant may grant it (the app's
permissions in the dashboard), and until then the page links to the shipping zones instead. The advice is
keyed by the method's name as orders carry it (`shippingMethodName`), so a name is matched to every
method of that name, in whichever zone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from saleor_cs_app.care.transit import Segment
from saleor_cs_app.saleor.client import SaleorClient, SaleorError, SaleorGraphQLError

log = logging.getLogger(__name__)

PERMISSION = "MANAGE_SHIPPING"
MAX_PAGES = 20  # 2,000 zones: more than any shop has; the loop ends even if Saleor's cursor never does


@dataclass(frozen=True)
class SaleorShippingMethod:
    zone_id: str
    zone_name: str
    method_id: str  # ShippingMethodType ID: what the dashboard's rate page and shippingPriceUpdate take
    name: str
    minimum_delivery_days: int | None
    maximum_delivery_days: int | None

    @property
    def key(self) -> str:
        """The advice's key for this method (care.transit.Segment: its name, trimmed and lower case)."""
        return Segment.of(self.name, None, None).method


def granted(client: SaleorClient) -> bool:
    """Whether the app holds MANAGE_SHIPPING now (the merchant can grant or withdraw it at any time)."""
    try:
        app = client.execute("AppPermissions").get("app") or {}
    except SaleorError as exc:
        log.info("app permissions unavailable", extra={"error": type(exc).__name__})
        return False
    return any(p.get("code") == PERMISSION for p in app.get("permissions") or ())


def methods(client: SaleorClient) -> list[SaleorShippingMethod]:
    """Every shipping method of every zone; [] when the app may not read them."""
    found: list[SaleorShippingMethod] = []
    after = None
    for _ in range(MAX_PAGES):
        try:
            page = client.execute("ShippingZones", {"after": after}).get("shippingZones") or {}
        except SaleorGraphQLError as exc:
            if exc.is_permission_denied:
                return []
            raise
        for edge in page.get("edges") or ():
            zone = edge["node"]
            found += [
                SaleorShippingMethod(
                    zone_id=zone["id"],
                    zone_name=zone["name"],
                    method_id=m["id"],
                    name=m["name"],
                    minimum_delivery_days=m.get("minimumDeliveryDays"),
                    maximum_delivery_days=m.get("maximumDeliveryDays"),
                )
                for m in zone.get("shippingMethods") or ()
            ]
        info = page.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            break
        after = info.get("endCursor")
    return found


class NotApplied(Exception):
    """Saleor refused the change; the message is Saleor's (or says which method was not found)."""


def apply_maximum_days(client: SaleorClient, method_id: str, days: int) -> SaleorShippingMethod:
    """Set the method's maximumDeliveryDays to `days`. A minimum above it is lowered to `days` with it:
    Saleor refuses a maximum under the minimum, and a promise of "3–2 days" means nothing."""
    current = next((m for m in methods(client) if m.method_id == method_id), None)
    if current is None:
        raise NotApplied("No such shipping method in Saleor, or the app may not change it.")
    change: dict = {"maximumDeliveryDays": days}
    if current.minimum_delivery_days is not None and current.minimum_delivery_days > days:
        change["minimumDeliveryDays"] = days
    payload = client.execute("ShippingPriceUpdate", {"id": method_id, "input": change}).get("shippingPriceUpdate") or {}
    if payload.get("errors"):
        raise NotApplied("; ".join(e.get("message") or e.get("code") or "refused" for e in payload["errors"]))
    saved = payload.get("shippingMethod") or {}
    return SaleorShippingMethod(
        zone_id=current.zone_id,
        zone_name=current.zone_name,
        method_id=method_id,
        name=current.name,
        minimum_delivery_days=saved.get("minimumDeliveryDays"),
        maximum_delivery_days=saved.get("maximumDeliveryDays"),
    )
