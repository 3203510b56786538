"""Photos for staff: the dashboard API hands out short-lived signed URLs (only to a verified dashboard
user, see ui/resolvers/proposals.py); the URL names the tenant and the photo and expires in minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from saleor_cs_app.signing import mac, same

LIFETIME = timedelta(minutes=15)


def photo_url(app_url: str, secret_key: str, tenant_id: int, photo_id: str, now: datetime) -> str:
    expires = int((now + LIFETIME).timestamp())
    signature = mac(secret_key, "photo", str(tenant_id), photo_id, str(expires))
    return f"{app_url}/support/staff/photos/{tenant_id}/{photo_id}?e={expires}&s={signature}"


def verify(secret_key: str, tenant_id: int, photo_id: str, expires: str, signature: str, now: datetime) -> bool:
    if not expires.isdigit() or len(signature) > 100:
        return False
    good = same(mac(secret_key, "photo", str(tenant_id), photo_id, expires), signature)
    return good and int(expires) > now.timestamp()
