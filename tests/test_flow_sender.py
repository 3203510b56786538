"""Issue 12 §3: a shop sends through the operator's server only from MAIL_FROM; its own address needs its own server.

End to end: webhook → sweep → outbox → a real SMTP server (aiosmtpd), asserting the envelope sender,
the From header and Reply-To that the server actually received.
"""

from email.utils import parseaddr

from saleor_cs_app.notify.send import send_outbox_message
from saleor_cs_app.store import tenants
from tests.flows import incidents, late_order, outbox, tenant_id, use_policy
from tests.smtp_server import SmtpTestServer

OPERATOR = "Operator care <care@operator.example>"
PHISH = {"version": 1, "sender": {"name": "Your Bank", "email": "security@bank.example"}}


def test_a_shop_without_its_own_mail_server_sends_from_mail_from_with_its_address_as_reply_to(
    installed, runtime, clock, mail
):
    runtime.settings = runtime.settings.with_changes(mail_from=OPERATOR)
    use_policy(runtime, installed, PHISH)
    late_order(installed, runtime, clock)
    (message,) = mail.messages
    assert message.mail_from == "care@operator.example", "the envelope sender is the operator's"
    assert parseaddr(message.message["From"]) == ("Your Bank", "care@operator.example")
    assert message.message["Reply-To"] == "security@bank.example"


def test_a_shop_with_its_own_mail_server_sends_from_its_own_address(installed, runtime, clock, mail):
    runtime.settings = runtime.settings.with_changes(mail_from=OPERATOR)
    use_policy(runtime, installed, {"version": 1, "sender": {"name": "Northwind", "email": "care@northwind.example"}})
    with SmtpTestServer() as own:
        with runtime.db.transaction() as session:
            own_url = runtime.cipher.encrypt(f"smtp://127.0.0.1:{own.port}")
            tenants.set_mail_server(session, tenant_id(runtime, installed), own_url)
        late_order(installed, runtime, clock)
    assert mail.messages == [], "nothing went through the operator's server"
    (message,) = own.messages
    assert message.mail_from == "care@northwind.example"
    assert parseaddr(message.message["From"]) == ("Northwind", "care@northwind.example")
    assert message.message["Reply-To"] is None


def test_a_shop_that_names_no_sender_sends_as_mail_from_unchanged(installed, runtime, clock, mail):
    runtime.settings = runtime.settings.with_changes(mail_from=OPERATOR)
    late_order(installed, runtime, clock)
    (message,) = mail.messages
    assert (message.mail_from, message.message["From"]) == ("care@operator.example", OPERATOR)
    assert message.message["Reply-To"] is None


def test_a_saleor_the_allow_list_no_longer_names_gets_no_mail_through_the_operators_server(
    installed, runtime, clock, mail
):
    mail.stop()  # the first try fails, so the message is still pending when the operator narrows the list
    late_order(installed, runtime, clock)
    (row,) = outbox(runtime)
    assert row.state == "pending"
    mail.start()
    runtime.settings = runtime.settings.with_changes(allowed_saleor_urls=("https://shop.saleor.cloud/graphql/",))
    clock.advance(hours=1)
    send_outbox_message(runtime, row.id)
    assert mail.messages == []
    (row,) = outbox(runtime)
    assert row.state == "failed" and "ALLOWED_SALEOR_URLS" in row.error
    (incident,) = incidents(runtime)
    assert incident.state == "failed" and "ALLOWED_SALEOR_URLS" in incident.error, "the merchant is told why"
