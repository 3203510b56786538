"""Fixtures: the app on a real loopback HTTP server, a migrated database, and the Saleor stand-in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
import requests
from werkzeug.serving import make_server

from saleor_cs_app import create_app
from saleor_cs_app.jobs.queue import Jobs
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.settings import Settings
from saleor_cs_app.store.migrate import upgrade

# The suite runs on SQLite by default; .ci/run runs it again with these set.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")


# A Wednesday noon (UTC) away from month ends, DST switches and the channels' public
# holidays, so no test depends on the day it runs; tests about a date set their own.
TEST_START = datetime(2027, 9, 15, 12, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand. The app and the Saleor stand-in both read it."""

    def __init__(self, now: datetime | None = None):
        self.now = now or TEST_START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def free_port() -> int:
    """A port that was free a moment ago, for a server in another process that must be told its port
    up front; anyone may take it before that server binds, so start such servers with
    `serve_on_a_free_port`. A server in this process binds port 0 itself (AppServer, SmtpTestServer)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def refused_port():
    """A loopback port where a connection is refused for as long as the block runs: bound, never listening."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield held.getsockname()[1]


def serve_on_a_free_port(tmp_path, env_for, *, path: str, attempts: int = 5, timeout: float = 90):
    """`saleor-cs-app serve --port N` in its own process, in a fresh folder under tmp_path (named N),
    with the environment `env_for(N)`; returns (process, N) once `path` answers.

    The process cannot report the port it got, so it is told one; if another process took that port
    before the server bound it ("Address already in use"), a fresh port is tried.
    """
    for _ in range(attempts):
        port = free_port()
        (tmp_path / str(port)).mkdir()  # a first run each try: nothing left from one that lost its port
        process = subprocess.Popen(
            [sys.executable, "-m", "saleor_cs_app", "serve", "--port", str(port)],
            cwd=tmp_path / str(port),
            env=env_for(port),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # Start-up (imports, migrations) takes seconds on a loaded machine: wait while it runs.
        deadline = time.monotonic() + timeout
        while process.poll() is None and time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}{path}", timeout=1)
            except requests.RequestException:  # not up yet, or the port's taker does not answer
                time.sleep(0.1)
                continue
            if process.poll() is None:  # the answer came from this process, not from whoever took the port
                return process, port
        if process.poll() is None:
            process.kill()
            process.communicate()
            raise AssertionError(f"serve did not answer {path} within {timeout}s")
        _, stderr = process.communicate()
        if "Address already in use" not in stderr:
            raise AssertionError(f"serve exited with {process.returncode}:\n{stderr[-3000:]}")
    raise AssertionError(f"another process took the port {attempts} times in a row")


class AppServer:
    """A WSGI app on a loopback port the kernel picked (port 0), so no other server can be handed it.

    The socket is bound at once but listens only from `with`: the port is known before the app exists
    (the app's settings need its URL), and until then a connection to it is refused, not left waiting.
    """

    def __init__(self, app=None, port: int = 0):
        self._app = app
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", port))
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = None

    def serving(self, app) -> "AppServer":
        self._app = app
        return self

    def __enter__(self):
        assert self._app is not None and self._server is None
        self._socket.listen(128)
        self._server = make_server("127.0.0.1", self.port, self._app, threaded=True, fd=self._socket.fileno())
        self._socket.close()  # the server holds its own duplicate of it
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        self._socket.close()


_migrated: set[str] = set()


def reset_database(url: str) -> None:
    """Empty a shared (PostgreSQL) test database so every test starts clean.

    The schema is dropped and migrated once per run; after that, emptying the
    tables is enough and much faster.
    """
    from sqlalchemy import create_engine, text

    from saleor_cs_app.store.db import Database
    from saleor_cs_app.store.models import Base

    engine = create_engine(url)
    with engine.begin() as conn:
        if url not in _migrated:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    if url not in _migrated:
        db = Database(url)
        upgrade(db)
        db.dispose()
        _migrated.add(url)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_listener():
    """The app's port, bound before the app is built; `app_server` (or a test) serves an app on it."""
    listener = AppServer()
    yield listener
    listener.close()


@pytest.fixture
def app_port(app_listener) -> int:
    return app_listener.port


@pytest.fixture
def settings(tmp_path, app_port) -> Settings:
    database_url = TEST_DATABASE_URL or f"sqlite:///{tmp_path}/app.db"
    if TEST_DATABASE_URL:
        reset_database(TEST_DATABASE_URL)
    return Settings(
        app_url=f"http://127.0.0.1:{app_port}",
        database_url=database_url,
        redis_url=TEST_REDIS_URL,
        secret_key="test-secret-key-0123456789abcdef",
        jwks_refetch_interval_seconds=30,
        saleor_timeout_seconds=5,
    )


@pytest.fixture
def runtime(settings, clock, tmp_path):
    runtime = Runtime.build(settings, clock=clock)
    runtime.saleor_client_options = {"backoff_seconds": 0.01}
    upgrade(runtime.db)
    jobs = Jobs(runtime)
    if TEST_REDIS_URL:
        jobs.huey.flush()
    yield runtime
    runtime.db.dispose()


@pytest.fixture
def app(runtime):
    return create_app(runtime=runtime)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_server(app, app_listener):
    with app_listener.serving(app) as server:
        yield server


@pytest.fixture
def saleor(clock):
    from tests.saleor_stand_in import SaleorStandIn

    with SaleorStandIn(clock=clock) as stand_in:
        yield stand_in


@pytest.fixture
def installed(saleor, app_server, runtime):
    """A Saleor that installed the app through the real handshake."""
    response = saleor.install(f"{app_server.url}/api/manifest")
    assert response.status_code == 200, response.text
    runtime.jobs.drain()  # the reconciliation queued at install
    return saleor


@pytest.fixture
def mail(runtime):
    """A real SMTP server (aiosmtpd) the app sends to."""
    from tests.smtp_server import SmtpTestServer

    with SmtpTestServer() as server:
        runtime.settings = runtime.settings.with_changes(smtp=server.smtp_settings)
        yield server
