"""Schema migrations with Alembic, run by `saleor-cs-app migrate` and at `serve`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from saleor_cs_app.store.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    with db.engine.connect() as connection:
        if db.is_sqlite:
            # Our "begin" hook issues BEGIN IMMEDIATE; Alembic drives its own
            # transaction, which goes through the same hook.
            pass
        command.upgrade(alembic_config(connection), revision)
        connection.commit()
