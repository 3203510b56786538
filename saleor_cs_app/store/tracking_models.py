"""Tables of delivery tracking: what each source knows about each parcel, and the sources' accounts.

Imported at the end of models.py so that one metadata holds every table.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from saleor_cs_app.store.base import Base


class FulfillmentDelivery(Base):
    """One shipped parcel (a Saleor fulfilment) and the latest word of the sources that follow it.

    `followed_by` empty means no source follows it: the app knows nothing about
    its delivery and never calls it late.
    """

    __tablename__ = "fulfillment_deliveries"
    __table_args__ = (
        UniqueConstraint("tenant_id", "fulfillment_id"),
        Index("ix_fulfillment_deliveries_order", "tenant_id", "order_id"),
        Index("ix_fulfillment_deliveries_next_poll", "next_poll_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[str] = mapped_column(String(200))
    fulfillment_id: Mapped[str] = mapped_column(String(200))
    tracking_number: Mapped[str | None] = mapped_column(String(200))
    followed_by: Mapped[list] = mapped_column(JSON, default=list)  # source names, e.g. ["aftership"]
    followed_since: Mapped[datetime | None]  # when the first source began following it
    source: Mapped[str | None] = mapped_column(String(40))  # the source of the latest state
    state: Mapped[str | None] = mapped_column(String(40))  # care.model.DeliveryState value
    carrier_name: Mapped[str | None] = mapped_column(String(200))
    carrier_status: Mapped[str | None] = mapped_column(Text)  # the carrier's own words
    carrier_status_at: Mapped[datetime | None]
    carrier_location: Mapped[str | None] = mapped_column(String(300))  # where the latest scan was, as the carrier says
    carrier_expected_date: Mapped[date | None] = mapped_column(Date)
    tracking_url: Mapped[str | None] = mapped_column(String(1000))
    delivered_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]  # polled sources (DHL): when to ask again
    written_state: Mapped[str | None] = mapped_column(String(40))  # last state written back to Saleor
    updated_at: Mapped[datetime]


class CarrierScan(Base):
    """One scan of a parcel as its carrier reported it (time, words, place), for the customer's page.

    Sources resend a parcel's whole history with each update: `key` (a hash of time, words and place)
    keeps each scan once.
    """

    __tablename__ = "carrier_scans"
    __table_args__ = (
        UniqueConstraint("tenant_id", "fulfillment_id", "key"),
        Index("ix_carrier_scans_order", "tenant_id", "order_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    order_id: Mapped[str] = mapped_column(String(200))
    fulfillment_id: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]  # UTC
    words: Mapped[str | None] = mapped_column(Text)  # the carrier's own
    place: Mapped[str | None] = mapped_column(String(300))
    state: Mapped[str | None] = mapped_column(String(40))  # care.model.DeliveryState value, when named
    stage: Mapped[str | None] = mapped_column(String(20))  # care.model.Stage value, when the carrier names the leg


class TrackingConnection(Base):
    """A merchant's account at a tracking service, its secrets encrypted like the Saleor token."""

    __tablename__ = "tracking_connections"
    __table_args__ = (UniqueConstraint("tenant_id", "provider"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    provider: Mapped[str] = mapped_column(String(40))  # aftership | dhl
    # The unguessable path segment of this account's webhook URL.
    public_id: Mapped[str] = mapped_column(String(64), unique=True)
    api_key_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    webhook_secret_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    # The service refused this key (401/403) on every call since then; cleared by an accepted call or a new key.
    key_refused_since: Mapped[datetime | None]
    key_refusal: Mapped[str | None] = mapped_column(Text)  # the service's own words, safe to show


class TrackingRegistration(Base):
    """The exactly-once ledger of trackings created at a tracking service, one per parcel and number.

    Reserved (`started`) before the call; a retry that finds it started looks the
    tracking up before creating it again.
    """

    __tablename__ = "tracking_registrations"
    __table_args__ = (UniqueConstraint("tenant_id", "provider", "fulfillment_id", "tracking_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    provider: Mapped[str] = mapped_column(String(40))
    order_id: Mapped[str] = mapped_column(String(200))
    fulfillment_id: Mapped[str] = mapped_column(String(200))
    tracking_number: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), default="started")  # started | done | failed
    external_id: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class TrackingEventSeen(Base):
    """Event ids a tracking service already delivered: a replay changes nothing."""

    __tablename__ = "tracking_events_seen"
    __table_args__ = (UniqueConstraint("tenant_id", "provider", "event_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    provider: Mapped[str] = mapped_column(String(40))
    event_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime]


class TrackingApiUsage(Base):
    """Calls made to a rate-limited tracking API per UTC day, shown to the merchant."""

    __tablename__ = "tracking_api_usage"
    __table_args__ = (UniqueConstraint("tenant_id", "provider", "day"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    provider: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    throttled_until: Mapped[datetime | None]


class TransitCount(Base):
    """What the shop's parcels taught: how many took `value` business days shipped → delivered
    (measure "transit"), or were silent `value` hours between two scans (measure "gap"), or spent in a stage
    and after it (measures "stay_<stage>", "after_<stage>"), per shipping method × carrier × destination
    country (care/transit.py).

    A compact histogram instead of every scan: the model needs counts only, the table stays a few
    hundred rows per shop however many parcels it ships, and one parcel's news is one UPDATE.
    """

    __tablename__ = "transit_counts"
    __table_args__ = (UniqueConstraint("tenant_id", "measure", "method", "carrier", "country", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    measure: Mapped[str] = mapped_column(String(40))  # transit | gap | stay_<stage> | after_<stage>
    method: Mapped[str] = mapped_column(String(200))
    carrier: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    value: Mapped[int] = mapped_column(Integer)
    count: Mapped[int] = mapped_column(Integer, default=0)
