"""GET /: the first page an operator opens, before any Saleor knows the app."""

from __future__ import annotations

import re
from dataclasses import replace

from saleor_cs_app.settings import Settings, load_settings
from tests.conftest import refused_port
from tests.smtp_server import SmtpTestServer


def checks_of(html: str) -> dict[str, str]:
    rows = re.findall(r'<li class="(\w+)">\s*<strong>([^<]+)</strong>\s*<span>([^<]+)</span>', html)
    return {name: f"{state}: {detail.strip()}" for state, name, detail in rows}


def test_home_says_what_the_app_is_and_which_manifest_url_to_paste(client, settings):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Customer Care for Saleor" in html
    assert f"{settings.app_url}/api/manifest" in html
    checks = checks_of(html)
    assert checks["Database"].startswith("ok:")
    assert checks["Queue"].startswith("ok:")
    assert checks["Mail server"].startswith("off:") and "dry-run" in checks["Mail server"]
    assert "Everything the app needs is running." in html


def test_home_reports_a_mail_server_that_answers_refuses_the_password_or_is_down(client, runtime):
    with SmtpTestServer(username="care", password="right") as server:
        runtime.settings = runtime.settings.with_changes(smtp=server.smtp_settings)
        assert checks_of(client.get("/").get_data(as_text=True))["Mail server"].startswith("ok:")
    with SmtpTestServer(username="care", password="right") as server:
        wrong = replace(server.smtp_settings, password="wrong")
        runtime.settings = runtime.settings.with_changes(smtp=wrong)
        html = client.get("/").get_data(as_text=True)
        assert "refused the user name or password" in checks_of(html)["Mail server"]
        assert "Fix what is marked" in html
        assert "wrong" not in checks_of(html)["Mail server"], "the password is never shown"
    with refused_port() as port:  # nothing listens there
        runtime.settings = runtime.settings.with_changes(smtp=SmtpTestServer(port=port).smtp_settings)
        assert "cannot be reached" in checks_of(client.get("/").get_data(as_text=True))["Mail server"]


def test_without_app_url_the_apps_urls_follow_the_address_serve_listens_on(tmp_path):
    unset = load_settings({"DATABASE_URL": f"sqlite:///{tmp_path}/a.db", "SECRET_KEY": "k" * 32}, dotenv=False)
    assert unset.listening_on("127.0.0.1", 9100).app_url == "http://127.0.0.1:9100"
    assert unset.listening_on("0.0.0.0", 9100).app_url == "http://localhost:9100"
    given = load_settings(
        {"APP_URL": "https://care.example", "DATABASE_URL": f"sqlite:///{tmp_path}/a.db", "SECRET_KEY": "k" * 32},
        dotenv=False,
    )
    assert given.listening_on("127.0.0.1", 9100).app_url == "https://care.example"
    assert Settings(app_url="http://localhost:8000").listening_on("127.0.0.1", 9100).app_url == "http://localhost:8000"
