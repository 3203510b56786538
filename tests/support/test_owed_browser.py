"""A lost parcel in real Chromium: the customer clicks "Send me a new parcel" and sees what happens now."""

from __future__ import annotations

import os

import pytest

from saleor_cs_app.store.owed_models import OwedRemedy
from tests.flows import rows
from tests.support.conftest import link_path
from tests.support.owed_fixtures import parcel_with_status
from tests.ui.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_a_customer_chooses_a_new_parcel_for_a_lost_one_with_one_click(installed, runtime, app_server):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    order, _ = parcel_with_status(installed, runtime, "lost")
    url = app_server.url + link_path(runtime, installed, order["id"])
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 375, "height": 812}).new_page()
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(url)
            card = page.get_by_role("region", name="Your parcel has been lost")
            expect(card.get_by_text("Saleor T-shirt M")).to_be_visible()
            expect(card.get_by_role("button", name="Refund me $62.00")).to_be_visible()
            card.get_by_role("button", name="Send me a new parcel").click()
            expect(page.get_by_role("status")).to_have_text("Thank you – your choice has been saved.")
            expect(card.get_by_text("You chose a new parcel.")).to_be_visible()
            expect(card.get_by_role("button")).to_have_count(0)
            runtime.jobs.drain()  # the worker carries it out
            page.reload()
            expect(card.get_by_text("Your new parcel is order #")).to_be_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "support-owed-new-parcel.png"), full_page=True)
            assert problems == []
        finally:
            browser.close()
    assert [r.remedy for r in rows(runtime, OwedRemedy)] == ["new_parcel"]
    assert len(installed.completed_drafts) == 1
