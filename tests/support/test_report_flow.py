"""From the signed link to a submitted report, the policy's decision, the refund grant and the e-mails."""

from __future__ import annotations

import io

from saleor_cs_app.store.models import SupportPhoto, SupportReport
from tests.flows import incidents, outbox, rows
from tests.support.conftest import csrf_of, jpeg_with_gps


def submit(client, link, order, **fields):
    page = client.get(f"{link}/report")
    assert page.status_code == 200
    data = {
        "csrf": csrf_of(page.get_data(as_text=True)),
        "problem": "damaged",
        "lines": [order["lines"][1]["id"]],
        "note": "The mug arrived cracked",
        "fix": "refund",
        **fields,
    }
    return client.post(f"{link}/report", data=data, content_type="multipart/form-data")


def test_a_damaged_item_reported_with_a_photo_is_refunded_within_the_policy_and_answered_by_email(
    client, link, order, installed, runtime, mail
):
    page = client.get(link)
    assert page.status_code == 200
    assert f"Order #{order['number']}" in page.get_data(as_text=True)

    response = submit(client, link, order, photos=[(io.BytesIO(jpeg_with_gps()), "mug.jpg")])
    assert response.status_code == 303, response.get_data(as_text=True)
    runtime.jobs.drain()

    (incident,) = incidents(runtime)
    assert (incident.kind, incident.source, incident.state) == ("customer_report", "customer", "notified")
    (report,) = rows(runtime, SupportReport)
    assert report.state == "accepted"
    (photo,) = rows(runtime, SupportPhoto)
    assert photo.content_type == "image/jpeg"
    granted = installed.orders[order["id"]]["grantedRefunds"]
    assert [float(g["amount"]["amount"]) for g in granted] == [float(order["lines"][1]["unitPrice"]["gross"]["amount"])]
    assert [m.purpose for m in outbox(runtime)] == ["proposal_accepted"], "accepted at once: one e-mail, the answer"
    assert len(mail.messages) == 1
    answer, email = installed.notes[order["id"]]
    assert "asked for refund" in answer and "e-mail proposal_accepted" in email
