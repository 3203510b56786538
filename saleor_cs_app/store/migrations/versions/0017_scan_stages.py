"""Stages of carrier scans (care.model.Stage) and the histograms learned per stage: a scan keeps the leg its
carrier named (line-haul, delivery depot, out for delivery); transit counts take measures per stage
(`stay_<stage>`, `after_<stage>`, care/transit.py), longer than the ten characters of `transit` and `gap`.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carrier_scans") as batch:
        batch.add_column(sa.Column("stage", sa.String(20), nullable=True))
    with op.batch_alter_table("transit_counts") as batch:
        batch.alter_column("measure", existing_type=sa.String(10), type_=sa.String(40), existing_nullable=False)


def downgrade() -> None:
    op.execute("DELETE FROM transit_counts WHERE measure NOT IN ('transit', 'gap')")
    with op.batch_alter_table("transit_counts") as batch:
        batch.alter_column("measure", existing_type=sa.String(40), type_=sa.String(10), existing_nullable=False)
    with op.batch_alter_table("carrier_scans") as batch:
        batch.drop_column("stage")
