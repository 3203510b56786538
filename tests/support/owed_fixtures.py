"""A parcel the carrier reports lost or returned, through the real path: order → fulfilment → metadata webhook."""

from __future__ import annotations

from tests.flows import incidents, use_policy

# The built-in e-mails for the carrier situations are being written (notify/); until they land, a
# merchant override stands in, as a shop's own would. Apology only: the goods are owed whatever it gives.
_MESSAGE = {
    "subject": "About your order {{ order_number }}",
    "text": "Something happened to your parcel. {{ support_url }}",
    "html": "<p>Something happened to your parcel. {{ support_url }}</p>",
}
CARRIER_POLICY = {
    "templates": {kind: {"en": _MESSAGE} for kind in ("lost", "returned", "held", "attempt_failed")},
}


def parcel_with_status(saleor, runtime, status: str, *, lines=None, order=None, **order_fields):
    """An order (2 × T-shirt at 20, 1 × mug at 12, Standard shipping 10) with one parcel the carrier gave
    `status` (lost, returned_to_sender, exception, …); the app opened its incident. Returns (order, incident)."""
    use_policy(runtime, saleor, CARRIER_POLICY)
    if order is None:
        order = saleor.add_order(languageCodeEnum="EN", **order_fields)
        assert saleor.send_webhook("ORDER_CREATED", order_id=order["id"]).status_code == 200
    fulfillment = saleor.add_fulfillment(order["id"], lines, tracking_number=f"JJFI{len(order['fulfillments']) + 1:04d}")
    assert saleor.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"]).status_code == 200
    runtime.jobs.drain()
    fulfillment["metadata"] = [{"key": "delivery.status", "value": status}]
    assert saleor.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"]).status_code == 200
    runtime.jobs.drain()
    (incident,) = [i for i in incidents(runtime) if i.fulfillment_id == fulfillment["id"]]
    return order, incident
