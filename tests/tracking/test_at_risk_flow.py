"""At risk, before late, end to end: the shop's own parcels say a parcel still on its way will probably
miss its deliver-by day; the merchant sees it flagged, and the customer gets one heads-up only when the
policy asks. A late message then refers back to it; an arrival on time sends nothing more."""

from datetime import datetime, timedelta, timezone
from html import unescape

from saleor_cs_app.jobs import sweep
from saleor_cs_app.store.models import Deadline, TransitCount
from saleor_cs_app.store.tracking_models import CarrierScan
from tests.flows import incidents, rows, tenant_id, use_policy
from tests.support.conftest import link_path
from tests.tracking.test_aftership_flow import aftership, hook_url, ship  # noqa: F401  (fixtures)

NUMBER = "00340434161094042557"


def learned_from_earlier_parcels(runtime, saleor):
    """Earlier parcels: 80 took 2 business days, 20 took 8; the carrier scanned them every 20 hours."""
    tenant = tenant_id(runtime, saleor)
    with runtime.db.transaction() as session:
        for measure, value, count in (("transit", 2, 80), ("transit", 8, 20), ("gap", 20, 300)):
            session.add(TransitCount(tenant_id=tenant, measure=measure, method="earlier", carrier="dhl", country="FI",
                                     value=value, count=count))


def late_incident_order(runtime) -> str:
    (late,) = [i for i in incidents(runtime) if i.kind == "late_delivery"]
    return late.order_id


def travel_until_monday(clock, aftership, hook_url):  # noqa: F811
    """Shipped on Wednesday at noon (the test clock), scanned every morning, still travelling on Monday."""
    assert clock.now == datetime(2027, 9, 15, 12, tzinfo=timezone.utc)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
    for day in (16, 17, 20):
        clock.advance(seconds=(datetime(2027, 9, day, 7, tzinfo=timezone.utc) - clock.now).total_seconds())
        aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now, location="Hub"))


def test_a_parcel_slower_than_the_usual_is_flagged_and_the_customer_hears_nothing_by_default(
    installed, runtime, clock, aftership, hook_url, mail, client  # noqa: F811
):
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
    runtime.jobs.drain()
    (check,) = [d for d in rows(runtime, Deadline) if d.kind == "at_risk"]
    assert check.due_at == clock.now + timedelta(hours=12), "80 % arrive in 2 days: not at risk yet, look again"
    travel_until_monday(clock, aftership, hook_url)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.kind == "at_risk"
    assert incident.facts["on_time_probability"] == 0.0  # only the 8-day parcels are still travelling on day 3
    assert incident.facts["new_expectation"] == "2027-09-27"  # 8 business days after Wednesday the 15th
    assert incident.facts["estimate_parcels"] == 100
    assert mail.messages == [], "detection.at_risk.notify_customer is off by default"
    assert not [d for d in rows(runtime, Deadline) if d.kind == "at_risk"]
    # A forecast the shop chose not to send stays the merchant's: the order page does not tell it either.
    page = unescape(client.get(link_path(runtime, installed, incident.order_id)).get_data(as_text=True))
    assert "may arrive later" not in page and "estimate" not in page
    assert "We let you know" not in page and "We emailed you" not in page


def test_the_heads_up_goes_once_and_the_late_message_refers_back_to_it(
    installed, runtime, clock, aftership, hook_url, mail, client  # noqa: F811
):
    use_policy(runtime, installed, {"detection": {"at_risk": {"notify_customer": True}}})
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    travel_until_monday(clock, aftership, hook_url)
    runtime.jobs.drain()
    (heads_up,) = mail.messages
    text = heads_up.message.get_body(("plain",)).get_content()
    assert "may arrive later than promised" in heads_up.message["Subject"]
    assert "27 September 2027" in text and "estimate" in text
    path = link_path(runtime, installed, incidents(runtime)[0].order_id)
    assert "Latest update from" in unescape(client.get(path).get_data(as_text=True))
    for day in (21, 22, 23):  # scanned daily: never stalled, and one heads-up is enough
        clock.advance(seconds=(datetime(2027, 9, day, 7, tzinfo=timezone.utc) - clock.now).total_seconds())
        aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
        sweep.run(runtime)
        runtime.jobs.drain()
        # The carrier has spoken since the heads-up: its quoted word is no longer the latest, the scans below
        # are; the forecast, its estimate and the next step still hold.
        page = unescape(client.get(path).get_data(as_text=True))
        assert "Latest update from" not in page and "May not arrive by the promised date" in page
        assert "27 September 2027" in page and "estimate" in page and "Report a problem" in page
    # Friday the 24th: past the deliver-by day (5 business days + 1 of grace after Wednesday the 15th).
    clock.advance(seconds=(datetime(2027, 9, 24, 7, tzinfo=timezone.utc) - clock.now).total_seconds())
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
    sweep.run(runtime)
    runtime.jobs.drain()
    assert sorted(i.kind for i in incidents(runtime)) == ["at_risk", "late_delivery"]
    late = mail.messages[-1]
    assert len(mail.messages) == 2
    assert "We emailed you on 20 September 2027 to say it might be late." in late.message.get_body(("plain",)).get_content()
    # The forecast came true: the page tells the late parcel, not the heads-up beside it ("we expect it around …").
    page = unescape(client.get(link_path(runtime, installed, late_incident_order(runtime))).get_data(as_text=True))
    assert "May not arrive by the promised date" not in page and "Parcel running late" in page
    said = [p.strip() for p in late.message.get_body(("plain",)).get_content().split("\n\n")]
    told = [p for p in said if p.startswith("Latest update from")]
    assert told and told[0].splitlines()[0] in page
    # A scan the next day: only the carrier's quoted word leaves; the apology and the next step stay.
    clock.advance(hours=24)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now, location="Depot"))
    runtime.jobs.drain()
    page = unescape(client.get(path).get_data(as_text=True))
    assert "Latest update from" not in page and "Depot" in page
    assert "We emailed you on 20 September 2027 to say it might be late." in page
    assert "Report a problem" in page


def test_a_parcel_that_arrives_on_time_after_a_heads_up_gets_nothing_more(
    installed, runtime, clock, aftership, hook_url, mail  # noqa: F811
):
    use_policy(runtime, installed, {"detection": {"at_risk": {"notify_customer": True}}})
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    travel_until_monday(clock, aftership, hook_url)
    runtime.jobs.drain()
    assert len(mail.messages) == 1
    clock.advance(hours=5)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "Delivered", at=clock.now))
    runtime.jobs.drain()
    clock.advance(days=30)
    sweep.run(runtime)
    runtime.jobs.drain()
    assert len(mail.messages) == 1
    assert [i.kind for i in incidents(runtime)] == ["at_risk"]


def test_time_alone_puts_a_silent_parcel_at_risk_at_the_twelve_hourly_check(
    installed, runtime, clock, aftership, hook_url, mail  # noqa: F811
):
    use_policy(runtime, installed, {"detection": {"stall_floor_hours": 240}})  # not stalled within this test
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))  # Wednesday noon, then silence
    runtime.jobs.drain()
    for _ in range(2 * 5):  # twelve-hourly checks until Monday noon: days lost to silence, still likely on time
        clock.advance(hours=12)
        sweep.run(runtime)
    runtime.jobs.drain()
    assert incidents(runtime) == []
    (check,) = [d for d in rows(runtime, Deadline) if d.kind == "at_risk"]
    assert check.due_at == clock.now + timedelta(hours=12)
    clock.advance(hours=24)  # Tuesday noon: four business days lost, one left before the promise (Wednesday 22nd)
    sweep.run(runtime)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.kind == "at_risk" and incident.facts["on_time_probability"] < 0.5
    assert not [d for d in rows(runtime, Deadline) if d.kind == "at_risk"]


def test_no_heads_up_while_the_carrier_itself_expects_the_parcel_by_the_promised_day(
    installed, runtime, clock, aftership, hook_url, mail  # noqa: F811
):
    use_policy(runtime, installed, {"detection": {"at_risk": {"notify_customer": True}}})
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
    for day in (16, 17, 20):  # as travel_until_monday, with the carrier's date from Thursday on
        clock.advance(seconds=(datetime(2027, 9, day, 7, tzinfo=timezone.utc) - clock.now).total_seconds())
        # The carrier says Tuesday the 21st: before the promised Wednesday the 22nd.
        expected = "2027-09-21" if day > 16 else None
        aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now, location="Hub",
                                                      expected_date=expected))  # fmt: skip
    runtime.jobs.drain()
    assert [i.kind for i in incidents(runtime)] == []
    assert mail.messages == [], "a heads-up would contradict the carrier's own date"


def test_once_the_parcel_is_delivered_the_page_no_longer_repeats_the_heads_up(
    installed, runtime, clock, aftership, hook_url, mail, client  # noqa: F811
):
    use_policy(runtime, installed, {"detection": {"at_risk": {"notify_customer": True}}})
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    travel_until_monday(clock, aftership, hook_url)
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    path = link_path(runtime, installed, incident.order_id)
    before = unescape(client.get(path).get_data(as_text=True))
    assert "May not arrive by the promised date" in before and "best estimate" in before
    clock.advance(hours=5)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "Delivered", at=clock.now))
    runtime.jobs.drain()
    after = unescape(client.get(path).get_data(as_text=True))
    assert "Your parcel has now been delivered." in after
    assert "may arrive later" not in after and "best estimate" not in after
    assert "We emailed you." in after, "what was done stays in the story"


def test_a_heads_up_never_estimates_a_day_before_the_promise(
    installed, runtime, clock, aftership, hook_url, mail  # noqa: F811
):
    # A cautious shop: a heads-up below 95 %. Most parcels of this kind arrive in 2 days, so the likely day
    # (Friday the 17th) is before the promise (Wednesday the 22nd): the message must not name it.
    use_policy(runtime, installed, {"detection": {"at_risk": {"notify_customer": True, "below_probability": 0.95}}})
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.kind == "at_risk" and incident.facts["new_expectation"] is None
    (heads_up,) = mail.messages
    text = heads_up.message.get_body(("plain",)).get_content()
    assert "22 September 2027" in text and "17 September" not in text and "estimate" not in text


def learned_stages_too(runtime, saleor):
    """Besides learned_from_earlier_parcels: 80 of those parcels left the line-haul after 1 business day, 20
    after 6; from the depot to the door took 1 day; at the depot they stayed 1 day."""
    tenant = tenant_id(runtime, saleor)
    with runtime.db.transaction() as session:
        for measure, value, count in (("stay_line_haul", 1, 80), ("stay_line_haul", 6, 20), ("after_line_haul", 1, 100),
                                      ("stay_destination", 1, 100), ("after_destination", 0, 100)):
            session.add(TransitCount(tenant_id=tenant, measure=measure, method="earlier", carrier="dhl", country="FI",
                                     value=value, count=count))


def shipped_with_stages_learned(installed, runtime, clock, aftership, hook_url):  # noqa: F811
    """Stages learned from earlier parcels; this one shipped on Wednesday noon, into the line-haul at once."""
    learned_from_earlier_parcels(runtime, installed)
    learned_stages_too(runtime, installed)
    ship(installed, runtime)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", subtag="InTransit_001", at=clock.now))


def test_a_parcel_still_between_hubs_is_flagged_days_before_its_transit_time_alone_would(
    installed, runtime, clock, aftership, hook_url  # noqa: F811
):
    shipped_with_stages_learned(installed, runtime, clock, aftership, hook_url)
    clock.advance(hours=19)  # Thursday 07:00: one day in the line-haul, as most parcels
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", subtag="InTransit_002", at=clock.now, location="Hub"))
    runtime.jobs.drain()
    assert incidents(runtime) == []
    clock.advance(hours=24)  # Friday 07:00, still at a hub: only the slow fifth stays two days
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", subtag="InTransit_002", at=clock.now, location="Hub"))
    runtime.jobs.drain()
    (incident,) = incidents(runtime)
    assert incident.kind == "at_risk" and incident.facts["on_time_probability"] == 0.0
    # Without the stage the transit times alone said 80 % on Friday; flagged on Monday (the test above).
    assert incident.facts["new_expectation"] == "2027-09-24"  # 6 days between hubs from Wednesday, then 1 to the door
    stages = sorted((s.at, s.stage) for s in rows(runtime, CarrierScan))
    assert [stage for _, stage in stages] == ["line_haul"] * 3


def test_a_parcel_at_the_delivery_depot_on_the_same_day_is_not_flagged_and_teaches_its_stages_on_delivery(
    installed, runtime, clock, aftership, hook_url  # noqa: F811
):
    shipped_with_stages_learned(installed, runtime, clock, aftership, hook_url)
    clock.advance(hours=43)  # Friday 07:00, arrived at the delivery facility: out the next business day
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", subtag="InTransit_003", at=clock.now))
    runtime.jobs.drain()
    assert incidents(runtime) == []
    (check,) = [d for d in rows(runtime, Deadline) if d.kind == "at_risk"]
    assert check.due_at == clock.now + timedelta(hours=12)
    clock.advance(days=3)  # Monday 07:00: out for delivery, delivered at noon
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "OutForDelivery", at=clock.now))
    clock.advance(hours=5)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "Delivered", at=clock.now))
    runtime.jobs.drain()
    learned = {(c.measure, c.value): c.count for c in rows(runtime, TransitCount) if c.method != "earlier"}
    assert learned[("stay_line_haul", 2)] == 1 and learned[("after_line_haul", 1)] == 1  # Wednesday → Friday → Monday
    assert learned[("stay_destination", 1)] == 1 and learned[("stay_out_for_delivery", 0)] == 1


def test_a_parcel_delivered_after_two_incidents_says_so_once_with_both_timelines(
    installed, runtime, clock, aftership, hook_url, mail, client  # noqa: F811
):
    learned_from_earlier_parcels(runtime, installed)
    ship(installed, runtime)
    travel_until_monday(clock, aftership, hook_url)
    for day in (21, 22, 23, 24):  # Friday the 24th: past the deliver-by day, the parcel is late
        clock.advance(seconds=(datetime(2027, 9, day, 7, tzinfo=timezone.utc) - clock.now).total_seconds())
        aftership.deliver(hook_url, aftership.webhook(NUMBER, "InTransit", at=clock.now))
        sweep.run(runtime)
        runtime.jobs.drain()
    clock.advance(hours=24)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "AttemptFail", at=clock.now))
    runtime.jobs.drain()
    told = sorted(i.kind for i in incidents(runtime) if i.kind != "at_risk")
    assert told == ["attempt_failed", "late_delivery"] and len(mail.messages) == 2
    clock.advance(hours=24)
    aftership.deliver(hook_url, aftership.webhook(NUMBER, "Delivered", at=clock.now))
    runtime.jobs.drain()
    page = unescape(client.get(link_path(runtime, installed, late_incident_order(runtime))).get_data(as_text=True))
    assert page.count("Your parcel has now been delivered.") == 1, "one parcel, one fact"
    assert page.count("We emailed you.") == 2, "what was done in each story stays, in one timeline"
