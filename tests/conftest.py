"""Fixtures: the app on a real loopback HTTP server, a migrated database, and the Saleor stand-in."""

from __future__ import annotations

import os
import socket
import threading
from datetime import datetime, timedelta, timezone

import pytest
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
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    def __init__(self, app, port: int):
        self.url = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()


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
def app_port() -> int:
    return free_port()


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
def app_server(app, app_port):
    with AppServer(app, app_port) as server:
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
