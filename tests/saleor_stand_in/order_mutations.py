"""Draft order and granted-refund mutations of the Saleor stand-in."""

from __future__ import annotations

import uuid
from decimal import Decimal

from . import data
from .engine import gid, meta_list, parse_gid
from .mutations import MutationError, _order_event, dec, err, get_node, mutation


def _variant_for(saleor, variant_id):
    return get_node(None, saleor.variants, variant_id, "ProductVariant", field="variantId")


def _address(value, fallback_country):
    if not value:
        return None
    value = dict(value)
    code = value.pop("country", None) or fallback_country
    return data.address(code, **{k: v for k, v in value.items() if v is not None and k != "skipValidation"})


def _shipping_method(saleor, method_id, currency):
    try:
        type_name, _ = parse_gid(method_id)
    except ValueError:
        raise MutationError(err("shippingMethod", f"Invalid ID: {method_id}.", "GRAPHQL_ERROR")) from None
    if type_name not in ("ShippingMethod", "ShippingMethodType"):
        raise MutationError(
            err("shippingMethod", f"Invalid ID: {method_id}. Expected: ShippingMethod.", "GRAPHQL_ERROR")
        )
    method = saleor.shipping_methods.get(method_id) or saleor.shipping_methods.get(gid("ShippingMethod", _))
    if method is None:
        raise MutationError(err("shippingMethod", f"Couldn't resolve to a node: {method_id}", "NOT_FOUND"))
    method = dict(method)
    method["price"] = data.money(method["price"]["amount"], currency)
    return method


@mutation("draftOrderCreate")
def draft_order_create(ctx, info, input):
    saleor = ctx.saleor
    if not input.get("channelId"):
        raise MutationError(err("channel", "Channel id is required.", "REQUIRED"))
    ch = get_node(ctx, saleor.channels, input["channelId"], "Channel", field="channelId")
    lines_input = input.get("lines") or []
    if any(l["quantity"] <= 0 for l in lines_input):
        raise MutationError(err("quantity", "Ensure this value is greater than 0.", "ZERO_QUANTITY"))
    currency = ch["currencyCode"]
    country_code = ch["defaultCountry"]["code"]
    order = saleor._new_order(ch, status="DRAFT", origin="DRAFT")
    for line_input in lines_input:
        var = _variant_for(saleor, line_input["variantId"])
        price = line_input.get("price")
        price = dec(price) if price is not None else data.variant_price(var, ch)
        existing = (
            None
            if line_input.get("forceNewLine")
            else next((l for l in order["lines"] if l["variant"]["id"] == var["id"]), None)
        )
        if existing:
            existing["quantity"] += line_input["quantity"]
            existing["totalPrice"] = data.taxed(
                Decimal(str(existing["unitPrice"]["gross"]["amount"])) * existing["quantity"], currency
            )
        else:
            order["lines"].append(
                data.order_line(
                    var, line_input["quantity"], price, currency, isPriceOverridden=line_input.get("price") is not None
                )
            )
    user_id, email = input.get("user"), input.get("userEmail")
    if user_id:
        user = get_node(ctx, saleor.users, user_id, "User", field="user")
        order["user"], order["userEmail"] = user, user["email"]
    elif email:
        order["user"] = next((u for u in saleor.users.values() if u["email"] == email), None)
        order["userEmail"] = email
    order["shippingAddress"] = _address(input.get("shippingAddress"), country_code)
    order["billingAddress"] = _address(input.get("billingAddress"), country_code)
    if input.get("shippingMethod"):
        method = _shipping_method(saleor, input["shippingMethod"], currency)
        order["deliveryMethod"] = method
        order["shippingMethodName"] = method["name"]
        order["shippingPrice"] = data.taxed(method["price"]["amount"], currency)
        order["undiscountedShippingPrice"] = data.money(method["price"]["amount"], currency)
    order["isShippingRequired"] = any(l["isShippingRequired"] for l in order["lines"])
    order["customerNote"] = input.get("customerNote") or ""
    order["externalReference"] = input.get("externalReference")
    order["voucherCode"] = input.get("voucherCode")
    order["redirectUrl"] = input.get("redirectUrl")
    if input.get("languageCode"):
        order["languageCodeEnum"] = input["languageCode"]
        order["languageCode"] = input["languageCode"].lower().replace("_", "-")
    order["metadata"] = meta_list(input.get("metadata"))
    order["privateMetadata"] = meta_list(input.get("privateMetadata"))
    if order["voucherCode"]:
        _apply_shipping_voucher(saleor, order, currency)
    data.recompute_totals(order)
    order["events"].append(_order_event(ctx, "DRAFT_CREATED"))
    saleor.orders[order["id"]] = order
    saleor._emit("DRAFT_ORDER_CREATED", ctx, order=order)
    return {"order": order, "errors": []}


@mutation("draftOrderComplete")
def draft_order_complete(ctx, info, id):
    saleor = ctx.saleor
    order = get_node(ctx, saleor.orders, id, "Order")
    if order["status"] != "DRAFT":
        raise MutationError(err("id", "The order is not draft.", "INVALID"))
    problems = []
    if order["isShippingRequired"] and not order.get("deliveryMethod"):
        problems.append(err("shipping", "Shipping method is required.", "SHIPPING_METHOD_REQUIRED"))
    if not order.get("billingAddress"):
        problems.append(err("order", "Can't finalize draft with no billing address.", "BILLING_ADDRESS_NOT_SET"))
    if order["isShippingRequired"] and not order.get("shippingAddress"):
        problems.append(err("order", "Can't finalize draft with no shipping address.", "ORDER_NO_SHIPPING_ADDRESS"))
    if not sum(l["quantity"] for l in order["lines"]):
        problems.append(err("lines", "Could not create order without any products.", "REQUIRED"))
    if not order["channel"]["isActive"]:
        problems.append(err("channel", "Cannot complete draft order with inactive channel.", "CHANNEL_INACTIVE"))
    if problems:
        raise MutationError(*problems)
    _check_and_take_stock(saleor, order)
    if order["voucherCode"]:
        _use_voucher_code(saleor, order["voucherCode"])
    order["status"] = "UNFULFILLED"
    order["updatedAt"] = saleor.now_iso()
    if not order["userEmail"] and order.get("user"):
        order["userEmail"] = order["user"]["email"]
    if order["total"]["gross"]["amount"] == 0:
        order["isPaid"] = True  # free reship: paid, chargeStatus NONE, no ORDER_FULLY_PAID
        order["paymentStatus"] = "FULLY_CHARGED"
    order["events"].append(_order_event(ctx, "PLACED_FROM_DRAFT"))
    saleor.completed_drafts.append(order["id"])
    saleor._emit("ORDER_CREATED", ctx, order=order)
    saleor._emit("ORDER_CONFIRMED", ctx, order=order)
    return {"order": order, "errors": []}


@mutation("orderGrantRefundCreate")
def order_grant_refund_create(ctx, info, id, input):
    saleor = ctx.saleor
    order = get_node(ctx, saleor.orders, id, "Order")
    amount = input.get("amount")
    lines_input = input.get("lines") or []
    for_shipping = bool(input.get("grantRefundForShipping"))
    if amount is None and not lines_input and not for_shipping:
        msg = "You must provide at least one of `amount`, `lines`, `grantRefundForShipping`."
        raise MutationError(
            err("amount", msg, "REQUIRED"),
            err("lines", msg, "REQUIRED"),
            err("grantRefundForShipping", msg, "REQUIRED"),
        )
    currency = order["channel"]["currencyCode"]
    line_errors, granted_lines, lines_total = [], [], Decimal(0)
    by_id = {l["id"]: l for l in order["lines"]}
    for item in lines_input:
        line = by_id.get(item["id"])
        if line is None:
            line_errors.append(
                {"field": "id", "message": "No order line with given ID.", "code": "NOT_FOUND", "lineId": item["id"]}
            )
            continue
        if item["quantity"] > line["quantity"]:
            line_errors.append(
                {
                    "field": "quantity",
                    "message": "Provided quantity is bigger than quantity from order line.",
                    "code": "QUANTITY_GREATER_THAN_AVAILABLE",
                    "lineId": item["id"],
                }
            )
            continue
        lines_total += Decimal(str(line["unitPrice"]["gross"]["amount"])) * item["quantity"]
        granted_lines.append(
            {
                "__typename": "OrderGrantedRefundLine",
                "id": gid("OrderGrantedRefundLine", uuid.uuid4().int % 10**6),
                "quantity": item["quantity"],
                "orderLine": line,
                "reason": item.get("reason"),
            }
        )
    if line_errors:
        raise MutationError(err("lines", "Provided line ids or quantities are invalid.", "INVALID", lines=line_errors))
    if for_shipping and any(g["shippingCostsIncluded"] for g in order["grantedRefunds"]):
        raise MutationError(
            err("grantRefundForShipping", "Shipping costs have already been granted.", "SHIPPING_COSTS_ALREADY_GRANTED")
        )
    txn = next((t for t in order["transactions"] if t["id"] == input["transactionId"]), None)
    if txn is None:
        raise MutationError(err("transactionId", f"Couldn't resolve to a node: {input['transactionId']}", "NOT_FOUND"))
    charged = Decimal(str(txn["chargedAmount"]["amount"]))
    if amount is None:
        amount = lines_total + (Decimal(str(order["shippingPrice"]["gross"]["amount"])) if for_shipping else 0)
        amount = min(amount, charged)
    elif dec(amount) > charged:
        raise MutationError(
            err(
                "amount",
                "Amount cannot be greater than the charged amount of provided transaction.",
                "AMOUNT_GREATER_THAN_AVAILABLE",
            )
        )
    now = saleor.now_iso()
    grant = {
        "__typename": "OrderGrantedRefund",
        "id": gid("OrderGrantedRefund", uuid.uuid4().int % 10**6),
        "createdAt": now,
        "updatedAt": now,
        "amount": data.money(dec(amount), currency),
        "reason": input.get("reason") or "",
        "reasonReference": None,
        "user": ctx.staff_user,
        "app": ctx.app,
        "shippingCostsIncluded": for_shipping,
        "lines": granted_lines,
        "status": "NONE",
        "transaction": txn,
        "transactionEvents": [],
    }
    order["grantedRefunds"].append(grant)
    order["updatedAt"] = now
    return {"order": order, "grantedRefund": grant, "errors": []}


def _usable_voucher_code(saleor, code: str) -> tuple[dict, dict]:
    """Saleor finds only active codes (a singleUse code is deactivated once used) and refuses
    a voucher whose usageLimit its codes have reached."""
    for voucher in saleor.vouchers.values():
        for entry in voucher["_codes"]:
            if entry["code"] == code and entry["isActive"]:
                limit = voucher["usageLimit"]
                if limit is not None and sum(c["used"] for c in voucher["_codes"]) >= limit:
                    message = "Voucher is not applicable to this order."
                    raise MutationError(err("voucherCode", message, "INVALID_VOUCHER"))
                return voucher, entry
    raise MutationError(err("voucherCode", "Voucher code is not valid.", "INVALID_VOUCHER_CODE"))


def _use_voucher_code(saleor, code: str) -> None:
    """As Saleor's increase_voucher_usage when the order is placed."""
    voucher, entry = _usable_voucher_code(saleor, code)
    if voucher["usageLimit"]:
        entry["used"] += 1
        voucher["used"] += 1
    if voucher["singleUse"]:
        entry["isActive"] = False


def _check_and_take_stock(saleor, order: dict) -> None:
    short = [
        line for line in order["lines"] if saleor.variants[line["variant"]["id"]].get("_stock", 100) < line["quantity"]
    ]
    if short:
        variants = [line["variant"]["id"] for line in short]
        names = ", ".join(line["productSku"] or line["variantName"] for line in short)
        message = f"Insufficient product stock: {names}"
        raise MutationError(err("lines", message, "INSUFFICIENT_STOCK", variants=variants))
    for line in order["lines"]:
        variant = saleor.variants[line["variant"]["id"]]
        variant["_stock"] = variant.get("_stock", 100) - line["quantity"]


def _apply_shipping_voucher(saleor, order: dict, currency: str) -> None:
    """Saleor applies a draft's voucherCode; this stand-in models SHIPPING vouchers, the ones the app uses."""
    voucher, _ = _usable_voucher_code(saleor, order["voucherCode"])
    listing = next((l for l in voucher["channelListings"] if l["channel"]["id"] == order["channel"]["id"]), None)
    if voucher["type"] != "SHIPPING" or listing is None:
        raise MutationError(err("voucherCode", "Voucher not applicable for this order.", "VOUCHER_NOT_APPLICABLE"))
    shipping = Decimal(str(order["shippingPrice"]["gross"]["amount"]))
    value = Decimal(str(listing["discountValue"]))
    off = shipping * value / 100 if voucher["discountValueType"] == "PERCENTAGE" else min(value, shipping)
    order["shippingPrice"] = data.taxed(shipping - off, currency)
