"""Rows written on the acknowledgement path: one statement and one commit for many callers.

Every webhook delivery is stored before Saleor gets its 2xx, and the commit (a
disk flush on PostgreSQL) is most of that time. So concurrent callers join one
batch: the first becomes the leader and writes every row waiting, as a single
INSERT … ON CONFLICT DO NOTHING RETURNING; a caller arriving meanwhile waits
for the next batch, led by the first of them. Nobody waits for a timer, and a
lone caller writes at once. The connection is in autocommit and outside the
engine's pool: the statement is its own transaction, and the rows are durable
when it returns (SQLite in WAL with synchronous=NORMAL survives a crash of the
process; PostgreSQL commits as configured).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Engine


class AlreadyStored(Exception):
    """A row with the same unique key was written before (or earlier in the same batch)."""


class StoreUnavailable(Exception):
    """The database could not take the write (down, refusing writes, connection lost)."""


class Connections:
    """DBAPI connections kept open between statements, outside the engine's pool."""

    MAX_IDLE = 16  # as many as a server has threads; more are closed after use

    def __init__(self, engine: Engine, connect: Callable[[], object]):
        self.dbapi = engine.dialect.loaded_dbapi
        self.placeholder = "?" if self.dbapi.paramstyle == "qmark" else "%s"  # sqlite3 | psycopg
        # Datetimes as the engine would store them (SQLite keeps text in SQLAlchemy's format).
        column_type = DateTime(timezone=True).dialect_impl(engine.dialect)
        self._time_to_db = column_type.bind_processor(engine.dialect) or (lambda value: value)
        self._connect = connect
        self._idle: list = []  # most recently used last
        self._lock = threading.Lock()

    def time(self, value: datetime):
        """A timezone-aware datetime as a parameter of this database."""
        return self._time_to_db(value)

    def fetch_all(self, sql: str, params: Sequence) -> list[tuple]:
        conn = self._checkout()
        try:
            cursor = conn.cursor()
            try:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            finally:
                cursor.close()
        except (self.dbapi.OperationalError, self.dbapi.InterfaceError) as exc:
            _close(conn)  # lost or refusing writes: not reused, the next statement opens a new one
            raise StoreUnavailable(str(exc)) from exc
        except BaseException:
            _close(conn)
            raise
        self._checkin(conn)
        return rows

    def _checkout(self):
        with self._lock:
            if self._idle:
                return self._idle.pop()
        try:
            return self._connect()
        except (self.dbapi.OperationalError, self.dbapi.InterfaceError) as exc:
            raise StoreUnavailable(str(exc)) from exc

    def _checkin(self, conn) -> None:
        with self._lock:
            if len(self._idle) < self.MAX_IDLE:
                self._idle.append(conn)
                return
        _close(conn)

    def dispose(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            _close(conn)


def _held_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass(eq=False)
class _Waiting:
    values: tuple
    # Released once, when the caller may go on: a held lock is the cheapest thing to
    # wait on (an Event builds a Condition per caller, and set() walks its waiters).
    turn: threading.Lock = field(default_factory=_held_lock)
    leads: bool = False  # woken to write the next batch, not with a result
    result: int | None = None
    error: Exception | None = None


class BatchedInsert:
    """Rows of one table from concurrent callers; a row whose unique key exists is AlreadyStored.

    `columns` and `table` are the caller's constants, never input. The unique key
    columns must be a unique constraint of the table.
    """

    def __init__(
        self,
        connections: Connections,
        table: str,
        columns: tuple[str, ...],
        *,
        unique: tuple[str, ...],
        returning: str,
        lock: AbstractContextManager,
    ):
        self._connections = connections
        self._columns = columns
        self._key_positions = [columns.index(c) for c in unique]
        self._lock = lock  # SQLite's one writer (a no-op context on PostgreSQL)
        self._head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        self._row = "(" + ", ".join([connections.placeholder] * len(columns)) + ")"
        self._tail = f" ON CONFLICT ({', '.join(unique)}) DO NOTHING RETURNING {returning}, {', '.join(unique)}"
        self._sql: dict[int, str] = {}
        self._waiting: list[_Waiting] = []
        self._writing = False
        self._state = threading.Lock()

    @property
    def waiting(self) -> int:
        """Callers waiting for the next batch."""
        with self._state:
            return len(self._waiting)

    def insert(self, values: Sequence) -> int:
        me = _Waiting(tuple(values))
        with self._state:
            self._waiting.append(me)
            leads = not self._writing
            self._writing = True
        if not leads:
            me.turn.acquire()
            if not me.leads:
                return _outcome(me)
        self._write_waiting(me)
        return _outcome(me)

    def _write_waiting(self, me: _Waiting) -> None:
        with self._state:
            batch, self._waiting = self._waiting, []
        try:
            self._write(batch)
        finally:
            with self._state:
                if self._waiting:  # they arrived while we wrote: the first of them leads the next batch
                    self._waiting[0].leads = True
                    self._waiting[0].turn.release()
                else:
                    self._writing = False
            for waiting in batch:
                if waiting is not me:  # the writer is not waiting (and a woken leader's turn was released)
                    waiting.turn.release()

    def _write(self, batch: list[_Waiting]) -> None:
        sql = self._sql.get(len(batch))
        if sql is None:
            sql = self._sql[len(batch)] = self._head + ", ".join([self._row] * len(batch)) + self._tail
        params = [value for waiting in batch for value in waiting.values]
        try:
            with self._lock:
                rows = self._connections.fetch_all(sql, params)
        except Exception as exc:  # the whole batch failed: every caller hears why
            for waiting in batch:
                waiting.error = exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(str(exc))
            return
        stored = {tuple(row[1:]): row[0] for row in rows}
        for waiting in batch:
            key = tuple(waiting.values[i] for i in self._key_positions)
            # The first caller with a key gets the row; a twin in the same batch is a duplicate.
            waiting.result = stored.pop(key, None)
            if waiting.result is None:
                waiting.error = AlreadyStored()


def _outcome(waiting: _Waiting) -> int:
    if waiting.error is not None:
        raise waiting.error
    return waiting.result


def _close(conn) -> None:
    try:
        conn.close()
    except Exception:  # already broken; closing is best effort
        pass
