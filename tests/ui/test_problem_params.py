"""Each problem's message reads back into the parts it was built from, so the page can word it in the
dashboard's language while Saleor keeps getting the English message."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from saleor_cs_app.care.stored_policy import SkippedRule
from saleor_cs_app.problems import conditions
from saleor_cs_app.problems.conditions import LastSend, params_of
from saleor_cs_app.tracking.health import Disconnected, Reason

SINCE = datetime(2026, 11, 30, 8, 5, tzinfo=timezone.utc)

BUILT = [
    *conditions.smtp_refusing(LastSend(sent=False, error="550 (5.7.1) relaying denied). Customers are not")),
    *conditions.permissions_missing(["MANAGE_ORDERS"], ["MANAGE_ORDERS", "MANAGE_GIFT_CARD", "MANAGE_DISCOUNTS"]),
    *conditions.budgets_spent({"EUR": Decimal(500)}, {"EUR": Decimal("512.40")}, "2026-11"),
    *conditions.tracking_disconnected([
        Disconnected("aftership", Reason.KEY_REFUSED, SINCE, "401 Unauthorized (key revoked), so sorry"),
        Disconnected("dhl", Reason.KEY_REFUSED, SINCE),
        Disconnected("postnord", Reason.KEY_REFUSED, SINCE, "403"),
    ]),
    *conditions.policy_rules_skipped([SkippedRule(2, "Late (it's ours)", "a reship needs a parcel that left; late_shipment has none")]),
    *conditions.incidents_not_continuing(3, SINCE, "the worker carrying it out stopped (host-a:42). Again"),
    *conditions.tracking_disconnected([Disconnected("aftership", Reason.WEBHOOKS_SILENT, SINCE)]),
]


@pytest.mark.parametrize("condition", BUILT, ids=[c.key for c in BUILT])
def test_every_problem_message_reads_back_into_its_parts(condition):
    assert condition.params, "a builder gives its parts"
    assert params_of(condition.key, condition.message) == condition.params


def test_the_parts_are_the_facts_not_words():
    by_key = {c.key: c.params for c in BUILT[:-1]}  # the last is AfterShip again, silent
    assert BUILT[-1].params == {"source": "aftership", "name": "AfterShip", "since": "2026-11-30T08:05:00Z",
                                "reason": "silent"}
    assert by_key["monthly-budget-spent:EUR"] == {"currency": "EUR", "used": "512.40", "budget": "500", "month": "2026-11"}
    assert by_key["saleor-permissions-missing"] == {"permissions": "MANAGE_DISCOUNTS, MANAGE_GIFT_CARD"}
    refused = by_key["tracking-source-disconnected:aftership"]
    assert refused == {"source": "aftership", "name": "AfterShip", "since": "2026-11-30T08:05:00Z",
                       "reason": "key_refused", "detail": "401 Unauthorized (key revoked), so sorry"}
    assert "detail" not in by_key["tracking-source-disconnected:dhl"]


def test_a_message_that_does_not_read_as_its_kind_gives_no_parts():
    assert params_of("monthly-budget-spent:EUR", "Something else entirely") is None
    assert params_of("a-key-this-app-never-raised", "whatever") is None
