"""Query resolvers and computed fields of the Saleor stand-in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from graphql import GraphQLError

import heapq
from itertools import islice

from .engine import _cursor, _uncursor, check_gid, computed, connection, meta_dict


class NotImplementedInStandIn(GraphQLError):
    pass


def one_of(*pairs):
    """Saleor's validate_one_of_args_is_in_query (camelCase names)."""
    given = [name for name, value in pairs if value]
    if len(given) > 1:
        rest = ", ".join(f"'{n}'" for n in given[1:])
        raise GraphQLError(f"Argument '{given[0]}' cannot be combined with {rest}")
    if not given:
        names = ", ".join(f"'{n}'" for n, _ in pairs)
        raise GraphQLError(f"At least one of arguments is required: {names}.")


def _dt(value) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _in_range(value, rng, conv) -> bool:
    if not rng:
        return True
    if rng.get("gte") is not None and conv(value) < conv(rng["gte"]):
        return False
    if rng.get("lte") is not None and conv(value) > conv(rng["lte"]):
        return False
    return True


def _eq_one_of(value, flt) -> bool:
    if flt is None:
        return True
    if flt.get("eq") is not None and value != flt["eq"]:
        return False
    if flt.get("oneOf") is not None and value not in flt["oneOf"]:
        return False
    rng = flt.get("range")
    return _in_range(value, rng, Decimal) if rng and value is not None else True


def _meta_match(obj, items) -> bool:
    meta = meta_dict(obj.get("metadata"))
    for item in items or []:
        if item["key"] not in meta:
            return False
        value = item.get("value")
        if isinstance(value, dict):
            if not _eq_one_of(meta[item["key"]], value):
                return False
        elif value is not None and meta[item["key"]] != value:
            return False
    return True


def _unsupported(kind, key):
    raise NotImplementedInStandIn(f"The Saleor stand-in does not implement {kind}.{key}.")


# ----------------------------------------------------------------------- orders

_STATUS_FILTER = {
    "READY_TO_FULFILL": lambda o: (
        o["status"] in ("UNFULFILLED", "PARTIALLY_FULFILLED") and o["chargeStatus"] in ("FULL", "OVERCHARGED")
    ),
    "READY_TO_CAPTURE": lambda o: o["authorizeStatus"] != "NONE" and o["chargeStatus"] == "NONE",
}


def _search_order(order, text) -> bool:
    text = text.lower()
    user = order.get("user") or {}
    hay = [
        order["number"],
        order.get("userEmail") or "",
        user.get("firstName") or "",
        user.get("lastName") or "",
        order["id"],
        *(l["productSku"] or "" for l in order["lines"]),
    ]
    return any(text in str(h).lower() for h in hay)


def _click_and_collect(order) -> bool:
    return (order.get("deliveryMethod") or {}).get("__typename") == "Warehouse"


def order_filter(order, flt) -> bool:
    for key, value in flt.items():
        if value is None:
            continue
        if key == "status":
            if not any(_STATUS_FILTER.get(s, lambda o, s=s: o["status"] == s)(order) for s in value):
                return False
        elif key in ("paymentStatus", "chargeStatus", "authorizeStatus"):
            if order[key] not in value:
                return False
        elif key == "customer":
            user = order.get("user") or {}
            hay = " ".join(filter(None, [order.get("userEmail"), user.get("firstName"), user.get("lastName")]))
            if not all(part.lower() in hay.lower() for part in value.split()):
                return False
        elif key == "created":
            if not _in_range(order["created"][:10], value, str):
                return False
        elif key == "updatedAt":
            if not _in_range(order["updatedAt"], value, _dt):
                return False
        elif key == "search":
            if not _search_order(order, value):
                return False
        elif key == "metadata":
            if not _meta_match(order, value):
                return False
        elif key == "channels":
            if order["channel"]["id"] not in value:
                return False
        elif key == "ids":
            if order["id"] not in value:
                return False
        elif key == "numbers":
            if order["number"] not in [str(v) for v in value]:
                return False
        elif key == "isClickAndCollect":
            if _click_and_collect(order) != value:
                return False
        else:
            _unsupported("OrderFilterInput", key)
    return True


def order_where(order, where) -> bool:
    for key, value in where.items():
        if value is None:
            continue
        if key == "AND":
            ok = all(order_where(order, w) for w in value)
        elif key == "OR":
            ok = any(order_where(order, w) for w in value)
        elif key == "ids":
            ok = order["id"] in value
        elif key == "number":
            ok = _eq_one_of(int(order["number"]), value)
        elif key == "channelId":
            ok = _eq_one_of(order["channel"]["id"], value)
        elif key in ("createdAt", "updatedAt"):
            ok = _in_range(order["created" if key == "createdAt" else "updatedAt"], value, _dt)
        elif key == "user":
            ok = _eq_one_of((order.get("user") or {}).get("id"), value)
        elif key == "userEmail":
            ok = _eq_one_of(order.get("userEmail"), value)
        elif key in ("status", "chargeStatus", "authorizeStatus"):
            ok = _eq_one_of(order[key], value)
        elif key == "metadata":
            ok = _meta_match(order, [value])
        elif key == "isClickAndCollect":
            ok = _click_and_collect(order) == value
        elif key == "hasFulfillments":
            ok = bool(order["fulfillments"]) == value
        elif key == "voucherCode":
            ok = _eq_one_of(order.get("voucherCode"), value)
        elif key == "linesCount":
            ok = _eq_one_of(len(order["lines"]), value)
        elif key == "totalGross":
            gross = order["total"]["gross"]
            ok = (not value.get("currency") or value["currency"] == gross["currency"]) and _eq_one_of(
                Decimal(str(gross["amount"])), {k: v for k, v in value["amount"].items()}
            )
        else:
            _unsupported("OrderWhereInput", key)
        if not ok:
            return False
    return True


_ORDER_SORT = {
    None: lambda o: int(o["number"]),
    "NUMBER": lambda o: int(o["number"]),
    "CREATION_DATE": lambda o: o["created"],
    "CREATED_AT": lambda o: o["created"],
    "LAST_MODIFIED_AT": lambda o: o["updatedAt"],
    "STATUS": lambda o: o["status"],
    "CUSTOMER": lambda o: o.get("userEmail") or "",
    "PAYMENT": lambda o: o["chargeStatus"],
}


def _orders(ctx, info, drafts, sortBy=None, filter=None, where=None, channel=None, search=None, **page):
    if filter and where:
        raise GraphQLError("Only one filtering argument (filter or where) can be specified.")
    items = [o for o in ctx.saleor.orders.values() if (o["status"] == "DRAFT") == drafts]
    if channel:
        items = [o for o in items if o["channel"]["slug"] == channel]
    if search:
        items = [o for o in items if _search_order(o, search)]
    if filter:
        items = [o for o in items if order_filter(o, filter)]
    if where:
        items = [o for o in items if order_where(o, where)]
    field = (sortBy or {}).get("field")
    if field not in _ORDER_SORT:
        _unsupported("OrderSortField", field)
    descending = sortBy is None or sortBy.get("direction") == "DESC"
    if ctx.saleor.generated is not None and not drafts:
        if sortBy is not None or where or channel or search or page.get("last") or page.get("before"):
            _unsupported("orders over generated orders", "anything but filter, first and after")
        return _with_generated(ctx.saleor.generated, items, filter, **page)
    sort_key = _ORDER_SORT[field]
    items.sort(key=lambda o: (sort_key(o), int(o["number"])), reverse=descending)
    return connection(items, info, key=lambda o: (sort_key(o), o["number"]), **page)


def _with_generated(generated, stored, flt, *, first=None, after=None, **_):
    """The default order (number, highest first) over the stored and the generated orders; a page's
    generated orders are made as it is answered and the rest are never made."""
    if not first or first > 100 or first < 0:
        raise GraphQLError(f"Requesting {first} records on the `orders` connection exceeds the `first` limit of 100 records.")
    bound = int(_uncursor(after)[1]) if after else None
    stored = sorted((o for o in stored if bound is None or int(o["number"]) < bound), key=lambda o: -int(o["number"]))
    numbers = heapq.merge(
        ((int(o["number"]), o) for o in stored),
        ((n, None) for n in generated.numbers_below(bound)),
        key=lambda pair: -pair[0],
    )
    chosen = (o if o is not None else generated.order(n) for n, o in numbers)
    window = list(islice((o for o in chosen if not flt or order_filter(o, flt)), first + 1))
    has_next, window = len(window) > first, window[:first]
    generated.pages.append(len(window))
    if generated.on_page is not None:
        generated.on_page(len(window))
    edges = [{"__typename": "Edge", "node": o, "cursor": _cursor([o["number"], o["number"]])} for o in window]
    return {
        "edges": edges,
        "totalCount": len(stored) + generated.count,
        "pageInfo": {
            "hasNextPage": has_next,
            "hasPreviousPage": bound is not None,
            "startCursor": edges[0]["cursor"] if edges else None,
            "endCursor": edges[-1]["cursor"] if edges else None,
        },
    }


@computed("Query", "orders")
def q_orders(ctx, _root, info, **args):
    return _orders(ctx, info, False, **args)


@computed("Query", "draftOrders")
def q_draft_orders(ctx, _root, info, **args):
    return _orders(ctx, info, True, **args)


@computed("Query", "order")
def q_order(ctx, _root, info, id=None, externalReference=None):
    one_of(("id", id), ("externalReference", externalReference))
    if not id:
        ctx.require(("MANAGE_ORDERS",))
        return next((o for o in ctx.saleor.orders.values() if o.get("externalReference") == externalReference), None)
    check_gid(id, "Order")
    found = ctx.saleor.orders.get(id)
    if found is None and ctx.saleor.generated is not None:
        found = ctx.saleor.generated.by_id(id)
    return found
