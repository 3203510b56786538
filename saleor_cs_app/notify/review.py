"""Every built-in message with sample values, for a reviewer to read the real output in one place.

`saleor-cs-app messages render` writes them: per language a folder with one .txt and one .html per
message (incident kind × offer, the "shipped now" follow-up, the carrier's problem states, and each
step of the support conversation), plus an index.html linking them all.
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from saleor_cs_app.care.model import IncidentKind, OfferType
from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, sample_context, sample_values
from saleor_cs_app.notify.render import RenderedMessage, render_message, render_situation

_OFFERS_WITH_CODE = (OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)
# Carrier states that change what a late-delivery message says (beside the ordinary in_transit).
# A customer's own report is answered with the support situations (situation_samples), not an apology.
_DETECTED_KINDS = tuple(kind for kind in IncidentKind if kind is not IncidentKind.CUSTOMER_REPORT)
_CARRIER_STATES = ("attempt_fail", "available_for_pickup", "exception", "returned", "lost")


@dataclass(frozen=True)
class Sample:
    name: str  # file name without extension, e.g. "late_delivery-gift_card"
    message: RenderedMessage


def incident_samples(language: str) -> list[Sample]:
    samples = [
        Sample(f"{kind}-{offer}", render_message(sample_context(kind, offer, language)))
        for kind in _DETECTED_KINDS
        for offer in OfferType
    ]
    samples += [
        Sample(
            f"shipped_now-{offer}", render_message(sample_context("late_shipment", offer, language, shipped_now=True))
        )
        for offer in (OfferType.APOLOGY_ONLY, *_OFFERS_WITH_CODE)
    ]
    late = sample_context("late_delivery", "apology_only", language)
    samples += [
        # The carrier's state alone: a lost or returned parcel has no expected delivery day.
        Sample(
            f"late_delivery-carrier_{state}",
            render_message(
                dataclasses.replace(late, delivery_state=state, carrier_status=None, carrier_expected_date=None)
            ),
        )
        for state in _CARRIER_STATES
    ]
    samples.append(
        Sample(
            "late_delivery-no_carrier_facts",
            render_message(sample_context("late_delivery", "apology_only", language, carrier_facts=False)),
        )
    )
    samples.append(
        Sample(
            "wrong_item-reship-support_page",
            render_message(
                dataclasses.replace(
                    sample_context("wrong_item", "reship", language),
                    support_url="https://shop.example/support/1042?t=sample",
                )
            ),
        )
    )
    return samples


def situation_samples(language: str) -> list[Sample]:
    s = sample_values(language)
    common = {
        "shop_name": "Northwind Goods",
        "customer_first_name": s["name"],
        "order_number": "1042",
        "support_url": "https://shop.example/support/1042?t=sample",
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
        "proposal_accepted-shop_decides": {"resolution": "shop_decides"},
        "counter_offer": {
            "resolution": "keep_with_discount",
            "resolution_percent": 30,
            "resolution_amount": refund,
            "merchant_note": s["note"],
        },
        "proposal_declined": {"resolution": "replacement", "merchant_note": s["note"]},
        "request_answered-later_delivery-approved": {"request": "later_delivery", "approved": True},
        "request_answered-change_variant-declined": {"request": "change_variant", "approved": False},
    }
    samples = [
        Sample(name, render_situation(name.split("-", 1)[0], language, {**common, **values}))
        for name, values in cases.items()
    ]
    without_page = {**common, "support_url": None}
    samples.append(
        Sample(
            "counter_offer-reply", render_situation("counter_offer", language, {**without_page, "resolution": "refund"})
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
