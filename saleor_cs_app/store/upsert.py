"""INSERT … ON CONFLICT DO NOTHING on both SQLite and PostgreSQL.

Natural-key uniqueness is how concurrent duplicates collide: the loser's
insert does nothing, and both then read the one row.
"""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, model, values: dict) -> bool:
    """Insert a row unless its unique key exists. Returns True if this call inserted it."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # rowcount is not reliable here (psycopg 3 reports -1); RETURNING says it exactly.
    key = next(iter(model.__table__.primary_key.columns))
    result = session.execute(insert(model).values(**values).on_conflict_do_nothing().returning(key))
    return result.first() is not None
