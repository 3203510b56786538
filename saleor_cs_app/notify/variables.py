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
    "kind": "What went wrong: late_shipment, late_delivery or wrong_item.",
    "offer_type": "What the shop gives: apology_only, gift_card, free_shipping_voucher, gift_product, "
    "reship or partial_refund.",
    "language": "Two-letter language of the message: en, fi, pl, lt, de or sv.",
    "shipped_now": "True in the follow-up message saying the late order has now shipped.",
    "promised_date": "The date we promised (to ship, or to deliver), formatted for the language; or None.",
    "promised_date_iso": "The promised date as YYYY-MM-DD; or None.",
    "new_expectation": "Our honest new estimate, formatted for the language; or None.",
    "new_expectation_iso": "The new estimate as YYYY-MM-DD; or None.",
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
    "reply_to": "The e-mail address a reply reaches; or None.",
    "next_step_url": "Link to the page where the customer sees the order and options (http or https "
    "only); or None, and then the next step is to reply to the e-mail.",
}


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
        "promised_date": formatting.day(ctx.promised_date, lang),
        "promised_date_iso": ctx.promised_date.isoformat() if ctx.promised_date else None,
        "new_expectation": formatting.day(ctx.new_expectation, lang),
        "new_expectation_iso": ctx.new_expectation.isoformat() if ctx.new_expectation else None,
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
        "reply_to": ctx.reply_to or None,
        "next_step_url": _web_link(ctx.next_step_url),
    }
