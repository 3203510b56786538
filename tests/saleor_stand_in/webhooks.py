"""Webhook side of the stand-in: subscription payloads rendered with graphql-core, signed delivery."""

from __future__ import annotations

import json

import requests
from graphql import execute, parse, validate
from graphql.language import FieldNode, OperationDefinitionNode
from requests.structures import CaseInsensitiveDict

from . import data
from .manifest import PERMISSIONS
from .engine import SALEOR_VERSION, SCHEMA_VERSION, Ctx, field_resolver, format_error, get_schema, type_resolver

_ORDER_FIELDS = """id number created updatedAt status origin userEmail languageCodeEnum
  channel { id slug name currencyCode defaultCountry { code } }
  user { id email firstName lastName }
  deliveryMethod { __typename ... on ShippingMethod { id name minimumDeliveryDays maximumDeliveryDays }
                   ... on Warehouse { id name } }
  lines { id productName variantName productSku quantity quantityFulfilled variant { id sku }
          unitPrice { gross { amount currency } } }
  fulfillments { id status trackingNumber created lines { id quantity orderLine { id } } }
  total { gross { amount currency } } shippingPrice { gross { amount currency } }
  isPaid chargeStatus metadata { key value } privateMetadata { key value } transactions { id }"""

_EXTRA_FIELDS = {
    "order": "order { %s }" % _ORDER_FIELDS,
    "fulfillment": "fulfillment { id status trackingNumber created lines { id quantity orderLine { id } } "
    "metadata { key value } privateMetadata { key value } }",
    "notifyCustomer": "notifyCustomer",
    "giftCard": "giftCard { id code last4CodeChars isActive currentBalance { amount currency } tags { name } }",
    "sentToEmail": "sentToEmail",
    "channel": "channel { id slug }",
    "app": "app { id identifier }",
    "voucher": "voucher { id name }",
}


def event_type_name(event: str) -> str:
    return "".join(part.capitalize() for part in event.lower().split("_"))


def default_subscription(event: str) -> str:
    """A broad `event`-rooted subscription for `event`, used when no installed webhook has one."""
    type_name = event_type_name(event)
    fields = get_schema().type_map[type_name].fields
    extra = " ".join(q for name, q in _EXTRA_FIELDS.items() if name in fields)
    return (
        "subscription { event { __typename issuedAt version "
        "issuingPrincipal { __typename ... on App { id } ... on User { id email } } recipient { id } "
        f"... on {type_name} {{ {extra} }} }} }}"
    )


class WebhookMixin:
    # ------------------------------------------------------------------ events

    def _emit(self, event: str, ctx, **objects) -> None:
        """Record an event Saleor would fire (call with the lock held)."""
        self.events.append({"event": event, "principal": ctx.principal if ctx is not None else None, **objects})

    def pending_events(self) -> list[dict]:
        with self._lock:
            return list(self.events[self._delivered_events :])

    def deliver_events(self) -> list:
        """Send every not-yet-delivered recorded event that an installed webhook subscribes to
        (Saleor's echoes of the app's own mutations: ORDER_UPDATED after orderNoteAdd, ...).
        Returns the responses."""
        with self._lock:
            pending = self.events[self._delivered_events :]
            self._delivered_events = len(self.events)
        responses = []
        for ev in pending:
            if self._webhook_for(ev["event"]) is None:
                continue
            fields = {k: v for k, v in ev.items() if k not in ("event", "principal")}
            responses.append(self.send_webhook(ev["event"], issuing_principal=ev["principal"] or None, **fields))
        return responses

    # ---------------------------------------------------------------- payloads

    def _webhook_for(self, event: str):
        event = event.upper()
        for name, wh in self.webhooks.items():
            if event in wh["events"]:
                return dict(wh, name=name)
        return None

    def _principal(self, value):
        if value is None or value is False:
            return None
        if value == "app":
            return self.app
        if value in ("staff", "user"):
            return self._staff_user("staff@example.com")
        if isinstance(value, dict) and "__typename" not in value:
            return {"__typename": "App" if "identifier" in value else "User", **value}
        return value

    def _event_object(self, event, order_id=None, fulfillment_id=None, issuing_principal=None, **fields) -> dict:
        type_name = event_type_name(event)
        if type_name not in get_schema().type_map:
            raise ValueError(f"Unknown Saleor event {event!r} (no subscription type {type_name})")
        obj = {
            "__typename": type_name,
            "issuedAt": self.now_iso(),
            "version": SALEOR_VERSION,
            "issuingPrincipal": self._principal(issuing_principal),
            "recipient": self.app,
        }
        if event.startswith("APP_"):
            obj["app"] = self.app
        if fulfillment_id:
            order, fulfillment = self.find_fulfillment(fulfillment_id)
            if fulfillment is None:
                raise KeyError(f"No fulfillment {fulfillment_id}")
            obj["fulfillment"], obj["order"] = fulfillment, order
        if order_id:
            obj["order"] = self.orders[order_id]
        obj.update(fields)
        return obj

    def render_subscription(
        self, query: str, event: str, order_id=None, fulfillment_id=None, issuing_principal=None, **fields
    ) -> dict:
        """Execute a webhook subscription document for `event` against the current state, with the
        installed app's permissions, and shape the result like Saleor's payload (the `event` object
        itself, or {"data": {...}} for a top-level field such as orderCreated; "errors" added when
        some fields failed). issuing_principal: None | "app" | "staff" | dict."""
        event = event.upper()
        schema = get_schema()
        document = parse(query)
        problems = validate(schema, document)
        if problems:
            raise ValueError("Subscription query is not valid: " + "; ".join(p.message for p in problems))
        with self._lock:
            obj = self._event_object(event, order_id, fulfillment_id, issuing_principal, **fields)
            root = {"event": obj}
            for name, field in schema.subscription_type.fields.items():
                if getattr(field.type, "name", None) == obj["__typename"]:
                    root[name] = obj
            app = self.app
            perms = [p["code"] for p in app["permissions"]] if app else PERMISSIONS  # no app: see everything
            ctx = Ctx(self, app=app, perms=perms)
            result = execute(
                schema,
                document,
                root_value=root,
                context_value=ctx,
                field_resolver=field_resolver,
                type_resolver=type_resolver,
            )
        op = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
        top = [s.name.value for s in op.selection_set.selections if isinstance(s, FieldNode)]
        result_data = result.data or {}
        payload = (result_data.get("event") or {}) if "event" in top else {"data": result_data}
        if result.errors:
            payload["errors"] = [format_error(e) for e in result.errors]
        return payload

    def webhook_payload(self, event: str, order_id=None, fulfillment_id=None, issuing_principal=None, **fields) -> dict:
        """Payload Saleor would send for `event`, from the installed webhook's own query."""
        wh = self._webhook_for(event)
        query = wh["query"] if wh else default_subscription(event.upper())
        return self.render_subscription(query, event, order_id, fulfillment_id, issuing_principal, **fields)

    # ---------------------------------------------------------------- delivery

    def send_webhook(
        self,
        event: str,
        payload=None,
        *,
        target_url=None,
        signature=None,
        headers=None,
        api_url=None,
        order_id=None,
        fulfillment_id=None,
        issuing_principal=None,
        **fields,
    ):
        """POST a webhook the way Saleor's send_webhook_using_http does; returns the response.

        payload: dict | bytes | None (None: render the installed webhook's query for `event`).
        headers: overrides; a None value removes that header."""
        event = event.upper()
        wh = self._webhook_for(event)
        url = target_url or (wh or {}).get("targetUrl")
        if not url:
            raise LookupError(f"No installed webhook subscribes to {event}; pass target_url=")
        if payload is None:
            payload = self.webhook_payload(event, order_id, fulfillment_id, issuing_principal, **fields)
        body = payload if isinstance(payload, (bytes, bytearray)) else json.dumps(payload).encode()
        signature = self.sign(bytes(body)) if signature is None else signature
        hdrs = CaseInsensitiveDict(
            {
                "Content-Type": "application/json",
                "Saleor-Event": event.lower(),
                "Saleor-Domain": self.domain,
                "Saleor-Signature": signature,
                "Saleor-Api-Url": api_url or self.api_url,
                "X-Saleor-Event": event.lower(),
                "X-Saleor-Domain": self.domain,
                "X-Saleor-Signature": signature,
                "User-Agent": f"Saleor/{SCHEMA_VERSION}",
            }
        )
        hdrs.update((wh or {}).get("customHeaders") or {})
        for key, value in (headers or {}).items():
            if value is None:
                hdrs.pop(key, None)
            else:
                hdrs[key] = value
        send_headers = dict(hdrs)
        if "User-Agent" not in hdrs:
            send_headers["User-Agent"] = None  # removed by the caller: keep requests' default out too
        with requests.Session() as session:
            response = session.post(url, data=bytes(body), headers=send_headers, timeout=(2, 18), allow_redirects=False)
        with self._lock:
            self.deliveries.append(
                {"event": event, "url": url, "headers": dict(hdrs), "body": bytes(body), "status": response.status_code}
            )
        return response
