"""App-manifest validation as Saleor 3.23 does it (manifest_schema.py + manifest_validations.py)."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from graphql import GraphQLSyntaxError, parse, validate
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
)

from .engine import SALEOR_VERSION, get_schema

PERMISSIONS = (
    "MANAGE_USERS MANAGE_STAFF IMPERSONATE_USER MANAGE_APPS MANAGE_OBSERVABILITY MANAGE_CHECKOUTS "
    "HANDLE_CHECKOUTS HANDLE_TAXES MANAGE_TAXES MANAGE_CHANNELS MANAGE_CUSTOMER_TYPES_AND_ATTRIBUTES "
    "MANAGE_DISCOUNTS MANAGE_GIFT_CARD MANAGE_MENUS MANAGE_ORDERS MANAGE_ORDERS_IMPORT MANAGE_PAGES "
    "MANAGE_PAGE_TYPES_AND_ATTRIBUTES HANDLE_PAYMENTS MANAGE_PLUGINS MANAGE_PRODUCTS "
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES MANAGE_SHIPPING MANAGE_SETTINGS MANAGE_TRANSLATIONS"
).split()
GIFT_CARD_PAYMENT_GATEWAY_ID = "saleor.io.gift-card-payment-gateway"


class ManifestInvalid(Exception):
    """Raised by SaleorStandIn.install when Saleor would reject the manifest.

    `.errors` is a list of (field, message, code) like Saleor's AppError list."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("; ".join(f"{f}: {m} ({c})" for f, m, c in self.errors))


def _event_enum(name: str) -> set[str]:
    return set(get_schema().type_map[name].values)


def _url_ok(url, schemes=("http", "https")) -> bool:
    if not isinstance(url, str):
        return False
    parsed = urlparse(url)
    return parsed.scheme in schemes and bool(parsed.netloc)


def subscription_events(query: str) -> tuple[list[str], str | None]:
    """Saleor's SubscriptionQuery: (events in UPPER_CASE, error message or None)."""
    schema = get_schema()
    try:
        document = parse(query)
    except GraphQLSyntaxError as exc:
        return [], exc.message
    errors = validate(schema, document)
    if errors:
        return [], ";".join(sorted({e.message for e in errors}))
    subscription = next(
        (
            d
            for d in document.definitions
            if isinstance(d, OperationDefinitionNode) and d.operation.value == "subscription"
        ),
        None,
    )
    if subscription is None:
        return [], "Subscription operation can't be found."
    names = [s.name.value for s in subscription.selection_set.selections if isinstance(s, FieldNode)]
    if len(names) > 1 and set(names) != {"event"}:
        return [], "Subscription must select only one top field."
    if names[0] != "event":
        return [re.sub(r"(?<!^)(?=[A-Z])", "_", n).upper() for n in names], None
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    found: list[str] = []

    def walk(selection_set):
        for sel in selection_set.selections:
            if isinstance(sel, InlineFragmentNode) and sel.type_condition:
                found.append(sel.type_condition.name.value)
            elif isinstance(sel, FragmentSpreadNode):
                frag = fragments[sel.name.value]
                if frag.type_condition.name.value != "Event":
                    found.append(frag.type_condition.name.value)
                else:
                    walk(frag.selection_set)

    for sel in subscription.selection_set.selections:
        if sel.selection_set:
            walk(sel.selection_set)
    events = sorted({re.sub(r"(?<!^)(?=[A-Z])", "_", t).upper() for t in found})
    if not events:
        return [], "Can't find a single event."
    return events, None


def _version_tuple(text: str):
    parts = [p for p in text.lstrip("v=").split("-")[0].split(".")]
    return [int(p) if p.isdigit() else None for p in parts]


def _cmp(op: str, want: str, have: tuple) -> bool:
    parts = _version_tuple(want)
    known = [p for p in parts if p is not None]
    n = len(known)
    lo = tuple(known + [0] * (3 - n))
    if op in ("", "="):
        return have[:n] == tuple(known)
    if op == "^":
        first = next((i for i, p in enumerate(lo) if p), 2)
        hi = list(lo[: first + 1])
        hi[-1] += 1
        return lo <= have and have[: first + 1] < tuple(hi)
    if op == "~":
        keep = max(1, min(n, 2))
        hi = list(lo[:keep])
        hi[-1] += 1
        return lo <= have and have[:keep] < tuple(hi)
    if op == ">=":
        return have >= lo
    if op == ">":
        return have[:n] > tuple(known)
    if op == "<":
        return have < lo
    if op == "<=":
        return have[:n] <= tuple(known)
    raise ValueError(op)


def saleor_version_satisfies(spec: str, version: str = SALEOR_VERSION) -> bool:
    """Small npm-range matcher (||, spaces, hyphen ranges, ^ ~ >= > < <= =, x wildcards)."""
    have = tuple(int(p) for p in version.split("-")[0].split("."))
    for alternative in spec.split("||"):
        alternative = re.sub(r"(>=|<=|>|<|=|\^|~)\s+", r"\1", alternative.strip())
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", alternative)
        if hyphen:
            comparators = [(">=", hyphen.group(1)), ("<=", hyphen.group(2))]
        else:
            comparators = []
            for token in alternative.split():
                match = re.fullmatch(r"(>=|<=|>|<|=|\^|~)?v?([0-9xX*]+(?:\.[0-9xX*]+){0,2}(?:-[0-9A-Za-z.]+)?)", token)
                if not match:
                    raise ValueError(token)
                version_text = re.sub(r"\.?[xX*].*$", "", match.group(2))
                if version_text:
                    comparators.append((match.group(1) or "", version_text))
        if all(_cmp(op, v, have) for op, v in comparators):
            return True
    return False


def clean_manifest(manifest, installed_identifiers=()) -> dict:
    """Validate like Saleor 3.23's clean_manifest_data(raise_for_saleor_version=True).

    Returns a cleaned copy: webhooks gain "events" (UPPER_CASE enum names)."""
    errors: list[tuple[str, str, str]] = []
    if not isinstance(manifest, dict):
        raise ManifestInvalid([("manifest", "Manifest must be a JSON object.", "INVALID")])
    for key in ("id", "name", "version"):
        if not isinstance(manifest.get(key), str):
            errors.append(
                (
                    key,
                    "Field required" if key not in manifest else "Input should be a valid string",
                    "REQUIRED" if key not in manifest else "INVALID",
                )
            )
    token_url = manifest.get("tokenTargetUrl")
    if token_url is not None and not _url_ok(token_url):
        errors.append(("tokenTargetUrl", "Invalid target url.", "INVALID_URL_FORMAT"))
    if "author" in manifest and manifest["author"] is not None and not str(manifest["author"]).strip():
        errors.append(("author", "Incorrect value for field: author", "INVALID"))
    for wh in manifest.get("webhooks") or []:
        for key in ("name", "targetUrl", "query"):
            if not isinstance(wh.get(key), str):
                errors.append((f"webhooks.{key}", "Field required", "REQUIRED"))
        if isinstance(wh.get("targetUrl"), str) and not _url_ok(
            wh["targetUrl"], ("http", "https", "awssqs", "gcpubsub")
        ):
            errors.append(("webhooks.targetUrl", "Invalid target url.", "INVALID_URL_FORMAT"))
    for ext in manifest.get("extensions") or []:
        for key in ("label", "url", "mount"):
            if not isinstance(ext.get(key), str):
                errors.append((f"extensions.{key}", "Field required", "REQUIRED"))
    if errors:
        raise ManifestInvalid(errors)

    cleaned = dict(manifest)
    required = manifest.get("requiredSaleorVersion")
    if required:
        try:
            ok = saleor_version_satisfies(required)
        except Exception:
            errors.append(("requiredSaleorVersion", "Incorrect value for required Saleor version.", "INVALID"))
        else:
            if not ok:
                errors.append(
                    (
                        "requiredSaleorVersion",
                        f"Saleor version {SALEOR_VERSION} is not supported by the app.",
                        "UNSUPPORTED_SALEOR_VERSION",
                    )
                )
    permissions = manifest.get("permissions") or []
    unknown = [p for p in permissions if p not in PERMISSIONS]
    if unknown:
        errors.append(("permissions", "Given permissions don't exist.", "INVALID_PERMISSION"))
        permissions = []
    if manifest["id"] in installed_identifiers:
        errors.append(
            ("identifier", "App with the same identifier is already installed: " + manifest["name"], "UNIQUE")
        )
    if manifest["id"] == GIFT_CARD_PAYMENT_GATEWAY_ID:
        errors.append(("identifier", "App with this identifier cannot be installed", "UNIQUE"))
    if errors:
        raise ManifestInvalid(errors)

    for ext in manifest.get("extensions") or []:
        if ext["url"].startswith("/"):
            if not manifest.get("appUrl"):
                errors.append(("extensions", "Incorrect value for field: url.", "INVALID_URL_FORMAT"))
        elif not _url_ok(ext["url"]):
            errors.append(("extensions", "Incorrect value for field: url.", "INVALID_URL_FORMAT"))
        ext_perms = ext.get("permissions") or []
        if any(p not in PERMISSIONS for p in ext_perms):
            errors.append(("extensions", "Given permissions don't exist.", "INVALID_PERMISSION"))
        elif any(p not in permissions for p in ext_perms):
            errors.append(
                ("extensions", "Extension permission must be listed in App's permissions.", "OUT_OF_SCOPE_PERMISSION")
            )
    async_enum, sync_enum = _event_enum("WebhookEventTypeAsyncEnum"), _event_enum("WebhookEventTypeSyncEnum")
    webhooks = []
    for wh in manifest.get("webhooks") or []:
        wh = dict(wh)
        events = []
        for name in wh.get("asyncEvents") or []:
            if name in async_enum:
                events.append(name)
            else:
                errors.append(("webhooks", "Invalid asynchronous event.", "INVALID"))
        for name in wh.get("syncEvents") or []:
            if name in sync_enum:
                events.append(name)
            else:
                errors.append(("webhooks", "Invalid synchronous event.", "INVALID"))
        query_events, problem = subscription_events(wh["query"])
        if problem:
            errors.append(("webhooks", "Subscription query is not valid: " + problem, "INVALID"))
        headers = wh.get("customHeaders") or {}
        if len(headers) > 5 or any(not re.match(r"^(X-|Authorization|BrokerProperties)", k, re.I) for k in headers):
            errors.append(("webhooks", "Invalid custom headers.", "INVALID_CUSTOM_HEADERS"))
        wh["customHeaders"] = {k.lower(): v for k, v in headers.items()}
        wh["events"] = events or query_events
        wh["isActive"] = wh.get("isActive", True)
        webhooks.append(wh)
    if errors:
        raise ManifestInvalid(errors)
    cleaned["permissions"] = list(permissions)
    cleaned["webhooks"] = webhooks
    return cleaned
