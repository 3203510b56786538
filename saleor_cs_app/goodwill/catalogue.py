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


def variants_by_sku(client: SaleorClient, skus, channel_slug: str) -> dict[str, dict]:
    """The catalogue's variants, each SKU asked once; a SKU it does not know (or a failed lookup) is left out."""
    variants = {}
    for sku in dict.fromkeys(s for s in skus if s):
        try:
            variant = client.execute("VariantBySku", {"sku": sku, "channel": channel_slug}).get("productVariant")
        except (SaleorError, OSError) as exc:
            # A name is worth a lookup, not a failed incident: the item is then left unnamed.
            log.info("catalogue name lookup failed", extra={"error": type(exc).__name__})
            continue
        if variant:
            variants[sku] = variant
    return variants


def names_by_sku(client: SaleorClient, skus, channel_slug: str) -> dict[str, str]:
    """The names the catalogue knows; a SKU it does not know (or a failed lookup) is left out."""
    named = {sku: display_name(v) for sku, v in variants_by_sku(client, skus, channel_slug).items()}
    return {sku: name for sku, name in named.items() if name}
