"""The documented template variables: the only names a template, built-in or merchant's, can use.

Values are plain (str, int, bool, None, tuples of str): dates and money arrive already formatted for
the message's language, with the raw value beside them as a string (`*_iso`, `*_value`). Nothing here
has methods worth calling, which is what keeps the merchant sandbox small.
"""

from __future__ import annotations

from decimal import Decimal

from saleor_cs_app.notify import formatting
from saleor_cs_app.notify.context import MessageContext

TEMPLATE_VARIABLES: dict[str, str] = {
    "shop_name": "The shop's name as customers know it.",
    "customer_first_name": "The customer's first name, or empty (None) when unknown.",
    "order_number": "The order number, e.g. 1042.",
    "kind": "What went wrong: late_shipment, late_delivery, attempt_failed, pickup_waiting, held, stalled, at_risk, "
    "lost, returned or wrong_item.",
    "offer_type": "What the shop gives: apology_only, gift_card, free_shipping_voucher, gift_product, "
    "reship or partial_refund.",
    "language": "Two-letter language of the message: en, fi, pl, lt, de, sv, fr, es, it, nl, et or lv.",
    "shipped_now": "True in the follow-up message saying the late order has now shipped.",
    "first_message_date": "In that follow-up: the day our first e-mail about the delay went out, formatted for "
    "the language; or None.",
    "promised_date": "The date we promised (to ship, or to deliver), formatted for the language; or None.",
    "promised_date_iso": "The promised date as YYYY-MM-DD; or None.",
    "new_expectation": "Our honest new estimate, formatted for the language; or None.",
    "new_expectation_iso": "The new estimate as YYYY-MM-DD; or None.",
    "heads_up_date": "A late delivery we warned about: the day of that heads-up, formatted for the language; or None.",
    "days_late": "Whole days past the promise (a number).",
    "currency": "Currency code of the order, e.g. EUR.",
    "offer_amount": "Gift card value (or a voucher's shipping value) with currency, e.g. €15.00; or None.",
    "offer_amount_value": "The same amount as a plain number string, e.g. 15.00; or None.",
    "offer_code": "The gift card or voucher code to enter at checkout; or None.",
    "offer_expires_on": "Last day the code can be used, formatted for the language; or None.",
    "offer_expires_on_iso": "Last day the code can be used as YYYY-MM-DD; or None.",
    "offer_product_name": "The free gift product's name (gift_product); or None.",
    "keep_item_discount_percent": "Discount for keeping a wrongly sent item, formatted, e.g. 50 %; or None.",
    "keep_item_discount_percent_value": "The same discount as a number, e.g. 50; or None.",
    "refund_amount": "Amount refunded (partial_refund) with currency; or None.",
    "refund_amount_value": "The refunded amount as a plain number string; or None.",
    "expected_items": "Names of the items ordered (wrong_item), a list to loop over.",
    "expected_items_text": "The same names joined for a sentence: 'A, B and C'.",
    "sent_items": "Names of the items actually sent (wrong_item), a list to loop over.",
    "sent_items_text": "The same names joined for a sentence.",
    "tracking_number": "The parcel's tracking number; or None.",
    "tracking_url": "Link to follow the parcel (http or https only); or None.",
    "carrier": "The carrier's name; or None.",
    "carrier_name": "The carrier's name as the tracking source gives it (e.g. DHL); or None.",
    "delivery_state": "The carrier's latest state: info_received, in_transit, out_for_delivery, "
    "available_for_pickup, delivered, attempt_fail, exception, expired, returned or lost; or None.",
    "delivery_problem": "True when the carrier reports trouble: attempt_fail, exception, expired, returned or lost.",
    "parcel_waiting": "True when the carrier reports the parcel ready to collect (available_for_pickup).",
    "carrier_status": "The carrier's own words for its latest checkpoint; or None.",
    "carrier_status_date": "The day of that checkpoint, formatted for the language; or None.",
    "carrier_status_date_iso": "The day of that checkpoint as YYYY-MM-DD; or None.",
    "carrier_location": "Where the carrier last scanned the parcel, in the carrier's words (e.g. Leipzig); or None.",
    "carrier_expected_date": "The day the carrier now expects to deliver, formatted for the language; or None.",
    "carrier_expected_date_iso": "The same day as YYYY-MM-DD; or None.",
    "reply_to": "The e-mail address a reply reaches; or None.",
    "support_url": "Link to the order's support page (http or https only); or None, and then the next "
    "step is to reply to the e-mail.",
    "next_step_url": "The same link as support_url (kept for templates written before it).",
    "situation": "None in incident messages (see SITUATION_VARIABLES for the support conversation).",
    "brand_accent": "The shop's accent colour (#rrggbb) from its brand settings, or None.",
    "brand_logo_url": "The web address of the shop's logo from its brand settings, or None.",
}

# The support conversation (render_situation): the common variables above that make sense without an
# incident (shop_name, customer_first_name, order_number, language, support_url, reply_to) and these.
SITUATIONS = ("report_received", "proposal_accepted", "counter_offer", "proposal_declined", "request_answered")
SITUATION_VARIABLES: dict[str, str] = {
    "situation": "Which message: " + ", ".join(SITUATIONS) + ".",
    "problem": "What the customer reported: wrong_item, damaged, missing_item, not_arrived or other; or None.",
    "resolution": "The fix in question: keep_with_discount, replacement, refund or shop_decides; or None.",
    "resolution_amount": "Money the fix gives back, formatted for the language; or None.",
    "resolution_percent": "The discount of keep_with_discount, formatted (e.g. 30 %); or None.",
    "merchant_note": "What the shop wrote to the customer; or None.",
    "asked_shop_to_decide": "counter_offer: True when the customer had asked the shop to decide the fix.",
    "counter_accepted": "proposal_accepted: True when what is confirmed is the shop's counter-offer the customer "
    "accepted, not the customer's own request.",
    "approved": "request_answered: whether the shop agreed (True or False).",
    "request": "request_answered: later_delivery or change_variant; or None.",
    "requested_date": "request_answered, later_delivery: the day the customer asked for delivery no earlier "
    "than, formatted for the language; or None.",
    "affected_items": "Names of the products concerned, a list to loop over.",
    "affected_items_text": "The same names joined for a sentence: 'A, B and C'.",
}
_COMMON_IN_SITUATIONS = (
    "shop_name", "customer_first_name", "order_number", "language", "support_url", "reply_to", "brand_accent",
    "brand_logo_url",
)  # fmt: skip


_DELIVERY_PROBLEMS = ("attempt_fail", "exception", "expired", "returned", "lost")


def _web_link(url: str | None) -> str | None:
    # Only ordinary web links end up in an href: never javascript:, data: or mailto: from data.
    if url and url.strip().lower().startswith(("https://", "http://")):
        return url.strip()
    return None


def _plain_number(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def template_variables(ctx: MessageContext) -> dict[str, object]:
    lang = ctx.language
    return {
        "shop_name": ctx.shop_name,
        "customer_first_name": (ctx.customer_first_name or "").strip() or None,
        "order_number": str(ctx.order_number),
        "kind": str(ctx.kind),
        "offer_type": str(ctx.offer_type),
        "language": lang,
        "shipped_now": bool(ctx.shipped_now),
        "first_message_date": formatting.day(ctx.first_message_on, lang),
        "promised_date": formatting.day(ctx.promised_date, lang),
        "promised_date_iso": ctx.promised_date.isoformat() if ctx.promised_date else None,
        "new_expectation": formatting.day(ctx.new_expectation, lang),
        "new_expectation_iso": ctx.new_expectation.isoformat() if ctx.new_expectation else None,
        "heads_up_date": formatting.day(ctx.heads_up_on, lang),
        "days_late": int(ctx.days_late),
        "currency": ctx.currency,
        "offer_amount": formatting.money(ctx.offer_amount, ctx.currency, lang),
        "offer_amount_value": _plain_number(ctx.offer_amount),
        "offer_code": (ctx.offer_code or "").strip() or None,
        "offer_expires_on": formatting.day(ctx.offer_expires_on, lang),
        "offer_expires_on_iso": ctx.offer_expires_on.isoformat() if ctx.offer_expires_on else None,
        "offer_product_name": ctx.offer_product_name or None,
        "keep_item_discount_percent": formatting.percent(ctx.keep_item_discount_percent, lang),
        "keep_item_discount_percent_value": (
            None if ctx.keep_item_discount_percent is None else int(ctx.keep_item_discount_percent)
        ),
        "refund_amount": formatting.money(ctx.refund_amount, ctx.currency, lang),
        "refund_amount_value": _plain_number(ctx.refund_amount),
        "expected_items": tuple(str(n) for n in ctx.expected_items),
        "expected_items_text": formatting.items(ctx.expected_items, lang),
        "sent_items": tuple(str(n) for n in ctx.sent_items),
        "sent_items_text": formatting.items(ctx.sent_items, lang),
        "tracking_number": ctx.tracking_number or None,
        "tracking_url": _web_link(ctx.tracking_url),
        "carrier": ctx.carrier or None,
        "carrier_name": ctx.carrier or None,
        "delivery_state": ctx.delivery_state or None,
        "delivery_problem": ctx.delivery_state in _DELIVERY_PROBLEMS,
        "parcel_waiting": ctx.delivery_state == "available_for_pickup",
        "carrier_status": (ctx.carrier_status or "").strip() or None,
        "carrier_status_date": formatting.day(_day_of(ctx.carrier_status_at), lang),
        "carrier_status_date_iso": _iso(_day_of(ctx.carrier_status_at)),
        "carrier_location": (ctx.carrier_location or "").strip() or None,
        "carrier_expected_date": formatting.day(ctx.carrier_expected_date, lang),
        "carrier_expected_date_iso": _iso(ctx.carrier_expected_date),
        "reply_to": ctx.reply_to or None,
        "support_url": _web_link(ctx.support_url),
        "next_step_url": _web_link(ctx.support_url),
        "situation": None,
        "brand_accent": ctx.brand_accent,
        "brand_logo_url": _web_link(ctx.brand_logo_url),
    }


def situation_variables(situation: str, language: str, values: dict) -> dict[str, object]:
    """The variables of a support-conversation message, from what the support flow knows.

    Money may come formatted (str) or as a Decimal with `currency`; a percent as a str or a number."""
    if situation not in SITUATIONS:
        raise ValueError(f"no situation {situation!r}; one of {', '.join(SITUATIONS)}")
    unknown = set(values) - set(SITUATION_VARIABLES) - set(_COMMON_IN_SITUATIONS) - {"currency"}
    if unknown:
        raise ValueError(f"not situation variables: {', '.join(sorted(unknown))}")
    if not values.get("shop_name") or not values.get("order_number"):
        raise ValueError("a situation message needs shop_name and order_number")
    amount = values.get("resolution_amount")
    if isinstance(amount, (Decimal, int, float)):
        amount = formatting.money(Decimal(str(amount)), values["currency"], language)
    percent = values.get("resolution_percent")
    if isinstance(percent, (Decimal, int, float)):
        percent = formatting.percent(percent, language)
    items = tuple(str(name) for name in values.get("affected_items") or ())
    return {
        "shop_name": values["shop_name"],
        "customer_first_name": (values.get("customer_first_name") or "").strip() or None,
        "order_number": str(values["order_number"]),
        "language": language,
        "support_url": _web_link(values.get("support_url")),
        "reply_to": values.get("reply_to") or None,
        "situation": situation,
        "problem": values.get("problem") or "other",
        "resolution": values.get("resolution") or "shop_decides",
        "resolution_amount": amount or None,
        "resolution_percent": percent or None,
        "merchant_note": (values.get("merchant_note") or "").strip() or None,
        "asked_shop_to_decide": bool(values.get("asked_shop_to_decide")),
        "counter_accepted": bool(values.get("counter_accepted")),
        "approved": bool(values.get("approved")),
        "request": values.get("request") or "change_variant",
        "requested_date": formatting.day(values.get("requested_date"), language),
        "affected_items": items,
        "affected_items_text": formatting.items(items, language),
        "brand_accent": values.get("brand_accent") or None,
        "brand_logo_url": _web_link(values.get("brand_logo_url")),
    }


def _day_of(moment):
    return None if moment is None else moment.date()


def _iso(day) -> str | None:
    return None if day is None else day.isoformat()
