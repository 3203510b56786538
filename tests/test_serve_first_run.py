"""`saleor-cs-app serve --port N` with APP_URL unset: the manifest points Saleor at the port it listens on."""

import os
import signal
import subprocess
import sys
import time

import requests

from tests.conftest import free_port


def test_serve_without_app_url_advertises_its_own_port_and_answers_the_home_page(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("APP_URL", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")}
    server = subprocess.Popen(
        [sys.executable, "-m", "saleor_cs_app", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    manifest = None
    try:
        for _ in range(600):  # up to a minute on a loaded machine
            try:
                manifest = requests.get(f"{base}/api/manifest", timeout=1).json()
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert manifest is not None, "serve did not answer within a minute"
        assert manifest["tokenTargetUrl"] == f"{base}/api/register"
        assert manifest["appUrl"] == f"{base}/dashboard/"
        home = requests.get(f"{base}/", timeout=5)
        assert home.status_code == 200 and f"{base}/api/manifest" in home.text
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
    stdout, _ = server.communicate()
    assert f"manifest: {base}/api/manifest" in stdout
