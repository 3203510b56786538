"""`saleor-cs-app serve`, the README's run command: starts on the embedded default and stops on SIGTERM."""

import os
import signal
import subprocess
import sys

import requests

from tests.conftest import serve_in_a_process


def test_serve_migrates_answers_and_stops_cleanly_on_sigterm(tmp_path):
    def launch(port: int) -> subprocess.Popen:
        env = {**os.environ, "APP_URL": f"http://127.0.0.1:{port}", "LOG_LEVEL": "INFO"}
        for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SMTP_URL", "ALLOWED_SALEOR_URLS"):
            env.pop(key, None)
        (tmp_path / str(port)).mkdir()  # a first run each try: nothing left from one that lost its port
        return subprocess.Popen(
            [sys.executable, "-m", "saleor_cs_app", "serve", "--port", str(port)],
            cwd=tmp_path / str(port),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    server, port = serve_in_a_process(launch, path="/readyz")
    try:
        ready = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        assert ready.json()["checks"] == {"database": "ok", "queue": "ok"}
        manifest = requests.get(f"http://127.0.0.1:{port}/api/manifest", timeout=5).json()
        assert manifest["tokenTargetUrl"] == f"http://127.0.0.1:{port}/api/register"
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
    _, stderr = server.communicate()
    assert server.returncode == 0
    assert "dry-run mode" in stderr, "without SMTP_URL the operator is told e-mails are not sent"
    assert "SECRET_KEY is not set" in stderr
    assert "ALLOWED_SALEOR_URLS is not set: only a Saleor on 127.0.0.1 may install the app (local trial)" in stderr
    workdir = tmp_path / str(port)
    assert (workdir / "saleor-cs-app.db").exists() and (workdir / "saleor-cs-app.secret").exists()
