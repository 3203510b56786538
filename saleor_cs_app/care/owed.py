"""What a lost or returned parcel owes the customer: the goods, as a new parcel or their money back.

In the EU the risk stays with the seller until the goods are delivered (Directive 2011/83/EU, art. 20),
so a parcel the carrier lost, or sent back to the shop, leaves the customer owed what was in it —
whatever goodwill the policy gives on top. The customer chooses, once: a new parcel of the same items
at no cost, or a refund of what they paid for them.

What the money is: the parcel's lines at their gross unit prices (after discounts, as the customer
paid) times the quantities in that parcel, in the order's currency. The order's shipping price is
added only when that parcel was the whole order: then the customer paid shipping for a delivery that
never happened. When other parcels of the order did arrive, the shipping paid for them was used, and
splitting it between parcels would be a guess; the new parcel is shipped free either way.

Pure: plain data in, plain data out.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from saleor_cs_app.care.decide import quantize_money
from saleor_cs_app.care.model import IncidentKind, OrderFacts
from saleor_cs_app.care.situations import GOODS_OWED


class Remedy(enum.StrEnum):
    NEW_PARCEL = "new_parcel"  # the same items again, at no cost
    REFUND = "refund"  # what the customer paid for them


class Closed(enum.StrEnum):
    """Why the customer can no longer choose."""

    CHOSEN = "chosen"  # they chose already
    ORDER_CLOSED = "order_closed"  # the shop cancelled the order or took it back: settled in Saleor
    NOT_TOLD = "not_told"  # the incident waits in the install backlog or was dismissed: nothing was said


# Saleor's OrderStatus values after which the goods are no longer owed through this page: the order
# was cancelled (nothing charged is kept), expired, or returned in full (staff settled it by hand).
CLOSED_ORDER_STATUSES = frozenset({"CANCELED", "EXPIRED", "RETURNED"})

# Incident states the customer was never told about (jobs/backlog.py).
_NOT_TOLD = frozenset({"backlog", "dismissed"})


@dataclass(frozen=True)
class OwedLine:
    line_id: str
    variant_id: str | None  # None when the product was deleted: it cannot be sent again
    name: str
    quantity: int  # in the parcel, not in the order
    unit_price: Decimal  # gross, order currency


@dataclass(frozen=True)
class OwedGoods:
    kind: IncidentKind
    currency: str
    lines: tuple[OwedLine, ...]
    goods: Decimal  # the lines' worth
    shipping: Decimal  # the order's shipping price when this parcel was the whole order, else 0

    @property
    def refund_amount(self) -> Decimal:
        return self.goods + self.shipping

    @property
    def remedies(self) -> tuple[Remedy, ...]:
        """What the customer can choose: a new parcel only when every item can still be ordered."""
        if all(line.variant_id for line in self.lines):
            return (Remedy.NEW_PARCEL, Remedy.REFUND)
        return (Remedy.REFUND,)


def owed_goods(kind: IncidentKind, order: OrderFacts, parcel: Mapping[str, int]) -> OwedGoods | None:
    """The goods a lost or returned parcel owes; None for other kinds or when the parcel's lines are unknown.

    `parcel`: the fulfilment's quantities by order line id."""
    if kind not in GOODS_OWED:
        return None
    lines = tuple(
        OwedLine(
            line_id=line.line_id,
            variant_id=line.variant_id,
            name=line.name or line.sku or "",
            quantity=min(parcel[line.line_id], line.quantity),
            unit_price=max(line.unit_price, Decimal(0)),
        )
        for line in order.lines
        if line.line_id and parcel.get(line.line_id, 0) > 0
    )
    if not lines:
        return None
    goods = quantize_money(sum((line.unit_price * line.quantity for line in lines), Decimal(0)), order.currency)
    whole_order = all(parcel.get(line.line_id or "", 0) >= line.quantity for line in order.lines)
    shipping = quantize_money(max(order.shipping_price, Decimal(0)), order.currency) if whole_order else Decimal(0)
    return OwedGoods(kind=kind, currency=order.currency, lines=lines, goods=goods, shipping=shipping)


def why_closed(*, incident_state: str, order_status: str, chosen: Remedy | None) -> Closed | None:
    """None while the customer may still choose."""
    if chosen is not None:
        return Closed.CHOSEN
    if incident_state in _NOT_TOLD:
        return Closed.NOT_TOLD
    if order_status.upper() in CLOSED_ORDER_STATUSES:
        return Closed.ORDER_CLOSED
    return None
