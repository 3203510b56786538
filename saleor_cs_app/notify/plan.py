"""What a customer message says, before any language words it: the message plan.

One pure function turns what the app holds about an incident (its situation, the carrier's word, the
decision and the goodwill created) into an ordered list of blocks: what happened, the facts, what the
shop does now, what the customer gets and how to use it, and the one next step. Each block is a macro
that every language file words the same way (templates/lang/<language>.j2). A block appears only when
the value it states is held; a promise appears only when the app itself keeps it:

- "we'll e-mail you when it ships" — the shipped follow-up (jobs/followups.py);
- "choose on your order page" — the support page carries the choice out (support/);
- nothing about the carrier that the carrier did not say, and no date the app did not get.

`plan.stated` names the variables the message must show; a test renders every plan in every language
and checks each one appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from saleor_cs_app.care.model import IncidentKind, OfferType
from saleor_cs_app.care.situations import CARRIER_KINDS, GOODS_OWED

# The follow-up of a late shipment that has now left: a situation of its own, not an incident kind.
SHIPPED_AT_LAST = "shipped_at_last"

_OFFERS_WITH_CODE = (OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)
# What the carrier reports, stated as the carrier's own news (never worded as "delayed").
_CARRIER_SITUATIONS = frozenset({*CARRIER_KINDS, SHIPPED_AT_LAST})

# Situations whose news is the broken date itself; the others are about what the carrier reports.
_PROMISE_BROKEN = frozenset({IncidentKind.LATE_SHIPMENT, IncidentKind.LATE_DELIVERY, IncidentKind.PICKUP_WAITING})


def carrier_date_to_state(kind: str, expected: date | None, promised: date | None, today: date) -> date | None:
    """The carrier's expected delivery day a message may state ("… now expects to deliver it on …", "If it
    hasn't arrived by …"), or None.

    - Never a day already past: it is no longer what the carrier expects, and no day to wait for.
    - Never for a stalled parcel: its carrier date was set before it went silent, and the silence is the news.
    - In a heads-up only a carrier date after the promise: one estimate, not ours and the carrier's side by
      side (watch/at_risk.py opens no heads-up when the carrier still expects it in time).
    """
    if expected is None or expected < today or kind == IncidentKind.STALLED:
        return None
    if kind == IncidentKind.AT_RISK and (promised is None or expected <= promised):
        return None
    return expected


@dataclass(frozen=True)
class Block:
    """One part of a message: a paragraph, a boxed paragraph (what the customer gets) or a button."""

    macro: str
    kind: str = "p"  # "p" | "box" | "button"
    href: str | None = None


@dataclass(frozen=True)
class MessagePlan:
    situation: str  # an IncidentKind value, or SHIPPED_AT_LAST
    subject: str  # the subject's macro
    blocks: tuple[Block, ...]
    stated: tuple[str, ...]  # template variables whose values the message must show

    @property
    def macros(self) -> tuple[str, ...]:
        return tuple(block.macro for block in self.blocks)


def plan_for(v: dict) -> MessagePlan:
    """The plan of an incident message, from its template variables (notify/variables.py)."""
    situation = SHIPPED_AT_LAST if v["shipped_now"] else v["kind"]
    kind = IncidentKind(v["kind"])
    offer = OfferType(v["offer_type"])
    step = _step(situation, kind, offer, v)
    blocks: list[Block] = [Block("greeting"), Block(f"opening_{situation}")]
    stated = ["order_number"]
    if v["promised_date"] and situation in _PROMISE_BROKEN:
        stated.append("promised_date")
    if situation == IncidentKind.STALLED:
        # The news is the silence: the last scan's day and place, as the carrier gave them; no new date.
        stated += [name for name in ("carrier_status_date", "carrier_location") if v[name]]
    if situation == IncidentKind.AT_RISK:
        # A heads-up: the promised day, and one estimate: the carrier's own date when it has one (then stated
        # with the carrier's facts below), else the day the shop's own parcels make likely, called an estimate.
        stated += [name for name in ("promised_date", "new_expectation") if v[name] and not v["carrier_expected_date"]]
    if situation == IncidentKind.LATE_DELIVERY and v["heads_up_date"]:
        blocks.append(Block("heads_up_recalled"))  # "as we wrote on …": the customer heard it from us first
        stated.append("heads_up_date")

    # The facts: the carrier's own word, the day it expects to deliver, the parcel to follow.
    if situation in _CARRIER_SITUATIONS:
        if v["carrier_status"]:
            blocks.append(Block("carrier_said"))
            stated.append("carrier_status")
        if v["carrier_expected_date"] and kind not in GOODS_OWED:
            blocks.append(Block("carrier_expects"))
            stated.append("carrier_expected_date")
        # The link to follow the parcel while the customer waits for it; otherwise it is the next step's
        # button already, or there is nothing left to follow (a lost parcel; one on its way back): then
        # the number, for reference.
        if v["tracking_url"] and step == "wait":
            blocks.append(Block("tracking"))
            stated += [name for name in ("tracking_number", "tracking_url") if v[name]]
        elif v["tracking_number"]:
            blocks.append(Block("tracking_reference"))
            stated.append("tracking_number")
    if kind is IncidentKind.WRONG_ITEM and (v["expected_items_text"] or v["sent_items_text"]):
        blocks.append(Block("items_wrong_item"))
        stated += [name for name in ("expected_items_text", "sent_items_text") if v[name]]

    # What the shop does now, and what the customer is owed or given.
    if situation == SHIPPED_AT_LAST:
        if v["offer_code"]:
            blocks.append(Block("reminder", "box"))
            stated.append("offer_code")
    else:
        if situation == IncidentKind.LATE_SHIPMENT:
            blocks.append(Block("we_will_write_when_shipped"))
        if kind in GOODS_OWED:
            blocks.append(Block("goods_owed", "box"))
        if offer is not OfferType.APOLOGY_ONLY:
            blocks.append(Block(f"offer_{offer}", "box"))
            stated += _offer_values(offer, v)
        if kind is IncidentKind.WRONG_ITEM:
            blocks.append(Block(_received_item(offer, v)))
            if v["keep_item_discount_percent"] and offer is OfferType.RESHIP:
                stated.append("keep_item_discount_percent")

    next_step = _next_step(step, v)
    blocks += next_step
    stated += [name for name in ("support_url", "tracking_url") for b in next_step if b.href and b.href == v[name]]
    blocks.append(Block("sign_off"))
    return MessagePlan(situation, f"subject_{situation}", tuple(blocks), tuple(dict.fromkeys(stated)))


def _offer_values(offer: OfferType, v: dict) -> list[str]:
    if offer in _OFFERS_WITH_CODE:
        return [n for n in ("offer_code", "offer_amount", "offer_expires_on") if v[n]]
    if offer is OfferType.PARTIAL_REFUND:
        return ["refund_amount"]
    if offer is OfferType.GIFT_PRODUCT and v["offer_product_name"]:
        return ["offer_product_name"]
    return []


def _received_item(offer: OfferType, v: dict) -> str:
    """What happens to the item sent by mistake: said in every wrong-item message."""
    if offer is OfferType.RESHIP and v["keep_item_discount_percent"]:
        return "received_item_keep_or_return"  # keep it at a discount, or send it back at our cost
    return "received_item_keep"  # keep it, no need to send anything back


def _next_step(step: str, v: dict) -> list[Block]:
    """The one thing the customer can do now, with its link as the message's one button."""
    page, track = v["support_url"], v["tracking_url"]
    if step in ("rearrange", "collect") and track:
        return [Block(f"next_{step}"), Block(f"button_{step}", "button", track)]
    if page:
        return [Block(f"next_{step}_page"), Block("button_page" if step != "choose" else "button_choose", "button", page)]
    return [Block(f"next_{step}_reply")]


def _step(situation: str, kind: IncidentKind, offer: OfferType, v: dict) -> str:
    if kind in GOODS_OWED or _wrong_item_choice(kind, offer, v):
        return "choose"  # the customer's decision is needed: only the page (or a reply) takes it
    if kind is IncidentKind.ATTEMPT_FAILED:
        return "rearrange"
    if kind is IncidentKind.PICKUP_WAITING:
        return "collect"
    if situation == SHIPPED_AT_LAST or kind in (
        IncidentKind.LATE_DELIVERY, IncidentKind.HELD, IncidentKind.STALLED, IncidentKind.AT_RISK
    ):
        return "wait"
    return "ask"


def _wrong_item_choice(kind: IncidentKind, offer: OfferType, v: dict) -> bool:
    # A wrong item without a reship: the right one is not on its way, so the customer chooses between
    # having it sent and their money back. With a reship and a keep-or-return choice, they choose too.
    if kind is not IncidentKind.WRONG_ITEM:
        return False
    return offer is not OfferType.RESHIP or bool(v["keep_item_discount_percent"])
