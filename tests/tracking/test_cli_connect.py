"""`saleor-cs-app tracking connect aftership` prints the webhook URL; the keys are stored encrypted."""

import pytest
from click.testing import CliRunner

from saleor_cs_app.cli import main
from saleor_cs_app.store.models import TrackingConnection
from tests.flows import rows


@pytest.fixture
def env(tmp_path, monkeypatch, installed, settings):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("SECRET_KEY", settings.secret_key)
    monkeypatch.setenv("APP_URL", settings.app_url)
    if settings.redis_url:
        monkeypatch.setenv("REDIS_URL", settings.redis_url)
    return installed


def connect(env, *extra):
    args = ["tracking", "connect", "aftership", "--saleor-api-url", env.api_url, "--api-key", "key-123", *extra]
    return CliRunner().invoke(main, args)


def test_connecting_aftership_prints_the_webhook_url_and_keeps_it_on_a_new_key(env, runtime, settings):
    first = connect(env, "--webhook-secret", "secret-abc")
    assert first.exit_code == 0, first.output
    url = first.output.strip()
    assert url.startswith(f"{settings.app_url}/api/tracking/aftership/")
    again = connect(env, "--webhook-secret", "secret-new")
    assert again.output.strip() == url
    (row,) = rows(runtime, TrackingConnection)
    assert b"key-123" not in row.api_key_ciphertext and b"secret-new" not in row.webhook_secret_ciphertext
    assert runtime.cipher.decrypt(row.webhook_secret_ciphertext) == "secret-new"


def test_connecting_without_the_webhook_secret_is_one_clear_error(env):
    result = connect(env)
    assert result.exit_code != 0 and "webhook secret" in result.output


def test_connecting_an_unknown_saleor_is_one_clear_error(env):
    result = CliRunner().invoke(
        main, ["tracking", "connect", "aftership", "--saleor-api-url", "https://other.example/graphql/", "--api-key", "k"]
    )
    assert result.exit_code != 0 and "no installation" in result.output
