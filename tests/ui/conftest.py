"""Fixtures for the dashboard pages and their API: signed dashboard tokens, tracked orders, a policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from saleor_cs_app.care.policy_io import parse_policy, policy_to_dict
from saleor_cs_app.jobs import sweep
from saleor_cs_app.store import policies
from saleor_cs_app.store.models import Tenant

# A wrong item gets a gift card a person must approve; being late gets nothing but the apology.
GIFT_CARD_POLICY = {
    "limits": {"per_customer": {"max": 3, "days": 90}, "monthly_budget": {"USD": 500}},
    "rules": [
        {
            "name": "Wrong item",
            "when": {"kinds": ["wrong_item"]},
            "offer": {"gift_card": {"amount": 15, "expires_in_days": 365}},
            "approval": "manual",
        },
    ],
}


def tenant_id_of(runtime, saleor) -> int:
    with runtime.db.read() as session:
        return session.scalar(select(Tenant.id).where(Tenant.saleor_api_url == saleor.api_url))


def use_policy(runtime, saleor, document: dict) -> None:
    with runtime.db.transaction() as session:
        policies.save(
            session,
            tenant_id_of(runtime, saleor),
            policy_to_dict(parse_policy(document)),
            by="test",
            now=runtime.clock(),
        )


class Api:
    """POST /graphql as the dashboard page does, with a token the Saleor stand-in signed."""

    def __init__(self, client, saleor):
        self.client, self.saleor = client, saleor

    def post(
        self,
        query: str,
        variables: dict | None = None,
        *,
        token: str | None = "default",
        api_url=None,
        headers: dict | None = None,
    ):
        sent = {"saleor-api-url": api_url or self.saleor.api_url}
        if token == "default":
            token = self.saleor.dashboard_token()
        if token is not None:
            sent["authorization-bearer"] = token
        sent.update(headers or {})
        return self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=sent)

    def __call__(self, query: str, variables: dict | None = None, **kwargs) -> dict:
        response = self.post(query, variables, **kwargs)
        assert response.status_code == 200, response.get_data(as_text=True)
        body = response.get_json()
        assert not body.get("errors"), body["errors"]
        return body["data"]


@pytest.fixture
def api(installed, client) -> Api:
    return Api(client, installed)


def track_order(saleor, runtime, **order_fields) -> dict:
    """An order placed in Saleor that the app now tracks (through the real webhook path)."""
    order = saleor.add_order(**order_fields)
    response = saleor.send_webhook("ORDER_CREATED", order_id=order["id"])
    assert response.status_code == 200, response.text
    runtime.jobs.drain()
    return order


REPORT = """
mutation Report($orderId: ID!, $kind: IncidentKind!, $expected: [String!], $sent: [String!], $note: String) {
  reportIncident(orderId: $orderId, kind: $kind, expectedSkus: $expected, sentSkus: $sent, note: $note) {
    created incident { id state kind orderNumber expectedSkus sentSkus }
  }
}"""


def report_wrong_item(api, runtime, order: dict) -> str:
    data = api(
        REPORT,
        {
            "orderId": order["id"],
            "kind": "WRONG_ITEM",
            "expected": ["SKU-MUG"],
            "sent": ["SKU-HOODIE-L"],
            "note": "Customer called",
        },
    )
    runtime.jobs.drain()
    return data["reportIncident"]["incident"]["id"]


@pytest.fixture
def pending_incident(api, installed, runtime) -> str:
    """A wrong-item incident waiting for a person to approve its gift card."""
    use_policy(runtime, installed, GIFT_CARD_POLICY)
    order = track_order(installed, runtime)
    return report_wrong_item(api, runtime, order)


def late_order_shipped_later(installed, runtime, clock):
    """An order found late (apology and voucher sent), then shipped; the follow-up is left to the caller's drain."""
    from tests.test_flow_customer_messages import LATE_GETS_FREE_SHIPPING

    use_policy(runtime, installed, LATE_GETS_FREE_SHIPPING)
    created = clock.now - timedelta(days=10)
    order = installed.add_order(created=created)
    installed.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=created.isoformat())
    runtime.jobs.drain()
    sweep.run(runtime)
    runtime.jobs.drain()
    fulfillment = installed.add_fulfillment(order["id"], tracking_number="JJFI123456789")
    installed.send_webhook("FULFILLMENT_CREATED", fulfillment_id=fulfillment["id"])
    return order
