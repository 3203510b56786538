"""`saleor-cs-app serve --port N` with APP_URL unset: the manifest points Saleor at the port it listens on."""

import os
import signal
import subprocess
import sys

import requests

from tests.conftest import serve_in_a_process


def test_serve_without_app_url_advertises_its_own_port_and_answers_the_home_page(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("APP_URL", "DATABASE_URL", "REDIS_URL", "SECRET_KEY")}

    def launch(port: int) -> subprocess.Popen:
        (tmp_path / str(port)).mkdir()  # a first run each try: nothing left from one that lost its port
        return subprocess.Popen(
            [sys.executable, "-m", "saleor_cs_app", "serve", "--port", str(port)],
            cwd=tmp_path / str(port),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    server, port = serve_in_a_process(launch, path="/api/manifest")
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
