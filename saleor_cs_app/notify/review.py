"""Every built-in message with sample values, for a reviewer to read the real output in one place.

`saleor-cs-app messages render` writes them: per language a folder with one .txt and one .html per
message (every situation × every offer that fits it, the "shipped at last" follow-up, the variants
that change the words, and each step of the support conversation), plus an index.html linking them all.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from saleor_cs_app.care.model import MESSAGE_KINDS, IncidentKind, OfferType
from saleor_cs_app.care.situations import offers_for
from saleor_cs_app.notify.context import SAMPLE_SUPPORT_URL, SHIPPED_LANGUAGES, sample_context, sample_values
from saleor_cs_app.notify.render import RenderedMessage, render_message, render_situation

_OFFERS_WITH_CODE = (OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)


@dataclass(frozen=True)
class Sample:
    name: str  # file name without extension, e.g. "late_delivery-gift_card"
    message: RenderedMessage


def incident_samples(language: str) -> list[Sample]:
    """Every situation with every offer the policy lets it have (care/situations.py), as production
    sends it (with the order page as the next step), and the variants that change what is said."""
    def sample(name: str, kind, offer, **changes) -> Sample:
        return Sample(name, render_message(sample_context(kind, offer, language, **changes)))

    samples = [sample(f"{kind}-{offer}", kind, offer) for kind in MESSAGE_KINDS for offer in offers_for(kind)]
    samples += [
        sample(f"shipped_at_last-{offer}", IncidentKind.LATE_SHIPMENT, offer, shipped_now=True)
        for offer in (OfferType.APOLOGY_ONLY, *_OFFERS_WITH_CODE)
    ]
    samples += [
        sample("wrong_item-reship-keep_free", IncidentKind.WRONG_ITEM, OfferType.RESHIP, keep_item_discount_percent=None),
        sample("late_delivery-carrier_silent", IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY, delivery_state="expired"),
        sample("late_delivery-no_carrier_facts", IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY, carrier_facts=False),
        # Late after the heads-up (at_risk): the message recalls the day we warned the customer.
        sample("late_delivery-after_heads_up", IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY, heads_up=True),
    ]
    # Without the order page, the next step is a reply: one sample of each kind of next step.
    samples += [
        sample(f"{kind}-{offer}-reply", kind, offer, support_url=None)
        for kind, offer in (
            (IncidentKind.LATE_SHIPMENT, OfferType.GIFT_CARD),
            (IncidentKind.LATE_DELIVERY, OfferType.APOLOGY_ONLY),
            (IncidentKind.LOST, OfferType.APOLOGY_ONLY),
            (IncidentKind.WRONG_ITEM, OfferType.GIFT_CARD),
            (IncidentKind.WRONG_ITEM, OfferType.RESHIP),
        )
    ]
    return samples


def situation_samples(language: str) -> list[Sample]:
    s = sample_values(language)
    common = {
        "shop_name": "Northwind Goods",
        "customer_first_name": s["name"],
        "order_number": "1042",
        "support_url": SAMPLE_SUPPORT_URL,
        "reply_to": "care@northwind.example",
        "currency": s["currency"],
        "affected_items": list(s["sent"]),
    }
    refund = Decimal(s["refund"])
    cases = {
        "report_received": {"problem": "damaged"},
        "proposal_accepted-refund": {"resolution": "refund", "resolution_amount": refund},
        "proposal_accepted-replacement": {"resolution": "replacement"},
        "proposal_accepted-keep_with_discount": {
            "resolution": "keep_with_discount",
            "resolution_percent": 30,
            "resolution_amount": refund,
        },
        "proposal_accepted-counter_offer": {
            "resolution": "keep_with_discount",
            "resolution_percent": 30,
            "resolution_amount": refund,
            "counter_accepted": True,
        },
        "counter_offer": {
            "resolution": "keep_with_discount",
            "resolution_percent": 30,
            "resolution_amount": refund,
            "merchant_note": s["note"],
        },
        "counter_offer-shop_decides": {
            "resolution": "keep_with_discount",
            "resolution_amount": refund,
            "asked_shop_to_decide": True,
        },
        "proposal_declined": {"resolution": "replacement", "merchant_note": s["note"]},
        "request_answered-later_delivery-approved": {
            "request": "later_delivery",
            "approved": True,
            "requested_date": date(2025, 3, 24),
            "affected_items": [],
        },
        "request_answered-change_variant-declined": {"request": "change_variant", "approved": False},
    }
    samples = [
        Sample(name, render_situation(name.split("-", 1)[0], language, {**common, **values}))
        for name, values in cases.items()
    ]
    without_page = {**common, "support_url": None}
    samples.append(
        Sample(
            "counter_offer-reply",
            render_situation(
                "counter_offer", language, {**without_page, "resolution": "refund", "resolution_amount": refund}
            ),
        )
    )
    return samples


def write_review(out: Path, languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> int:
    """Write every sample message of `languages` under `out`; returns how many messages were written."""
    links: list[str] = []
    count = 0
    for language in languages:
        folder = out / language
        folder.mkdir(parents=True, exist_ok=True)
        for sample in incident_samples(language) + situation_samples(language):
            msg = sample.message
            (folder / f"{sample.name}.txt").write_text(f"Subject: {msg.subject}\n\n{msg.text}", encoding="utf-8")
            (folder / f"{sample.name}.html").write_text(msg.html, encoding="utf-8")
            links.append(
                f'<li>{language} · <a href="{language}/{sample.name}.html">{sample.name}</a> '
                f'(<a href="{language}/{sample.name}.txt">text</a>) – {html.escape(msg.subject)}</li>'
            )
            count += 1
    index = "<!DOCTYPE html><meta charset='utf-8'><title>Messages</title><ul>\n" + "\n".join(links) + "\n</ul>\n"
    (out / "index.html").write_text(index, encoding="utf-8")
    return count
