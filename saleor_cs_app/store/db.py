"""Engine and transactions for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import Iterator
import threading
from contextlib import contextmanager, nullcontext

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Executable
from sqlalchemy.orm import Session, sessionmaker


class Database:
    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            args = {"timeout": 30, "check_same_thread": False}
            self.engine = create_engine(url, echo=echo, connect_args=args)
            _configure_sqlite(self.engine, begin="BEGIN IMMEDIATE")
            # Reads take no write lock, so they never wait behind a writer (WAL).
            self.read_engine = create_engine(url, echo=echo, connect_args=args)
            _configure_sqlite(self.read_engine, begin="BEGIN")
            self._single_writes = self.engine
        else:
            self.engine = create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)
            self.read_engine = self.engine
            # The acknowledgement path's one write: autocommit, so INSERT … RETURNING is
            # the only round trip (no ping, no separate COMMIT). A connection lost since
            # its last use fails that one request (503), and SQLAlchemy then drops the pool.
            self._single_writes = create_engine(
                url, echo=echo, pool_size=8, max_overflow=8, isolation_level="AUTOCOMMIT"
            )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite allows one writer. Threads of this process queue on a Python
        # lock (woken at once) rather than in SQLite's busy handler, which
        # polls with sleeps of up to 100 ms and made the tail latency.
        self._write_lock = threading.RLock() if self.is_sqlite else nullcontext()
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any exception."""
        with self._write_lock, self._sessions() as session, session.begin():
            yield session

    def write_one(self, statement: Executable, params: dict):
        """Run one writing statement as its own transaction and return its scalar result.

        For the hot path: no ORM unit of work, and on PostgreSQL a single round trip.
        """
        with self._write_lock, self._single_writes.begin() as conn:
            return conn.execute(statement, params).scalar_one()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end)."""
        with self._read_sessions() as session, session.begin():
            yield session
            session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()
        self._single_writes.dispose()

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")


def _configure_sqlite(engine: Engine, *, begin: str) -> None:
    # pysqlite's own transaction handling starts transactions lazily and as
    # DEFERRED, so two writers can both read and then deadlock upgrading their
    # locks. We take over: every writing transaction is BEGIN IMMEDIATE, which
    # serialises writers up front (WAL keeps readers unblocked).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(begin)
