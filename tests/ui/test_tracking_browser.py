"""The Tracking tab in real Chromium: connect AfterShip, see what detection can see, release the backlog."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from saleor_cs_app.store.models import Tenant
from tests.aftership_stand_in import AfterShipStandIn
from tests.flows import incidents
from tests.ui.test_pages_browser import app_frame, browser, expect, host, page  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def aftership(runtime, clock):
    with AfterShipStandIn(clock=clock) as stand_in:
        runtime.settings = runtime.settings.with_changes(aftership_api_url=stand_in.url)
        yield stand_in


def test_the_merchant_connects_aftership_and_gets_the_webhook_url_without_the_keys_shown_back(page, host, aftership):
    frame = app_frame(page, host)
    frame.get_by_role("tab", name="Tracking").click()
    expect(frame.get_by_text("followed by no tracking source")).to_be_visible()
    frame.get_by_label("AfterShip API key").fill(aftership.api_key)
    frame.get_by_label("Webhook secret").fill(aftership.webhook_secret)
    frame.get_by_role("button", name="Connect AfterShip").click()
    expect(frame.get_by_text("/api/tracking/aftership/")).to_be_visible()
    expect(frame.get_by_label("AfterShip API key")).to_have_value("")
    frame.get_by_role("button", name="Test connection").click()
    expect(frame.get_by_text("AfterShip accepts the key")).to_be_visible()


def test_the_merchant_releases_the_install_backlog(page, host, installed, runtime, clock):
    with runtime.db.transaction() as session:
        session.scalar(select(Tenant)).installed_at = clock.now + timedelta(minutes=1)
    installed.add_order(created=clock.now - timedelta(days=10))
    runtime.jobs.enqueue("reconcile_tenant", 1)
    runtime.jobs.drain()
    frame = app_frame(page, host)
    frame.get_by_role("tab", name="Tracking").click()
    expect(frame.get_by_text("1 order was already late when you installed the app")).to_be_visible()
    frame.get_by_role("button", name="Release all").click()
    expect(frame.get_by_text("1 order released")).to_be_visible()
    runtime.jobs.drain()
    assert [i.state for i in incidents(runtime)] != ["backlog"]
