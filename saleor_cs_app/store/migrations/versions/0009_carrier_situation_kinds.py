"""Policies: a rule for late deliveries keeps covering the carrier situations that were late deliveries before.

Until this version a lost, returned, held or undelivered parcel opened a `late_delivery` incident. They now
open incidents of their own kinds (care/situations.py). A merchant whose rule says `kinds: [late_delivery]`
meant those parcels too, so each tenant's live policy gets a new version in which such a rule also names
the new kinds its offer fits. Rules that name no kinds need nothing: they already match every kind their
offer fits. The table of what fits is written out here, as it stood when this migration was written.

Revision ID: 0009
Revises: 0008
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_NEW_KINDS = ("attempt_failed", "pickup_waiting", "held", "lost", "returned")
_UNFIT = {
    "reship": {"attempt_failed", "pickup_waiting", "lost", "returned"},
    "partial_refund": {"lost", "returned"},
}

_versions = sa.table(
    "policy_versions",
    sa.column("id", sa.Integer),
    sa.column("tenant_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("document", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("created_by", sa.String),
)


def widened(document: dict) -> dict | None:
    """The document with late-delivery rules widened to the carrier kinds, or None when nothing changes."""
    rules, changed = [], False
    for rule in document.get("rules") or []:
        when = dict(rule.get("when") or {})
        kinds = when.get("kinds")
        kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
        if "late_delivery" in kinds:
            offer = rule.get("offer")
            offer_type = offer if isinstance(offer, str) else next(iter(offer or {"apology_only": {}}))
            extra = [k for k in _NEW_KINDS if k not in kinds and k not in _UNFIT.get(offer_type, ())]
            if extra:
                when["kinds"] = kinds + extra
                rule = {**rule, "when": when}
                changed = True
        rules.append(rule)
    return {**document, "rules": rules} if changed else None


def upgrade() -> None:
    bind = op.get_bind()
    latest = (
        sa.select(_versions.c.tenant_id, sa.func.max(_versions.c.version).label("version"))
        .group_by(_versions.c.tenant_id)
        .subquery()
    )
    live = bind.execute(
        sa.select(_versions.c.tenant_id, _versions.c.version, _versions.c.document).join(
            latest, sa.and_(latest.c.tenant_id == _versions.c.tenant_id, latest.c.version == _versions.c.version)
        )
    ).all()
    for tenant_id, version, document in live:
        new = widened(document or {})
        if new is not None:
            bind.execute(
                _versions.insert().values(
                    tenant_id=tenant_id,
                    version=version + 1,
                    document=new,
                    created_at=datetime.now(UTC),
                    created_by="upgrade: late-delivery rules cover the carrier situations",
                )
            )


def downgrade() -> None:
    # The widened version stays: it is a policy a merchant may already have edited further.
    pass
