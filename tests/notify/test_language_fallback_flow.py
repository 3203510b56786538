"""An order in a language we do not ship: the e-mail falls back, and the incident's timeline says so."""

from saleor_cs_app.store.models import IncidentEvent
from tests.flows import incidents, late_order, outbox, rows, timeline


def test_an_order_in_norwegian_gets_the_channels_language_and_the_fallback_is_on_the_incident(
    installed, runtime, clock, mail
):
    late_order(installed, runtime, clock, channel="channel-pln", languageCodeEnum="NB_NO")

    (incident,) = incidents(runtime)
    (message,) = outbox(runtime)
    assert message.language == "pl"
    assert "language_fallback" in timeline(runtime, incident.id)
    (event,) = rows(runtime, IncidentEvent, IncidentEvent.type == "language_fallback")
    assert "NB_NO" in event.message and "pl" in event.message


def test_an_order_in_a_shipped_language_records_no_fallback(installed, runtime, clock, mail):
    late_order(installed, runtime, clock, languageCodeEnum="LV_LV")

    (incident,) = incidents(runtime)
    assert outbox(runtime)[0].language == "lv"
    assert "language_fallback" not in timeline(runtime, incident.id)
    body = mail.messages[0].message.get_body(("plain",)).get_content()
    assert body.startswith("Labdien, Jane!")  # in Latvian, by name (review B lv 6)
