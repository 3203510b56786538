"""Products by name, the way Saleor's dashboard shows them ("Dark Polygon Tee S"), looked up by SKU.

A wrongly packed item is usually not a line of the order, so its name has to come from the catalogue;
customers must never read a bare SKU.
"""

from __future__ import annotations

import logging

from saleor_cs_app.saleor.client import SaleorClient, SaleorError

log = logging.getLogger(__name__)


def display_name(variant: dict) -> str:
    """Product name + variant name, as Saleor's order lines carry them (productName, variantName)."""
    return " ".join(filter(None, [(variant.get("product") or {}).get("name"), variant.get("name")]))


def names_by_sku(client: SaleorClient, skus, channel_slug: str) -> dict[str, str]:
    """The names the catalogue knows; a SKU it does not know (or a failed lookup) is left out."""
    names = {}
    for sku in dict.fromkeys(s for s in skus if s):
        try:
            variant = client.execute("VariantBySku", {"sku": sku, "channel": channel_slug}).get("productVariant")
        except (SaleorError, OSError) as exc:
            # A name is worth a lookup, not a failed incident: the message then leaves the item unnamed.
            log.info("catalogue name lookup failed", extra={"error": type(exc).__name__})
            continue
        if variant and display_name(variant):
            names[sku] = display_name(variant)
    return names
