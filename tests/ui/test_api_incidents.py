"""Incidents through the API: list and filter, the timeline, approve and decline, staff reports, insights."""

from tests.ui.conftest import GIFT_CARD_POLICY, REPORT, report_wrong_item, track_order, use_policy

DETAIL = """
query($id: ID!) { incident(id: $id) {
  id state kind orderUrl dashboardPath orderNumber expectedSkus sentSkus note offerType offerValue
  decision { reason rule needsApproval offerType goodwill } timeline { type message }
} }"""
APPROVE = "mutation($id: ID!) { approveIncident(id: $id) { id state } }"
DECLINE = "mutation($id: ID!, $r: String) { declineIncident(id: $id, reason: $r) { id state decision { reason } } }"
LIST = """
query($state: String, $kind: IncidentKind, $channel: String, $from: Date, $to: Date, $first: Int!, $after: String) {
  incidents(state: $state, kind: $kind, channel: $channel, dateFrom: $from, dateTo: $to, first: $first, after: $after) {
    totalCount hasNextPage endCursor channels items { id kind state orderNumber }
  }
}"""


def gift_card_mutations(saleor) -> list:
    return [m for m in saleor.mutations if m.field == "giftCardCreate"]


def test_a_pending_incident_shows_its_reason_timeline_and_order_link(api, installed, pending_incident):
    incident = api(DETAIL, {"id": pending_incident})["incident"]
    assert incident["state"] == "pending_approval" and incident["kind"] == "WRONG_ITEM"
    assert incident["decision"]["needsApproval"] and "gift card of USD 15.00" in incident["decision"]["reason"]
    assert incident["expectedSkus"] == ["SKU-MUG"] and incident["sentSkus"] == ["SKU-HOODIE-L"]
    assert incident["note"] == "Customer called"
    assert [e["type"] for e in incident["timeline"]] == ["detected", "reported", "decided", "pending_approval"]
    origin = installed.api_url.removesuffix("/graphql/")
    assert incident["orderUrl"].startswith(f"{origin}/dashboard/orders/")
    assert incident["dashboardPath"].startswith("/orders/")
    assert gift_card_mutations(installed) == [], "nothing is given before a person approves"


def test_approving_creates_the_gift_card_in_saleor(api, installed, runtime, pending_incident):
    assert api(APPROVE, {"id": pending_incident})["approveIncident"]["state"] == "acting"
    runtime.jobs.drain()
    (card,) = installed.gift_cards.values()
    assert card["initialBalance"] == {"__typename": "Money", "amount": 15.0, "currency": "USD"}
    assert len(gift_card_mutations(installed)) == 1
    incident = api(DETAIL, {"id": pending_incident})["incident"]
    assert incident["state"] == "notified" and "gift card" in incident["decision"]["goodwill"]
    types = [e["type"] for e in incident["timeline"]]
    assert types[-4:] == ["approved", "goodwill_created", "order_note", "emailed_initial"]


def test_approving_twice_is_refused_and_creates_one_gift_card(api, installed, runtime, pending_incident):
    api(APPROVE, {"id": pending_incident})
    runtime.jobs.drain()
    body = api.post(APPROVE, {"id": pending_incident}).get_json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "NOT_PENDING"
    assert "not waiting for approval" in body["errors"][0]["message"]
    runtime.jobs.drain()
    assert len(installed.gift_cards) == 1


def test_declining_gives_only_the_apology(api, installed, runtime, pending_incident):
    declined = api(DECLINE, {"id": pending_incident, "r": "repeat complainer"})["declineIncident"]
    assert declined["decision"]["reason"] == "declined by staff@example.com: repeat complainer → apology only"
    runtime.jobs.drain()
    assert installed.gift_cards == {} and gift_card_mutations(installed) == []
    assert api(DETAIL, {"id": pending_incident})["incident"]["offerType"] == "apology_only"


def test_reporting_an_order_the_app_does_not_track_is_a_clear_error(api):
    body = api.post(REPORT, {"orderId": "T3JkZXI6bm9wZQ==", "kind": "LATE_SHIPMENT"}).get_json()
    assert body["data"] is None and "does not track this order" in body["errors"][0]["message"]


def test_reporting_twice_finds_the_open_incident(api, installed, runtime):
    order = track_order(installed, runtime)
    first = report_wrong_item(api, runtime, order)
    again = api(REPORT, {"orderId": order["id"], "kind": "WRONG_ITEM", "expected": ["SKU-MUG"]})["reportIncident"]
    assert again["created"] is False and again["incident"]["id"] == first


def test_a_wrong_item_report_needs_the_expected_sku(api, installed, runtime):
    order = track_order(installed, runtime)
    body = api.post(REPORT, {"orderId": order["id"], "kind": "WRONG_ITEM"}).get_json()
    assert body["errors"][0]["message"] == "Name the SKU that should have been sent"


def test_the_list_filters_and_pages(api, installed, runtime, clock):
    use_policy(runtime, installed, GIFT_CARD_POLICY)
    late = api(
        REPORT, {"orderId": track_order(installed, runtime, channel="channel-pln")["id"], "kind": "LATE_SHIPMENT"}
    )
    clock.advance(minutes=5)
    wrong = report_wrong_item(api, runtime, track_order(installed, runtime))
    runtime.jobs.drain()

    everything = api(LIST, {"first": 10})["incidents"]
    assert everything["totalCount"] == 2 and [i["id"] for i in everything["items"]][0] == wrong
    assert everything["channels"] == ["channel-pln", "default-channel"]
    assert [i["id"] for i in api(LIST, {"first": 10, "kind": "WRONG_ITEM"})["incidents"]["items"]] == [wrong]
    assert api(LIST, {"first": 10, "channel": "channel-pln"})["incidents"]["items"][0]["kind"] == "LATE_SHIPMENT"
    assert api(LIST, {"first": 10, "state": "pending_approval"})["incidents"]["totalCount"] == 1
    today = clock.now.date().isoformat()
    assert api(LIST, {"first": 10, "from": today, "to": today})["incidents"]["totalCount"] == 2
    assert api(LIST, {"first": 10, "to": "2000-01-01"})["incidents"]["totalCount"] == 0

    page1 = api(LIST, {"first": 1})["incidents"]
    page2 = api(LIST, {"first": 1, "after": page1["endCursor"]})["incidents"]
    assert page1["hasNextPage"] and not page2["hasNextPage"]
    assert [page1["items"][0]["id"], page2["items"][0]["id"]] == [wrong, late["reportIncident"]["incident"]["id"]]


def test_insights_count_causes_budget_and_time_to_email(api, installed, runtime, pending_incident):
    api(APPROVE, {"id": pending_incident})
    runtime.jobs.drain()
    insights = api("""{ insights { incidents byKind { label count } byCarrier { label count } bySku { label count }
                       budget { currency spent budget } emailed medianMinutesToEmail } }""")["insights"]
    assert insights["incidents"] == 1
    assert insights["byKind"] == [{"label": "wrong_item", "count": 1}]
    assert insights["byCarrier"] == [{"label": "Standard", "count": 1}]
    assert insights["bySku"] == [{"label": "SKU-MUG", "count": 1}]
    assert insights["budget"] == [{"currency": "USD", "spent": "15.00", "budget": "500"}]
    assert insights["emailed"] == 1 and insights["medianMinutesToEmail"] == 0.0
    body = api.post('{ insights(month: "March") { month } }').get_json()
    assert body["errors"][0]["message"] == "month must look like 2025-03"


def test_the_kind_filter_finds_each_carrier_situation(api, installed, runtime):
    reported = {
        kind: api(REPORT, {"orderId": track_order(installed, runtime)["id"], "kind": kind})["reportIncident"]["incident"]
        for kind in ("ATTEMPT_FAILED", "LOST", "RETURNED")
    }
    runtime.jobs.drain()
    for kind, incident in reported.items():
        found = api(LIST, {"first": 10, "kind": kind})["incidents"]["items"]
        assert [(i["id"], i["kind"]) for i in found] == [(incident["id"], kind)]
    assert api(LIST, {"first": 10, "kind": "PICKUP_WAITING"})["incidents"]["totalCount"] == 0
