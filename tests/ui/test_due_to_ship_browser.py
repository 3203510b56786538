"""The "due to ship" list on top of the Incidents tab, in real Chromium: groups per warehouse with their
counts, the time left in words by the app's clock, a late order's incident opened in place, the order
opened in the dashboard through AppBridge; light and dark, a phone's width, and the empty state.

Screenshots: test-artifacts/due-to-ship-<theme>.png, due-to-ship-phone-<theme>.png, due-to-ship-empty.png.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from saleor_cs_app.jobs import sweep
from tests.ui.browser import snap
from tests.ui.test_pages_browser import app_frame, browser, expect, host, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def placed(saleor, runtime, days_ago: int, **fields) -> dict:
    """An order paid `days_ago` days before now, its webhook sent then (the promise counts from payment)."""
    at = saleor.clock() - timedelta(days=days_ago)
    order = saleor.add_order(created=at, **fields)
    assert saleor.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=at.isoformat()).status_code == 200
    runtime.jobs.drain()
    return order


@pytest.fixture
def due_orders(installed, runtime, clock):
    """On Thursday 16 September 2027, noon UTC (08:00 in New York, the channel's zone): one order late since
    Wednesday's end, one due today with a mug whose stock is not tracked, one due tomorrow from Europe."""
    europe = installed.add_warehouse("Europe Warehouse", "europe")
    clock.advance(days=1)
    late = placed(installed, runtime, 3)
    today = placed(installed, runtime, 2, lines=[{"sku": "SKU-TSHIRT-M", "quantity": 2}, {"sku": "SKU-MUG", "allocations": []}])
    tomorrow = placed(installed, runtime, 1, lines=[{"sku": "SKU-HOODIE-L", "quantity": 1, "allocations": [(europe, 1)]}])
    sweep.run(runtime)  # the late one's ship-by passed: its late-shipment incident opens
    runtime.jobs.drain()
    return late, today, tomorrow


def open_tab(page, host, theme="light"):
    frame = app_frame(page, host, theme=theme)
    frame.get_by_role("tab", name="Incidents").click()
    card = frame.locator("section.due-to-ship")
    expect(card.get_by_role("heading", name="Due to ship")).to_be_visible()
    return frame, card


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_list_per_warehouse_with_time_left_and_the_late_order_s_incident(page, host, due_orders, theme):
    late, today, tomorrow = due_orders
    frame, card = open_tab(page, host, theme)
    expect(card.get_by_role("status")).to_have_text("Orders to ship: 3 · Late: 1")
    groups = card.locator("details.due-warehouse > summary")
    expect(groups).to_have_text(["Americas Warehouse 2 Late: 1", "Europe Warehouse 1", "No warehouse assigned 1"])
    americas = card.locator("details.due-warehouse").nth(0)
    rows = americas.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text(f"#{late['number']}")
    expect(rows.nth(0)).to_contain_text("Late by 1 business day")
    expect(rows.nth(0)).to_contain_text("Standard")
    expect(rows.nth(1)).to_contain_text(f"#{today['number']}")
    expect(rows.nth(1)).to_contain_text("2 × Saleor T-shirt M")
    expect(rows.nth(1)).to_contain_text("Today, 16 hr left")  # Friday 00:00 in New York is 04:00 UTC
    expect(rows.nth(1)).not_to_contain_text("Saleor Mug")  # its mug waits under "No warehouse assigned"
    nowhere = card.locator('details[data-assignment="NOT_ALLOCATED"]')
    expect(nowhere).to_contain_text("1 × Saleor Mug Default")
    expect(nowhere).to_contain_text("does not track the stock")
    europe = card.locator("details.due-warehouse").nth(1)
    expect(europe.locator("tbody tr")).to_contain_text("Tomorrow, 40 hr left")
    expect(europe.locator("tbody tr")).to_contain_text(f"#{tomorrow['number']}")
    snap(page, f"due-to-ship-{theme}")

    rows.nth(0).get_by_role("button", name="See the incident").click()
    expect(frame.locator(".detail h2")).to_have_text(f"Order #{late['number']}: Late shipment")

    rows.nth(1).get_by_role("link", name=f"#{today['number']}").click()
    page.wait_for_function("window.actions.some(a => a.type === 'redirect')")
    (to,) = page.evaluate("window.actions.filter(a => a.type === 'redirect').map(a => a.payload.to)")
    assert to.startswith("/orders/") and today["id"].rstrip("=") in to


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_at_a_phone_s_width_each_order_is_a_block_that_fits_with_its_ship_by_in_sight(page, host, due_orders, theme):
    page.set_viewport_size({"width": 390, "height": 844})
    frame, card = open_tab(page, host, theme)
    expect(card.locator("details.due-warehouse")).to_have_count(3)
    page_width = frame.locator("body").evaluate("el => el.clientWidth")
    assert card.evaluate("el => el.getBoundingClientRect().width") <= page_width
    for scroller in card.locator(".table-scroll").all():
        assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth"), "nothing hides off to the side"
    late = card.get_by_text("Late by 1 business day")
    expect(late).to_be_visible()
    assert late.evaluate("el => el.getBoundingClientRect().right") <= page_width
    frame.locator("html").evaluate("() => window.scrollTo(0, 0)")
    snap(page, f"due-to-ship-phone-{theme}")


def test_with_nothing_due_the_card_says_so_and_when_orders_appear(page, host, installed, runtime):
    placed(installed, runtime, 0)  # due on Friday: not yet on a Wednesday
    frame, card = open_tab(page, host)
    expect(card.locator(".empty")).to_have_text(
        "Nothing is due to ship today or tomorrow, and no order is late. An order appears here the day before its ship-by day."
    )
    expect(card.get_by_role("status")).to_have_text("")
    snap(page, "due-to-ship-empty")
