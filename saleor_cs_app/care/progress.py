"""Where a parcel is on its way, as the steps of a progress line: pure, from what Saleor and the carrier said.

ordered → packed → shipped → in transit → out for delivery → delivered, the last step being "waiting at a
pickup point" when the carrier says so (then without "out for delivery", unless a scan said that). A step is reached only on evidence: a fulfilment (shipped), the
carrier's label (packed), its scans. A parcel in trouble (a failed attempt, held up, lost, on its way
back) stays at the last step it reached; the page says the trouble in words.
"""

from __future__ import annotations

from dataclasses import dataclass

ORDERED, PACKED, SHIPPED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, PICKUP = (
    "ordered", "packed", "shipped", "in_transit", "out_for_delivery", "delivered", "pickup",
)  # fmt: skip
_ROAD = (ORDERED, PACKED, SHIPPED, IN_TRANSIT, OUT_FOR_DELIVERY)

# The carrier's state (care.model.DeliveryState value) → the furthest step it proves.
_REACHED = {
    "info_received": PACKED,  # a label exists; the carrier has not scanned the parcel yet
    "in_transit": IN_TRANSIT,
    "attempt_fail": OUT_FOR_DELIVERY,
    "out_for_delivery": OUT_FOR_DELIVERY,
    "available_for_pickup": PICKUP,
    "delivered": DELIVERED,
    "exception": IN_TRANSIT,
    "expired": IN_TRANSIT,
    "lost": SHIPPED,
    "returned": SHIPPED,
}
# Saleor's fulfilment statuses that are not yet a parcel on its way.
_NOT_YET_SHIPPED = ("WAITING_FOR_APPROVAL",)


@dataclass(frozen=True)
class Progress:
    steps: tuple[str, ...]
    current: str

    def done(self, step: str) -> bool:
        return self.steps.index(step) < self.steps.index(self.current)


def progress(fulfilment_status: str | None, delivery_state: str | None, *, pickup_point: bool = False) -> Progress:
    """The line of one parcel (fulfilment_status None: the order has no parcel yet)."""
    if fulfilment_status is None:
        current = ORDERED
    elif fulfilment_status in _NOT_YET_SHIPPED:
        current = PACKED
    else:
        current = _REACHED.get(delivery_state or "", SHIPPED)
    last = PICKUP if pickup_point or current == PICKUP else DELIVERED
    road = _ROAD
    if last == PICKUP and current != OUT_FOR_DELIVERY:
        # A parcel for a pickup point is not out for delivery unless the carrier said so: no step without a scan.
        road = tuple(step for step in _ROAD if step != OUT_FOR_DELIVERY)
    return Progress((*road, last), current)

