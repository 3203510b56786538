import json
from pathlib import Path

from graphql import build_schema, parse, validate

from saleor_cs_app.manifest import build_manifest
from saleor_cs_app.saleor.client import OPERATIONS, load_operation
from saleor_cs_app.settings import Settings
from saleor_cs_app.webhooks import WEBHOOKS

ROOT = Path(__file__).parent.parent
SCHEMA = build_schema((Path(__file__).parent / "saleor_schema.graphql").read_text())


def test_manifest_json_at_the_root_equals_what_the_endpoint_serves_for_localhost(client, runtime):
    served = build_manifest(Settings(app_url="http://localhost:8000", secret_key="x" * 32))
    assert json.loads((ROOT / "manifest.json").read_text()) == served, "run: saleor-cs-app manifest manifest.json"


def test_manifest_endpoint_builds_urls_from_app_url(client, settings):
    manifest = client.get("/api/manifest").get_json()
    assert manifest["tokenTargetUrl"] == f"{settings.app_url}/api/register"
    assert manifest["appUrl"] == f"{settings.app_url}/dashboard/"
    assert {w["targetUrl"] for w in manifest["webhooks"]} == {
        f"{settings.app_url}/api/webhooks/{w.name}" for w in WEBHOOKS
    }


def test_every_webhook_subscription_validates_against_the_saleor_schema():
    for webhook in WEBHOOKS:
        document = parse(webhook.query)
        assert validate(SCHEMA, document) == [], webhook.name
        (operation,) = [d for d in document.definitions if d.kind == "operation_definition"]
        assert operation.operation.value == "subscription"
        assert [s.name.value for s in operation.selection_set.selections] == ["event"]


def test_every_operation_the_app_sends_validates_against_the_saleor_schema():
    names = sorted(p.stem for p in OPERATIONS.glob("*.graphql"))
    assert names, "no operations found"
    for name in names:
        assert validate(SCHEMA, load_operation(name)) == [], name


def test_each_event_has_exactly_one_webhook_and_name():
    assert len({w.event for w in WEBHOOKS}) == len(WEBHOOKS)
    assert len({w.name for w in WEBHOOKS}) == len(WEBHOOKS)


def test_every_registered_webhook_has_a_flow_and_every_flow_a_webhook():
    from saleor_cs_app.jobs.reactions import REACTIONS

    assert {w.event for w in WEBHOOKS} == set(REACTIONS)
