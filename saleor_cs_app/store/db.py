"""Engine and transactions for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

from collections.abc import Iterator
import threading
from contextlib import contextmanager, nullcontext

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from saleor_cs_app.store.row_writer import BatchedInsert, Connections


class Database:
    def __init__(self, url: str, *, echo: bool = False):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(url, echo=echo, connect_args=_SQLITE_CONNECT_ARGS)
            _configure_sqlite(self.engine, begin="BEGIN IMMEDIATE")
            # Reads take no write lock, so they never wait behind a writer (WAL).
            self.read_engine = create_engine(url, echo=echo, connect_args=_SQLITE_CONNECT_ARGS)
            _configure_sqlite(self.read_engine, begin="BEGIN")
        else:
            self.engine = create_engine(url, echo=echo, pool_size=10, max_overflow=20, pool_pre_ping=True)
            self.read_engine = self.engine
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite allows one writer. Threads of this process queue on a Python
        # lock (woken at once) rather than in SQLite's busy handler, which
        # polls with sleeps of up to 100 ms and made the tail latency.
        self._write_lock = threading.RLock() if self.is_sqlite else nullcontext()
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)
        # The acknowledgement path's one write, batched across concurrent requests. A
        # connection lost since its last use fails that batch (503) and is replaced.
        self.rows = Connections(self.engine, self._autocommit_connection)
        self._inserts: dict[tuple, BatchedInsert] = {}

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed on success, rolled back on any exception."""
        with self._write_lock, self._sessions() as session, session.begin():
            yield session

    def batched_insert(self, table: str, columns: tuple[str, ...], *, unique: tuple[str, ...], returning: str):
        key = (table, columns, unique, returning)
        insert = self._inserts.get(key)
        if insert is None:
            insert = BatchedInsert(self.rows, table, columns, unique=unique, returning=returning, lock=self._write_lock)
            insert = self._inserts.setdefault(key, insert)
        return insert

    def _autocommit_connection(self):
        """A DBAPI connection of the engine's kind, outside its pool, each statement its own transaction."""
        dialect = self.engine.dialect
        cargs, cparams = dialect.create_connect_args(self.engine.url)
        if self.is_sqlite:
            conn = dialect.loaded_dbapi.connect(*cargs, **{**cparams, **_SQLITE_CONNECT_ARGS})
            _sqlite_pragmas(conn)  # also isolation_level=None: autocommit
        else:
            conn = dialect.loaded_dbapi.connect(*cargs, **cparams, autocommit=True)
        return conn

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work (rolled back at the end)."""
        with self._read_sessions() as session, session.begin():
            yield session
            session.rollback()

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()
        self.rows.dispose()

    def checkpoint(self) -> int:
        """SQLite: copy the write-ahead log back into the database file; returns the frames in the log.

        Commits never do this themselves (wal_autocheckpoint=0): inline, it ran inside
        the one writer's turn and made an acknowledgement wait on the disk every few
        hundred deliveries. PASSIVE runs beside writers and readers without blocking
        them, and once all is copied the next writer starts the log from the beginning.
        The delivery pump calls it every second.
        """
        if not self.is_sqlite or self.engine.url.database in (None, "", ":memory:"):
            return 0
        with self.read_engine.connect() as conn:
            _busy, logged, _copied = conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)").one()
        return max(logged, 0)

    def ping(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")


_SQLITE_CONNECT_ARGS = {"timeout": 30, "check_same_thread": False}


def _sqlite_pragmas(dbapi_conn) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA wal_autocheckpoint=0")  # Database.checkpoint does it, off the writer's turn
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _configure_sqlite(engine: Engine, *, begin: str) -> None:
    # pysqlite's own transaction handling starts transactions lazily and as
    # DEFERRED, so two writers can both read and then deadlock upgrading their
    # locks. We take over: every writing transaction is BEGIN IMMEDIATE, which
    # serialises writers up front (WAL keeps readers unblocked).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        _sqlite_pragmas(dbapi_conn)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql(begin)
