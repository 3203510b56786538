"""Problems the merchant must act on: raised once per key with appProblemCreate (3.22+), dismissed when fixed,
kept on the app's page on older Saleors."""

from __future__ import annotations

from datetime import timedelta

import requests
from sqlalchemy import select

from saleor_cs_app.jobs import sweep
from saleor_cs_app.problems.review import review
from saleor_cs_app.store import policies, tracking_connections
from saleor_cs_app.store.models import FulfillmentDelivery, OutboxMessage
from saleor_cs_app.tracking import health, key_refusals
from saleor_cs_app.tracking.connect import check_connection, connect
from tests.aftership_stand_in import AfterShipStandIn
from tests.dhl_stand_in import DhlStandIn
from tests.flows import rows
from tests.tracking.test_aftership_flow import ship as ship_aftership
from tests.tracking.test_dhl_flow import NUMBER as DHL_NUMBER
from tests.tracking.test_dhl_flow import ship as ship_dhl
from tests.ui.conftest import GIFT_CARD_POLICY, report_wrong_item, tenant_id_of, track_order, use_policy

PROBLEMS = "{ appProblems { key message inSaleor } }"
PROBLEM_PARTS = "{ appProblems { key code params } }"
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
    (parts,) = api(PROBLEM_PARTS)["appProblems"]
    assert parts["code"] == "monthly-budget-spent", "the page words it from the code and the parts"
    month = parts["params"].pop("month")
    assert parts["params"] == {"currency": "USD", "used": "15.00", "budget": "15"} and len(month) == len("2026-12")
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


# -- tracking sources ---------------------------------------------------------------------------
DHL_PROBLEM = "tracking-source-disconnected:dhl"
AFTERSHIP_PROBLEM = "tracking-source-disconnected:aftership"


def dismissed_keys(saleor) -> list[str]:
    return [key for call in calls(saleor, "appProblemDismiss") for key in call.args["input"]["byApp"]["keys"]]


def test_a_dhl_key_dhl_refuses_is_raised_in_saleor_and_dismissed_once_a_valid_key_is_saved(
    api, installed, runtime, clock
):
    with DhlStandIn() as dhl:
        runtime.settings = runtime.settings.with_changes(dhl_api_url=dhl.url)
        tenant = tenant_id_of(runtime, installed)
        connect(runtime, tenant, "dhl", api_key=dhl.api_key)
        dhl.api_key = "rotated-at-dhl"  # the merchant revoked the app's key at developer.dhl.com
        dhl.move(DHL_NUMBER, "transit", "In transit", at=clock.now)
        ship_dhl(installed, runtime)
        sweep.run(runtime)
        assert api(PROBLEMS)["appProblems"] == [
            {
                "key": DHL_PROBLEM,
                "message": f"DHL has refused the app's API key since {clock.now:%Y-%m-%d %H:%M} UTC (DHL refused "
                "(401): Invalid API key), so DHL parcels are not being followed and their late deliveries go "
                "unnoticed. Enter a valid DHL API key on the app's Tracking tab (a new key: developer.dhl.com → My Apps).",
                "inSaleor": True,
            }
        ]
        assert [(p["key"], p["dismissed"]) for p in installed.app_problems] == [(DHL_PROBLEM, None)]

        connect(runtime, tenant, "dhl", api_key=dhl.api_key)
        assert api(PROBLEMS)["appProblems"] == []
        assert dismissed_keys(installed) == [DHL_PROBLEM]
        clock.advance(hours=6)
        sweep.run(runtime)
        assert rows(runtime, FulfillmentDelivery)[0].state == "in_transit", "the parcel refused meanwhile is followed"
        assert api(PROBLEMS)["appProblems"] == [] and len(calls(installed, "appProblemCreate")) == 1


def test_an_aftership_key_refused_on_registration_is_a_problem_until_a_new_key_registers_the_parcel(
    api, installed, runtime, clock
):
    with AfterShipStandIn(clock=clock) as aftership:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=aftership.url)
        tenant = tenant_id_of(runtime, installed)
        connect(runtime, tenant, "aftership", api_key=aftership.api_key, webhook_secret=aftership.webhook_secret)
        aftership.api_key = "regenerated-in-aftership"
        ship_aftership(installed, runtime)
        (problem,) = api(PROBLEMS)["appProblems"]
        assert (problem["key"], problem["inSaleor"]) == (AFTERSHIP_PROBLEM, True)
        since = f"{clock.now:%Y-%m-%d %H:%M} UTC"
        assert problem["message"].startswith(f"AfterShip has refused the app's API key since {since}")
        assert "new parcels are not registered with AfterShip" in problem["message"]
        assert "AfterShip: Settings → API keys" in problem["message"]

        assert aftership.trackings == {}
        connect(runtime, tenant, "aftership", api_key=aftership.api_key, webhook_secret=aftership.webhook_secret)
        runtime.jobs.drain()
        assert [t["tracking_number"] for t in aftership.trackings.values()] == [DHL_NUMBER], "with the new key"
        assert api(PROBLEMS)["appProblems"] == []
        assert dismissed_keys(installed) == [AFTERSHIP_PROBLEM]


def test_a_key_aftership_accepts_again_clears_the_problem_when_the_merchant_tests_it(api, installed, runtime, clock):
    with AfterShipStandIn(clock=clock) as aftership:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=aftership.url)
        tenant = tenant_id_of(runtime, installed)
        connect(runtime, tenant, "aftership", api_key=aftership.api_key, webhook_secret=aftership.webhook_secret)
        kept, aftership.api_key = aftership.api_key, "suspended-account"
        assert "Invalid API key" in check_connection(runtime, tenant, "aftership")
        assert [p["key"] for p in api(PROBLEMS)["appProblems"]] == [AFTERSHIP_PROBLEM]
        aftership.api_key = kept  # the merchant's AfterShip account is active again
        assert check_connection(runtime, tenant, "aftership") is None
        assert api(PROBLEMS)["appProblems"] == []


def test_a_key_refused_while_the_merchant_saved_a_new_one_does_not_mark_the_new_key(installed, runtime, clock):
    tenant = tenant_id_of(runtime, installed)
    connect(runtime, tenant, "dhl", api_key="old-key")
    with runtime.db.read() as session:
        old = tracking_connections.find(session, tenant, "dhl").api_key_ciphertext
    connect(runtime, tenant, "dhl", api_key="new-key")  # while a poll with the old key was under way
    with runtime.db.transaction() as session:
        key_refusals.note_key_refused(session, tenant, "dhl", old, "DHL refused (401): Invalid API key", clock.now)
    with runtime.db.transaction() as session:
        assert health.disconnected_sources(session, tenant, clock.now) == []
        current = tracking_connections.find(session, tenant, "dhl").api_key_ciphertext
        key_refusals.note_key_refused(session, tenant, "dhl", current, "DHL refused (401): Invalid API key", clock.now)
        assert [d.reason for d in health.disconnected_sources(session, tenant, clock.now)] == [health.Reason.KEY_REFUSED]


def test_aftership_webhooks_that_stop_arriving_are_a_problem_until_one_arrives(api, installed, runtime, clock):
    with AfterShipStandIn(clock=clock) as aftership:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=aftership.url)
        tenant = tenant_id_of(runtime, installed)
        hook_url = connect(
            runtime, tenant, "aftership", api_key=aftership.api_key, webhook_secret=aftership.webhook_secret
        ).webhook_url
        ship_aftership(installed, runtime)
        registered = clock.now
        clock.advance(days=1, hours=23)
        assert api(PROBLEMS)["appProblems"] == [], "a day's quiet is normal"
        clock.advance(hours=1)
        (problem,) = api(PROBLEMS)["appProblems"]
        assert problem["key"] == AFTERSHIP_PROBLEM
        assert problem["message"].startswith(
            "No AfterShip update has reached the app for the parcels registered with AfterShip since "
            f"{registered:%Y-%m-%d %H:%M} UTC"
        )
        assert "Settings → Webhooks" in problem["message"]
        body = aftership.webhook(DHL_NUMBER, "InTransit", at=clock.now)
        old_secret = aftership.sign(body, "the-secret-before-it-changed-in-aftership")
        assert aftership.deliver(hook_url, body, signature=old_secret).status_code == 401
        assert [p["key"] for p in api(PROBLEMS)["appProblems"]] == [AFTERSHIP_PROBLEM]
        aftership.deliver(hook_url, aftership.webhook(DHL_NUMBER, "InTransit", at=clock.now))
        assert api(PROBLEMS)["appProblems"] == []
        assert dismissed_keys(installed) == [AFTERSHIP_PROBLEM]


def test_a_saved_rule_that_no_longer_fits_is_raised_naming_the_rule_and_the_rest_of_the_policy_runs(
    api, installed, runtime
):
    # Saved before offers had to fit their kinds: written to the store as it was, past today's checks.
    saved = {
        **GIFT_CARD_POLICY,
        "rules": [{"name": "Replace late orders", "when": {"kinds": ["late_shipment"]}, "offer": {"reship": {}}}]
        + list(GIFT_CARD_POLICY["rules"]),
    }
    with runtime.db.transaction() as session:
        policies.save(session, tenant_id_of(runtime, installed), saved, by="before the check", now=runtime.clock())
    (problem,) = api(PROBLEMS)["appProblems"]
    assert problem["key"] == "policy-rule-skipped:0" and problem["inSaleor"]
    assert "'Replace late orders' (rules[0]) is not applied: a reship needs a parcel that left" in problem["message"]
    shown = api("{ policy { document } }")["policy"]["document"]
    assert shown["rules"][0]["name"] == "Replace late orders", "the editor shows the rule as saved, to be fixed"
    with runtime.db.transaction() as session:
        running = policies.load(session, tenant_id_of(runtime, installed))
    assert [rule.name for rule in running.rules] == [rule["name"] for rule in GIFT_CARD_POLICY["rules"]]
