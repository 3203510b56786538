"""The command line: one clear line and a non-zero exit on errors; policy as code round-trips."""

import json

import pytest
from click.testing import CliRunner

from saleor_cs_app.cli import main
from saleor_cs_app.runtime import Runtime
from tests.flows import incidents


@pytest.fixture
def env(tmp_path, monkeypatch, installed, settings):
    monkeypatch.chdir(tmp_path)
    for key, value in {
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "APP_URL": settings.app_url,
    }.items():
        monkeypatch.setenv(key, value)
    if settings.redis_url:
        monkeypatch.setenv("REDIS_URL", settings.redis_url)
    return installed


def test_policy_schema_is_json_schema():
    result = CliRunner().invoke(main, ["policy", "schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["type"] == "object"


def test_policy_import_then_export_round_trips(env, tmp_path):
    document = tmp_path / "policy.yaml"
    document.write_text(
        "version: 1\nrules:\n  - name: Late\n    when: {kinds: [late_shipment]}\n    offer: {gift_card: {amount: 7}}\n"
    )
    imported = CliRunner().invoke(main, ["policy", "import", str(document), "--saleor-api-url", env.api_url])
    assert imported.exit_code == 0, imported.output
    assert "version 2 is live" in imported.output
    exported = CliRunner().invoke(main, ["policy", "export", "--saleor-api-url", env.api_url])
    assert exported.exit_code == 0
    assert json.loads(exported.output)["rules"][0]["offer"]["gift_card"]["amount"] == 7


def test_an_invalid_policy_names_the_path_and_changes_nothing(env, tmp_path):
    document = tmp_path / "bad.json"
    document.write_text(json.dumps({"version": 1, "rules": [{"name": "x", "offer": {"gift_card": {"amount": -5}}}]}))
    result = CliRunner().invoke(main, ["policy", "import", str(document), "--saleor-api-url", env.api_url])
    assert result.exit_code != 0
    assert "rules[0].offer.gift_card.amount" in result.output
    exported = CliRunner().invoke(main, ["policy", "export", "--saleor-api-url", env.api_url])
    assert "free_shipping_voucher" in exported.output, "the default policy is still live"


def test_a_policy_whose_offer_cannot_fit_its_kinds_is_refused_naming_the_rule(env, tmp_path):
    document = tmp_path / "reship.yaml"
    document.write_text(
        "version: 1\nrules:\n  - name: Fine\n    when: {kinds: [wrong_item]}\n    offer: {reship: {}}\n"
        "  - name: Late\n    when: {kinds: [late_shipment]}\n    offer: {reship: {}}\n"
    )
    result = CliRunner().invoke(main, ["policy", "import", str(document), "--saleor-api-url", env.api_url])
    assert result.exit_code != 0
    assert "rules[1].offer: a reship needs a parcel that left; late_shipment has none" in result.output
    exported = CliRunner().invoke(main, ["policy", "export", "--saleor-api-url", env.api_url])
    assert "free_shipping_voucher" in exported.output and "reship: {}" not in exported.output


def test_an_unknown_saleor_is_one_clear_line(env, tmp_path):
    result = CliRunner().invoke(main, ["policy", "export", "--saleor-api-url", "https://nope.example/graphql/"])
    assert result.exit_code != 0 and "no installation for https://nope.example/graphql/" in result.output


def test_a_bad_setting_is_one_clear_line(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not a url")
    result = CliRunner().invoke(main, ["migrate"])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == ["Error: DATABASE_URL: 'not a url' is not a database URL"]


def test_sweep_opens_the_incident_of_a_passed_deadline_once_and_reports_how_many(env, runtime, clock, monkeypatch):
    order = env.add_order()
    env.send_webhook("ORDER_CREATED", order_id=order["id"])
    runtime.jobs.drain()
    clock.advance(days=10)  # past the ship-by promise
    # The command builds its own runtime on the machine's clock; here it reads the test clock instead.
    build = Runtime.build
    monkeypatch.setattr(Runtime, "build", lambda settings, **_: build(settings, clock=clock))

    first = CliRunner().invoke(main, ["sweep"])
    assert (first.exit_code, first.output) == (0, "1 deadline(s) passed and handled\n")
    (incident,) = incidents(runtime)
    assert (incident.kind, incident.order_id) == ("late_shipment", order["id"])
    again = CliRunner().invoke(main, ["sweep"])
    assert (again.exit_code, again.output) == (0, "0 deadline(s) passed and handled\n"), "the deadline is used up"
    assert len(incidents(runtime)) == 1
