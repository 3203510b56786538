"""`saleor-cs-app serve --port N` with APP_URL unset: the manifest points Saleor at the port it listens on."""

import os
import signal

import requests

from tests.conftest import serve_on_a_free_port


def test_serve_without_app_url_advertises_its_own_port_and_answers_the_home_page(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("APP_URL", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    server, port = serve_on_a_free_port(tmp_path, lambda port: env, path="/api/manifest")
    base = f"http://127.0.0.1:{port}"
    try:
        manifest = requests.get(f"{base}/api/manifest", timeout=5).json()
        assert manifest["tokenTargetUrl"] == f"{base}/api/register"
        assert manifest["appUrl"] == f"{base}/dashboard/"
        home = requests.get(f"{base}/", timeout=5)
        assert home.status_code == 200 and f"{base}/api/manifest" in home.text
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
    stdout, _ = server.communicate()
    assert f"manifest: {base}/api/manifest" in stdout
