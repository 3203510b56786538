"""Goodwill spent on an order: the voucher code and the gift cards the order's payload names.

Saleor puts both on every order event (saleor/fragments.graphql, TrackedOrder): `voucherCode` with the
VOUCHER discount it took off, and `giftCards` with their USED_IN_ORDER events (how much each paid). A
code the app created names its incident: a voucher by its code (incidents.goodwill_code), a gift card
by its tag (goodwill/gift_card.incident_tag). Recorded once per (incident, order), so a duplicate
delivery or a later event of the same order changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from saleor_cs_app.goodwill.gift_card import incident_tag
from saleor_cs_app.goodwill.voucher import may_be_ours
from saleor_cs_app.store import redemptions
from saleor_cs_app.watch.snapshot import parse_time

_TAG_PREFIX = incident_tag("")


@dataclass(frozen=True)
class Spent:
    kind: str  # voucher | gift_card
    code: str | None  # voucher: the code typed at checkout
    incident_id: str | None  # gift card: the incident its tag names
    amount: Decimal | None
    currency: str | None


def spent_on(order: dict) -> list[Spent]:
    """What goodwill-shaped codes the order used, read from its payload."""
    found = []
    code = (order.get("voucherCode") or "").strip()
    if code and may_be_ours(code):  # the shop's own codes cost no lookup on every order event
        taken = [d.get("amount") or {} for d in order.get("discounts") or [] if d.get("type") == "VOUCHER"]
        amount = sum((Decimal(str(m.get("amount", 0))) for m in taken), Decimal(0)) if taken else None
        currency = next((m.get("currency") for m in taken if m.get("currency")), None)
        found.append(Spent("voucher", code, None, amount, currency))
    for card in order.get("giftCards") or []:
        incident_id = card_incident_id(card)
        if not incident_id:
            continue  # a gift card the app did not give
        used = [e for e in card.get("events") or [] if e.get("orderId") in (None, order.get("id"))]
        amount, currency = None, None
        for event in used:
            taken, taken_currency = balance_taken(event)
            if taken is not None:
                amount, currency = (amount or Decimal(0)) + taken, taken_currency
        found.append(Spent("gift_card", None, incident_id, amount, currency))
    return found


def card_incident_id(card: dict) -> str | None:
    """The incident a gift card's tag names, when the app gave the card."""
    tags = [t.get("name", "") for t in card.get("tags") or []]
    return next((tag[len(_TAG_PREFIX) :] for tag in tags if tag.startswith(_TAG_PREFIX)), None) or None


def balance_taken(event: dict) -> tuple[Decimal | None, str | None]:
    """How much a gift card event took off the card's balance, and in which currency."""
    balance = event.get("balance") or {}
    after, before = balance.get("currentBalance") or {}, balance.get("oldCurrentBalance") or {}
    if "amount" not in after or "amount" not in before:
        return None, None
    return Decimal(str(before["amount"])) - Decimal(str(after["amount"])), after.get("currency")


def record_spent(session: Session, tenant_id: int, order: dict, now: datetime, *, source: str = "webhook") -> int:
    """Mark the app's vouchers and gift cards this order used as redeemed; returns how many were new."""
    new = 0
    used_at = parse_time(order.get("created")) or now
    for spent in spent_on(order):
        incident_id = (
            redemptions.voucher_incident(session, tenant_id, spent.code)
            if spent.kind == "voucher"
            else redemptions.gift_card_incident(session, tenant_id, spent.incident_id)
        )
        if incident_id is None:
            continue
        new += redemptions.record(
            session,
            tenant_id,
            incident_id=incident_id,
            kind=spent.kind,
            order_id=order["id"],
            order_number=str(order.get("number", "")),
            used_at=used_at,
            amount=spent.amount,
            currency=spent.currency,
            source=source,
            now=now,
        )
    return new
