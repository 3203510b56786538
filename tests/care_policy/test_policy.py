import json
from decimal import Decimal

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from saleor_cs_app.care.model import IncidentKind, OfferType, PromiseRules
from saleor_cs_app.care.situations import CARRIER_KINDS, offers_for, why_unfit
from saleor_cs_app.care.stored_policy import parse_stored_policy
from saleor_cs_app.care.policy import Policy
from saleor_cs_app.care.policy_io import (
    DEFAULT_POLICY,
    PolicyInvalid,
    parse_policy,
    policy_json_schema,
    policy_to_dict,
    policy_to_yaml,
)
from saleor_cs_app.errors import BadRequest

SPEC_EXAMPLE = """
version: 1
sender: {name: Acme Shop, email: care@acme.example}     # From: of customer emails
promises:
  handling_days: 2            # business days to ship
  count_from: paid            # paid | created  (when the handling clock starts)
  cutoff_hour: 14             # orders after this local hour count from the next business day
  delivery_grace_days: 1
  default_delivery_days: 5    # when the shipping method has no maximumDeliveryDays
  channels:                   # optional per-channel overrides of any key above, plus country and timezone
    channel-pln: {handling_days: 1, country: PL, timezone: Europe/Warsaw}
detection:
  late_shipment: true
  late_delivery: true
  wrong_item: true
  delivery_status_key: delivery.status         # fulfilment metadata key
  scanned_skus_key: packing.scanned_skus       # fulfilment metadata key
limits:
  per_customer: {max: 1, days: 90}             # compensations per customer e-mail
  monthly_budget: {EUR: 500, PLN: 2000}        # total goodwill value per calendar month and currency
  manual_approval_above: {EUR: 50, PLN: 200}   # larger offers wait for a person
rules:                        # first match wins; no match = apology only
  - name: Very late, big order
    when: {kinds: [late_shipment, late_delivery], min_days_late: 3, min_order_total: 100}
    offer: {gift_card: {amount: 15, expires_in_days: 365}}      # or percent_of_order + max_amount
    approval: auto
  - name: Late
    when: {kinds: [late_shipment, late_delivery]}
    offer: {free_shipping_voucher: {expires_in_days: 90}}
  - name: Wrong item
    when: {kinds: [wrong_item]}
    offer: {reship: {keep_item_discount_percent: 50}}           # right item sent free; wrong one kept at a discount
    approval: manual
templates:                    # optional overrides: kind -> language -> subject/text/html
  late_shipment: {fi: {subject: "...", text: "..."}}
"""

RICH = {
    "sender": {"name": "Acme", "email": "care@acme.example"},
    "promises": {"country": "FI", "timezone": "Europe/Helsinki", "channels": {"de": {"cutoff_hour": 12}}},
    "limits": {"per_customer": {"max": 2, "days": 30}, "monthly_budget": {"EUR": 12.5, "JPY": 5000}},
    "rules": [
        {
            "name": "pct",
            "when": {"channels": ["de"], "first_order": True, "max_order_total": {"EUR": 99.99}},
            "offer": {"gift_card": {"percent_of_order": 12.5, "max_amount": {"EUR": 20}, "expires_in_days": None}},
        },
        {"name": "map", "offer": {"gift_card": {"amount": {"EUR": 10, "PLN": 40.25}}}},
        {"name": "product", "offer": {"gift_product": {"sku": "MUG-1", "quantity": 2}}},
        {"name": "refund", "offer": {"partial_refund": {"amount": 7.5}}, "approval": "manual"},
        {"name": "refund %", "offer": {"partial_refund": {"percent": 10}}},
        {"name": "voucher", "offer": {"free_shipping_voucher": {}}},
        {"name": "sorry", "offer": "apology_only"},
    ],
    "templates": {"wrong_item": {"sv": {"subject": "Förlåt", "html": "<p>Hej</p>"}}},
}


def errors_of(document):
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(document)
    return caught.value.errors


def test_the_spec_example_parses():
    policy = parse_policy(SPEC_EXAMPLE)
    assert policy.sender.email == "care@acme.example"
    assert [r.name for r in policy.rules] == ["Very late, big order", "Late", "Wrong item"]
    assert policy.rules[0].offer.type is OfferType.GIFT_CARD
    assert policy.rules[0].offer.gift_card.amount == Decimal(15)
    assert policy.rules[2].approval == "manual"
    assert policy.limits.monthly_budget == {"EUR": Decimal(500), "PLN": Decimal(2000)}
    assert policy.templates[IncidentKind.LATE_SHIPMENT]["fi"].subject == "..."


def test_yaml_and_json_texts_give_the_same_policy():
    from_yaml = parse_policy(SPEC_EXAMPLE)
    from_json = parse_policy(json.dumps(yaml.safe_load(SPEC_EXAMPLE)))
    assert from_yaml == from_json == parse_policy(yaml.safe_load(SPEC_EXAMPLE))


def test_json_decimals_are_kept_exact():
    policy = parse_policy('{"limits": {"monthly_budget": {"EUR": 0.1}}}')
    assert policy.limits.monthly_budget["EUR"] == Decimal("0.1")


def test_an_empty_mapping_is_a_policy_of_defaults():
    policy = parse_policy({})
    assert policy.rules == () and policy.sender is None
    assert policy.promises_for("any") == PromiseRules()
    assert policy.detection.delivery_status_key == "delivery.status"
    assert policy.limits.per_customer.max == 1 and policy.limits.per_customer.days == 90


def test_the_default_policy_is_valid_and_sensible():
    policy = parse_policy(policy_to_dict(DEFAULT_POLICY))
    assert policy == DEFAULT_POLICY
    late, wrong = DEFAULT_POLICY.rules
    # Late, and every carrier situation: a lost or held parcel is as much a broken promise.
    # A heads-up (at_risk) gives nothing: no goodwill offer fits it.
    assert set(late.when.kinds) == set(CARRIER_KINDS) - {IncidentKind.AT_RISK} | {IncidentKind.LATE_SHIPMENT}
    assert late.offer.type is OfferType.FREE_SHIPPING_VOUCHER and late.approval == "auto"
    assert wrong.when.kinds == (IncidentKind.WRONG_ITEM,)
    # No keep-it discount by default: nothing in the app pays one, and the per-customer limit (1) is taken by the
    # reship itself, so the e-mail would promise what the shop cannot grant (en-r11, fr-r10).
    assert wrong.offer.reship.keep_item_discount_percent == 0 and wrong.approval == "manual"
    assert DEFAULT_POLICY.limits.monthly_budget == {"EUR": 500, "USD": 500, "PLN": 2000}
    assert DEFAULT_POLICY.limits.manual_approval_above == {"EUR": 50, "USD": 50, "PLN": 200}


@pytest.mark.parametrize("document", [SPEC_EXAMPLE, RICH, policy_to_dict(DEFAULT_POLICY)])
def test_policy_to_dict_round_trips_through_json_and_yaml(document):
    policy = parse_policy(document)
    plain = policy_to_dict(policy)
    assert parse_policy(plain) == policy
    assert parse_policy(json.dumps(plain)) == policy
    assert parse_policy(policy_to_yaml(policy)) == policy


def test_no_expiry_survives_the_round_trip():
    policy = parse_policy(policy_to_dict(parse_policy(RICH)))
    assert policy.rules[0].offer.gift_card.expires_in_days is None
    assert policy.rules[1].offer.gift_card.expires_in_days == 365


def test_apology_only_can_be_written_three_ways():
    for offer in ("apology_only", {"apology_only": {}}, {"apology_only": None}, {"apology_only": True}):
        policy = parse_policy({"rules": [{"name": "x", "offer": offer}]})
        assert policy.rules[0].offer.type is OfferType.APOLOGY_ONLY


def test_a_single_kind_or_channel_may_be_written_without_a_list():
    when = (
        parse_policy(
            {"rules": [{"name": "x", "when": {"kinds": "wrong_item", "channels": "eu"}, "offer": "apology_only"}]}
        )
        .rules[0]
        .when
    )
    assert when.kinds == (IncidentKind.WRONG_ITEM,) and when.channels == ("eu",)


def test_channel_overrides_apply_key_by_key():
    policy = parse_policy(SPEC_EXAMPLE)
    assert policy.promises_for("channel-pln") == PromiseRules(
        handling_days=1,
        count_from="paid",
        cutoff_hour=14,
        delivery_grace_days=1,
        default_delivery_days=5,
        country="PL",
        timezone="Europe/Warsaw",
    )
    assert policy.promises_for("other") == PromiseRules()
    rich = parse_policy(RICH)
    assert rich.promises_for("de") == PromiseRules(cutoff_hour=12, country="FI", timezone="Europe/Helsinki")


def test_norway_stays_norway_in_yaml():
    assert parse_policy("promises: {country: NO}").promises.country == "NO"
    assert parse_policy("detection: {wrong_item: false}").detection.wrong_item is False


BAD_DOCUMENTS = [
    (
        {
            "rules": [
                {"name": "a", "offer": "apology_only"},
                {"name": "b", "offer": "apology_only"},
                {"name": "c", "offer": {"gift_card": {"amount": 0}}},
            ]
        },
        "rules[2].offer.gift_card.amount",
        "must be > 0",
    ),
    (
        {"rules": [{"name": "c", "offer": {"gift_card": {"amount": {"EUR": -5}}}}]},
        "rules[0].offer.gift_card.amount.EUR",
        "must be > 0",
    ),
    (
        {"limits": {"monthly_budget": {"eur": 5}}},
        "limits.monthly_budget.eur",
        "must be a 3-letter currency code like EUR",
    ),
    ({"limits": {"per_customer": {"max": -1}}}, "limits.per_customer.max", "must be >= 0"),
    ({"promises": {"cutoff_hour": 24}}, "promises.cutoff_hour", "must be <= 23"),
    ({"promises": {"count_from": "shipped"}}, "promises.count_from", "must be one of: paid, created"),
    (
        {"promises": {"channels": {"channel-pln": {"timezone": "Mars/Olympus"}}}},
        "promises.channels.channel-pln.timezone",
        "must be a time zone like Europe/Warsaw",
    ),
    (
        {"promises": {"channels": {"my shop": {"country": "pl"}}}},
        'promises.channels["my shop"].country',
        "must be a 2-letter country code like PL",
    ),
    ({"detection": {"late_shipments": True}}, "detection.late_shipments", "unknown key"),
    ({"rules": [{"offer": "apology_only"}]}, "rules[0].name", "is required"),
    ({"rules": [{"name": "a"}]}, "rules[0].offer", "is required"),
    (
        {"rules": [{"name": "a", "offer": {"gift_card": {"amount": 5}, "reship": {}}}]},
        "rules[0].offer",
        "choose exactly one of: apology_only, gift_card, free_shipping_voucher, gift_product, partial_refund, reship",
    ),
    (
        {"rules": [{"name": "a", "offer": "gift_card"}]},
        "rules[0].offer",
        "must be apology_only or a mapping with one of: apology_only, gift_card, free_shipping_voucher, "
        "gift_product, partial_refund, reship",
    ),
    (
        {"rules": [{"name": "a", "offer": {"gift_card": {"amount": 5, "percent_of_order": 10}}}]},
        "rules[0].offer.gift_card",
        "give either amount or percent_of_order",
    ),
    (
        {"rules": [{"name": "a", "offer": {"gift_card": {"amount": 5, "max_amount": 10}}}]},
        "rules[0].offer.gift_card",
        "max_amount only goes with percent_of_order",
    ),
    (
        {"rules": [{"name": "a", "offer": {"partial_refund": {"percent": 150}}}]},
        "rules[0].offer.partial_refund.percent",
        "must be <= 100",
    ),
    (
        {"rules": [{"name": "a", "offer": {"partial_refund": {}}}]},
        "rules[0].offer.partial_refund",
        "give either percent or amount",
    ),
    (
        {"rules": [{"name": "a", "offer": {"gift_product": {"quantity": 1}}}]},
        "rules[0].offer.gift_product.sku",
        "is required",
    ),
    (
        {"rules": [{"name": "a", "offer": {"gift_card": {"amount": 1.00001}}}]},
        "rules[0].offer.gift_card.amount",
        "must have at most 4 decimal places",
    ),
    (
        {"rules": [{"name": "a", "offer": {"gift_card": {"amount": "lots"}}}]},
        "rules[0].offer.gift_card.amount",
        "must be a number",
    ),
    (
        {"rules": [{"name": "a", "when": {"kinds": ["late"]}, "offer": "apology_only"}]},
        "rules[0].when.kinds[0]",
        "must be one of: late_shipment, late_delivery, attempt_failed, pickup_waiting, held, stalled, at_risk, lost, returned, "
        "wrong_item, customer_report",
    ),
    (
        {"rules": [{"name": "a", "when": {"min_days_late": "soon"}, "offer": "apology_only"}]},
        "rules[0].when.min_days_late",
        "must be a whole number",
    ),
    (
        {"rules": [{"name": "a", "when": {"first_order": "maybe"}, "offer": "apology_only"}]},
        "rules[0].when.first_order",
        "must be true or false",
    ),
    (
        {"rules": [{"name": "a", "when": {"min_order_total": 100, "max_order_total": 50}, "offer": "apology_only"}]},
        "rules[0].when",
        "min_order_total must not be above max_order_total",
    ),
    (
        {"rules": [{"name": "a", "offer": "apology_only", "approval": "later"}]},
        "rules[0].approval",
        "must be one of: auto, manual",
    ),
    (
        {"rules": [{"name": "a", "offer": "apology_only"}, {"name": "a", "offer": "apology_only"}]},
        "rules[1].name",
        "rules[0] already has the name 'a'",
    ),
    ({"rules": {"name": "a"}}, "rules", "must be a list"),
    (
        {"sender": {"name": "Acme\nBcc: victim@example.com", "email": "care@acme.example"}},
        "sender.name",
        "must be a single line",
    ),
    ({"sender": {"name": "Acme", "email": "not-an-address"}}, "sender.email", "must be an e-mail address"),
    (
        {"templates": {"late_shipment": {"fi": {"subject": "a\nb"}}}},
        "templates.late_shipment.fi.subject",
        "must be a single line",
    ),
    (
        {"templates": {"late": {"en": {"text": "x"}}}},
        "templates.late",
        "must be one of: late_shipment, late_delivery, attempt_failed, pickup_waiting, held, stalled, at_risk, lost, returned, "
        "wrong_item, customer_report",
    ),
    (
        {"templates": {"wrong_item": {"EN": {"text": "x"}}}},
        "templates.wrong_item.EN",
        "must be a 2-letter language code like fi",
    ),
    ({"templates": {"wrong_item": {"en": {}}}}, "templates.wrong_item.en", "give at least one of subject, text, html"),
    ({"version": 2}, "version", "must be 1"),
]


@pytest.mark.parametrize(("document", "path", "message"), BAD_DOCUMENTS, ids=[b[1] for b in BAD_DOCUMENTS])
def test_an_invalid_document_names_the_path(document, path, message):
    assert (path, message) in errors_of(document)


def test_the_error_reads_one_line_per_problem_as_in_the_spec():
    document = {
        "promises": {"cutoff_hour": 24},
        "rules": [
            {"name": "a", "offer": "apology_only"},
            {"name": "b", "offer": "apology_only"},
            {"name": "c", "offer": {"gift_card": {"amount": 0}}},
        ],
    }
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(document)
    assert str(caught.value).splitlines() == [
        "promises.cutoff_hour: must be <= 23",
        "rules[2].offer.gift_card.amount: must be > 0",
    ]
    assert isinstance(caught.value, BadRequest) and caught.value.status == 400


def test_the_same_errors_come_from_yaml_text():
    text = "rules:\n  - name: a\n    offer: {gift_card: {amount: 0}}\n"
    assert errors_of(text) == [("rules[0].offer.gift_card.amount", "must be > 0")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the document is empty"),
        ("rules: [\n  - bad", "not valid YAML: expected the node content, but found '-' (line 2, column 3)"),
        ("limits: {}\nlimits: {}", "not valid YAML: duplicate key 'limits' (line 2, column 1)"),
        ("a: &x [1]\nb: *x", "not valid YAML: aliases (*name) are not allowed (line 2, column 4)"),
        ('{"version": 1,}', "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 15)"),
        ("- 1\n- 2", "must be a mapping of keys to values"),
    ],
)
def test_unreadable_text_is_one_error_about_the_document(text, message):
    assert errors_of(text) == [("", message)]
    with pytest.raises(PolicyInvalid, match=r"^\(document\): "):
        parse_policy(text)


def _resolve(schema, ref):
    node = schema
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_the_json_schema_describes_the_document():
    schema = policy_json_schema()
    json.dumps(schema)  # serialisable
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(policy_to_dict(parse_policy(SPEC_EXAMPLE)))
    for ref in _refs(schema):
        assert isinstance(_resolve(schema, ref), dict), ref
    offer = schema["$defs"]["OfferSpec"]["anyOf"]
    assert {"const": "apology_only"} in offer
    assert offer[0]["maxProperties"] == 1 and set(offer[0]["properties"]) == {t.value for t in OfferType}
    budget = schema["$defs"]["Limits"]["properties"]["monthly_budget"]
    assert budget["patternProperties"] == {"^[A-Z]{3}$": {"type": "number", "minimum": 0}}
    assert budget["additionalProperties"] is False
    cutoff = schema["$defs"]["Promises"]["properties"]["cutoff_hour"]
    assert (cutoff["minimum"], cutoff["maximum"]) == (0, 23)


def test_documents_validate_against_the_json_schema_when_jsonschema_is_installed():
    jsonschema = pytest.importorskip("jsonschema")
    schema = policy_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    for document in (yaml.safe_load(SPEC_EXAMPLE), RICH, policy_to_dict(DEFAULT_POLICY)):
        jsonschema.validate(document, schema)
    assert not jsonschema.Draft202012Validator(schema).is_valid({"limits": {"monthly_budget": {"eur": 1}}})


# Shared with test_decide: random but valid policy documents.
CURRENCIES = ("EUR", "PLN", "JPY", "USD")
CHANNELS = ("eu", "pl", "jp")
SKUS = ("A", "B", "C", "D")
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(400), places=2)
amounts = st.one_of(money, st.dictionaries(st.sampled_from(CURRENCIES), money, min_size=1))
percents = st.decimals(min_value=Decimal("0.5"), max_value=Decimal(100), places=1)
expiry = st.one_of(st.none(), st.integers(1, 400))
offers = st.one_of(
    st.just("apology_only"),
    st.builds(lambda a, e: {"gift_card": {"amount": a, "expires_in_days": e}}, amounts, expiry),
    st.builds(
        lambda p, cap: {"gift_card": {"percent_of_order": p, **cap}},
        percents,
        st.one_of(st.just({}), amounts.map(lambda a: {"max_amount": a})),
    ),
    st.builds(lambda e: {"free_shipping_voucher": {"expires_in_days": e}}, expiry),
    st.builds(lambda s, q: {"gift_product": {"sku": s, "quantity": q}}, st.sampled_from(SKUS), st.integers(1, 3)),
    percents.map(lambda p: {"partial_refund": {"percent": p}}),
    amounts.map(lambda a: {"partial_refund": {"amount": a}}),
    st.decimals(min_value=0, max_value=100, places=0).map(lambda p: {"reship": {"keep_item_discount_percent": p}}),
)
whens = st.fixed_dictionaries(
    {},
    optional={
        "kinds": st.lists(st.sampled_from([k.value for k in IncidentKind]), min_size=1, unique=True),
        "min_days_late": st.integers(0, 6),
        "channels": st.lists(st.sampled_from(CHANNELS), min_size=1, unique=True),
        "min_order_total": st.one_of(
            st.decimals(min_value=0, max_value=300, places=2),
            st.dictionaries(st.sampled_from(CURRENCIES), money.map(lambda m: m / 2), min_size=1),
        ),
        "max_order_total": st.decimals(min_value=600, max_value=5000, places=2),
        "first_order": st.booleans(),
    },
)


def _offer_fits_its_kinds(rule: dict) -> bool:
    offer = OfferType(rule["offer"] if isinstance(rule["offer"], str) else next(iter(rule["offer"])))
    return all(why_unfit(IncidentKind(kind), offer) is None for kind in rule["when"].get("kinds", ()))


rule = st.fixed_dictionaries(
    {"when": whens, "offer": offers}, optional={"approval": st.sampled_from(["auto", "manual"])}
).filter(_offer_fits_its_kinds)
catch_all = st.one_of(st.just([]), offers.map(lambda offer: [{"offer": offer}]))
rules = st.builds(lambda some, last: some + last, st.lists(rule, max_size=4), catch_all)
budget_maps = st.dictionaries(st.sampled_from(CURRENCIES), st.decimals(min_value=0, max_value=600, places=2))
policy_documents = st.builds(
    lambda rs, per_customer, budget, approval: {
        "rules": [{"name": f"rule {i}", **r} for i, r in enumerate(rs)],
        "limits": {"per_customer": per_customer, "monthly_budget": budget, "manual_approval_above": approval},
    },
    rules,
    st.fixed_dictionaries({"max": st.integers(0, 4), "days": st.integers(1, 365)}),
    budget_maps,
    budget_maps,
)


@settings(max_examples=150, deadline=None)
@given(policy_documents)
def test_every_valid_document_round_trips(document):
    policy = parse_policy(document)
    assert isinstance(policy, Policy)
    assert parse_policy(policy_to_dict(policy)) == policy
    assert parse_policy(policy_to_yaml(policy)) == policy


@pytest.mark.parametrize(
    "kinds, offer, says",
    [
        (["late_shipment", "late_delivery"], {"reship": {}}, "a reship needs a parcel that left; late_shipment has none"),
        (["lost"], {"reship": {}}, "the customer already chooses a new parcel or their money back"),
        (["returned"], {"partial_refund": {"percent": 10}}, "may already take all their money back"),
        (["attempt_failed"], {"reship": {}}, "still there to be delivered again"),
    ],
)
def test_an_offer_that_cannot_fit_a_kind_its_rule_names_is_refused_naming_the_rule(kinds, offer, says):
    document = {
        "rules": [
            {"name": "Fine", "when": {"kinds": ["wrong_item"]}, "offer": {"reship": {}}},
            {"name": "Odd", "when": {"kinds": kinds}, "offer": offer},
        ]
    }
    with pytest.raises(PolicyInvalid) as refused:
        parse_policy(document)
    ((path, message),) = refused.value.errors
    assert path == "rules[1].offer" and says in message


def test_a_rule_naming_no_kinds_is_accepted_and_matches_only_the_kinds_its_offer_fits():
    policy = parse_policy({"rules": [{"name": "Any", "offer": {"reship": {}}}]})
    assert policy.rules[0].when.kinds is None
    fitting = {kind for kind in IncidentKind if OfferType.RESHIP in offers_for(kind)}
    assert fitting == {IncidentKind.LATE_DELIVERY, IncidentKind.HELD, IncidentKind.WRONG_ITEM}


def test_every_kind_fits_the_apology_and_the_codes():
    for kind in IncidentKind:
        if kind is IncidentKind.AT_RISK:  # a heads-up before anything is broken gives nothing
            assert offers_for(kind) == (OfferType.APOLOGY_ONLY,)
            continue
        assert {OfferType.APOLOGY_ONLY, OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER} <= set(offers_for(kind))


def test_a_saved_policy_the_new_checks_refuse_still_loads_without_the_rule_that_no_longer_fits():
    saved = {
        "rules": [
            {"name": "Late", "when": {"kinds": ["late_shipment", "late_delivery"]}, "offer": {"reship": {}}},
            {"name": "Anything else", "offer": {"gift_card": {"amount": 5}}},
        ]
    }
    policy, skipped = parse_stored_policy(saved)
    assert [rule.name for rule in policy.rules] == ["Anything else"]
    (rule,) = skipped
    assert (rule.index, rule.name) == (0, "Late") and "a reship needs a parcel that left" in rule.reason


def test_a_saved_policy_broken_in_any_other_way_is_still_refused():
    with pytest.raises(PolicyInvalid):
        parse_stored_policy({"rules": [{"name": "Late", "offer": {"gift_card": {"amount": -1}}}]})
    assert parse_stored_policy(policy_to_dict(DEFAULT_POLICY)) == (DEFAULT_POLICY, ())
