"""Orders for the order-page tests, set up through the real webhook and tracking paths: in transit with six
scans, delivered, split into parcels, waiting at a pickup point; items with Saleor thumbnails."""

from __future__ import annotations

from datetime import timedelta

from saleor_cs_app.tracking.connect import connect
from tests.flows import tenant_id

MEDIA = "https://media.shop.example"
LINES = [
    {"sku": "SKU-TSHIRT-M", "quantity": 2, "thumbnail": {"url": f"{MEDIA}/thumbnails/tshirt.webp", "alt": "T-shirt"}},
    {"sku": "SKU-MUG", "quantity": 1, "thumbnail": {"url": f"{MEDIA}/thumbnails/mug.webp", "alt": "Mug"}},
]
SIX_SCANS = [
    ("InfoReceived", "Shipment information received", "Helsinki, FI"),
    ("InTransit", "Picked up by the carrier", "Helsinki, FI"),
    ("InTransit", "Arrived at the sorting centre", "Vantaa, FI"),
    ("InTransit", "Departed the sorting centre", "Vantaa, FI"),
    ("InTransit", "Arrived at the local depot", "Tampere, FI"),
    ("OutForDelivery", "Out for delivery", "Tampere, FI"),
]


def placed(installed, runtime, **overrides) -> dict:
    order = installed.add_order(lines=[dict(line) for line in LINES], **overrides)
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    return order


def shipped(installed, runtime, order, number: str, lines=None) -> dict:
    fulfilment = installed.add_fulfillment(order["id"], lines, tracking_number=number)
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfilment["id"])
    runtime.jobs.drain()
    return fulfilment


def aftership_hook(runtime, installed, aftership) -> str:
    return connect(
        runtime, tenant_id(runtime, installed), "aftership",
        api_key=aftership.api_key, webhook_secret=aftership.webhook_secret,
    ).webhook_url  # fmt: skip


def scan(runtime, aftership, hook, number, tag, message, place, at, **extra):
    aftership.deliver(hook, aftership.webhook(number, tag, at=at, message=message, location=place, **extra))
    runtime.jobs.drain()


def in_transit_with_six_scans(installed, runtime, clock, aftership, hook, number="JJD000111222333") -> dict:
    order = placed(installed, runtime)
    shipped(installed, runtime, order, number)
    start = clock.now - timedelta(hours=30)
    for i, (tag, message, place) in enumerate(SIX_SCANS):
        expected = "2027-09-17" if i == len(SIX_SCANS) - 1 else None
        scan(runtime, aftership, hook, number, tag, message, place, start + timedelta(hours=5 * i), expected_date=expected)
    return order
