"""`saleor-cs-app serve`, the README's run command: starts on the embedded default and stops on SIGTERM."""

import os
import signal

import requests

from tests.conftest import serve_on_a_free_port


def test_serve_migrates_answers_and_stops_cleanly_on_sigterm(tmp_path):
    def env_for(port: int) -> dict:
        env = {**os.environ, "APP_URL": f"http://127.0.0.1:{port}", "LOG_LEVEL": "INFO"}
        for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "SMTP_URL", "ALLOWED_SALEOR_URLS"):
            env.pop(key, None)
        return env

    server, port = serve_on_a_free_port(tmp_path, env_for, path="/readyz")
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
