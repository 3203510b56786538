"""What the customer's order page shows, read from what the app stores: the order's lines, its
parcels and their latest carrier facts, and what is open — incidents and reports, in plain words.

Only facts the app holds are shown (the SPEC's evidence rule): a status comes from a carrier event
or the fulfilment, never from a guess. Merchant-only details (rule names, budget reasons) never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy.orm import Session

from saleor_cs_app.care import progress as progress_line
from saleor_cs_app.care import promises
from saleor_cs_app.care.model import DeliveryState, OfferType
from saleor_cs_app.care.proposals import Resolution, agreed_to_counter, countered_resolution
from saleor_cs_app.store import carrier_scans, support_reports
from saleor_cs_app.store import incidents as incident_store
from saleor_cs_app.store.models import TrackedOrder
from saleor_cs_app.tracking.status import latest_for_order
from saleor_cs_app.watch import at_risk
from saleor_cs_app.watch.snapshot import parse_time

# Timeline events a customer is told about, by type; everything else is the merchant's business.
_EVENT_WORDS = {
    "reported": "event_reported",
    "proposal_accepted": "event_accepted",
    "proposal_countered": "event_countered",
    "proposal_declined": "event_declined",
}

# Broken before the install and not released by the merchant, or dismissed: nothing was said or given.
_NOT_FOR_THE_CUSTOMER = ("backlog", "dismissed")

# Carrier situations a delivery ends: once the parcel is delivered, their words are history.
_OVER_ON_DELIVERY = frozenset({"late_delivery", "at_risk", "stalled", "held", "attempt_failed", "pickup_waiting"})

_REQUEST_WORDS = {
    "event_reported": "event_requested",
    "event_accepted": "event_request_approved",
    "event_declined": "event_request_declined",
}


@dataclass(frozen=True)
class Line:
    line_id: str
    name: str
    quantity: int
    unit_price: Decimal
    held: bool  # an open report covers it
    product_name: str = ""
    variant_name: str | None = None
    thumbnail: str | None = None  # Saleor's media URL
    thumbnail_alt: str | None = None
    ships: bool = True  # False for a digital product or a gift card: never "not dispatched yet"


@dataclass(frozen=True)
class ScanLine:
    at: datetime  # UTC
    words: str | None
    place: str | None
    state: str | None = None

    @property
    def step(self) -> str:
        """The step this scan proves, named when the carrier gave no words of its own."""
        return progress_line.progress("FULFILLED", self.state).current


@dataclass(frozen=True)
class Parcel:
    tracking_number: str | None
    tracking_url: str | None
    status: str | None  # the carrier's own words, when a carrier event gave them
    status_at: str | None  # ISO date of that event
    expected: str | None  # ISO date the carrier expects to deliver, when it said so
    state: str | None = None  # the carrier's state (care.model.DeliveryState value), when known
    progress: progress_line.Progress | None = None
    carrier_name: str | None = None
    scans: list[ScanLine] = field(default_factory=list)  # newest first
    items: list[tuple[Line, int]] = field(default_factory=list)  # (the order's line, how many in this parcel)
    promised: str | None = None  # ISO date of the shop's promise (deliver-by), when no carrier date is known
    delivered_on: str | None = None  # ISO date the carrier delivered it


@dataclass(frozen=True)
class Story:
    """One running incident or report: what it is, where it stands, what happened, in order."""

    id: str
    heading_key: str
    heading_values: dict
    state_key: str | None
    events: list[tuple[str, str]]  # (ISO timestamp, string key)
    counter: dict | None = None  # the shop's offer waiting for the customer's answer
    agreed_offer: dict | None = None  # the shop's offer the customer said yes to
    counter_words: str = "offer_amount"  # offer_keep when the customer keeps the item (as the e-mail says)
    report_id: str | None = None
    merchant_note: str | None = None
    request: str | None = None  # a change asked for before shipping: later_delivery | change_variant
    request_details: str | None = None
    words: list[dict] | None = None  # what the e-mail said (notify/page_words.py), when it could say it


@dataclass(frozen=True)
class OrderView:
    tenant_id: int
    order_id: str
    number: str
    currency: str
    language_code: str | None
    channel_country: str | None
    lines: list[Line]
    parcels: list[Parcel]
    stories: list[Story] = field(default_factory=list)
    unshipped: list[tuple[Line, int]] = field(default_factory=list)  # what no parcel holds yet
    ship_by: str | None = None  # ISO date the shop promised to send it by, while something is unshipped
    time_zone: str = "UTC"  # the shop's (the promise calendar's): scan times are shown in it
    total: Decimal | None = None  # what the order cost, shipping and taxes included

    @property
    def all_items(self) -> list[tuple[Line, int]]:
        return [(line, line.quantity) for line in self.lines]

    @property
    def unshipped_progress(self) -> progress_line.Progress:
        return progress_line.progress(None, None)


def load(session: Session, tracked: TrackedOrder, rules=None, words_of=None, now: datetime | None = None) -> OrderView:
    """`rules`: the order's promise rules (the shop's promise and time zone); `words_of(incident, **still_true)`:
    what the e-mail said about it that still holds (notify/page_words.py), or None; `now`: the page's time."""
    facts = tracked.facts or {}
    held = support_reports.held_lines(session, tracked.tenant_id, tracked.order_id)
    lines = [
        Line(
            line_id=str(line.get("line_id") or ""),
            name=str(line.get("name") or line.get("sku") or ""),
            quantity=int(line.get("quantity", 0)),
            unit_price=Decimal(str(line.get("unit_price", "0"))),
            held=str(line.get("line_id")) in held,
            product_name=str(line.get("product_name") or line.get("name") or line.get("sku") or ""),
            variant_name=line.get("variant_name") or None,
            thumbnail=line.get("thumbnail") or None,
            thumbnail_alt=line.get("thumbnail_alt") or None,
            ships=line.get("ships") is not False,
        )
        for line in facts.get("lines", [])
        if line.get("line_id")
    ]
    found = [
        incident
        for incident in incident_store.open_for_order(session, tracked.tenant_id, tracked.order_id)
        if incident.state not in _NOT_FOR_THE_CUSTOMER
    ]
    # A parcel at risk is a forecast, the merchant's to share: the page tells it only when the shop sent the
    # customer the heads-up (policy detection.at_risk.notify_customer), never by itself.
    forecasts = [i.id for i in found if i.kind == at_risk.KIND.value]
    shared = at_risk.told(session, forecasts)
    found = [i for i in found if i.id not in forecasts or i.id in shared]
    reported = support_reports.for_order(session, tracked.tenant_id, tracked.order_id)
    reports = {r.incident_id: r for r in reported}
    # A wrong item the shop found is answered once the customer has reported one, in whatever state the report
    # is: the e-mail's "report it on the page" would open a second claim (en-r10 #1).
    wrong_item_reported = any(r.problem == "wrong_item" for r in reported)
    scans = carrier_scans.for_order(session, tracked.tenant_id, tracked.order_id)
    statuses = latest_for_order(session, tracked.tenant_id, tracked.order_id)
    zone_info = promises.zone_of(rules) if rules is not None else timezone.utc
    parcels = _parcels(facts, statuses, zone_info)
    delivered = {fid for fid, p in parcels if p.state == "delivered"}
    parcels = [_with_details(p, fid, facts, lines, scans, tracked, rules) for fid, p in parcels]
    unshipped = _unshipped(facts, lines)
    zone = zone_info.key if rules is not None else "UTC"
    ship_by = None
    if unshipped and tracked.ship_by is not None and rules is not None:
        ship_by = promises.promised_local_date(tracked.ship_by, rules).isoformat()
    heard = {status.fulfillment_id: status.carrier_status_at for status in statuses if status.carrier_status_at}
    today = now.astimezone(zone_info).date() if now is not None else None
    found = [i for i in found if i.id in reports or not _superseded(i, found, heard, today)]
    stories = [_story(session, incident, reports.get(incident.id)) for incident in found]
    over = {i.id for i in found if i.kind in _OVER_ON_DELIVERY and i.fulfillment_id in delivered}
    # Stories whose e-mail words no longer hold as a whole: the parcel arrived ("it hasn't been delivered yet"),
    # the order left ("it hasn't left our warehouse yet"), the carrier broke its silence. Each is told by what
    # happened since, with what was done (the timeline) and the code it gave, still the customer's to use.
    since = {i.id: "event_delivered_since" for i in found if i.id in over}
    moving = {status.fulfillment_id for status in statuses if status.state in _TRAVELLING}
    since |= {i.id: heading for i in found if i.id not in since and (heading := _since(i, facts, heard, moving))}
    if words_of is not None:
        by_id = {incident.id: incident for incident in found}
        stories = [
            story
            if story.report_id
            else replace(story, words=_words(words_of, by_id[story.id], since, heard, wrong_item_reported))
            for story in stories
        ]
    stories = [replace(story, heading_key=since[story.id]) if story.id in since else story for story in stories]
    stories = _delivered_once(stories, {i.id: i.fulfillment_id for i in found if i.id in over})
    stories.sort(key=lambda story: story.counter is None)  # an offer to answer stays on top until answered
    return OrderView(
        tenant_id=tracked.tenant_id,
        order_id=tracked.order_id,
        number=tracked.number,
        currency=facts.get("currency") or "USD",
        language_code=facts.get("language_code"),
        channel_country=facts.get("channel_country"),
        lines=lines,
        parcels=parcels,
        stories=stories,
        unshipped=unshipped,
        ship_by=ship_by,
        time_zone=zone,
        total=Decimal(str(facts["total"])) if facts.get("total") not in (None, "", "0") else None,
    )


def _delivered_once(stories: list[Story], parcel_of: dict[str, str]) -> list[Story]:
    """A delivered parcel's finished stories (`parcel_of`: story id → its parcel) told as one: the same heading
    twice would read as a glitch; the timelines merge, so what was done in each stays."""
    kept: list[Story] = []
    first: dict[str, int] = {}  # parcel → where its story is in `kept`
    for story in stories:
        parcel = parcel_of.get(story.id)
        if parcel is None or parcel not in first:
            if parcel is not None:
                first[parcel] = len(kept)
            kept.append(story)
            continue
        told = kept[first[parcel]]
        words = (told.words or []) + (story.words or [])
        kept[first[parcel]] = replace(told, events=sorted(told.events + story.events), words=words or None)
    return kept


def _unshipped(facts: dict, lines: list[Line]) -> list[tuple[Line, int]]:
    """Each line with what no parcel holds yet."""
    sent: dict[str, int] = {}
    for fulfilment in (facts.get("fulfillments") or {}).values():
        for item in fulfilment.get("lines") or ():
            sent[str(item.get("line_id"))] = sent.get(str(item.get("line_id")), 0) + int(item.get("quantity", 0))
    return [
        (line, line.quantity - sent.get(line.line_id, 0))
        for line in lines
        if line.ships and line.quantity > sent.get(line.line_id, 0)
    ]


def _with_details(parcel: Parcel, fulfillment_id: str, facts: dict, lines, scans, tracked, rules) -> Parcel:
    fulfilment = (facts.get("fulfillments") or {}).get(fulfillment_id) or {}
    by_id = {line.line_id: line for line in lines}
    items = [
        (by_id[str(item.get("line_id"))], int(item.get("quantity", 0)))
        for item in fulfilment.get("lines") or ()
        if str(item.get("line_id")) in by_id and int(item.get("quantity", 0)) > 0
    ]
    line = progress_line.progress(
        fulfilment.get("status") or "FULFILLED", parcel.state, pickup_point=bool(tracked.click_and_collect)
    )
    promised = None
    shipped_at = parse_time(fulfilment.get("created"))
    if parcel.expected is None and rules is not None and shipped_at is not None and not tracked.click_and_collect:
        # The shop's promise for the parcel, the same date the e-mails state.
        promised = promises.customer_delivery_date(shipped_at, tracked.max_delivery_days, rules)
    return replace(
        parcel,
        progress=line,
        scans=[ScanLine(s.at, s.words, s.place, s.state) for s in scans.get(fulfillment_id, [])],
        items=items,
        promised=promised.isoformat() if promised else None,
    )


def _evidence_at(incident) -> datetime | None:
    return parse_time((incident.facts or {}).get("carrier_status_at"))


def _spoken_since(incident, heard: dict) -> bool:
    """The carrier reported something about this parcel after the word the incident was opened on."""
    latest, evidence = heard.get(incident.fulfillment_id), _evidence_at(incident)
    return latest is not None and evidence is not None and _utc(latest) > _utc(evidence)


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _superseded(incident, found, heard: dict, today) -> bool:
    """A story no longer true in any words: a forecast overtaken by what happened (the parcel is late now, or
    its estimated day has passed)."""
    if incident.kind == "at_risk":
        later = any(
            other.id != incident.id and other.fulfillment_id == incident.fulfillment_id
            and other.kind in _OVER_ON_DELIVERY and other.kind != "at_risk"
            for other in found
        )  # fmt: skip
        estimate = (incident.facts or {}).get("new_expectation")
        return later or (today is not None and estimate is not None and date.fromisoformat(estimate) < today)
    return False


_TRAVELLING = frozenset({DeliveryState.IN_TRANSIT.value, DeliveryState.OUT_FOR_DELIVERY.value})


def _since(incident, facts: dict, heard: dict, moving: set[str]) -> str | None:
    """What has happened since that ends the story, as its heading, or None while it goes on.
    `moving`: the parcels whose latest carrier word is that they travel (in transit, out for delivery)."""
    if incident.kind == "late_shipment" and facts.get("fulfillments"):
        return "event_shipped_since"
    if incident.kind == "stalled" and _spoken_since(incident, heard):
        return "event_moving_since"
    if incident.kind == "held" and incident.fulfillment_id in moving and _spoken_since(incident, heard):
        return "event_moving_since"  # "on hold" no longer holds once the carrier moves it on
    return None


def _words(words_of, incident, since: dict, heard: dict, wrong_item_reported: bool):
    """The e-mail's words as they still hold: only the code once the story is over; without the carrier's
    quoted word and date once the carrier has spoken since ("Latest update from DHL" would not be the latest);
    without the step to report a wrong item once one is reported."""
    return words_of(
        incident,
        carrier_spoken_since=_spoken_since(incident, heard),
        over=incident.id in since,
        reported=incident.kind == "wrong_item" and wrong_item_reported,
    )


def _day_in(zone, moment: datetime | None) -> str | None:
    return moment.astimezone(zone).date().isoformat() if moment is not None else None


def _parcels(facts: dict, statuses, zone) -> list[tuple[str, Parcel]]:
    """Each fulfilment with the tracking engineer's latest carrier facts for it, when there are any."""
    latest = {status.fulfillment_id: status for status in statuses}
    parcels = []
    for fulfillment_id, fulfilment in (facts.get("fulfillments") or {}).items():
        seen = latest.get(fulfillment_id)
        number = (seen.tracking_number if seen else None) or fulfilment.get("tracking_number")
        pasted_link = number if number and number.startswith(("https://", "http://")) else None
        url = (seen.tracking_url if seen else None) or pasted_link
        parcels.append((
            fulfillment_id,
            Parcel(
                tracking_number=None if number == pasted_link else number,
                tracking_url=url,
                status=seen.carrier_status if seen else None,
                status_at=_day_in(zone, seen.carrier_status_at if seen else None),
                expected=seen.carrier_expected_date.isoformat() if seen and seen.carrier_expected_date else None,
                state=seen.state if seen else None,
                carrier_name=seen.carrier_name if seen else None,
            ),
        ))
    return parcels


def _story(session: Session, incident, report) -> Story:
    events = []
    for event in incident_store.timeline(session, incident.tenant_id, incident.id):
        if event.type == "detected":
            continue  # the story's heading says it
        if event.type.startswith("emailed_"):
            key = "event_emailed"
        elif event.type == "goodwill_created":
            key = _goodwill_words(incident)
        else:
            key = _EVENT_WORDS.get(event.type)
        if key and (incident.facts or {}).get("request"):
            key = _REQUEST_WORDS.get(key, key)
        if key:
            events.append((event.at.isoformat(), key))
    if report is None:
        heading = f"event_detected_{incident.kind}"
        return Story(id=incident.id, heading_key=heading, heading_values={}, state_key=None, events=events)
    accepted_offer = agreed_to_counter(report.state, report.counter, (incident.decision or {}).get("offer"))
    keeps_item = countered_resolution(report.problem, report.resolution) is Resolution.KEEP_WITH_DISCOUNT
    return Story(
        id=incident.id,
        heading_key="report_problem_label",
        heading_values={"problem": f"problem_{report.problem}", "fix": f"fix_{report.resolution}"},
        # A yes to our counter-offer agreed the offer, not what they asked for: the page names the offer.
        state_key="state_accepted_offer" if accepted_offer else f"state_{report.state}",
        events=events,
        counter=report.counter if report.state == "countered" else None,
        agreed_offer=report.counter if accepted_offer else None,
        counter_words="offer_keep" if keeps_item else "offer_amount",
        report_id=report.id,
        merchant_note=report.merchant_note,
        request=(incident.facts or {}).get("request"),
        request_details=_request_details(incident.facts or {}),
    )


# What each remedy is once created in Saleor, and no more: a code exists, a new parcel or a refund is arranged
# (an order or a granted refund, not yet a dispatch or money in the account); the e-mail is a line of its own.
_GOODWILL_WORDS = {
    offer.value: f"event_goodwill_{offer.value}" for offer in OfferType if offer is not OfferType.APOLOGY_ONLY
}


def _goodwill_words(incident) -> str | None:
    offer = ((incident.decision or {}).get("offer") or {}).get("type") or incident.offer_type
    return _GOODWILL_WORDS.get(offer)


def _request_details(facts: dict) -> str | None:
    if facts.get("not_before"):
        return facts["not_before"]  # ISO; the page writes it in the customer's language
    if facts.get("request") == "change_variant":
        return f"{', '.join(facts.get('affected_items') or [])}: {facts.get('note') or ''}"
    return None
