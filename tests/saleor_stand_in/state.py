"""In-memory Saleor state of the stand-in and the helpers tests use to shape it."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal

from . import data
from .engine import gid as engine_gid
from .engine import meta_list
from .generated import GeneratedOrders
from .webhooks import WebhookMixin

DEFAULT_VARIANTS = (
    ("SKU-TSHIRT-M", "Saleor T-shirt", "M", 20, True),
    ("SKU-MUG", "Saleor Mug", "Default", 12, True),
    ("SKU-HOODIE-L", "Saleor Hoodie", "L", 45, True),
    ("SKU-GIFTCARD-50", "Gift card 50", "50", 50, False),
)


class StateMixin(WebhookMixin):
    clock: Callable[[], dt.datetime]  # set by SaleorStandIn before _init_state

    def now_iso(self, delta: dt.timedelta | None = None) -> str:
        """Saleor's "now" as it stamps objects: the test clock when the stand-in has one."""
        return data.iso(self.clock() + (delta or dt.timedelta()))

    def _init_state(self):
        self.channels: dict[str, dict] = {}
        for n, (slug, name, currency, country_code) in enumerate(
            (("default-channel", "Channel-USD", "USD", "US"), ("channel-pln", "Channel-PLN", "PLN", "PL")), 1
        ):
            ch = data.channel(n, slug, name, currency, country_code)
            self.channels[ch["id"]] = ch
        self.warehouses = {}
        for wh in (
            data.warehouse("Americas Warehouse", "americas"),
            data.warehouse("Pickup Point Downtown", "pickup-downtown", click_and_collect="LOCAL"),
        ):
            self.warehouses[wh["id"]] = wh
        self.shipping_methods = {}
        for n, (name, price, lo, hi) in enumerate((("Standard", 10, 3, 5), ("Express", 25, 1, 2)), 1):
            method = data.shipping_method(n, name, price, "USD", lo, hi)
            self.shipping_methods[method["id"]] = method
        zone_id = engine_gid("ShippingZone", 1)
        self.shipping_zones = {zone_id: {"__typename": "ShippingZone", "id": zone_id, "name": "Americas", "default": False,
                                         "description": None, "countries": [], "metadata": [], "privateMetadata": [],
                                         "_methods": list(self.shipping_methods)}}
        self.variants: dict[str, dict] = {}
        for sku, product, name, price, shipping in DEFAULT_VARIANTS:
            self.add_variant(sku, price, product_name=product, name=name, shipping=shipping)
        self.users: dict[str, dict] = {}
        self.customer = self.add_customer("customer@example.com")
        self.staff_users: dict[str, dict] = {}
        self.orders: dict[str, dict] = {}
        self.gift_cards: dict[str, dict] = {}
        self.vouchers: dict[str, dict] = {}
        self.notes: dict[str, list[str]] = defaultdict(list)
        self.completed_drafts: list[str] = []
        self._order_number = 0
        self.generated: GeneratedOrders | None = None

    # --------------------------------------------------------------- lookups

    @property
    def default_channel(self) -> dict:
        return next(iter(self.channels.values()))

    def channel_by_slug(self, slug: str) -> dict:
        for ch in self.channels.values():
            if ch["slug"] == slug:
                return ch
        raise KeyError(slug)

    def variant_by_sku(self, sku: str) -> dict | None:
        return next((v for v in self.variants.values() if v["sku"] == sku), None)

    def find_fulfillment(self, fulfillment_id: str):
        """(order, fulfillment) or (None, None)."""
        for order in self.orders.values():
            for f in order["fulfillments"]:
                if f["id"] == fulfillment_id:
                    return order, f
        return None, None

    # -------------------------------------------------------------- builders

    def add_variant(self, sku: str, price=10, *, product_name=None, name="Default", shipping=True, stock=100) -> dict:
        with self._lock:
            n = len(self.variants) + 1
            prices = [
                (ch, Decimal(str(price)) * (4 if ch["currencyCode"] == "PLN" else 1)) for ch in self.channels.values()
            ]
            var = data.variant(n, sku, product_name or sku.title(), name, prices, shipping=shipping)
            var["_stock"] = stock
            self.variants[var["id"]] = var
            return var

    def add_customer(self, email: str, first="Jane", last="Doe") -> dict:
        with self._lock:
            user = data.customer(len(self.users) + 1, email, self._joined(), first, last)
            self.users[user["id"]] = user
            return user

    def _joined(self) -> dt.datetime:
        return self.clock() - dt.timedelta(days=90)

    def _staff_user(self, email: str) -> dict:
        with self._lock:
            if email not in self.staff_users:
                user = data.customer(1000 + len(self.staff_users), email, self._joined(), "Staff", "Member")
                user["isStaff"] = True
                self.staff_users[email] = user
            return self.staff_users[email]

    def _new_order(self, ch, *, status="UNFULFILLED", origin="CHECKOUT", created=None, pk=None) -> dict:
        self._order_number += 1
        order = data.base_order(pk or uuid.uuid4(), self._order_number, ch, created or self.now_iso())
        order["status"], order["origin"] = status, origin
        return order

    def _line_from_spec(self, spec: dict, ch: dict) -> dict:
        spec = dict(spec)
        currency = ch["currencyCode"]
        var = spec.pop("variant", None)
        sku = spec.pop("sku", None) or spec.pop("productSku", None) or (var or {}).get("sku")
        if var is None:
            var = self.variant_by_sku(sku) if sku else self.variant_by_sku("SKU-TSHIRT-M")
            if var is None:
                var = self.add_variant(sku, spec.get("price", 10))
        quantity = spec.pop("quantity", 1)
        fulfilled = spec.pop("quantityFulfilled", spec.pop("quantity_fulfilled", 0))
        price = spec.pop("price", None)
        if isinstance(spec.get("unitPrice"), (int, float, str, Decimal)):
            price = spec.pop("unitPrice")
        if price is None:
            price = spec.get("unitPrice", {}).get("gross", {}).get("amount") or data.variant_price(var, ch)
        # [(warehouse, quantity)]: where Saleor reserved the units; [] for stock it does not track.
        allocations = spec.pop("allocations", None)
        line = data.order_line(var, quantity, price, currency, fulfilled, **spec)
        line["_allocated"] = allocations is not None
        line["allocations"] = [data.allocation(wh, qty) for wh, qty in allocations or []]
        return line

    def add_warehouse(self, name: str, slug: str) -> dict:
        with self._lock:
            wh = data.warehouse(name, slug)
            self.warehouses[wh["id"]] = wh
            return wh

    def _allocate(self, order: dict) -> None:
        """Saleor allocates each line's units in one warehouse when the order is placed: the pickup point for
        click and collect, else the first shipping warehouse; a variant without tracked stock gets none."""
        collect = (order.get("deliveryMethod") or {}).get("__typename") == "Warehouse"
        wh = order["deliveryMethod"] if collect else next(iter(self.warehouses.values()))
        for line in order["lines"]:
            if line.pop("_allocated"):
                continue
            left = line["quantity"] - line["quantityFulfilled"]
            if left > 0 and line["variant"]["trackInventory"] and line["isShippingRequired"]:
                line["allocations"] = [data.allocation(self.warehouses[wh["id"]], left)]

    def cancel_order(self, order_id: str) -> dict:
        """orderCancel: the order is cancelled and its stock deallocated."""
        with self._lock:
            order = self.orders[order_id]
            order["status"] = "CANCELED"
            for line in order["lines"]:
                line["allocations"] = []
            order["updatedAt"] = self.now_iso()
            return order

    def add_order(self, **overrides) -> dict:
        """A realistic checkout order (paid, unfulfilled, Standard shipping 3-5 days, 2 lines).

        Shorthands: channel="channel-pln"; lines=[{"sku": ..., "quantity": 2, "price": 9.5}];
        deliveryMethod="standard"|"express"|"click_and_collect"|None|{...partial ShippingMethod};
        user=None (guest); total=/shippingPrice= numbers; metadata={"k": "v"};
        isPaid=False; fulfilled=True (one fulfilment with every line); created=datetime.
        Any other key overrides the order dict as-is."""
        with self._lock:
            ch = overrides.pop("channel", None) or self.default_channel
            if isinstance(ch, str):
                ch = self.channel_by_slug(ch)
            currency = ch["currencyCode"]
            pk = overrides.pop("id", None)
            if isinstance(pk, str) and not pk.count("-") == 4:
                pk = data.pk_of(pk)
            created = overrides.pop("created", None)
            order = self._new_order(
                ch,
                created=data.iso(created) if created else self.now_iso(dt.timedelta(minutes=-5)),
                pk=uuid.UUID(str(pk)) if pk else None,
            )
            if "number" in overrides:
                order["number"] = str(overrides.pop("number"))
            order["updatedAt"] = order["created"]
            user = overrides.pop("user", self.customer)
            order["user"] = user
            order["userEmail"] = overrides.pop("userEmail", (user or {}).get("email") or "guest@example.com")
            specs = overrides.pop("lines", None)
            if specs is None:
                specs = [{"sku": "SKU-TSHIRT-M", "quantity": 2}, {"sku": "SKU-MUG", "quantity": 1}]
            order["lines"] = [self._line_from_spec(s, ch) for s in specs]
            order["isShippingRequired"] = any(l["isShippingRequired"] for l in order["lines"])
            self._set_delivery(order, overrides.pop("deliveryMethod", "standard"), ch)
            self._allocate(order)
            code = ch["defaultCountry"]["code"]
            order["shippingAddress"] = data.address(code) if order["isShippingRequired"] else None
            order["billingAddress"] = data.address(code)
            shipping_price = overrides.pop("shippingPrice", None)
            if shipping_price is not None:
                if not isinstance(shipping_price, dict):
                    shipping_price = data.taxed(shipping_price, currency)
                order["shippingPrice"] = shipping_price
            data.recompute_totals(order)
            total = overrides.pop("total", None)
            if total is not None:
                order["total"] = total if isinstance(total, dict) else data.taxed(total, currency)
            if overrides.pop("isPaid", True):
                data.mark_paid(order)
            fulfilled = overrides.pop("fulfilled", False)
            for key in ("metadata", "privateMetadata"):
                if key in overrides:
                    overrides[key] = meta_list(overrides[key])
            order.update(overrides)
            self.orders[order["id"]] = order
            if fulfilled:
                self.add_fulfillment(order["id"])
            elif "status" not in overrides:
                data.set_fulfillment_status(order)
            return order

    def generate_orders(self, count: int, *, created: Callable[[int], dt.datetime], **overrides) -> GeneratedOrders:
        """A big shop: `count` more orders like add_order(**overrides), each made only when a query pages
        onto it (tests/saleor_stand_in/generated.py). `created(number)`: when that order was placed."""
        with self._lock:
            template = self.add_order(**overrides)
            del self.orders[template["id"]]
            self.generated = GeneratedOrders(template, self._order_number + 1, count, created)
            self._order_number += count
            return self.generated

    def _set_delivery(self, order, method, ch):
        currency = ch["currencyCode"]
        if method is None or not order["isShippingRequired"]:
            order["deliveryMethod"] = None
            order["shippingMethodName"] = None
            order["shippingPrice"] = data.taxed(0, currency)
            return
        if method in ("click_and_collect", "warehouse") or (
            isinstance(method, dict) and method.get("__typename") == "Warehouse"
        ):
            wh = next(w for w in self.warehouses.values() if w["clickAndCollectOption"] != "DISABLED")
            order["deliveryMethod"] = {**wh, **(method if isinstance(method, dict) else {})}
            order["collectionPointName"] = order["deliveryMethod"]["name"]
            order["shippingPrice"] = data.taxed(0, currency)
            return
        names = {"standard": "Standard", "express": "Express"}
        base_name = names.get(method, "Standard") if isinstance(method, str) else names["standard"]
        base = next(m for m in self.shipping_methods.values() if m["name"] == base_name)
        shipping = {**base, "price": data.money(base["price"]["amount"], currency)}
        if isinstance(method, dict):
            shipping.update(method)
        order["deliveryMethod"] = shipping
        order["shippingMethodName"] = shipping["name"]
        order["shippingPrice"] = data.taxed(shipping["price"]["amount"], currency)
        order["undiscountedShippingPrice"] = data.money(shipping["price"]["amount"], currency)

    def add_fulfillment(
        self,
        order_id: str,
        lines=None,
        *,
        tracking_number: str = "",
        status: str = "FULFILLED",
        warehouse: dict | None = None,
        created: dt.datetime | None = None,
    ) -> dict:
        """Fulfil `lines` ([(line id or sku, quantity)], default: everything left) like orderFulfill.

        `created`: when Saleor recorded the fulfilment (default: now on the stand-in's clock)."""
        with self._lock:
            order = self.orders[order_id]
            chosen = []
            if lines is None:
                chosen = [
                    (l, l["quantity"] - l["quantityFulfilled"])
                    for l in order["lines"]
                    if l["quantity"] > l["quantityFulfilled"]
                ]
            else:
                for ref, qty in lines:
                    line = next(l for l in order["lines"] if ref in (l["id"], l["productSku"]))
                    chosen.append((line, qty))
            wh = warehouse or next(iter(self.warehouses.values()))
            for line, qty in chosen:
                line["quantityFulfilled"] += qty
                _deallocate(line, qty, wh)
            f = data.fulfillment(
                order, chosen, len(order["fulfillments"]) + 1, tracking_number=tracking_number, status=status, wh=wh,
                created=created or self.clock(),
            )
            order["fulfillments"].append(f)
            order["updatedAt"] = self.now_iso()
            data.set_fulfillment_status(order)
            return f


def _deallocate(line: dict, quantity: int, wh: dict) -> None:
    """Fulfilling takes the units out of their allocations, the fulfilling warehouse's first (Saleor's
    decrease_stock); an allocation with nothing left goes."""
    for allocation in sorted(line["allocations"], key=lambda a: a["warehouse"]["id"] != wh["id"]):
        taken = min(allocation["quantity"], quantity)
        allocation["quantity"] -= taken
        quantity -= taken
    line["allocations"] = [a for a in line["allocations"] if a["quantity"] > 0]
