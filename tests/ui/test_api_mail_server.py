"""A merchant's own mail server: stored encrypted, never read back, and used for their customers' e-mails."""

from datetime import timedelta

from saleor_cs_app.store.models import Tenant
from tests.flows import rows
from tests.smtp_server import SmtpTestServer

MAIL_SERVER = "query { mailServer { ownServer dryRun host port username security } }"
UPDATE = """mutation Set($url: String) { updateMailServer(smtpUrl: $url) {
  ok error mailServer { ownServer dryRun host port username security } } }"""


def test_without_any_server_the_page_says_dry_run(api):
    assert api(MAIL_SERVER)["mailServer"] == {
        "ownServer": False,
        "dryRun": True,
        "host": None,
        "port": None,
        "username": None,
        "security": None,
    }


def test_the_merchants_server_is_stored_encrypted_and_its_password_never_read_back(api, runtime):
    result = api(UPDATE, {"url": "smtp://shop:hunter2@mail.shop.example:587?starttls=1"})["updateMailServer"]
    assert result["ok"] and result["mailServer"] == {
        "ownServer": True,
        "dryRun": False,
        "host": "mail.shop.example",
        "port": 587,
        "username": "shop",
        "security": "starttls",
    }
    (tenant,) = rows(runtime, Tenant)
    assert b"hunter2" not in tenant.mail_server_ciphertext
    assert "hunter2" not in str(api(MAIL_SERVER))


def test_a_bad_url_is_refused_with_a_reason_and_changes_nothing(api, runtime):
    result = api(UPDATE, {"url": "http://mail.example"})["updateMailServer"]
    assert not result["ok"] and "smtp://" in result["error"]
    assert rows(runtime, Tenant)[0].mail_server_ciphertext is None


def test_customers_are_emailed_through_the_merchants_own_server(api, installed, runtime, clock):
    with SmtpTestServer() as own, SmtpTestServer() as operators:
        runtime.settings = runtime.settings.with_changes(smtp=operators.smtp_settings)
        assert api(UPDATE, {"url": f"smtp://127.0.0.1:{own.port}"})["updateMailServer"]["ok"]
        created = clock.now - timedelta(days=10)
        order = installed.add_order(created=created)
        installed.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=created.isoformat())
        runtime.jobs.drain()
        assert len(own.messages) == 1 and operators.messages == []
        assert api(UPDATE, {"url": None})["updateMailServer"]["mailServer"]["ownServer"] is False
