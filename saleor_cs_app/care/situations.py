"""Situations as the customer lives them: which kind a carrier's word makes, and what can be offered for it.

A parcel the carrier calls lost is not "delayed", and a parcel waiting at a pickup point is not lost:
each carrier state becomes an incident kind of its own, with its own message. And an offer has to make
sense for what happened: a replacement parcel for an order that never left the warehouse would be a
promise the shop cannot keep.

Pure: enums in, enums and sentences for the merchant out.
"""

from __future__ import annotations

from saleor_cs_app.care.model import MESSAGE_KINDS, DeliveryState, IncidentKind, OfferType

_KIND_OF_FAILURE = {
    DeliveryState.ATTEMPT_FAIL: IncidentKind.ATTEMPT_FAILED,
    DeliveryState.EXCEPTION: IncidentKind.HELD,
    DeliveryState.LOST: IncidentKind.LOST,
    DeliveryState.RETURNED: IncidentKind.RETURNED,
    # AfterShip's "Expired": the carrier has said nothing for 30 days. Nothing says it is lost, only
    # that it is late: the message states the last word the carrier gave and when.
    DeliveryState.EXPIRED: IncidentKind.LATE_DELIVERY,
}

# The kinds a tracking source's report (or its silence past the deliver-by day) can open.
CARRIER_KINDS = tuple(k for k in MESSAGE_KINDS if k not in (IncidentKind.LATE_SHIPMENT, IncidentKind.WRONG_ITEM))

# The goods never reach the customer: they are owed a new parcel or their money back, their choice
# (in the EU the risk stays with the seller until delivery), whatever goodwill comes on top.
GOODS_OWED = frozenset({IncidentKind.LOST, IncidentKind.RETURNED})


def kind_for_delivery(state: DeliveryState, *, past_deadline: bool) -> IncidentKind | None:
    """The incident a parcel's latest state calls for, or None when nothing is wrong (yet).

    `past_deadline`: its deliver-by time has passed. A parcel at a pickup point is an incident only
    when it got there late; on time, the promise is kept and the carrier's own notice is enough."""
    if state in _KIND_OF_FAILURE:
        return _KIND_OF_FAILURE[state]
    if state is DeliveryState.AVAILABLE_FOR_PICKUP:
        return IncidentKind.PICKUP_WAITING if past_deadline else None
    if state is DeliveryState.DELIVERED:
        return None
    return IncidentKind.LATE_DELIVERY if past_deadline else None


# Why an offer cannot go with a kind, in the words the policy error shows the merchant.
_UNFIT: dict[tuple[IncidentKind, OfferType], str] = {
    (IncidentKind.LATE_SHIPMENT, OfferType.RESHIP): "a reship needs a parcel that left; late_shipment has none",
    (IncidentKind.ATTEMPT_FAILED, OfferType.RESHIP): (
        "a reship does not fit attempt_failed: the parcel is still there to be delivered again"
    ),
    (IncidentKind.PICKUP_WAITING, OfferType.RESHIP): (
        "a reship does not fit pickup_waiting: the parcel is waiting for the customer"
    ),
    (IncidentKind.STALLED, OfferType.RESHIP): (
        "a reship does not fit stalled: the parcel may still move, and a lost one already owes a new parcel"
    ),
    (IncidentKind.CUSTOMER_REPORT, OfferType.RESHIP): (
        "a reship does not fit customer_report: the customer proposes their own fix on the support page"
    ),
    # Not broken yet: the heads-up tells the customer what to expect, and gives nothing.
    **{(IncidentKind.AT_RISK, offer): (
        f"{offer} does not fit at_risk: the promise is not broken yet; the heads-up gives nothing"
    ) for offer in OfferType if offer is not OfferType.APOLOGY_ONLY},
    # The goods owed already are a new parcel or all the money back.
    **{(kind, OfferType.RESHIP): (
        f"a reship does not fit {kind}: the customer already chooses a new parcel or their money back"
    ) for kind in GOODS_OWED},
    **{(kind, OfferType.PARTIAL_REFUND): (
        f"a partial refund does not fit {kind}: the customer may already take all their money back"
    ) for kind in GOODS_OWED},
}


def why_unfit(kind: IncidentKind, offer: OfferType) -> str | None:
    """None when `offer` can be carried out and worded truthfully for every incident of `kind`."""
    return _UNFIT.get((kind, offer))


def offers_for(kind: IncidentKind) -> tuple[OfferType, ...]:
    """The offers that fit `kind`, in the policy's order: what the rule editor offers."""
    return tuple(offer for offer in OfferType if why_unfit(kind, offer) is None)
