"""The page shells and their assets: served by the app, locked down, nothing fetched from elsewhere."""

import struct

import pytest

from tests.ui.test_api_auth import POLICY


@pytest.mark.parametrize("path", ["/dashboard/", "/dashboard/report?orderId=T3JkZXI6MQ=="])
def test_pages_are_html_shells_with_a_strict_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "default-src 'self'" in csp
    assert "X-Frame-Options" not in response.headers, "the dashboard frames these pages"
    html = response.get_data(as_text=True)
    assert "opens inside the Saleor dashboard" in html
    assert "http://" not in html.replace("http://127.0.0.1", ""), "no asset from another host"


def test_scripts_and_styles_are_served_by_the_app(client):
    for name, mimetype in [
        ("dashboard.js", "text/javascript"),
        ("policy_form.js", "text/javascript"),
        ("app.css", "text/css"),
    ]:
        response = client.get(f"/static/{name}")
        assert response.status_code == 200 and response.mimetype == mimetype, name
        assert "https://" not in response.get_data(as_text=True), f"{name} refers to another host"


def test_the_manifest_logo_is_a_png_of_at_least_256_pixels(client, settings):
    from saleor_cs_app.manifest import build_manifest

    logo_url = build_manifest(settings)["brand"]["logo"]["default"]
    response = client.get(logo_url.removeprefix(settings.app_url))
    body = response.get_data()
    assert response.status_code == 200 and body[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", body[16:24])
    assert width >= 256 and height >= 256


def test_a_token_signed_with_a_rotated_key_is_accepted_after_refetching_the_jwks(api, installed, clock):
    installed.rotate_key(keep_old=False)
    token = installed.dashboard_token()
    fetches = installed.jwks_requests
    assert api.post(POLICY, token=token).status_code == 401, "refetched at most every interval"
    assert installed.jwks_requests == fetches
    clock.advance(seconds=31)
    assert api.post(POLICY, token=token).status_code == 200
    assert installed.jwks_requests == fetches + 1
    assert api.post(POLICY, token=token).status_code == 200 and installed.jwks_requests == fetches + 1, "kept"
