"""What the customer reads names things as the shop does, offers only what is worth something,
and every e-mail leaves its trace on the order in Saleor."""

from tests.flows import incidents, outbox, tenant_id, use_policy
from saleor_cs_app.jobs import incidents_flow

RESHIP_AUTO = {
    "version": 1,
    "sender": {"name": "Northwind", "email": "care@northwind.example"},
    "rules": [{"name": "Wrong item", "when": {"kinds": ["wrong_item"]}, "offer": {"apology_only": {}}}],
}


def _mispacked(saleor, runtime, scanned: str):
    order = saleor.add_order(lines=[{"sku": "SKU-TSHIRT-M", "quantity": 1}])
    saleor.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    fulfillment = saleor.add_fulfillment(order["id"], tracking_number="TRK-9")
    fulfillment["metadata"] = [{"key": "packing.scanned_skus", "value": f'["{scanned}"]'}]
    assert saleor.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"]).status_code == 200
    runtime.jobs.drain()
    return order


def _plain(mail) -> str:
    (sent,) = mail.messages
    return sent.message.get_body(("plain",)).get_content()


def test_the_wrong_item_email_names_the_received_item_as_the_catalogue_does_never_by_sku(installed, runtime, mail):
    installed.add_variant("112223580", product_name="Dark Polygon Tee", name="S")
    use_policy(runtime, installed, RESHIP_AUTO)
    _mispacked(installed, runtime, "112223580")
    (incident,) = incidents(runtime)
    assert incident.facts["sent_skus"] == ["112223580"]
    text = _plain(mail)
    assert "You received: Dark Polygon Tee S" in text
    assert "112223580" not in text
    (row,) = outbox(runtime)
    assert "112223580" not in row.html


def test_an_item_the_catalogue_does_not_know_is_left_unnamed_not_shown_as_a_sku(installed, runtime, mail):
    use_policy(runtime, installed, RESHIP_AUTO)
    _mispacked(installed, runtime, "999000111")
    (incident,) = incidents(runtime)
    assert incident.kind == "wrong_item"
    text = _plain(mail)
    assert "999000111" not in text
    assert "You received:" not in text
    assert "You ordered:" in text, "the ordered item is named from the order's line"
