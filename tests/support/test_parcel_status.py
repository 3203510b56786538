"""The order page shows each parcel with the carrier's latest words, as the tracking sources report them."""

from __future__ import annotations

from html import unescape

import re

import pytest

from saleor_cs_app.tracking.connect import connect
from tests.aftership_stand_in import AfterShipStandIn
from tests.flows import tenant_id
from tests.support.conftest import link_path


@pytest.fixture
def aftership(runtime):
    with AfterShipStandIn() as stand_in:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=stand_in.url)
        yield stand_in


def test_the_page_shows_the_carriers_latest_words_for_the_parcel(installed, runtime, clock, aftership, client):
    hook = connect(
        runtime,
        tenant_id(runtime, installed),
        "aftership",
        api_key=aftership.api_key,
        webhook_secret=aftership.webhook_secret,
    ).webhook_url
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="00340434161094042557")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    page = unescape(client.get(link_path(runtime, installed, order["id"])).get_data(as_text=True))
    assert "00340434161094042557" in page and "No carrier update yet." in page

    aftership.deliver(
        hook, aftership.webhook("00340434161094042557", "InTransit", at=clock.now, message="Left the hub")
    )
    runtime.jobs.drain()
    page = unescape(client.get(link_path(runtime, installed, order["id"])).get_data(as_text=True))
    assert "Left the hub" in page and "No carrier update yet." not in page


@pytest.mark.parametrize(
    "status, heading",
    [
        ("failed_attempt", "Delivery attempt failed"),
        ("exception", "Parcel on hold"),
        ("lost", "Parcel lost by the carrier"),
        ("returned", "Parcel being returned to us"),
    ],
)
def test_a_carrier_situation_is_told_in_its_own_words_never_as_late(installed, runtime, client, status, heading):
    order = installed.add_order()
    installed.send_webhook("ORDER_CREATED", order_id=order["id"])
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="TRK-1")
    fulfillment["metadata"] = [{"key": "delivery.status", "value": status}]
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    runtime.jobs.drain()
    response = client.get(link_path(runtime, installed, order["id"]))
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert heading in page
    assert not re.search(r"\blate\b|delay", page, re.IGNORECASE), "not worded as a delay"
