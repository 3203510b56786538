"""Mutation resolvers of the Saleor stand-in, with Saleor 3.23's validation rules.

Mutation errors come back in the payload's `errors` list ({field, message, code});
permission failures are raised before the resolver runs (see engine.field_resolver).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import uuid
from decimal import Decimal, InvalidOperation

from graphql import GraphQLError, GraphQLNonNull, get_named_type

from . import data
from .engine import COMPUTED, PermissionDenied, check_gid, gid, meta_list, parse_gid

_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class MutationError(Exception):
    def __init__(self, *errors):
        super().__init__(errors[0]["message"] if errors else "")
        self.errors = list(errors)


def err(field, message, code, **extra) -> dict:
    return {"field": field, "message": message, "code": code, **extra}


class MutationCall(tuple):
    """(field_name, request variables), plus `.args`: the field's coerced arguments."""

    def __new__(cls, field, variables, args):
        obj = super().__new__(cls, (field, variables))
        obj.args = args
        return obj

    field = property(lambda self: self[0])
    variables = property(lambda self: self[1])


def _fit_codes(info, errors):
    """Saleor (graphene 2) serialises an error code missing from the error type's enum as null,
    e.g. orderNoteAdd on an unknown order: OrderNoteAddErrorCode has no NOT_FOUND."""
    errors_field = info.return_type.fields.get("errors")
    code_type = get_named_type(errors_field.type).fields["code"].type if errors_field else None
    if code_type is None or isinstance(code_type, GraphQLNonNull):
        return errors
    allowed = set(code_type.values)
    return [e if e["code"] in allowed else {**e, "code": None} for e in errors]


def mutation(name):
    def register(fn):
        def resolver(ctx, _root, info, **args):
            saleor = ctx.saleor
            saleor.mutations.append(MutationCall(name, dict(ctx.variables), args))
            try:
                return fn(ctx, info, **args)
            except MutationError as exc:
                return {"errors": _fit_codes(info, exc.errors)}

        COMPUTED[("Mutation", name)] = resolver
        return fn

    return register


def get_node(ctx, store: dict, node_id, type_name, field="id"):
    try:
        check_gid(node_id, type_name)
    except GraphQLError as exc:
        raise MutationError(err(field, exc.message, "GRAPHQL_ERROR")) from None
    node = store.get(node_id)
    if node is None:
        raise MutationError(err(field, f"Couldn't resolve to a node: {node_id}", "NOT_FOUND"))
    return node


def dec(value) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise GraphQLError(f"Invalid decimal value: {value!r}") from None


def precision_error(amount: Decimal, places: int = 2) -> str | None:
    if amount.normalize().as_tuple().exponent < -places:
        return f"Value cannot have more than {places} decimal places."
    return None


def promo_code_available(saleor, code: str) -> bool:
    return not any(c["code"] == code for c in saleor.gift_cards.values()) and not any(
        c["code"] == code for v in saleor.vouchers.values() for c in v["_codes"]
    )


def new_promo_code(saleor) -> str:
    while True:
        raw = secrets.token_hex(6).upper()
        code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
        if promo_code_available(saleor, code):
            return code


# ------------------------------------------------------------------ gift cards


@mutation("giftCardCreate")
def gift_card_create(ctx, info, input):
    saleor = ctx.saleor
    code = input.get("code")
    if code and not promo_code_available(saleor, code):
        raise MutationError(err("code", "Promo code already exists.", "ALREADY_EXISTS"))
    expiry = input.get("expiryDate")
    if expiry and dt.date.fromisoformat(str(expiry)) <= saleor.clock().date():
        raise MutationError(err("expiryDate", "Expiry date must be in the future.", "INVALID"))
    balance = input["balance"]
    amount, currency = dec(balance["amount"]), balance["currency"]
    problem = precision_error(amount)
    if problem:
        raise MutationError(err("balance", problem, "INVALID"))
    if not amount > 0:
        raise MutationError(err("balance", "Balance amount have to be greater than 0.", "INVALID"))
    email = input.get("userEmail")
    if email:
        if not _EMAIL_RE.match(email):
            raise MutationError(err("email", "Provided email is invalid.", "INVALID"))
        if not input.get("channel"):
            raise MutationError(
                err("channel", "Channel slug must be specified when user_email is provided.", "REQUIRED")
            )
    n = len(saleor.gift_cards) + 1
    created = saleor.now_iso()
    card = {
        "__typename": "GiftCard",
        "id": gid("GiftCard", n),
        "code": code or new_promo_code(saleor),
        "displayCode": None,
        "isActive": input["isActive"],
        "created": created,
        "expiryDate": str(expiry) if expiry else None,
        "lastUsedOn": None,
        "initialBalance": data.money(amount, currency),
        "currentBalance": data.money(amount, currency),
        "tags": [
            {"__typename": "GiftCardTag", "id": gid("GiftCardTag", abs(hash(t.lower())) % 10**6), "name": t.lower()}
            for t in dict.fromkeys(input.get("addTags") or [])
        ],
        "createdBy": ctx.staff_user,
        "createdByEmail": (ctx.staff_user or {}).get("email"),
        "usedBy": None,
        "usedByEmail": None,
        "app": ctx.app,
        "product": None,
        "boughtInChannel": None,
        "metadata": meta_list(input.get("metadata")),
        "privateMetadata": meta_list(input.get("privateMetadata")),
        "_note": input.get("note"),
        "_sent_to": email,
        "_channel": input.get("channel"),
    }
    card["displayCode"] = card["code"][-4:]
    card["last4CodeChars"] = card["code"][-4:]
    saleor.gift_cards[card["id"]] = card
    saleor._emit("GIFT_CARD_CREATED", ctx, giftCard=card)
    if email:
        ch = next((c for c in saleor.channels.values() if c["slug"] == input.get("channel")), None)
        saleor._emit("GIFT_CARD_SENT", ctx, giftCard=card, channel=ch, sentToEmail=email)
    return {"giftCard": card, "errors": []}


# -------------------------------------------------------------------- vouchers


@mutation("voucherCreate")
def voucher_create(ctx, info, input):
    saleor = ctx.saleor
    code, add_codes = input.get("code"), input.get("addCodes")
    if code != "":
        if code and add_codes:
            raise MutationError(err(None, "Argument 'code' cannot be combined with 'addCodes'", "GRAPHQL_ERROR"))
        if not code and not add_codes:
            raise MutationError(
                err(None, "At least one of arguments is required: 'code', 'addCodes'.", "GRAPHQL_ERROR")
            )
    codes = []
    if add_codes:
        stripped = [c.strip() for c in add_codes]
        dupes = sorted({c for c in stripped if stripped.count(c) > 1})
        if dupes:
            raise MutationError(
                err("codes", "Duplicated promo codes provided.", "DUPLICATED_INPUT_ITEM", voucherCodes=dupes)
            )
        taken = [c for c in stripped if not promo_code_available(saleor, c)]
        if taken:
            raise MutationError(err("codes", "Promo code already exists.", "ALREADY_EXISTS", voucherCodes=taken))
        codes = stripped
    else:
        code = (code or "").strip() or new_promo_code(saleor)
        if not promo_code_available(saleor, code):
            raise MutationError(err("code", "Promo code already exists.", "ALREADY_EXISTS"))
        codes = [code]
    start, end = input.get("startDate") or saleor.now_iso(), input.get("endDate")
    if end and data.iso(end) < data.iso(start):
        raise MutationError(err("endDate", "End date cannot be before the start date.", "INVALID"))
    n = len(saleor.vouchers) + 1
    created = saleor.now_iso()
    voucher = {
        "__typename": "Voucher",
        "id": gid("Voucher", n),
        "name": input.get("name"),
        "type": input.get("type") or "ENTIRE_ORDER",
        "discountValueType": input.get("discountValueType") or "FIXED",
        "startDate": data.iso(start),
        "endDate": data.iso(end) if end else None,
        "usageLimit": input.get("usageLimit"),
        "used": 0,
        "singleUse": bool(input.get("singleUse")),
        "applyOncePerOrder": bool(input.get("applyOncePerOrder")),
        "applyOncePerCustomer": bool(input.get("applyOncePerCustomer")),
        "onlyForStaff": bool(input.get("onlyForStaff")),
        "minCheckoutItemsQuantity": input.get("minCheckoutItemsQuantity") or 0,
        "countries": [data.country(c) for c in input.get("countries") or []],
        "channelListings": [],
        "minSpent": None,
        "metadata": [],
        "privateMetadata": [],
        "_codes": [
            {
                "__typename": "VoucherCode",
                "id": gid("VoucherCode", uuid.uuid4()),
                "code": c,
                "used": 0,
                "isActive": True,
                "createdAt": created,
            }
            for c in codes
        ],
        "_input": dict(input),
    }
    saleor.vouchers[voucher["id"]] = voucher
    saleor._emit("VOUCHER_CODES_CREATED", ctx, voucher=voucher)
    saleor._emit("VOUCHER_CREATED", ctx, voucher=voucher)
    return {"voucher": voucher, "errors": []}


@mutation("voucherChannelListingUpdate")
def voucher_channel_listing_update(ctx, info, id, input):
    saleor = ctx.saleor
    voucher = get_node(ctx, saleor.vouchers, id, "Voucher")
    listings = {l["channel"]["id"]: l for l in voucher["channelListings"]}
    for ch_id in input.get("removeChannels") or []:
        listings.pop(ch_id, None)
    for add in input.get("addChannels") or []:
        ch = get_node(ctx, saleor.channels, add["channelId"], "Channel", field="channelId")
        value = add.get("discountValue")
        if value is None and ch["id"] not in listings:
            raise MutationError(err("discountValue", "Value is required for voucher.", "REQUIRED", channels=[ch["id"]]))
        if value is not None:
            value = dec(value)
            if voucher["discountValueType"] == "PERCENTAGE" and value > 100:
                raise MutationError(err("discountValue", "Invalid percentage value.", "INVALID", channels=[ch["id"]]))
            if voucher["discountValueType"] == "FIXED" and precision_error(value):
                raise MutationError(err("discountValue", "Invalid amount precision.", "INVALID", channels=[ch["id"]]))
        listing = listings.get(ch["id"]) or {
            "__typename": "VoucherChannelListing",
            "id": gid("VoucherChannelListing", uuid.uuid4().int % 10**6),
            "channel": ch,
            "currency": ch["currencyCode"],
            "discountValue": 0.0,
            "minSpent": None,
        }
        if value is not None:
            listing["discountValue"] = float(value)
        if add.get("minAmountSpent") is not None:
            listing["minSpent"] = data.money(add["minAmountSpent"], ch["currencyCode"])
        listings[ch["id"]] = listing
    voucher["channelListings"] = list(listings.values())
    saleor._emit("VOUCHER_UPDATED", ctx, voucher=voucher)
    return {"voucher": voucher, "errors": []}


# ---------------------------------------------------------------------- orders


def _order_event(ctx, event_type, **fields) -> dict:
    return {
        "__typename": "OrderEvent",
        "id": gid("OrderEvent", uuid.uuid4().int % 10**9),
        "date": ctx.saleor.now_iso(),
        "type": event_type,
        "user": ctx.staff_user,
        "app": ctx.app,
        "message": None,
        "amount": None,
        "relatedOrder": None,
        "related": None,
        "lines": None,
        **fields,
    }


@mutation("orderNoteAdd")
def order_note_add(ctx, info, order, input):
    saleor = ctx.saleor
    node = get_node(ctx, saleor.orders, order, "Order")
    message = (input.get("message") or "").strip()
    if not message:
        raise MutationError(err("message", "Message can't be empty.", "REQUIRED"))
    event = _order_event(ctx, "NOTE_ADDED", message=message)
    node["events"].append(event)
    saleor.notes[node["id"]].append(message)
    node["updatedAt"] = saleor.now_iso()
    saleor._emit("DRAFT_ORDER_UPDATED" if node["status"] == "DRAFT" else "ORDER_UPDATED", ctx, order=node)
    return {"order": node, "event": event, "errors": []}


_META_EVENTS = {
    "Order": "ORDER_METADATA_UPDATED",
    "Fulfillment": "FULFILLMENT_METADATA_UPDATED",
    "GiftCard": "GIFT_CARD_METADATA_UPDATED",
    "Voucher": "VOUCHER_METADATA_UPDATED",
}


def _meta_target(ctx, node_id):
    saleor = ctx.saleor
    try:
        type_name = parse_gid(node_id)[0]
    except ValueError:
        raise MutationError(err("id", f"Invalid ID: {node_id}.", "GRAPHQL_ERROR")) from None
    stores = {
        "Order": saleor.orders,
        "GiftCard": saleor.gift_cards,
        "Voucher": saleor.vouchers,
        "ProductVariant": saleor.variants,
        "Channel": saleor.channels,
        "App": saleor._apps,
    }
    if type_name == "Fulfillment":
        node = next((f for o in saleor.orders.values() for f in o["fulfillments"] if f["id"] == node_id), None)
    elif type_name == "OrderLine":
        node = next((l for o in saleor.orders.values() for l in o["lines"] if l["id"] == node_id), None)
    elif type_name in stores:
        node = stores[type_name].get(node_id)
    else:
        raise GraphQLError(f"The Saleor stand-in does not implement metadata on {type_name}.")
    perms = {
        "Order": ("MANAGE_ORDERS", "HANDLE_TAXES"),
        "Fulfillment": ("MANAGE_ORDERS", "HANDLE_TAXES"),
        "OrderLine": ("MANAGE_ORDERS", "HANDLE_TAXES"),
        "GiftCard": ("MANAGE_GIFT_CARD",),
        "Voucher": ("MANAGE_DISCOUNTS",),
        "ProductVariant": ("MANAGE_PRODUCTS",),
        "Channel": ("MANAGE_CHANNELS",),
        "App": ("MANAGE_APPS",),
    }[type_name]
    own_app = type_name == "App" and ctx.app is not None and ctx.app["id"] == node_id
    if not own_app and not ctx.allowed(perms):
        raise PermissionDenied(perms)
    if node is None:
        raise MutationError(err("id", f"Couldn't resolve to a node: {node_id}", "NOT_FOUND"))
    return type_name, node


def _metadata_mutation(private, delete):
    key_name = "privateMetadata" if private else "metadata"

    def fn(ctx, info, id, **args):
        type_name, node = _meta_target(ctx, id)
        items = data.meta_list(node.get(key_name))
        current = {i["key"]: i["value"] for i in items}
        if delete:
            for key in args["keys"]:
                current.pop(key, None)
        else:
            for item in args["input"]:
                if not item["key"].strip():
                    raise MutationError(err("input", "Metadata key cannot be empty.", "REQUIRED"))
                current[item["key"]] = item["value"]
        node[key_name] = meta_list(current)
        event = _META_EVENTS.get(type_name)
        if event:
            order = None
            if type_name == "Fulfillment":
                order = next(o for o in ctx.saleor.orders.values() if node in o["fulfillments"])
            ctx.saleor._emit(
                event,
                ctx,
                **({"order": node} if type_name == "Order" else {}),
                **({"fulfillment": node, "order": order} if order else {}),
                **({"giftCard": node} if type_name == "GiftCard" else {}),
                **({"voucher": node} if type_name == "Voucher" else {}),
            )
        return {"item": node, "errors": []}

    return fn


for _name, _private, _delete in (
    ("updateMetadata", False, False),
    ("updatePrivateMetadata", True, False),
    ("deleteMetadata", False, True),
    ("deletePrivateMetadata", True, True),
):
    mutation(_name)(_metadata_mutation(_private, _delete))
