"""The shop's brand for the customer's page and e-mails: name, logo, accent colour, support contacts.

The name defaults to Saleor's shop name (read when the settings open, kept for the page). The logo is
checked and re-encoded like the customers' photos (support/photos.py); the accent colour must reach WCAG AA
contrast with white (care/brand.py), else it is refused with the reason.
"""

from __future__ import annotations

import base64
import binascii

import strawberry

from saleor_cs_app.care import brand as brand_rules
from saleor_cs_app.links import brand_asset_url
from saleor_cs_app.store import brands
from saleor_cs_app.support import photos
from saleor_cs_app.ui import shop_sample

MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_SIDE = 400


@strawberry.type
class BrandSettings:
    name: str | None = strawberry.field(description="The merchant's own; null: Saleor's shop name.")
    saleor_name: str | None = strawberry.field(description="Saleor's shop name, the default.")
    accent: str | None
    logo_url: str | None
    email: str | None
    phone: str | None
    url: str | None


@strawberry.type
class BrandError:
    field: str = strawberry.field(description="name | accent | email | phone | url | logo")
    message: str


@strawberry.type
class UpdateBrandResult:
    ok: bool
    errors: list[BrandError]
    brand: BrandSettings


def brand_settings(info: strawberry.Info) -> BrandSettings:
    runtime, caller = info.context.runtime, info.context.caller
    shop_sample.shop_of(runtime, caller.tenant_id)  # keeps Saleor's shop name as the default
    with runtime.db.read() as session:
        return _settings(runtime, caller.tenant_id, brands.find(session, caller.tenant_id))


def update_brand(
    info: strawberry.Info,
    name: str | None = None,
    accent: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    url: str | None = None,
) -> UpdateBrandResult:
    """Empty or null fields go back to the default (Saleor's name, the app's blue, no contact)."""
    runtime, caller = info.context.runtime, info.context.caller
    name, accent, email, phone, url = (_clean(v) for v in (name, accent, email, phone, url))
    errors = []
    if name and len(name) > brand_rules.MAX_NAME:
        errors.append(BrandError(field="name", message=f"Up to {brand_rules.MAX_NAME} characters."))
    if accent and (refusal := brand_rules.accent_refusal(accent)):
        errors.append(BrandError(field="accent", message=refusal))
    contacts = brand_rules.Contacts(email=email, phone=phone, url=url)
    errors += [BrandError(field=f, message=m) for f, m in brand_rules.contact_refusals(contacts).items()]
    if errors:
        return UpdateBrandResult(ok=False, errors=errors, brand=brand_settings(info))
    with runtime.db.transaction() as session:
        row = brands.for_update(session, caller.tenant_id, runtime.clock())
        row.name, row.accent = name, brand_rules.normal_hex(accent) if accent else None
        row.contacts = {k: v for k, v in (("email", email), ("phone", phone), ("url", url)) if v}
        brands.changed(row, runtime.clock())
        settings = _settings(runtime, caller.tenant_id, row)
    return UpdateBrandResult(ok=True, errors=[], brand=settings)


def set_brand_logo(info: strawberry.Info, image_base64: str | None = None) -> UpdateBrandResult:
    """A PNG, JPEG, WebP or HEIC image as base64 (at most 2 MB), re-encoded at 400 px; null removes the logo."""
    runtime, caller = info.context.runtime, info.context.caller
    cleaned = None
    if image_base64:
        try:
            data = base64.b64decode(image_base64[: (MAX_LOGO_BYTES * 4 // 3) + 8], validate=True)
        except (binascii.Error, ValueError):
            return _refused(info, "The logo did not arrive whole; choose the file again.")
        if len(data) > MAX_LOGO_BYTES:
            return _refused(info, "The logo is larger than 2 MB.")
        try:
            cleaned = photos.clean(data, max_side=LOGO_SIDE)
        except photos.PhotoRefused as exc:
            return _refused(info, _LOGO_REFUSALS.get(exc.reason, "The logo could not be read."))
    with runtime.db.transaction() as session:
        row = brands.for_update(session, caller.tenant_id, runtime.clock())
        row.logo = cleaned.data if cleaned else None
        row.logo_type = cleaned.content_type if cleaned else None
        brands.changed(row, runtime.clock())
        settings = _settings(runtime, caller.tenant_id, row)
    return UpdateBrandResult(ok=True, errors=[], brand=settings)


_LOGO_REFUSALS = {
    "photo_type": "The logo must be a PNG, JPEG, WebP or HEIC image.",
    "photo_size": "The logo is larger than 2 MB.",
    "photo_pixels": "The logo's image is too large (over 40 megapixels).",
    "photo_broken": "The logo's file is damaged or not an image.",
}


def _refused(info, message: str) -> UpdateBrandResult:
    return UpdateBrandResult(ok=False, errors=[BrandError(field="logo", message=message)], brand=brand_settings(info))


def _clean(value: str | None) -> str | None:
    return (value or "").strip() or None


def _settings(runtime, tenant_id: int, row) -> BrandSettings:
    if row is None:
        return BrandSettings(name=None, saleor_name=None, accent=None, logo_url=None, email=None, phone=None, url=None)
    contacts = row.contacts or {}
    logo = brand_asset_url(runtime.settings, tenant_id, row.version, "logo") if row.logo else None
    return BrandSettings(
        name=row.name, saleor_name=row.saleor_name, accent=row.accent, logo_url=logo,
        email=contacts.get("email"), phone=contacts.get("phone"), url=contacts.get("url"),
    )  # fmt: skip
