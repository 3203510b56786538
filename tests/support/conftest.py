"""Fixtures for the customer's support pages: a tracked order, its signed link, real photo bytes."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from saleor_cs_app.links import support_url
from saleor_cs_app.store.models import Tenant
from tests.flows import rows, use_policy

# A damaged item within €30 is refunded at once; anything else waits for the merchant.
CUSTOMER_POLICY = {
    "limits": {"per_customer": {"max": 3, "days": 90}, "monthly_budget": {"USD": 500}},
    "rules": [
        {
            "name": "Small customer refunds",
            "when": {"sources": ["customer"], "max_proposal_value": {"USD": 30}},
            "offer": {"partial_refund": {"percent": 100}},
        }
    ],
}


def jpeg_with_gps(size=(64, 48)) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (60.0, 10.0, 30.0), 3: "E", 4: (24.0, 56.0, 10.0)}  # GPS IFD
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bytes(size=(32, 32)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def tenant_row(runtime, saleor) -> Tenant:
    (tenant,) = rows(runtime, Tenant, Tenant.saleor_api_url == saleor.api_url)
    return tenant


def link_path(runtime, saleor, order_id: str) -> str:
    url = support_url(runtime.settings, tenant_row(runtime, saleor), order_id, runtime.clock())
    return url.removeprefix(runtime.settings.app_url)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


@pytest.fixture(autouse=True)
def photos_in_tmp(runtime, tmp_path):
    runtime.settings = runtime.settings.with_changes(photo_dir=str(tmp_path / "photos"))


@pytest.fixture
def order(installed, runtime):
    """A paid order of two lines (2 × T-shirt at 10, 1 × mug), tracked through the real webhook path."""
    use_policy(runtime, installed, CUSTOMER_POLICY)
    placed = installed.add_order(languageCodeEnum="EN")
    assert installed.send_webhook("ORDER_CREATED", order_id=placed["id"]).status_code == 200
    runtime.jobs.drain()
    return placed


@pytest.fixture
def link(runtime, installed, order) -> str:
    return link_path(runtime, installed, order["id"])
