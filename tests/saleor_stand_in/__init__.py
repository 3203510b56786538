"""A fake Saleor 3.23.28 for the app's tests: behaves like Saleor at the HTTP boundary.

    from tests.saleor_stand_in import SaleorStandIn
    with SaleorStandIn() as saleor:                  # real HTTP server on 127.0.0.1:<random>
        saleor.install(app_url + "/api/manifest")    # manifest GET, validation, token POST
        order = saleor.add_order()                   # realistic paid order, 2 lines, 3-5 day shipping
        saleor.send_webhook("ORDER_CREATED", order_id=order["id"])   # renders the app's own query

Server: start/stop/context manager, api_url, domain, requests (log), jwks, jwks_requests.
Keys: kid, private_key, rotate_key(keep_old), sign(body), dashboard_token(...).
App: install(url, activate, permissions, app_name), create_app(manifest) (no HTTP), app, app_id,
  app_token, manifest, webhooks, uninstall(), deactivate(), activate().
GraphQL: POST /graphql/ validated against tests/saleor_schema.graphql and executed by graphql-core
  on in-memory state; permissions come from the schema's own "Requires one of the following
  permissions" notes; unknown mutations answer an explicit "stand-in does not implement" error.
State: orders, gift_cards, vouchers, channels, variants, shipping_methods, warehouses, users,
  notes, mutations (MutationCall: field, variables, .args), events (what Saleor would fire),
  deliveries, completed_drafts; add_order(**), add_fulfillment(), add_variant(), add_customer().
Big shop: generate_orders(count, created=...) — orders made one at a time as `orders` pages onto them.
Failures: fail_next(field, times, status), fail_after_next(field, times, status); "jwks" = JWKS.
Webhooks: render_subscription(query, event, ...), webhook_payload(event, ...), send_webhook(...),
  deliver_events() (sends the recorded echoes the installed webhooks subscribe to).

See tests/test_saleor_stand_in.py for examples.
"""

from __future__ import annotations

import base64
import copy
import datetime
import hashlib
import json
import secrets
import string
import threading
from collections.abc import Callable

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from werkzeug.serving import WSGIRequestHandler, make_server

from . import app_webhooks, catalog, data, order_mutations, problems, queries, shipping  # noqa: F401  (registers resolvers)
from .engine import SALEOR_VERSION, SCHEMA_VERSION, gid, get_schema
from .manifest import ManifestInvalid, clean_manifest
from .mutations import MutationCall
from .state import StateMixin
from .wsgi import GraphQLApp

__all__ = ["SaleorStandIn", "ManifestInvalid", "MutationCall", "SALEOR_VERSION", "SCHEMA_VERSION"]

USER_AGENT = f"Saleor/{SCHEMA_VERSION}"
TIMEOUT = (2, 18)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class _SigningKey:
    def __init__(self):
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        # RFC 7638 thumbprint, as Saleor's JWTManager.get_key_id
        canonical = json.dumps({"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}, separators=(",", ":"), sort_keys=True)
        self.kid = _b64url(hashlib.sha256(canonical.encode()).digest())
        jwk.update({"use": "sig", "kid": self.kid, "alg": "RS256"})
        self.jwk = jwk


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


class SaleorStandIn(StateMixin):
    def __init__(self, clock: Callable[[], datetime.datetime] | None = None):
        """`clock`: Saleor's "now" (the test clock), for every timestamp it issues and checks."""
        get_schema()  # built once per process
        self.clock = clock or (lambda: datetime.datetime.now(datetime.timezone.utc))
        self._lock = threading.RLock()
        self._server = None
        self._thread = None
        self._port: int | None = None
        self._keys = [_SigningKey()]
        self.jwks_requests = 0
        self.requests: list[dict] = []
        self.deliveries: list[dict] = []
        self.mutations: list[MutationCall] = []
        self.events: list[dict] = []
        self._delivered_events = 0
        self._failures: list[list] = []  # [field, remaining, status, before]
        self._apps: dict[str, dict] = {}
        self._removed_apps: set[str] = set()
        self._tokens: dict[str, str] = {}
        self.app_id: str | None = None
        self.app_token: str | None = None
        self.manifest: dict | None = None
        self.webhooks: dict[str, dict] = {}
        self.latency = 0.0  # seconds each GraphQL call takes before Saleor starts on it
        self._init_state()

    # ------------------------------------------------------------------ server

    def start(self) -> "SaleorStandIn":
        if self._server is None:
            self._server = make_server("127.0.0.1", 0, GraphQLApp(self), threaded=True, request_handler=_QuietHandler)
            self._server.block_on_close = False
            self._port = self._server.server_port
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, name="saleor-stand-in", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def domain(self) -> str:
        if self._port is None:
            raise RuntimeError("SaleorStandIn was never started")
        return f"127.0.0.1:{self._port}"  # still answers after stop(), for assertions

    @property
    def api_url(self) -> str:
        return f"http://{self.domain}/graphql/"

    # -------------------------------------------------------------------- keys

    @property
    def jwks(self) -> dict:
        with self._lock:
            return {"keys": [copy.deepcopy(k.jwk) for k in self._keys]}

    @property
    def kid(self) -> str:
        return self._keys[0].kid

    @property
    def private_key(self):
        return self._keys[0].private

    def rotate_key(self, keep_old: bool = False) -> str:
        """New signing key; JWKS serves it (and the old ones too if keep_old). Returns the new kid."""
        key = _SigningKey()
        with self._lock:
            self._keys = [key] + (self._keys if keep_old else [])
        return key.kid

    def sign(self, body: bytes) -> str:
        """Detached JWS over the raw body, exactly as Saleor's JWTManager.jws_encode."""
        key = self._keys[0]
        return jwt.api_jws.encode(
            body, key.private, algorithm="RS256", headers={"kid": key.kid, "crit": ["b64"]}, is_payload_detached=True
        )

    def _decode_jwt(self, token: str) -> dict:
        kid = jwt.get_unverified_header(token).get("kid")
        key = next((k for k in self._keys if k.kid == kid), self._keys[0])
        # PyJWT checks expiry on the wall clock; Saleor's "now" here is the stand-in's clock.
        options = {"verify_aud": False, "verify_exp": False, "verify_iat": False, "verify_nbf": False}
        claims = jwt.decode(token, key.private.public_key(), algorithms=["RS256"], options=options)
        now = self.clock().timestamp()
        if "exp" in claims and int(claims["exp"]) <= now:
            raise jwt.ExpiredSignatureError("Signature has expired")
        if int(claims.get("iat", 0)) > now:
            raise jwt.ImmatureSignatureError("The token is not yet valid (iat)")
        if claims.get("type") not in ("access", "thirdparty"):
            raise jwt.InvalidTokenError("Invalid token. Create new one by using tokenCreate mutation.")
        return claims

    def dashboard_token(
        self,
        *,
        user_permissions=("MANAGE_ORDERS",),
        expires_in=300,
        app_id=None,
        email="staff@example.com",
        key=None,
        extra_claims=None,
    ) -> str:
        """A JWT like Saleor's create_access_token_for_app (what the Dashboard hands the iframe).

        `key`: sign with this private key instead (forgery tests); the kid header stays Saleor's."""
        now = int(self.clock().timestamp())
        app_id = app_id or self.app_id
        with self._lock:
            app = self._apps.get(app_id) or {}
        app_perms = {p["code"] for p in app.get("permissions", [])}
        claims = {
            "iat": now,
            "owner": "saleor",
            "iss": self.api_url,
            "exp": now + expires_in,
            "token": _b64url(hashlib.sha256(email.encode()).digest())[:12],
            "email": email,
            "type": "thirdparty",
            "user_id": self._staff_user(email)["id"],
            "is_staff": True,
            "app": app_id,
            "permissions": sorted(app_perms & set(user_permissions)),
            "user_permissions": list(user_permissions),
        }
        if (self.manifest or {}).get("audience"):
            claims["aud"] = self.manifest["audience"]
        claims.update(extra_claims or {})
        return jwt.encode(claims, key or self.private_key, algorithm="RS256", headers={"kid": self.kid})

    # ---------------------------------------------------------------- failures

    def fail_next(self, field_name: str, times: int = 1, status: int = 500) -> None:
        """The next `times` requests touching root field `field_name` get HTTP `status`, unexecuted.
        field_name "jwks" targets GET /.well-known/jwks.json."""
        with self._lock:
            self._failures.append([field_name, times, status, True])

    def fail_after_next(self, field_name: str, times: int = 1, status: int = 502) -> None:
        """Execute the next `times` operations touching `field_name`, then answer HTTP `status`."""
        with self._lock:
            self._failures.append([field_name, times, status, False])

    def _take_failure(self, field_name: str, before: bool):
        for failure in self._failures:
            if failure[0] == field_name and failure[3] == before and failure[1] > 0:
                failure[1] -= 1
                return failure[2]
        return None

    # ------------------------------------------------------------------ install

    def _app_for_token(self, token):
        app_id = self._tokens.get(token)
        app = self._apps.get(app_id)
        if app is None or app_id in self._removed_apps or not app["isActive"]:
            return None
        return app

    def install(self, manifest_url: str, *, activate: bool = True, permissions=None, app_name=None):
        """What Saleor's install_app does: fetch + validate the manifest, create the app and its
        webhooks, POST the token to tokenTargetUrl. Returns that POST's response (None when the
        manifest has no tokenTargetUrl). A non-2xx answer deletes the app, as Saleor does."""
        try:
            response = requests.get(
                manifest_url,
                headers={"Saleor-Schema-Version": SCHEMA_VERSION, "User-Agent": USER_AGENT},
                timeout=TIMEOUT,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            raise ManifestInvalid(
                [("manifestUrl", f"Can't connect to the manifest URL: {exc}", "MANIFEST_URL_CANT_CONNECT")]
            )
        if not 200 <= response.status_code < 300:
            raise ManifestInvalid(
                [("manifestUrl", f"Manifest URL answered HTTP {response.status_code}", "MANIFEST_URL_CANT_CONNECT")]
            )
        try:
            manifest = response.json()
        except ValueError:
            raise ManifestInvalid([("manifestUrl", "Incorrect structure of manifest.", "INVALID_MANIFEST_FORMAT")])
        token = self.create_app(
            manifest, activate=activate, permissions=permissions, app_name=app_name, manifest_url=manifest_url
        )
        app = self.app
        if not manifest.get("tokenTargetUrl"):
            with self._lock:
                self._emit("APP_INSTALLED", None, app=app)
            return None
        body = json.dumps({"auth_token": token}).encode()
        headers = {
            "Content-Type": "application/json",
            "Saleor-Domain": self.domain,
            "X-Saleor-Domain": self.domain,
            "Saleor-Api-Url": self.api_url,
            "Saleor-Schema-Version": SCHEMA_VERSION,
            "User-Agent": USER_AGENT,
        }
        try:
            response = requests.post(
                manifest["tokenTargetUrl"], data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
            )
        except requests.RequestException:
            self._delete_app(app["id"])
            raise
        if not 200 <= response.status_code < 300:
            self._delete_app(app["id"])
        else:
            with self._lock:
                self._emit("APP_INSTALLED", None, app=app)
        return response

    def create_app(
        self, manifest: dict | None = None, *, activate: bool = True, permissions=None, app_name=None, manifest_url=None
    ) -> str:
        """Validate `manifest` and create the app + webhooks without any HTTP (no token POST).
        Default manifest: an app holding MANAGE_ORDERS, MANAGE_GIFT_CARD, MANAGE_DISCOUNTS.
        Returns the app token (also in .app_token); .app_id is set."""
        manifest = manifest or {
            "id": "saleor.stand-in.app",
            "name": "Stand-in app",
            "version": "1.0.0",
            "permissions": ["MANAGE_ORDERS", "MANAGE_GIFT_CARD", "MANAGE_DISCOUNTS"],
        }
        with self._lock:
            taken = {a["identifier"] for a in self._apps.values() if a["id"] not in self._removed_apps}
            cleaned = clean_manifest(manifest, taken)
            granted = list(permissions) if permissions is not None else cleaned["permissions"]
            n = len(self._apps) + 1
            app = {
                "__typename": "App",
                "id": gid("App", n),
                "identifier": manifest["id"],
                "name": app_name or manifest["name"],
                "version": manifest["version"],
                "isActive": activate,
                "type": "THIRDPARTY",
                "created": self.now_iso(),
                "aboutApp": manifest.get("about"),
                "appUrl": manifest.get("appUrl"),
                "manifestUrl": manifest_url,
                "homepageUrl": manifest.get("homepageUrl"),
                "supportUrl": manifest.get("supportUrl"),
                "author": manifest.get("author"),
                "permissions": [
                    {"__typename": "Permission", "code": p, "name": p.replace("_", " ").capitalize()} for p in granted
                ],
                "webhooks": [],
                "extensions": [],
                "metadata": [],
                "privateMetadata": [],
                "brand": None,
                "tokens": [],
            }
            token = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(30))
            self._apps[app["id"]] = app
            self._tokens[token] = app["id"]
            self.app_id, self.app_token, self.manifest = app["id"], token, manifest
            self.webhooks = {
                wh["name"]: {
                    "id": gid("Webhook", n),
                    "targetUrl": wh["targetUrl"],
                    "events": wh["events"],
                    "query": wh["query"],
                    "isActive": wh["isActive"],
                    "customHeaders": wh["customHeaders"],
                }
                for n, wh in enumerate(cleaned["webhooks"], start=1)
            }
        return token

    def _delete_app(self, app_id):
        with self._lock:
            self._removed_apps.add(app_id)
            self._apps[app_id]["isActive"] = False

    @property
    def app(self) -> dict | None:
        return self._apps.get(self.app_id)

    def uninstall(self) -> None:
        """appDelete: soft-delete the app; its token stops authenticating (answers become anonymous)."""
        if self.app_id:
            self._delete_app(self.app_id)
            with self._lock:
                self._emit("APP_DELETED", None, app=self._apps[self.app_id])

    def deactivate(self) -> None:
        """appDeactivate: token stops authenticating until activate()."""
        with self._lock:
            self.app["isActive"] = False

    def activate(self) -> None:
        with self._lock:
            self.app["isActive"] = True
