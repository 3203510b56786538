"""When a parcel counts as late: only with evidence.

A late-delivery claim needs a tracking source that either reports a failure
(exception, failed attempt, returned, expired, lost) or follows the parcel and
has not seen it arrive by its deliver-by time. A parcel nobody follows is
never called late: the app cannot know it was not delivered, and apologising
for deliveries that went fine is the worst thing it could do. Nor is one a
source follows but has never reported on (AfterShip's "Pending", a webhook
URL never pasted): silence is not evidence.

Pure: plain data and rules in, a verdict out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from saleor_cs_app.care import promises
from saleor_cs_app.care.model import DeliveryState, IncidentKind, PromiseRules
from saleor_cs_app.care.situations import kind_for_delivery


@dataclass(frozen=True)
class Parcel:
    fulfillment_id: str
    shipped_at: datetime | None
    followed: bool  # some tracking source follows this parcel
    state: DeliveryState | None = None  # the latest state a source reported, if any
    state_at: datetime | None = None  # when the carrier says that state began


@dataclass(frozen=True)
class DeliveryVerdict:
    # The deliver-by time of a followed parcel not yet arrived: passing it unreported is the evidence.
    deadline: datetime | None = None
    # What a source reported makes it an incident now, whatever the deadline: lost, held, … or
    # waiting at a pickup point it reached late.
    failure: IncidentKind | None = None

    @property
    def failed(self) -> bool:
        return self.failure is not None


NOT_WATCHED = DeliveryVerdict()


def judge(parcel: Parcel, *, max_delivery_days: int | None, click_and_collect: bool, rules: PromiseRules) -> DeliveryVerdict:
    if click_and_collect or not parcel.followed or parcel.shipped_at is None or parcel.state is None:
        return NOT_WATCHED
    if parcel.state is DeliveryState.DELIVERED:
        return NOT_WATCHED
    deadline = promises.deliver_by(parcel.shipped_at, max_delivery_days, rules)
    if parcel.state is DeliveryState.AVAILABLE_FOR_PICKUP:
        # Arrived, so nothing more to watch; late only when the carrier says it got there late.
        if parcel.state_at is None or parcel.state_at <= deadline:
            return NOT_WATCHED
        return DeliveryVerdict(deadline=deadline, failure=kind_for_delivery(parcel.state, past_deadline=True))
    if parcel.state.is_failure:
        return DeliveryVerdict(deadline=deadline, failure=kind_for_delivery(parcel.state, past_deadline=True))
    return DeliveryVerdict(deadline=deadline)
