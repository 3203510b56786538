"""SPEC §9 scenarios 4, 6 and 8, and every offer type against the stand-in."""

import json
from datetime import timedelta

import pytest

from saleor_cs_app.jobs import incidents_flow, sweep
from tests.flows import incidents, mutation_names, outbox, tenant_id, timeline, use_policy

LATE_GETS = {
    "version": 1,
    "sender": {"name": "Northwind", "email": "care@northwind.example"},
    "limits": {"per_customer": {"max": 5, "days": 90}},
}


def late_order(saleor, runtime, clock, **order):
    created = clock.now - timedelta(days=10)
    placed = saleor.add_order(created=created, **order)
    assert saleor.send_webhook("ORDER_CREATED", order_id=placed["id"], issuedAt=created.isoformat()).status_code == 200
    runtime.jobs.drain()
    return placed


def policy_with(offer: dict, approval: str = "auto") -> dict:
    return {
        **LATE_GETS,
        "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": offer, "approval": approval}],
    }


def wrong_item_order(saleor, runtime):
    order = saleor.add_order(lines=[{"sku": "SKU-TSHIRT-M", "quantity": 1}, {"sku": "SKU-MUG", "quantity": 1}])
    saleor.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    fulfillment = saleor.add_fulfillment(order["id"], tracking_number="TRK-9")
    fulfillment["metadata"] = [{"key": "packing.scanned_skus", "value": '["SKU-TSHIRT-L", "SKU-MUG"]'}]
    assert saleor.send_webhook("FULFILLMENT_METADATA_UPDATED", fulfillment_id=fulfillment["id"]).status_code == 200
    runtime.jobs.drain()
    return order


def test_a_pack_scan_mismatch_waits_for_approval_then_one_click_reships_and_emails_once(installed, runtime, mail):
    """Scenario 4, with the default policy: reship for wrong items, manual approval."""
    order = wrong_item_order(installed, runtime)
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.state) == ("wrong_item", "pending_approval")
    assert incident.facts["expected_skus"] == ["SKU-TSHIRT-M"] and incident.facts["sent_skus"] == ["SKU-TSHIRT-L"]
    assert mail.messages == [] and installed.completed_drafts == []

    incidents_flow.approve(runtime, tenant_id(runtime, installed), incident.id, by="staff@example.com")
    runtime.jobs.drain()
    with pytest.raises(incidents_flow.NotPending):
        incidents_flow.approve(runtime, tenant_id(runtime, installed), incident.id, by="staff@example.com")
    runtime.jobs.drain()

    (reship_id,) = installed.completed_drafts
    reship = installed.orders[reship_id]
    assert [l["productSku"] for l in reship["lines"]] == ["SKU-TSHIRT-M"]
    assert float(reship["total"]["gross"]["amount"]) == 0.0, "the right item is sent free"
    assert len(mail.messages) == 1
    text = mail.messages[0].message.get_body(("plain",)).get_content()
    assert "The item you received is yours to keep" in text and "0%" not in text, "no keep-it discount by default: the wrong item is theirs"
    assert incidents(runtime)[0].state == "notified"
    assert len(installed.notes[order["id"]]) == 1


def test_the_replacement_order_is_not_tracked_as_a_customer_order(installed, runtime, mail):
    wrong_item_order(installed, runtime)
    (incident,) = incidents(runtime)
    incidents_flow.approve(runtime, tenant_id(runtime, installed), incident.id, by="staff@example.com")
    runtime.jobs.drain()
    (reship_id,) = installed.completed_drafts
    # Staff ships the replacement; its events arrive from a user, not from the app.
    installed.send_webhook("ORDER_UPDATED", order_id=reship_id, issuing_principal="staff")
    runtime.jobs.drain()
    from saleor_cs_app.store.models import TrackedOrder
    from tests.flows import rows

    assert reship_id not in {t.order_id for t in rows(runtime, TrackedOrder)}


def test_declining_releases_the_budget_and_still_apologises(installed, runtime, mail):
    wrong_item_order(installed, runtime)
    (incident,) = incidents(runtime)
    incidents_flow.decline(
        runtime, tenant_id(runtime, installed), incident.id, by="staff@example.com", reason="restocked"
    )
    runtime.jobs.drain()
    assert installed.completed_drafts == []
    (declined,) = incidents(runtime)
    assert declined.offer_type == "apology_only" and declined.state == "notified"
    assert len(mail.messages) == 1
    assert "declined" in timeline(runtime, incident.id)


@pytest.mark.parametrize(
    "offer, mutation",
    [
        ({"gift_card": {"amount": 15, "expires_in_days": 365}}, "giftCardCreate"),
        ({"free_shipping_voucher": {"expires_in_days": 90}}, "voucherCreate"),
        ({"gift_product": {"sku": "SKU-MUG", "quantity": 1}}, "draftOrderComplete"),
        ({"partial_refund": {"percent": 10}}, "orderGrantRefundCreate"),
    ],
)
def test_each_offer_type_is_created_once_in_saleor(installed, runtime, clock, mail, offer, mutation):
    use_policy(runtime, installed, policy_with(offer))
    order = late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert incident.state == "notified", incident.error
    assert mutation_names(installed).count(mutation) == 1
    assert mutation_names(installed).count("orderNoteAdd") == 1
    metadata = {m["key"]: m["value"] for m in installed.orders[order["id"]]["privateMetadata"]}
    assert json.loads(metadata["saleor-cs-app.incident.late_shipment"])["id"] == incident.id
    assert len(mail.messages) == 1
    text = " ".join(mail.messages[0].message.get_body(("plain",)).get_content().split())
    if incident.goodwill_code:
        assert incident.goodwill_code in text
    if mutation == "draftOrderComplete":
        assert "Your gift: Saleor Mug" in text  # a label line: the name is never inflected in a sentence
    if mutation == "orderGrantRefundCreate":
        from saleor_cs_app.notify.formatting import money

        refund = " ".join(money(incident.offer_value, incident.currency, "en").split())
        assert f"Refund: {refund}" in text


def test_the_gift_card_is_tagged_lowercase_with_the_incident_and_sent_to_the_customer(installed, runtime, clock, mail):
    use_policy(runtime, installed, policy_with({"gift_card": {"amount": 15}}))
    order = late_order(installed, runtime, clock)
    (card,) = installed.gift_cards.values()
    (incident,) = incidents(runtime)
    assert card["code"] == incident.goodwill_code
    assert f"cs-incident-{incident.id}" in [t["name"] for t in card["tags"]]
    assert list(mail.messages[0].rcpt_tos) == [order["userEmail"]]


def test_saleor_5xx_during_gift_card_create_then_back_makes_exactly_one_gift_card(installed, runtime, clock, mail):
    """Scenario 6, Saleor half."""
    use_policy(runtime, installed, policy_with({"gift_card": {"amount": 15}}))
    installed.fail_next("giftCardCreate", times=2, status=503)
    late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert incident.state == "notified", incident.error
    assert len(installed.gift_cards) == 1
    assert "retrying" in timeline(runtime, incident.id)


def test_a_crash_after_gift_card_create_before_recording_makes_exactly_one_gift_card(installed, runtime, clock, mail):
    """Saleor created the card but the app never saw the answer: the retry finds it by its tag."""
    use_policy(runtime, installed, policy_with({"gift_card": {"amount": 15}}))
    installed.fail_after_next("giftCardCreate")
    late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert incident.state == "notified", incident.error
    assert len(installed.gift_cards) == 1
    assert mutation_names(installed).count("giftCardCreate") == 1
    assert incident.goodwill_code == next(iter(installed.gift_cards.values()))["code"]


def test_a_permanent_saleor_refusal_fails_the_incident_with_the_reason_and_releases_budget(
    installed, runtime, clock, mail
):
    use_policy(runtime, installed, policy_with({"gift_product": {"sku": "NO-SUCH-SKU", "quantity": 1}}))
    late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert incident.state == "failed" and "NO-SUCH-SKU" in incident.error
    assert mail.messages == []
    from saleor_cs_app.store.models import BudgetReservation
    from tests.flows import rows

    assert [r.state for r in rows(runtime, BudgetReservation)] == ["released"]


def test_smtp_down_then_back_sends_every_pending_email_exactly_once(installed, runtime, clock, mail):
    """Scenario 6, SMTP half."""
    mail.stop()
    orders = [late_order(installed, runtime, clock) for _ in range(3)]
    assert {m.state for m in outbox(runtime)} == {"pending"}
    assert all(m.attempts >= 1 and m.error for m in outbox(runtime))
    mail.start()
    clock.advance(hours=2)
    runtime.jobs.drain()
    sweep.run(runtime)  # also re-queues pending messages whose retry was lost
    runtime.jobs.drain()
    assert sorted(m.rcpt_tos[0] for m in mail.messages) == sorted(o["userEmail"] for o in orders)
    assert {m.state for m in outbox(runtime)} == {"sent"}
    assert len({m.message["Message-ID"] for m in mail.messages}) == 3


def test_a_rejected_recipient_fails_without_retrying(installed, runtime, clock, mail):
    mail.reject_recipient("customer@example.com", times=5)
    late_order(installed, runtime, clock)
    (message,) = outbox(runtime)
    assert message.state == "failed" and "550" in message.error and message.attempts == 1
    assert incidents(runtime)[0].state == "failed"


def test_a_merchant_template_with_sandbox_escapes_sends_the_built_in_message(installed, runtime, clock, mail):
    """Scenario 8."""
    evil = {
        "subject": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "text": "{{ cycler.__init__.__globals__.os.popen('id').read() }} {{ offer_code }}",
    }
    use_policy(
        runtime,
        installed,
        {
            **LATE_GETS,
            "templates": {"late_shipment": {"en": evil}},
            "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 5}}}],
        },
    )
    late_order(installed, runtime, clock)
    (message,) = mail.messages
    raw = message.message.as_string()
    assert "__class__" not in raw and "subclasses" not in raw and "uid=" not in raw
    (incident,) = incidents(runtime)
    assert incident.goodwill_code in message.message.get_body(("plain",)).get_content()
    assert "template_error" in timeline(runtime, incident.id), "the merchant sees why the override was not used"


def test_a_merchant_template_override_is_used_when_it_renders(installed, runtime, clock, mail):
    template = {
        "subject": "Sorry about order {{ order_number }}",
        "text": "Hi {{ customer_first_name }}, code {{ offer_code }}.",
    }
    use_policy(
        runtime,
        installed,
        {
            **LATE_GETS,
            "templates": {"late_shipment": {"en": template}},
            "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"gift_card": {"amount": 5}}}],
        },
    )
    order = late_order(installed, runtime, clock)
    (message,) = mail.messages
    assert message.message["Subject"] == f"Sorry about order {order['number']}"
    assert incidents(runtime)[0].goodwill_code in message.message.get_body(("plain",)).get_content()


def test_saleor_down_for_good_fails_the_incident_after_the_last_retry(installed, runtime, clock, mail):
    use_policy(runtime, installed, policy_with({"gift_card": {"amount": 15}}))
    installed.fail_next("giftCardCreate", times=100, status=503)
    late_order(installed, runtime, clock)
    runtime.jobs.drain(rounds=20)
    (incident,) = incidents(runtime)
    assert incident.state == "failed" and "503" in incident.error
    assert installed.gift_cards == {} and mail.messages == []


def test_without_smtp_messages_are_a_dry_run_kept_in_the_outbox(installed, runtime, clock):
    late_order(installed, runtime, clock)
    (message,) = outbox(runtime)
    assert message.state == "dry_run" and message.subject and incidents(runtime)[0].goodwill_code in message.text


def test_a_gift_product_is_priced_from_the_catalogue_against_budget_and_approval(installed, runtime, clock, mail):
    installed.add_variant("SKU-GIFT-TOTE", 80, product_name="Tote bag")
    use_policy(
        runtime,
        installed,
        {
            **LATE_GETS,
            "limits": {"per_customer": {"max": 5, "days": 90}, "manual_approval_above": {"USD": 50}},
            "rules": [
                {
                    "name": "Late",
                    "when": {"kinds": ["late_shipment"]},
                    "offer": {"gift_product": {"sku": "SKU-GIFT-TOTE", "quantity": 1}},
                }
            ],
        },
    )
    late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert incident.offer_value == 80
    assert incident.state == "pending_approval", "an 80 USD gift is above the 50 USD approval threshold"


def test_a_retry_after_the_goodwill_was_recorded_still_tells_the_expiry_date(
    installed, runtime, clock, mail, monkeypatch
):
    """Crash after the gift card was recorded but before the message was composed: the retry reuses the record."""
    from saleor_cs_app.jobs import incidents_flow as flow

    use_policy(runtime, installed, policy_with({"gift_card": {"amount": 15, "expires_in_days": 30}}))
    real_compose = flow.outbox.compose_initial_message
    calls = {"n": 0}

    def crash_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("worker died")
        return real_compose(*args, **kwargs)

    monkeypatch.setattr(flow.outbox, "compose_initial_message", crash_once)
    late_order(installed, runtime, clock)
    assert calls["n"] == 2, "the first attempt crashed and the retry composed the message"
    assert len(installed.gift_cards) == 1 and len(mail.messages) == 1
    from saleor_cs_app.notify.formatting import day

    expiry = day(clock.now.date() + timedelta(days=30), "en")
    assert expiry in mail.messages[0].message.get_body(("plain",)).get_content()


def test_an_uninstalled_tenant_releases_the_reserved_budget(installed, runtime, clock):
    from saleor_cs_app.store import tenants as tenant_store
    from saleor_cs_app.store.models import BudgetReservation
    from tests.flows import rows

    use_policy(runtime, installed, policy_with({"gift_card": {"amount": 15}}, approval="manual"))
    late_order(installed, runtime, clock)
    (incident,) = incidents(runtime)
    assert [r.state for r in rows(runtime, BudgetReservation)] == ["reserved"]
    with runtime.db.transaction() as session:
        tenant_store.mark_uninstalled(session, tenant_id(runtime, installed), clock.now)
    incidents_flow.approve(runtime, tenant_id(runtime, installed), incident.id, by="staff@example.com")
    runtime.jobs.drain()
    assert incidents(runtime)[0].state == "failed"
    assert [r.state for r in rows(runtime, BudgetReservation)] == ["released"]
