"""Problems the merchant must act on: raised once per key with appProblemCreate (3.22+), dismissed when fixed,
kept on the app's page on older Saleors."""

from __future__ import annotations

from datetime import timedelta

import requests
from sqlalchemy import select

from saleor_cs_app.problems.review import review
from saleor_cs_app.store.models import OutboxMessage
from tests.ui.conftest import GIFT_CARD_POLICY, report_wrong_item, tenant_id_of, track_order, use_policy

PROBLEMS = "{ appProblems { key message inSaleor } }"
TINY_BUDGET = {**GIFT_CARD_POLICY, "limits": {**GIFT_CARD_POLICY["limits"], "monthly_budget": {"USD": 15}}}


def calls(saleor, name):
    return [m for m in saleor.mutations if m.field == name]


def spend_the_budget(api, installed, runtime):
    use_policy(runtime, installed, TINY_BUDGET)
    incident = report_wrong_item(api, runtime, track_order(installed, runtime))
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": incident})
    runtime.jobs.drain()


def test_a_spent_budget_is_raised_once_in_saleor_and_dismissed_when_the_budget_is_raised(api, installed, runtime):
    spend_the_budget(api, installed, runtime)
    first = api(PROBLEMS)["appProblems"]
    assert [(p["key"], p["inSaleor"]) for p in first] == [("monthly-budget-spent:USD", True)]
    assert "budget in USD is spent (15.00 of 15" in first[0]["message"]
    api(PROBLEMS)
    review(runtime, tenant_id_of(runtime, installed))
    assert len(calls(installed, "appProblemCreate")) == 1, "deduplicated by key"
    (shown,) = installed.app_problems
    assert (shown["key"], shown["dismissed"]) == ("monthly-budget-spent:USD", None)

    use_policy(runtime, installed, GIFT_CARD_POLICY)  # USD 500
    assert api(PROBLEMS)["appProblems"] == []
    (dismiss,) = calls(installed, "appProblemDismiss")
    assert dismiss.args["input"] == {"byApp": {"keys": ["monthly-budget-spent:USD"]}}
    assert installed.app_problems[0]["dismissed"]["by"] == "APP"


def test_on_a_saleor_before_3_22_the_problem_shows_only_on_the_apps_page(api, installed, runtime):
    installed.app_problems_supported = False
    spend_the_budget(api, installed, runtime)
    (problem,) = api(PROBLEMS)["appProblems"]
    assert (problem["key"], problem["inSaleor"]) == ("monthly-budget-spent:USD", False)
    assert getattr(installed, "app_problems", []) == []
    use_policy(runtime, installed, GIFT_CARD_POLICY)
    assert api(PROBLEMS)["appProblems"] == [], "cleared here without any dismissal call"
    assert calls(installed, "appProblemDismiss") == []


def test_a_permission_the_merchant_took_away_is_a_problem_until_it_is_granted_again(api, installed, runtime):
    app = installed.app
    kept = list(app["permissions"])
    app["permissions"] = [p for p in kept if p["code"] != "MANAGE_GIFT_CARD"]
    (problem,) = api(PROBLEMS)["appProblems"]
    assert problem["key"] == "saleor-permissions-missing" and "MANAGE_GIFT_CARD" in problem["message"]
    app["permissions"] = kept
    assert api(PROBLEMS)["appProblems"] == []


def test_a_mail_server_refusing_mail_is_a_problem_until_a_message_goes_out(api, installed, runtime, clock):
    incident = report_wrong_item(api, runtime, track_order(installed, runtime))
    with runtime.db.transaction() as session:
        (row,) = session.scalars(select(OutboxMessage).where(OutboxMessage.incident_id == incident))
        row.state, row.error = "pending", "535 5.7.8 Authentication credentials invalid"
    (problem,) = api(PROBLEMS)["appProblems"]
    assert problem["key"] == "smtp-refusing-mail" and "535 5.7.8" in problem["message"]
    with runtime.db.transaction() as session:
        row = session.get(OutboxMessage, row.id)
        row.state, row.error, row.sent_at = "sent", None, clock() + timedelta(minutes=5)
    assert api(PROBLEMS)["appProblems"] == []


def as_app(saleor, query, variables=None) -> dict:
    headers = {"Authorization": f"Bearer {saleor.app_token}"}
    return requests.post(saleor.api_url, json={"query": query, "variables": variables or {}}, headers=headers, timeout=5).json()


def test_the_stand_in_validates_and_aggregates_app_problems_as_saleor_does(installed):
    create = """mutation($k: String!, $m: String!, $t: PositiveInt) {
      appProblemCreate(input: {key: $k, message: $m, criticalThreshold: $t}) {
        appProblem { key count isCritical } errors { field code } } }"""
    short = as_app(installed, create, {"k": "ab", "m": "hello"})["data"]["appProblemCreate"]
    assert short["errors"] == [{"field": "key", "code": "INVALID"}]
    for _ in range(2):
        made = as_app(installed, create, {"k": "smtp", "m": "refused", "t": 2})["data"]["appProblemCreate"]
    assert made["appProblem"] == {"key": "smtp", "count": 2, "isCritical": True}
    both = as_app(installed, 'mutation { appProblemDismiss(input: {byApp: {ids: ["x"], keys: ["smtp"]}}) { errors { code } } }')
    assert both["data"]["appProblemDismiss"]["errors"] == [{"code": "INVALID"}]
