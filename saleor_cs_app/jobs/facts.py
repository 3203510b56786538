"""Stored JSON (tracked orders, incidents) back into the plain data the domain rules take."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from saleor_cs_app.care.model import IncidentFacts, IncidentKind, IncidentSource, OrderFacts, OrderLine
from saleor_cs_app.notify.language import pick_language
from saleor_cs_app.store.models import Incident


def order_facts(facts: dict, order_id: str, created_at) -> OrderFacts:
    return OrderFacts(
        order_id=order_id,
        number=facts.get("number", ""),
        channel_slug=facts.get("channel_slug", ""),
        currency=facts.get("currency") or "USD",
        total=Decimal(facts.get("total", "0")),
        shipping_price=Decimal(facts.get("shipping_price", "0")),
        customer_email=facts.get("customer_email"),
        customer_first_name=facts.get("customer_first_name"),
        language=pick_language(facts.get("language_code"), facts.get("channel_country")),
        created_at=created_at,
        lines=tuple(
            OrderLine(
                sku=line.get("sku"),
                name=line.get("name", ""),
                quantity=int(line.get("quantity", 0)),
                unit_price=Decimal(line.get("unit_price", "0")),
                variant_id=line.get("variant_id"),
                line_id=line.get("line_id"),
            )
            for line in facts.get("lines", [])
        ),
    )


def incident_facts(incident: Incident) -> IncidentFacts:
    f = incident.facts or {}
    return IncidentFacts(
        kind=IncidentKind(incident.kind),
        source=IncidentSource(incident.source),
        days_late=incident.days_late,
        promised_date=date.fromisoformat(f["promised_date"]) if f.get("promised_date") else None,
        expected_skus=tuple(f.get("expected_skus") or ()),
        sent_skus=tuple(f.get("sent_skus") or ()),
        carrier=f.get("carrier"),
        warehouse=f.get("warehouse"),
        tracking_number=f.get("tracking_number"),
        proposal_value=Decimal(f["proposal_value"]) if f.get("proposal_value") else None,
    )
