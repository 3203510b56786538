"""Stalled parcels end to end: AfterShip's scans teach the carrier's gaps, and a silence longer than
the usual longest one (at least the policy's floor) becomes a `stalled` incident with the last scan as evidence."""

from datetime import datetime, timedelta, timezone
from html import unescape

from saleor_cs_app.jobs import sweep
from saleor_cs_app.store.models import Deadline, TransitCount
from tests.flows import incidents, rows, use_policy
from tests.support.conftest import link_path
from tests.tracking.test_aftership_flow import aftership, hook_url, ship  # noqa: F401  (fixtures)

NUMBER = "00340434161094042557"


def test_a_parcel_silent_past_the_floor_becomes_stalled_with_its_last_scan_as_evidence(
    installed, runtime, clock, aftership, hook_url, mail  # noqa: F811
):
    ship(installed, runtime)
    last_scan = clock.now
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=last_scan, message="Arrived at hub", location="Leipzig"))
    runtime.jobs.drain()
    (stall,) = [d for d in rows(runtime, Deadline) if d.kind == "stalled"]
    # No learned gaps yet: the policy's floor, 72 hours of business days. Scanned on Wednesday at noon
    # (the test clock), so Wednesday's rest, Thursday and Friday, then Monday until noon.
    assert last_scan == datetime(2027, 9, 15, 12, tzinfo=timezone.utc)
    assert stall.due_at == datetime(2027, 9, 20, 12, tzinfo=timezone.utc)
    clock.advance(hours=119)
    sweep.run(runtime)
    assert not [i for i in incidents(runtime) if i.kind == "stalled"]
    clock.advance(hours=2)
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = [i for i in incidents(runtime) if i.kind == "stalled"]
    assert incident.facts["carrier_location"] == "Leipzig"
    assert incident.facts["carrier_status"] == "Arrived at hub"
    assert incident.facts["carrier_status_at"] == last_scan.isoformat()
    (message,) = mail.messages
    body = message.message.get_body(("plain",)).get_content()
    assert "Leipzig" in body and "Arrived at hub" in body
    sweep.run(runtime)
    runtime.jobs.drain()
    assert len(mail.messages) == 1, "one stall, one message"


def test_a_new_scan_moves_the_stall_and_a_delivery_clears_it_while_the_shop_learns(
    installed, runtime, clock, aftership, hook_url, mail  # noqa: F811
):
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
    clock.advance(hours=24)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now, location="Hamburg"))
    runtime.jobs.drain()
    (stall,) = [d for d in rows(runtime, Deadline) if d.kind == "stalled"]
    # From Thursday noon: 72 business hours end on Tuesday at noon, over the weekend.
    assert stall.due_at == clock.now + timedelta(days=5)
    clock.advance(hours=20)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "Delivered", at=clock.now))
    runtime.jobs.drain()
    assert not [d for d in rows(runtime, Deadline) if d.kind == "stalled"]
    clock.advance(days=10)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert incidents(runtime) == [] and mail.messages == []
    learned = sorted((c.measure, c.value, c.count) for c in rows(runtime, TransitCount))
    # Shipped on Wednesday, delivered on Friday morning: 2 business days; gaps of 24 and 20 hours; in the
    # line-haul (InTransit) from Wednesday until delivered: 2 days there, none after it.
    assert learned == [
        ("after_line_haul", 0, 1), ("gap", 20, 1), ("gap", 24, 1), ("stay_line_haul", 2, 1), ("transit", 2, 1)
    ], learned


def test_stall_detection_can_be_switched_off(installed, runtime, clock, aftership, hook_url, mail):  # noqa: F811
    use_policy(runtime, installed, {"detection": {"stalled": False}})
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
    runtime.jobs.drain()
    clock.advance(days=5)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert not [i for i in incidents(runtime) if i.kind == "stalled"]


def test_once_the_carrier_scans_the_parcel_again_the_page_no_longer_says_it_is_silent(
    installed, runtime, clock, aftership, hook_url, mail, client  # noqa: F811
):
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now, location="Leipzig"))
    runtime.jobs.drain()
    clock.advance(hours=121)  # past Monday noon: stalled (see above)
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = [i for i in incidents(runtime) if i.kind == "stalled"]
    path = link_path(runtime, installed, incident.order_id)
    told = unescape(client.get(path).get_data(as_text=True))
    assert "No news from the carrier" in told and "hasn't reported any movement" in told
    clock.advance(hours=3)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now, location="Hamburg"))
    runtime.jobs.drain()
    page = unescape(client.get(path).get_data(as_text=True))
    assert "hasn't reported any movement" not in page and "No news from the carrier" not in page and "Hamburg" in page  # the scans say where it is now
    # The story is told as what happened since, with what was done and the code the customer was given.
    assert "Your parcel is on its way again." in page and "We emailed you." in page
    assert incident.goodwill_code and incident.goodwill_code in page


def test_a_late_evening_scan_is_dated_by_the_shops_day_in_the_email_and_on_the_page(
    installed, runtime, clock, aftership, hook_url, mail, client  # noqa: F811
):
    """The shop keeps its promises in New York (a US channel shipping to the US): a scan at 02:00 UTC on
    Thursday is Wednesday 22:00 there, as the page's scan times already say; the e-mail and the story say
    Wednesday too, not UTC's Thursday."""
    ship(installed, runtime)
    clock.advance(hours=14)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now, message="Arrived at hub", location="Newark"))
    runtime.jobs.drain()
    clock.advance(hours=130)
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = [i for i in incidents(runtime) if i.kind == "stalled"]
    assert incident.facts["carrier_status_at"] == "2027-09-16T02:00:00+00:00"
    body = mail.messages[0].message.get_body(("plain",)).get_content()
    assert "since 15 September 2027" in body and "16 September" not in body
    page = unescape(client.get(link_path(runtime, installed, incident.order_id)).get_data(as_text=True))
    assert "15 September 2027" in page and "16 September 2027" not in page
