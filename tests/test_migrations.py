"""The migrations build the schema the models describe, on this run's database (SQLite or PostgreSQL)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from saleor_cs_app.store.models import Base


def test_the_migrated_schema_is_the_one_the_models_describe(runtime):
    with runtime.db.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert differences == [], "a model changed without a migration (or the other way round)"
