"""Rows for the returning-customers count: orders and incidents written straight to the tables."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from saleor_cs_app.store.models import GoodwillRedemption, Incident, TrackedOrder


def add_order(session, tenant, order_id, customer, at, total="50", currency="USD"):
    session.add(
        TrackedOrder(
            tenant_id=tenant,
            order_id=order_id,
            number=order_id,
            channel_slug="default-channel",
            status="FULFILLED",
            created_at=at,
            facts={},
            updated_at=at,
            customer_key=customer,
            total_amount=Decimal(total),
            currency=currency,
        )
    )


def add_incident(
    session, tenant, order_id, at, *, state="notified", offer="gift_card", value="15", rule="Late", blocked=None,
    currency="USD",
) -> Incident:
    incident = Incident(
        tenant_id=tenant,
        order_id=order_id,
        order_number=order_id,
        channel_slug="default-channel",
        kind="late_shipment",
        source="deadline",
        state=state,
        facts={},
        detected_at=at,
        updated_at=at,
        decision={"rule": rule, "blocked_by": blocked, "offer": {"type": offer}},
        offer_type=offer,
        offer_value=Decimal(value),
        currency=currency,
    )
    session.add(incident)
    return incident


def a_shop_half_a_year_on(session, tenant, now, seed=7) -> None:
    """Six months of incidents under two rules, apologies (some held back by the budget) and customers
    with no incident; those compensated come back more often than the rest."""
    rng = random.Random(seed)
    groups = (  # (rule, offer, value, how many a month, chance to come back within 90 days)
        ("Very late", "gift_card", "15", 14, 0.62),
        ("Late", "free_shipping_voucher", "6", 9, 0.48),
        (None, "apology_only", "0", 7, 0.36),
        ("baseline", None, None, 45, 0.33),
    )
    n = 0
    for month in range(8):
        start = now - timedelta(days=240 - 30 * month)
        for rule, offer, value, count, back in groups:
            for _ in range(count):
                n += 1
                at = start + timedelta(days=rng.randint(0, 27), hours=rng.randint(0, 23))
                customer = f"user:{n}"
                add_order(session, tenant, f"O{n}", customer, at, total=str(rng.randint(20, 120)))
                if rng.random() < back:
                    add_order(session, tenant, f"O{n}b", customer, at + timedelta(days=rng.randint(8, 85)), total="64")
                if rule == "baseline":
                    continue
                held = rule is None and rng.random() < 0.4
                incident = add_incident(
                    session, tenant, f"O{n}", at + timedelta(days=3), offer=offer, value=value,
                    rule="Very late" if held else rule, blocked="budget" if held else None,
                )
                if offer != "apology_only" and rng.random() < 0.55:
                    session.flush()
                    session.add(
                        GoodwillRedemption(
                            tenant_id=tenant, incident_id=incident.id, kind="voucher", order_id=f"O{n}b",
                            order_number=f"O{n}b", used_at=at + timedelta(days=10), amount=Decimal(value),
                            currency="USD", source="webhook", recorded_at=at + timedelta(days=10),
                        )
                    )
