"""One entry point per offer type: create the goodwill in Saleor and say what was created."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from saleor_cs_app.care.model import OfferType
from saleor_cs_app.goodwill import draft_order, gift_card, refund, voucher
from saleor_cs_app.goodwill.catalogue import display_name
from saleor_cs_app.goodwill.errors import GoodwillFailed
from saleor_cs_app.saleor.client import SaleorClient


@dataclass(frozen=True)
class GoodwillResult:
    reference: str | None  # Saleor id of what was created
    code: str | None = None  # what the customer types at checkout
    expires_on: date | None = None
    product_name: str | None = None
    summary: str = ""  # for the order note and the timeline

    @classmethod
    def recorded(cls, done: dict, code: str | None) -> GoodwillResult:
        """The goodwill as its incident recorded it once created (decision["goodwill"], goodwill_code)."""
        expires_on = done.get("expires_on")
        return cls(
            reference=done.get("reference"),
            code=code,
            expires_on=date.fromisoformat(expires_on) if expires_on else None,
            product_name=done.get("product_name"),
            summary=done.get("summary", "apology only"),
        )


@dataclass(frozen=True)
class OfferRequest:
    """The decided offer as stored on the incident (JSON), with what carrying it out needs."""

    incident_id: str
    type: OfferType
    currency: str
    value: Decimal
    gift_card_amount: Decimal | None
    refund_amount: Decimal | None
    expires_in_days: int | None
    sku: str | None
    quantity: int | None
    reship_skus: tuple[str, ...]
    customer_email: str | None
    channel_slug: str
    reason: str


def carry_out(
    client: SaleorClient, request: OfferRequest, original: dict, *, today: date, secret_key: str
) -> GoodwillResult:
    expires_on = today + timedelta(days=request.expires_in_days) if request.expires_in_days else None
    if _worth_nothing(request):
        # decide() never offers these; a decision stored by an older version must not reach Saleor either.
        raise GoodwillFailed(f"a {request.type.value.replace('_', ' ')} worth nothing is not given")
    match request.type:
        case OfferType.APOLOGY_ONLY:
            return GoodwillResult(reference=None, summary="apology only")
        case OfferType.GIFT_CARD:
            card = gift_card.create(
                client,
                incident_id=request.incident_id,
                amount=str(request.gift_card_amount),
                currency=request.currency,
                expires_on=expires_on,
                customer_email=request.customer_email,
                channel_slug=request.channel_slug,
                note=request.reason,
            )
            return GoodwillResult(
                reference=card["id"],
                code=card["code"],
                expires_on=expires_on,
                summary=f"gift card {request.gift_card_amount} {request.currency} (code ending {card['code'][-4:]})",
            )
        case OfferType.FREE_SHIPPING_VOUCHER:
            code = voucher.voucher_code(secret_key, request.incident_id)
            created = voucher.create(
                client,
                code=code,
                channel_id=original["channel"]["id"],
                expires_on=expires_on,
                name=f"Free shipping, order {original['number']}",
            )
            return GoodwillResult(
                reference=created["id"], code=code, expires_on=expires_on, summary=f"free-shipping voucher {code}"
            )
        case OfferType.PARTIAL_REFUND:
            granted = refund.grant(
                client,
                incident_id=request.incident_id,
                original=original,
                amount=str(request.refund_amount),
                reason=request.reason,
            )
            return GoodwillResult(
                reference=granted["id"], summary=f"refund of {request.refund_amount} {request.currency} granted"
            )
        case OfferType.GIFT_PRODUCT | OfferType.RESHIP:
            skus = (
                (request.sku,) * (request.quantity or 1)
                if request.type == OfferType.GIFT_PRODUCT
                else request.reship_skus
            )
            lines, names = _lines_for(client, skus, request.channel_slug)
            shipping_code = voucher.free_shipping_for(
                client, original=original, secret_key=secret_key, key=request.incident_id, what=request.type.value
            )
            order = draft_order.create_and_complete(
                client,
                incident_id=request.incident_id,
                original=original,
                lines=lines,
                customer_note=f"Sent free of charge: {request.reason}",
                free_shipping_code=shipping_code,
            )
            what = "gift" if request.type == OfferType.GIFT_PRODUCT else "replacement"
            return GoodwillResult(
                reference=order["id"],
                product_name=", ".join(names),
                summary=f"{what} order #{order['number']} ({', '.join(names)}) sent free of charge",
            )
    raise GoodwillFailed(f"unknown offer type {request.type}")


def _worth_nothing(request: OfferRequest) -> bool:
    amount = {
        OfferType.GIFT_CARD: request.gift_card_amount,
        OfferType.FREE_SHIPPING_VOUCHER: request.value,
        OfferType.PARTIAL_REFUND: request.refund_amount,
    }.get(request.type, Decimal(1))
    return amount is None or amount <= 0


def _lines_for(client: SaleorClient, skus: tuple[str, ...], channel_slug: str) -> tuple[list[dict], list[str]]:
    quantities: dict[str, int] = {}
    for sku in skus:
        quantities[sku] = quantities.get(sku, 0) + 1
    lines, names = [], []
    for sku, quantity in quantities.items():
        variant = client.execute("VariantBySku", {"sku": sku, "channel": channel_slug}).get("productVariant")
        if variant is None:
            raise GoodwillFailed(f"no product variant with SKU {sku} in channel {channel_slug}")
        lines.append({"variantId": variant["id"], "quantity": quantity})
        names.append(display_name(variant) or sku)
    return lines, names
