"""Tables. Every row belongs to a tenant (one installed Saleor instance).

Natural keys carry unique constraints so that duplicate or concurrent signals
collide in the database instead of producing a second effect.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from saleor_cs_app.store.base import Base, UTCDateTime, new_id  # noqa: F401  (migrations import UTCDateTime here)


class Tenant(Base):
    """An installed Saleor instance (app-sdk's APL entry), keyed by its API URL."""

    __tablename__ = "tenants"
    id: Mapped[int] = mapped_column(primary_key=True)
    saleor_api_url: Mapped[str] = mapped_column(String(500), unique=True)
    app_id: Mapped[str] = mapped_column(String(200))
    token_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    jwks: Mapped[str] = mapped_column(Text)
    jwks_fetched_at: Mapped[datetime]
    installed_at: Mapped[datetime]
    uninstalled_at: Mapped[datetime | None]
    saleor_version: Mapped[str | None] = mapped_column(String(40))
    # The merchant's own SMTP server (an smtp:// URL with its password), encrypted like the token.
    mail_server_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)

    @property
    def is_active(self) -> bool:
        return self.uninstalled_at is None and self.token_ciphertext is not None


class WebhookDelivery(Base):
    """A verified webhook body, stored before it is acknowledged.

    Saleor sends no delivery id and retries with the very same bytes, so the
    SHA-256 of event name and body is the idempotency key.
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "body_sha256"),
        # The queue: only deliveries not yet processed, oldest first (jobs/deliveries.process_oldest,
        # the sweep). Processed rows leave the index, so it stays the size of the backlog.
        Index(
            "ix_webhook_deliveries_pending",
            "received_at",
            "id",
            sqlite_where=text("state = 'received'"),
            postgresql_where=text("state = 'received'"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    event: Mapped[str] = mapped_column(String(80))
    body_sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(20), default="received")  # received | done | failed
    processed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)


class TrackedOrder(Base):
    """An order the app watches, with the promise stored when first seen.

    Saleor does not snapshot a shipping method's delivery days, so the promise
    made at checkout is kept here.
    """

    __tablename__ = "tracked_orders"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id"),
        # Each customer's orders in time order, with their totals: the daily count of returning
        # customers (store/returns.py) reads this index alone, one pass over it.
        Index("ix_tracked_orders_customer", "tenant_id", "customer_key", "created_at", "total_amount", "currency"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[str] = mapped_column(String(200))
    number: Mapped[str] = mapped_column(String(40))
    channel_slug: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]
    paid_at: Mapped[datetime | None]
    ship_by: Mapped[datetime | None]
    max_delivery_days: Mapped[int | None]
    click_and_collect: Mapped[bool] = mapped_column(default=False)
    facts: Mapped[dict] = mapped_column(JSON)  # order snapshot for decisions and messages
    updated_at: Mapped[datetime]
    # Who placed it (care/returns.customer_key: the Saleor user id, else the e-mail) and what it was
    # worth, so later orders of a compensated customer can be counted without reading `facts`.
    customer_key: Mapped[str | None] = mapped_column(String(330))
    total_amount: Mapped[Decimal | None]
    currency: Mapped[str | None] = mapped_column(String(3))


class Deadline(Base):
    """A promise that is still open. The sweep reads these by `due_at` only,

    so its cost follows the number of due deadlines, not of tracked orders.
    A kept promise deletes its row.
    """

    __tablename__ = "deadlines"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id", "kind", "fulfillment_id"),
        Index("ix_deadlines_due_at", "due_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    fulfillment_id: Mapped[str] = mapped_column(String(200), default="")
    due_at: Mapped[datetime]


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (
        UniqueConstraint("tenant_id", "order_id", "kind", "fulfillment_id"),
        Index("ix_incidents_tenant_state", "tenant_id", "state"),
        Index("ix_incidents_tenant_detected", "tenant_id", "detected_at"),
        # The sweep's look for steps no worker holds any more (jobs/lost_work.py).
        Index("ix_incidents_state_lease", "state", "lease_until"),
        # An order's voucher code names the incident that gave it (jobs/redemptions.py).
        Index("ix_incidents_tenant_code", "tenant_id", "goodwill_code"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[str] = mapped_column(String(200))
    order_number: Mapped[str] = mapped_column(String(40))
    channel_slug: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    fulfillment_id: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(40))
    # detected → (pending_approval →) deciding → acting → notified | declined | failed
    state: Mapped[str] = mapped_column(String(30), default="detected")
    days_late: Mapped[int] = mapped_column(Integer, default=0)
    facts: Mapped[dict] = mapped_column(JSON)  # IncidentFacts as JSON
    customer_email: Mapped[str | None] = mapped_column(String(320))
    carrier: Mapped[str | None] = mapped_column(String(200))
    warehouse: Mapped[str | None] = mapped_column(String(200))
    detected_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    decision: Mapped[dict | None] = mapped_column(JSON)
    offer_type: Mapped[str | None] = mapped_column(String(40))
    offer_value: Mapped[Decimal | None]
    currency: Mapped[str | None] = mapped_column(String(3))
    goodwill_code: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str | None] = mapped_column(Text)
    # One worker at a time carries an incident out (jobs/incident_lease.py): `lease_holder` names it
    # (host:pid) and renews `lease_until` while it works, so a dead worker's lease runs out in seconds.
    # No holder: the step waits in the queue, and `lease_until` is when the sweep looks whether its task was lost.
    lease_until: Mapped[datetime | None]
    lease_holder: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When the redemption backfill last asked Saleor whether this incident's code was spent
    # (jobs/redemption_backfill.py): its cache, so a re-run does not ask again the same day.
    redemption_checked_at: Mapped[datetime | None]


class IncidentEvent(Base):
    """The incident's timeline, as the merchant reads it."""

    __tablename__ = "incident_events"
    __table_args__ = (Index("ix_incident_events_incident", "incident_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    at: Mapped[datetime]
    type: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)


class BudgetReservation(Base):
    """Goodwill value held against a tenant's monthly budget, per currency.

    Reserved before acting, marked spent after, released on decline or failure.
    """

    __tablename__ = "budget_reservations"
    __table_args__ = (Index("ix_budget_month", "tenant_id", "month", "currency"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), unique=True)
    customer_email: Mapped[str | None] = mapped_column(String(320))
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal]
    state: Mapped[str] = mapped_column(String(20), default="reserved")  # reserved | spent | released
    created_at: Mapped[datetime]


class BudgetLock(Base):
    """One row per (tenant, month, currency) to lock while checking and reserving."""

    __tablename__ = "budget_locks"
    __table_args__ = (UniqueConstraint("tenant_id", "month", "currency"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    month: Mapped[str] = mapped_column(String(7))
    currency: Mapped[str] = mapped_column(String(3))


class GoodwillAction(Base):
    """The exactly-once ledger of effects in Saleor: one row per (incident, step).

    A step is written as `started` before the call and `done` with Saleor's
    reference after it; a retry finds a started step and looks the object up
    (by its tag) instead of creating it again.
    """

    __tablename__ = "goodwill_actions"
    __table_args__ = (UniqueConstraint("incident_id", "step"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    step: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default="started")  # started | done | failed
    saleor_ref: Mapped[str | None] = mapped_column(String(300))
    result: Mapped[dict | None] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime]


class OutboxMessage(Base):
    """An e-mail to a customer, written in the same transaction as the decision."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("incident_id", "purpose"),
        Index("ix_outbox_state_next", "state", "next_attempt_at"),
        # Only the notes still owed: the sweep's lookup stays the size of that backlog.
        Index(
            "ix_outbox_note_due",
            "note_due_at",
            sqlite_where=text("note_due_at IS NOT NULL"),
            postgresql_where=text("note_due_at IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"))
    purpose: Mapped[str] = mapped_column(String(40))  # initial | shipped
    language: Mapped[str] = mapped_column(String(8))
    mail_from: Mapped[str] = mapped_column(String(400))
    mail_to: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    message_id: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending | sending | sent | failed | dry_run
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    # A later e-mail's order note (notify/order_trace.py) is owed from this time on; the writer
    # moves it forward while it works or waits, and clears it once settled. The sweep takes up
    # a note whose time passed long ago: its task was lost (a crash right after the send).
    note_due_at: Mapped[datetime | None]


class PolicyVersion(Base):
    """Every saved policy document, with who saved it; the highest version is live."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("tenant_id", "version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(320))


class AppProblem(Base):
    """Something the merchant must act on, one row per key while it lasts (problems/).

    `in_saleor` says it was raised with appProblemCreate (Saleor 3.22+), so it shows in the dashboard's
    app list; otherwise only the app's own page shows it. `cleared_at` is set when the cause is gone.
    """

    __tablename__ = "app_problems"
    __table_args__ = (UniqueConstraint("tenant_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    key: Mapped[str] = mapped_column(String(128))
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime]
    cleared_at: Mapped[datetime | None]
    in_saleor: Mapped[bool] = mapped_column(default=False)


from saleor_cs_app.store.tracking_models import (  # noqa: E402,F401  (one metadata for every table)
    FulfillmentDelivery,
    TrackingApiUsage,
    TrackingConnection,
    TrackingEventSeen,
    TrackingRegistration,
    TransitCount,
)


# -- the customer's own reports (support/) ---------------------------------------------------------
class SupportReport(Base):
    """A problem the customer reported on the support page, with the fix they propose.

    The report is the customer's side of an incident (kind customer_report, source customer);
    the incident carries the decision and the goodwill as any other incident does.
    """

    __tablename__ = "support_reports"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    incident_id: Mapped[str] = mapped_column(ForeignKey("incidents.id"), unique=True)
    order_id: Mapped[str] = mapped_column(String(200))
    problem: Mapped[str] = mapped_column(String(40))
    line_ids: Mapped[dict] = mapped_column(JSON)  # list of Saleor order line ids
    note: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str] = mapped_column(String(40))  # what the customer asked for
    amount: Mapped[Decimal | None]  # keep_with_discount: the amount they proposed
    percent: Mapped[Decimal | None]  # keep_with_discount: or the percentage
    # open → (countered →) accepted | declined; the incident says how far the goodwill got.
    state: Mapped[str] = mapped_column(String(20), default="open")
    counter: Mapped[dict | None] = mapped_column(JSON)  # the shop's counter-offer, if any
    merchant_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class SupportOpenLine(Base):
    """One open report per order line at a time: the row exists while its report is open."""

    __tablename__ = "support_open_lines"
    __table_args__ = (UniqueConstraint("tenant_id", "order_id", "line_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[str] = mapped_column(String(200))
    line_id: Mapped[str] = mapped_column(String(200))
    report_id: Mapped[str] = mapped_column(ForeignKey("support_reports.id"))


class SupportPhoto(Base):
    """A customer's photo, re-encoded without metadata; the bytes live in the photo store."""

    __tablename__ = "support_photos"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    report_id: Mapped[str] = mapped_column(ForeignKey("support_reports.id"))
    storage_key: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class SupportAttempt(Base):
    """Order look-ups by number and e-mail, counted per IP and per order for the rate limit."""

    __tablename__ = "support_attempts"
    __table_args__ = (Index("ix_support_attempts_key_at", "key", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime]


from saleor_cs_app.store.owed_models import OwedRemedy  # noqa: E402,F401  (one metadata for every table)
from saleor_cs_app.store.returns_models import GoodwillRedemption, ReturnsReport  # noqa: E402,F401
from saleor_cs_app.store.brand_models import ShopBrand  # noqa: E402,F401  (one metadata for every table)
from saleor_cs_app.store.to_ship_models import UnshippedLine  # noqa: E402,F401  (one metadata for every table)
