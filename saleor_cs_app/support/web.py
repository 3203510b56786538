"""What every support page shares: the verified link, the page language, the CSRF cookie, the headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from babel import Locale
from flask import Response, make_response, render_template, request

from saleor_cs_app.http.runtime import current_runtime
from saleor_cs_app.links import LinkExpired, LinkInvalid, OrderLink, verify_token
from saleor_cs_app.notify import page_words
from saleor_cs_app.settings import DEFAULT_MAIL_FROM
from saleor_cs_app.store import brands, orders, owed_remedies, policies
from saleor_cs_app.store.models import Tenant
from saleor_cs_app.support import csrf, formats, order_view
from saleor_cs_app.support.i18n import Translator, page_language
from saleor_cs_app.support.lookup import form_scope, shop_key
from saleor_cs_app.support.photo_store import FilesystemPhotoStore
from saleor_cs_app.watch.opening import rules_for

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class PageRefused(Exception):
    """Shown as the friendly error page; nothing was changed."""

    def __init__(self, status: int, message_key: str, *, tenant_id: int | None = None, language: str = "en"):
        super().__init__(message_key)
        self.status, self.message_key, self.tenant_id, self.language = status, message_key, tenant_id, language


@dataclass
class OrderPage:
    token: str
    link: OrderLink
    shop_name: str
    view: order_view.OrderView
    t: Translator
    allowed_fixes: tuple[str, ...]
    locale: Locale
    brand: brands.Brand

    def money(self, value) -> str:
        return formats.money(value, self.view.currency, self.locale)

    def day(self, iso: str) -> str:
        """An ISO date, or the day of a timestamp where the shop is (as the scans' times are), as the
        customer's locale writes it."""
        if len(iso) > 10:
            iso = datetime.fromisoformat(iso).astimezone(ZoneInfo(self.view.time_zone)).date().isoformat()
        return formats.day(iso, self.locale)

    def big_day(self, iso: str) -> str:
        return formats.big_day(iso, self.locale)

    def moment(self, at) -> str:
        """A carrier scan's time, in the shop's time zone (the app does not know the customer's)."""
        return formats.moment(at, ZoneInfo(self.view.time_zone), self.locale)

    @property
    def zone_name(self) -> str:
        return formats.zone_name(ZoneInfo(self.view.time_zone), self.locale)

    def percent(self, value) -> str:
        return formats.percent(value, self.locale)

    @property
    def media_origins(self) -> tuple[str, ...]:
        """Where the items' pictures come from (Saleor's media): the only others the page may load from."""
        import re
        from urllib.parse import urlsplit

        urls = [urlsplit(line.thumbnail) for line in self.view.lines if line.thumbnail]
        # Only a plain host[:port] goes into the header: nothing Saleor returns can add a directive to it.
        return tuple(sorted({f"{u.scheme}://{u.netloc}" for u in urls if re.fullmatch(r"[A-Za-z0-9.-]+(:\d+)?", u.netloc)}))


def active_api_url(tenant_id: int) -> str | None:
    with current_runtime().db.read() as session:
        tenant = session.get(Tenant, tenant_id)
        return tenant.saleor_api_url if tenant is not None and tenant.is_active else None


def order_page(token: str) -> OrderPage:
    runtime = current_runtime()
    now = runtime.clock()
    try:
        link = verify_token(runtime.settings.secret_key, token, active_api_url, now)
    except LinkExpired as exc:
        raise PageRefused(410, "link_expired", tenant_id=exc.tenant_id, language=browser_language()) from None
    except LinkInvalid:
        raise PageRefused(404, "link_invalid", language=browser_language()) from None
    with runtime.db.read() as session:
        tracked = orders.find(session, link.tenant_id, link.order_id)
        if tracked is None:
            raise PageRefused(404, "order_gone", language=browser_language())
        policy = policies.load(session, link.tenant_id)
        facts = tracked.facts or {}
        language = page_language(facts.get("language_code"), facts.get("channel_country"))
        chosen = Translator(request.args.get("lang") or language).language
        page_url = f"{runtime.settings.app_url}/support/o/{token}"

        answered = owed_remedies.for_order(session, link.tenant_id, link.order_id)

        def words_of(incident, *, reported: bool, **still_true):
            # Answered: the goods owed for a lost or returned parcel, or the wrong item, reported on the page.
            return page_words.incident_words(
                incident, tracked, policy, runtime.settings, chosen, page_url, now,
                choice_made=incident.id in answered or reported, **still_true,
            )  # fmt: skip

        view = order_view.load(session, tracked, rules_for(policy, tracked), words_of, now)
        brand = brands.brand(session, link.tenant_id, shop_name(policy, runtime.settings))
    return OrderPage(
        token=token,
        link=link,
        shop_name=brand.name,
        view=view,
        t=Translator(chosen),
        allowed_fixes=policy.support.fixes,
        locale=formats.page_locale(chosen, facts.get("language_code"), facts.get("channel_country")),
        brand=brand,
    )


def shop_name(policy, settings) -> str:
    """The page's name for the shop when the brand has none (neither the merchant's nor Saleor's shop name,
    read at install): the sender's name; never the unset MAIL_FROM's English placeholder ("" then)."""
    if policy.sender is not None:
        return policy.sender.name
    if settings.mail_from == DEFAULT_MAIL_FROM:
        return ""
    name, address = parseaddr(settings.mail_from)
    return name or address


def browser_language() -> str:
    from saleor_cs_app.support.i18n import LANGUAGES

    return request.accept_languages.best_match(LANGUAGES) or "en"


def content_security_policy(image_origins=()) -> str:
    """The page's CSP; `image_origins`: Saleor's media hosts of the items' pictures, the only others allowed."""
    if not image_origins:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:", "img-src 'self' data: " + " ".join(image_origins))


def render(template: str, status: int = 200, **values) -> Response:
    """The page with its CSRF cookie (set when new) and headers that keep it private and framed by no one."""
    runtime = current_runtime()
    cookie, is_new = csrf.cookie_value(request)
    scope = values.get("csrf_scope", "")
    values["csrf_token"] = csrf.form_token(runtime.settings.secret_key, cookie, scope)
    response = make_response(render_template(template, **values), status)
    if is_new:
        csrf.set_cookie(response, cookie, secure=request.is_secure)
    page = values.get("page")
    response.headers["Content-Security-Policy"] = content_security_policy(getattr(page, "media_origins", ()))
    response.headers["Referrer-Policy"] = "no-referrer"  # the link is the customer's key: never leak it
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def refused_page(exc: PageRefused) -> Response:
    runtime = current_runtime()
    find_url, scope = None, ""
    if exc.tenant_id is not None:
        api_url = active_api_url(exc.tenant_id)
        if api_url:
            key = shop_key(runtime.settings.secret_key, exc.tenant_id, api_url)
            # The look-up form right below the words that send the customer to it, posting to the find page.
            find_url, scope = f"/support/find/{key}", form_scope(key)
    return render(
        "support/error.html",
        exc.status,
        t=Translator(exc.language),
        message_key=exc.message_key,
        find_url=find_url,
        csrf_scope=scope,
    )


def form_expired(page: OrderPage) -> Response:
    """A button on the order page (an offer's answer, a parcel's choice) sent with an old token: the page itself
    is one click away, its buttons fresh. No link is broken and nothing is left to fill in: the answer wasn't saved."""
    return render(
        "support/error.html", 400, t=page.t, heading_key="answer_expired_heading", message_key="answer_expired",
        back_url=f"/support/o/{page.token}",
    )  # fmt: skip


def check_csrf(scope: str) -> bool:
    return csrf.valid(current_runtime().settings.secret_key, request, scope)


def photo_store() -> FilesystemPhotoStore:
    return FilesystemPhotoStore(current_runtime().settings.photo_dir)


def client_ip() -> str:
    # Behind a proxy, the operator sets up ProxyFix so remote_addr is the client's.
    return request.remote_addr or "unknown"
