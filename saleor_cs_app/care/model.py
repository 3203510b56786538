"""Plain data the domain rules work on.

Everything here is frozen and free of Flask, SQLAlchemy, gql and requests, so
that detection, promises, policy decisions and message rendering can be tested
as pure functions at any date.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


class IncidentKind(enum.StrEnum):
    """What happened, as the customer lives it: each kind has its own message (care/situations.py)."""

    LATE_SHIPMENT = "late_shipment"  # not sent by the ship-by day
    LATE_DELIVERY = "late_delivery"  # in transit past the deliver-by day (or the carrier went silent)
    ATTEMPT_FAILED = "attempt_failed"  # the carrier tried to deliver and could not
    PICKUP_WAITING = "pickup_waiting"  # waiting at a pickup point, reached after the deliver-by day
    HELD = "held"  # stopped on the way: customs, a damaged label, an exception the carrier reports
    STALLED = "stalled"  # in transit, but no carrier scan for longer than the carrier's usual longest gap
    AT_RISK = "at_risk"  # in transit, and unlikely to arrive by the deliver-by day (care/at_risk.py): a heads-up
    LOST = "lost"  # the carrier reports it lost
    RETURNED = "returned"  # on its way back to the shop
    WRONG_ITEM = "wrong_item"
    CUSTOMER_REPORT = "customer_report"  # the customer reported it on the support page (support/)


# The kinds the built-in incident messages are written for; a customer report is answered with the
# support situations instead (notify/support_mail.py).
MESSAGE_KINDS = (
    IncidentKind.LATE_SHIPMENT,
    IncidentKind.LATE_DELIVERY,
    IncidentKind.ATTEMPT_FAILED,
    IncidentKind.PICKUP_WAITING,
    IncidentKind.HELD,
    IncidentKind.STALLED,
    IncidentKind.AT_RISK,
    IncidentKind.LOST,
    IncidentKind.RETURNED,
    IncidentKind.WRONG_ITEM,
)


class OfferType(enum.StrEnum):
    APOLOGY_ONLY = "apology_only"
    GIFT_CARD = "gift_card"
    FREE_SHIPPING_VOUCHER = "free_shipping_voucher"
    GIFT_PRODUCT = "gift_product"
    PARTIAL_REFUND = "partial_refund"
    RESHIP = "reship"


class DeliveryState(enum.StrEnum):
    """Where a parcel is, as a tracking source reports it (AfterShip's tags, in our words)."""

    INFO_RECEIVED = "info_received"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    AVAILABLE_FOR_PICKUP = "available_for_pickup"
    DELIVERED = "delivered"
    ATTEMPT_FAIL = "attempt_fail"
    EXCEPTION = "exception"
    EXPIRED = "expired"
    RETURNED = "returned"
    LOST = "lost"

    @property
    def is_failure(self) -> bool:
        """Evidence of a broken delivery promise, whatever the calendar says."""
        return self in _FAILURES

    @property
    def has_arrived(self) -> bool:
        """The promise is kept: in the customer's hands, or waiting for them at a pickup point."""
        return self in (DeliveryState.DELIVERED, DeliveryState.AVAILABLE_FOR_PICKUP)


_FAILURES = frozenset(
    {DeliveryState.ATTEMPT_FAIL, DeliveryState.EXCEPTION, DeliveryState.EXPIRED, DeliveryState.RETURNED, DeliveryState.LOST}
)


class Stage(enum.StrEnum):
    """How far along its journey a moving parcel is, as the carrier's checkpoints tell (care/stages.py).

    The time a parcel still needs depends mostly on the leg it is in: one at the delivery depot is usually
    out the next morning, one still between hubs has the line-haul and the depot ahead of it. In order.
    """

    ORIGIN = "origin"  # announced, picked up or accepted, not yet moving between hubs
    LINE_HAUL = "line_haul"  # between hubs, across the border, through customs
    DESTINATION = "destination"  # at the delivery depot that serves the address
    OUT_FOR_DELIVERY = "out_for_delivery"  # on the van


class IncidentSource(enum.StrEnum):
    """Who or what noticed the problem."""

    DEADLINE = "deadline"  # a promise calendar deadline passed
    CARRIER = "carrier"  # a carrier exception in fulfilment metadata
    PACK_SCAN = "pack_scan"  # scanned SKUs differ from the fulfilment lines
    STAFF = "staff"  # reported from the order page
    CUSTOMER = "customer"


@dataclass(frozen=True)
class OrderLine:
    sku: str | None
    name: str
    quantity: int
    unit_price: Decimal  # gross, order currency
    variant_id: str | None = None
    line_id: str | None = None  # Saleor's order line id


@dataclass(frozen=True)
class OrderFacts:
    """What the app knows about an order when it decides and writes to the customer."""

    order_id: str  # Saleor global ID
    number: str
    channel_slug: str
    currency: str
    total: Decimal  # gross
    shipping_price: Decimal  # gross; the value of a free-shipping voucher
    customer_email: str | None
    customer_first_name: str | None
    language: str  # resolved two-letter language, e.g. "fi"
    created_at: datetime
    lines: tuple[OrderLine, ...] = ()
    is_first_order: bool | None = None  # None when unknown


@dataclass(frozen=True)
class IncidentFacts:
    """The facts a decision and a message need about one broken promise."""

    kind: IncidentKind
    source: IncidentSource
    days_late: int
    promised_date: date | None = None  # what the customer was promised
    new_expectation: date | None = None  # our honest new estimate, if any
    expected_skus: tuple[str, ...] = ()  # wrong_item: what should have been sent
    sent_skus: tuple[str, ...] = ()  # wrong_item: what was actually packed
    carrier: str | None = None
    warehouse: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    proposal_value: Decimal | None = None  # customer_report: what the customer's proposed fix costs


@dataclass(frozen=True)
class CustomerHistory:
    """Compensations this customer already received inside the per-customer window."""

    compensations_in_window: int = 0


@dataclass(frozen=True)
class BudgetState:
    """Goodwill value already spent or reserved this calendar month, per currency."""

    used: dict[str, Decimal] = field(default_factory=dict)

    def used_in(self, currency: str) -> Decimal:
        return self.used.get(currency, Decimal(0))


@dataclass(frozen=True)
class PromiseRules:
    """The promise a channel makes, resolved from the policy (with per-channel overrides)."""

    handling_days: int = 2  # business days to ship
    count_from: str = "paid"  # "paid" | "created": when the handling clock starts
    cutoff_hour: int = 14  # orders at or after this local hour count from the next business day
    delivery_grace_days: int = 1
    default_delivery_days: int = 5  # when the shipping method has no maximumDeliveryDays
    country: str | None = None  # ISO 3166-1 alpha-2, for public holidays; None = weekends only
    timezone: str | None = None  # IANA zone the business days are counted in; None = the country's
