"""Promise advice on the dashboard: the shop's shipping methods (with MANAGE_SHIPPING only), applying the
advised maximumDeliveryDays in Saleor, and the on-time trend per carrier, method and destination."""

from __future__ import annotations

import csv
import io

import pytest

from tests.advice_seed import three_months_of_deliveries
from tests.ui.conftest import tenant_id_of

ACCESS = "{ shippingAccess { appGranted userMay canApply methods { key zoneId zoneName methodId name maximumDeliveryDays } } }"
APPLY = """mutation A($id: ID!, $days: Int!) { applyMaximumDeliveryDays(shippingMethodId: $id, days: $days) {
  ok error minimumDeliveryDays maximumDeliveryDays } }"""
SHIPPING_STAFF = ("MANAGE_ORDERS", "MANAGE_SHIPPING")


def grant(saleor, permission: str) -> None:
    """The merchant grants the app a permission in the dashboard, after install."""
    app = saleor._apps[saleor.app_id]
    app["permissions"].append({"__typename": "Permission", "code": permission, "name": permission})


def staff(saleor, *permissions):
    return {"token": saleor.dashboard_token(user_permissions=permissions or SHIPPING_STAFF)}


@pytest.fixture
def seeded(installed, runtime, clock):
    with runtime.db.transaction() as session:
        return three_months_of_deliveries(session, tenant_id_of(runtime, installed), clock.now)


def test_without_manage_shipping_no_method_is_read_and_nothing_can_be_applied(api, installed):
    access = api(ACCESS, **staff(installed))["shippingAccess"]
    assert access == {"appGranted": False, "userMay": True, "canApply": False, "methods": []}
    response = api.post(APPLY, {"id": "U2hpcHBpbmdNZXRob2RUeXBlOjE=", "days": 4}, **staff(installed)).get_json()
    assert "does not hold MANAGE_SHIPPING" in response["errors"][0]["message"]
    assert not [m for m in installed.mutations if m.field == "shippingPriceUpdate"]


def test_with_manage_shipping_the_methods_come_with_their_zone_for_the_dashboard_link(api, installed):
    grant(installed, "MANAGE_SHIPPING")
    access = api(ACCESS, **staff(installed))["shippingAccess"]
    assert access["appGranted"] and access["canApply"]
    assert {(m["key"], m["name"], m["zoneName"], m["maximumDeliveryDays"]) for m in access["methods"]} == {
        ("standard", "Standard", "Americas", 5), ("express", "Express", "Americas", 2)}
    # A staff member without MANAGE_SHIPPING sees the methods but may not change them through the app.
    assert api(ACCESS, **staff(installed, "MANAGE_ORDERS"))["shippingAccess"]["canApply"] is False


def test_applying_sets_maximum_delivery_days_in_saleor_once_and_orders_read_it(api, installed):
    grant(installed, "MANAGE_SHIPPING")
    standard = next(m for m in api(ACCESS, **staff(installed))["shippingAccess"]["methods"] if m["key"] == "standard")
    applied = api(APPLY, {"id": standard["methodId"], "days": 7}, **staff(installed))["applyMaximumDeliveryDays"]
    assert applied == {"ok": True, "error": None, "minimumDeliveryDays": 3, "maximumDeliveryDays": 7}
    updates = [m for m in installed.mutations if m.field == "shippingPriceUpdate"]
    assert [u.args["input"] for u in updates] == [{"maximumDeliveryDays": 7}]
    assert next(m for m in installed.shipping_methods.values() if m["name"] == "Standard")["maximumDeliveryDays"] == 7


def test_a_maximum_under_the_minimum_lowers_the_minimum_with_it(api, installed):
    grant(installed, "MANAGE_SHIPPING")
    standard = next(m for m in api(ACCESS, **staff(installed))["shippingAccess"]["methods"] if m["key"] == "standard")
    applied = api(APPLY, {"id": standard["methodId"], "days": 2}, **staff(installed))["applyMaximumDeliveryDays"]
    assert (applied["ok"], applied["minimumDeliveryDays"], applied["maximumDeliveryDays"]) == (True, 2, 2)


def test_the_stand_in_refuses_a_maximum_under_the_minimum_as_saleor_does(installed):
    from saleor_cs_app.saleor.admission import Addresses
    from saleor_cs_app.saleor.client import SaleorClient

    grant(installed, "MANAGE_SHIPPING")
    client = SaleorClient(installed.api_url, installed.app_token, addresses=Addresses.ANY)
    method_id = "U2hpcHBpbmdNZXRob2RUeXBlOjE="  # ShippingMethodType:1, Standard: 3–5 days
    refused = client.execute("ShippingPriceUpdate", {"id": method_id, "input": {"maximumDeliveryDays": 2}})
    assert refused["shippingPriceUpdate"]["errors"] == [{
        "field": "maximumDeliveryDays", "message": "Maximum delivery days should be higher than minimum delivery days.",
        "code": "INVALID"}]


def test_bad_input_is_refused_with_a_reason(api, installed):
    grant(installed, "MANAGE_SHIPPING")
    for variables, reason in (({"id": "x", "days": -1}, "between 0 and 120"), ({"id": " ", "days": 3}, "not a Saleor ID")):
        response = api.post(APPLY, variables, **staff(installed))
        assert response.status_code == 200 and reason in response.get_json()["errors"][0]["message"]
    unknown = api(APPLY, {"id": "U2hpcHBpbmdNZXRob2RUeXBlOjk5", "days": 3}, **staff(installed))["applyMaximumDeliveryDays"]
    assert unknown["ok"] is False and "No such shipping method" in unknown["error"]
    forbidden = api.post(APPLY, {"id": "U2hpcHBpbmdNZXRob2RUeXBlOjE=", "days": 3}, **staff(installed, "MANAGE_ORDERS"))
    assert "MANAGE_SHIPPING permission on your staff account" in forbidden.get_json()["errors"][0]["message"]
    assert api.post("{ deliveryTrend(by: \"warehouse\") { by } }").get_json()["errors"][0]["message"].startswith("by must be")


TREND = "query T($by: String!) { deliveryTrend(by: $by) { by months minSample points { month group delivered onTime rate tooFew } } }"


def test_the_trend_gives_the_on_time_rate_per_month_per_carrier_method_and_country(api, seeded, clock):
    by_carrier = api(TREND, {"by": "carrier"})["deliveryTrend"]
    assert len(by_carrier["months"]) == 6 and by_carrier["months"][-1] == clock.now.strftime("%Y-%m")
    dhl = [p for p in by_carrier["points"] if p["group"] == "DHL"]
    full = [p for p in dhl if p["delivered"] == 16]
    assert full and all(p["onTime"] == 12 and p["rate"] == 0.75 and not p["tooFew"] for p in full)
    # A month with fewer parcels than the minimum shows its count, not a rate.
    assert all(p["rate"] is None for p in by_carrier["points"] if p["delivered"] < by_carrier["minSample"])
    assert sum(p["delivered"] for p in by_carrier["points"]) == sum(seeded.values())
    assert {p["group"] for p in api(TREND, {"by": "method"})["deliveryTrend"]["points"]} == {"Standard", "Express", "Economy"}
    assert {p["group"] for p in api(TREND, {"by": "country"})["deliveryTrend"]["points"]} == {"FI", "DE", "SE"}


def test_the_trend_csv_has_every_month_and_group_with_its_base(api, seeded):
    text = api('{ deliveryTrendCsv(by: "method") }')["deliveryTrendCsv"]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == ["month", "method", "delivered", "on_time", "rate", "too_few"]
    assert sum(int(r["delivered"]) for r in rows) == sum(seeded.values())
    assert {r["rate"] for r in rows if r["method"] == "Standard" and r["delivered"] == "16"} == {"0.7500"}


def test_the_trend_chart_is_an_svg_with_a_line_per_carrier_and_no_script(api, seeded):
    svg = api('{ deliveryTrendChart(by: "carrier") }')["deliveryTrendChart"]
    assert svg.startswith("<svg") and "<script" not in svg
    assert svg.count('class="legend') >= 2 and "DHL" in svg and "UPS" in svg
    assert "var(--chart-text" in svg  # the theme's colours, so one drawing serves light and dark


def test_one_request_for_the_trend_and_its_chart_counts_the_deliveries_once(api, seeded, monkeypatch):
    from saleor_cs_app.ui.resolvers import advice

    counted, real = [], advice.trend_of
    monkeypatch.setattr(advice, "trend_of", lambda *args: counted.append(args) or real(*args))
    data = api('{ deliveryTrend(by: "carrier") { months } deliveryTrendChart(by: "carrier") }')
    assert data["deliveryTrend"]["months"] and data["deliveryTrendChart"].startswith("<svg")
    assert len(counted) == 1
    api('{ deliveryTrendChart(by: "carrier") }')  # the next request counts afresh
    assert len(counted) == 2


def test_before_any_delivery_there_is_no_chart(api):
    assert api('{ deliveryTrendChart(by: "country") }')["deliveryTrendChart"] is None


def test_the_advice_names_each_method_as_the_shop_spells_it(api, seeded):
    advice = api("{ promiseAdvice { shippingMethod name delivered } }")["promiseAdvice"]
    assert {(a["shippingMethod"], a["name"]) for a in advice} == {
        ("standard", "Standard"), ("express", "Express"), ("economy", "Economy")}
