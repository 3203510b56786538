"""The policy through the API: validated by the same validator as the CLI, versioned, simulated."""

from saleor_cs_app.care import situations
from saleor_cs_app.care.model import IncidentKind, OfferType
from tests.ui.conftest import GIFT_CARD_POLICY, report_wrong_item, track_order, use_policy

POLICY = "{ policy { version createdBy document history { version createdBy } } }"
SAVE = """
mutation Save($policy: JSON!) {
  updatePolicy(policy: $policy) { ok errors { path message } policy { version createdBy document } }
}"""
SIMULATE = """
mutation Simulate($policy: JSON!, $days: Int!) {
  simulatePolicy(policy: $policy, days: $days) {
    ok errors { path message } days incidents
    currencies { currency incidents wouldGive wouldCost wouldNeedApproval blockedByLimits gave gaveCost }
    changes { orderNumber live simulated reason }
  }
}"""


def with_rule(**rule) -> dict:
    return {"rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, **rule}]}


def test_an_invalid_policy_names_the_path_and_saves_nothing(api):
    bad = with_rule(offer={"gift_card": {"amount": -5}})
    result = api(SAVE, {"policy": bad})["updatePolicy"]
    assert result["ok"] is False and result["policy"] is None
    assert {"path": "rules[0].offer.gift_card.amount", "message": "must be > 0"} in result["errors"]
    assert api(POLICY)["policy"]["version"] == 1


def test_a_typo_in_a_key_is_an_error_too(api):
    result = api(SAVE, {"policy": {"limits": {"montly_budget": {"EUR": 5}}}})["updatePolicy"]
    assert result["errors"] == [{"path": "limits.montly_budget", "message": "unknown key"}]


def test_a_valid_policy_becomes_the_next_version_with_who_saved_it(api, installed):
    good = with_rule(offer={"gift_card": {"amount": 10}}, approval="manual")
    result = api(SAVE, {"policy": good}, token=installed.dashboard_token(email="anna@shop.example"))["updatePolicy"]
    assert result["ok"] and result["errors"] == []
    assert result["policy"]["version"] == 2 and result["policy"]["createdBy"] == "anna@shop.example"
    live = api(POLICY)["policy"]
    assert live["document"]["rules"][0]["offer"] == {"gift_card": {"amount": 10, "expires_in_days": 365}}
    assert [v["version"] for v in live["history"]] == [2, 1]
    assert live["history"][1]["createdBy"] == "installation"


def test_validate_policy_reports_without_saving(api):
    data = api(
        "query($p: JSON!) { validatePolicy(policy: $p) { ok errors { path message } } }",
        {"p": {"promises": {"cutoff_hour": 25}}},
    )
    assert data["validatePolicy"] == {
        "ok": False,
        "errors": [{"path": "promises.cutoff_hour", "message": "must be <= 23"}],
    }
    assert api(POLICY)["policy"]["version"] == 1


def test_the_json_schema_is_published(api):
    schema = api("{ policySchema }")["policySchema"]
    assert schema["$schema"].startswith("https://json-schema.org/") and "rules" in schema["properties"]


def test_simulation_compares_a_candidate_with_what_the_live_policy_gave(api, installed, runtime):
    use_policy(runtime, installed, GIFT_CARD_POLICY)
    incident_id = report_wrong_item(api, runtime, track_order(installed, runtime))
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": incident_id})
    runtime.jobs.drain()

    generous = {
        "rules": [{"name": "Wrong item", "when": {"kinds": ["wrong_item"]}, "offer": {"gift_card": {"amount": 40}}}]
    }
    result = api(SIMULATE, {"policy": generous, "days": 30})["simulatePolicy"]
    assert result["ok"] and result["incidents"] == 1
    assert result["currencies"] == [
        {
            "currency": "USD",
            "incidents": 1,
            "wouldGive": 1,
            "wouldCost": "40.00",
            "wouldNeedApproval": 0,
            "blockedByLimits": 0,
            "gave": 1,
            "gaveCost": "15.00",
        }
    ]
    (change,) = result["changes"]
    assert change["live"] == "gift card (USD 15.00)" and change["simulated"] == "gift card (USD 40.00)"

    capped = {**generous, "limits": {"monthly_budget": {"USD": 20}}}
    (usd,) = api(SIMULATE, {"policy": capped, "days": 90})["simulatePolicy"]["currencies"]
    assert usd["wouldGive"] == 0 and usd["blockedByLimits"] == 1


SIMULATED_PARTS = """
mutation Simulate($policy: JSON!, $days: Int!) {
  simulatePolicy(policy: $policy, days: $days) {
    changes { liveOffer { type value currency } simulatedOffer { type value currency } rule blockedBy needsApproval }
  }
}"""


def test_a_changed_decision_comes_as_offers_with_amounts_and_the_rule_or_limit_behind_it(api, installed, runtime):
    """The page words the cells and the reason in its language from these; the English ones stay as they were."""
    use_policy(runtime, installed, GIFT_CARD_POLICY)
    incident_id = report_wrong_item(api, runtime, track_order(installed, runtime))
    api("mutation($id: ID!) { approveIncident(id: $id) { id } }", {"id": incident_id})
    runtime.jobs.drain()
    rule = {"name": "Wrong item", "when": {"kinds": ["wrong_item"]}, "offer": {"gift_card": {"amount": 40}}}

    (manual,) = api(SIMULATED_PARTS, {"policy": {"rules": [{**rule, "approval": "manual"}]}, "days": 30})[
        "simulatePolicy"]["changes"]
    assert manual == {
        "liveOffer": {"type": "gift_card", "value": "15.00", "currency": "USD"},
        "simulatedOffer": {"type": "gift_card", "value": "40.00", "currency": "USD"},
        "rule": "Wrong item",
        "blockedBy": None,
        "needsApproval": True,
    }
    capped = {"rules": [rule], "limits": {"monthly_budget": {"USD": 20}}}
    (blocked,) = api(SIMULATED_PARTS, {"policy": capped, "days": 30})["simulatePolicy"]["changes"]
    assert blocked["simulatedOffer"] == {"type": "apology_only", "value": "0.00", "currency": "USD"}
    assert (blocked["rule"], blocked["blockedBy"], blocked["needsApproval"]) == ("Wrong item", "monthly_budget", False)


def test_simulating_an_invalid_policy_gives_the_errors(api):
    result = api(SIMULATE, {"policy": with_rule(offer={"gift_card": {}}), "days": 30})["simulatePolicy"]
    assert result["ok"] is False
    assert result["errors"] == [
        {"path": "rules[0].offer.gift_card", "message": "give either amount or percent_of_order"}
    ]


def test_message_preview_uses_the_override_and_explains_when_it_cannot(api):
    preview = """
    mutation($o: JSON) { previewMessage(kind: LATE_SHIPMENT, language: "fi", offer: GIFT_CARD, override: $o) {
      subject text html language overrideError } }"""
    builtin = api(preview)["previewMessage"]
    assert builtin["language"] == "fi" and builtin["overrideError"] is None and "GC-7Q4M-2XKD" in builtin["text"]
    own = api(preview, {"o": {"subject": "Anteeksi, {{ customer_first_name }}", "text": "Koodi: {{ offer_code }}"}})
    assert own["previewMessage"]["subject"] == "Anteeksi, Aino" and own["previewMessage"]["overrideError"] is None
    broken = api(preview, {"o": {"subject": "{{ ''.__class__ }}", "text": "x"}})["previewMessage"]
    assert broken["overrideError"] and broken["subject"] == builtin["subject"], "the built-in message is used"


def test_the_policy_lists_which_offers_fit_each_kind_as_care_situations_says(api):
    fit = api("{ policy { offerFit { kind offers unfit { offer reason } } } }")["policy"]["offerFit"]
    assert [f["kind"] for f in fit] == [k.value for k in IncidentKind]
    for row in fit:
        kind = IncidentKind(row["kind"])
        assert row["offers"] == [o.value for o in situations.offers_for(kind)]
        assert {u["offer"]: u["reason"] for u in row["unfit"]} == {
            o.value: situations.why_unfit(kind, o) for o in OfferType if situations.why_unfit(kind, o)
        }
    late_shipment = next(f for f in fit if f["kind"] == "late_shipment")
    assert "reship" not in late_shipment["offers"] and "free_shipping_voucher" in late_shipment["offers"]


def test_a_rule_whose_offer_does_not_fit_a_kind_it_names_is_refused_and_nothing_changes(api):
    before = api(POLICY)["policy"]
    unfit = {
        "rules": [
            {"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 5}}},
            {"name": "Lost", "when": {"kinds": ["held", "lost"]}, "offer": {"partial_refund": {"percent": 20}}},
        ]
    }
    result = api(SAVE, {"policy": unfit})["updatePolicy"]
    assert result["ok"] is False and result["policy"] is None
    reason = situations.why_unfit(IncidentKind.LOST, OfferType.PARTIAL_REFUND)
    assert result["errors"] == [{"path": "rules[1].offer", "message": reason}]
    assert api(POLICY)["policy"] == before
