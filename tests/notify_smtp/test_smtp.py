"""The SMTP sender against a real (aiosmtpd) server on loopback."""

from __future__ import annotations

import base64
import dataclasses
import logging
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import pytest

from saleor_cs_app.notify.smtp import (
    Email,
    PermanentFailure,
    SmtpSender,
    TemporaryFailure,
    build_mime,
    make_message_id,
)
from saleor_cs_app.logs import JsonFormatter
from tests.conftest import refused_port
from tests.smtp_server import SmtpTestServer, smtp_server  # noqa: F401 (fixture)

SECRET = "s3cr3t-Pa55word"


def an_email(**changes) -> Email:
    email = Email(
        mail_from="Sklep – obsługa klienta <care@shop.example>",
        mail_to="Matti Meikäläinen <matti@example.fi>",
        subject="Pahoittelemme: tilauksesi #1042 myöhästyy – przepraszamy, żółć",
        text="Hei Matti,\n\ntilauksesi on myöhässä.\n.\nKiitos kärsivällisyydestäsi.\n",
        html="<p>Hei Matti,</p><p>tilauksesi on <b>myöhässä</b>. Zażółć gęślą jaźń.</p>",
        message_id=make_message_id("shop.example"),
        date=datetime(2027, 9, 15, 12, 0, tzinfo=timezone.utc),
        reply_to="care@shop.example",
    )
    return dataclasses.replace(email, **changes)


def sender_for(server: SmtpTestServer, **settings) -> SmtpSender:
    return SmtpSender(
        dataclasses.replace(server.smtp_settings, **settings),
        timeout=5,
        local_hostname="app.test",
        ssl_context=server.client_ssl_context,
    )


def test_a_real_smtp_conversation_delivers_both_parts_with_message_id_and_utf8_subject(smtp_server):
    email = an_email()
    sender_for(smtp_server).send(email)

    [received] = smtp_server.messages
    assert received.mail_from == "care@shop.example"
    assert received.rcpt_tos == ("matti@example.fi",)
    message = received.message
    assert message["Message-ID"] == email.message_id
    assert message["Subject"] == email.subject
    assert message["From"] == email.mail_from
    assert message["To"] == email.mail_to
    assert message["Reply-To"] == "care@shop.example"
    assert message["Date"] is not None
    assert message["Auto-Submitted"] is None  # a personal message the customer may answer
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content() == email.text
    assert message.get_body(("html",)).get_content().rstrip("\n") == email.html
    assert received.raw.isascii(), "headers and bodies are 7-bit encoded for any server"


def test_a_long_non_ascii_subject_keeps_every_space(smtp_server):
    # Folded at 78 characters, Python 3.11 joined these encoded words without their space ("10900)kavējas").
    subject = "Jūsu sūtījums (pasūtījums Nr.\u00a010900) kavējas – atvainojamies"
    sender_for(smtp_server).send(an_email(subject=subject))
    [received] = smtp_server.messages
    assert received.message["Subject"] == subject


def test_server_down_is_a_temporary_failure():
    with refused_port() as port:
        sender = SmtpSender(SmtpTestServer(port=port).smtp_settings, timeout=2, local_hostname="app.test")
        with pytest.raises(TemporaryFailure, match="Cannot reach the mail server"):
            sender.send(an_email())


def test_a_550_recipient_is_a_permanent_failure(smtp_server):
    smtp_server.reject_recipient("matti@example.fi")
    with pytest.raises(PermanentFailure, match="550 5.1.1 No such user"):
        sender_for(smtp_server).send(an_email())
    assert smtp_server.messages == []


def test_a_451_on_data_is_a_temporary_failure_and_the_next_try_goes_through(smtp_server):
    smtp_server.fail_data()
    with pytest.raises(TemporaryFailure, match="451") as failure:
        sender_for(smtp_server).send(an_email())
    assert not failure.value.maybe_delivered
    sender_for(smtp_server).send(an_email())
    assert len(smtp_server.messages) == 1


def test_a_552_on_data_is_a_permanent_failure(smtp_server):
    smtp_server.fail_data(reply="552 5.3.4 Message too big")
    with pytest.raises(PermanentFailure, match="552"):
        sender_for(smtp_server).send(an_email())


@pytest.mark.parametrize(
    "field, value",
    [
        ("subject", "Hello\r\nBcc: everyone@example.com"),
        ("subject", "Hello\nX-Evil: 1"),
        ("mail_to", "matti@example.fi\r\nBcc: everyone@example.com"),
        ("mail_from", "care@shop.example\nBcc: everyone@example.com"),
        ("reply_to", "care@shop.example\rX-Evil: 1"),
        ("headers", (("X-Incident", "42\r\nBcc: everyone@example.com"),)),
        ("headers", (("Bcc", "everyone@example.com"),)),
        ("headers", (("X-Evil: 1\r\nX-Incident", "42"),)),
    ],
)
def test_header_injection_is_refused(smtp_server, field, value):
    email = an_email(**{field: value})
    with pytest.raises(ValueError):
        build_mime(email)
    with pytest.raises(PermanentFailure):
        sender_for(smtp_server).send(email)
    assert smtp_server.messages == []


@pytest.mark.parametrize("address", ["not an address", "a@b, c@d", "matti@", "matti@example..fi", '"x y"@example.fi'])
def test_an_unusable_address_is_refused_before_connecting(address):
    with refused_port() as port:  # nothing listens there
        sender = SmtpSender(SmtpTestServer(port=port).smtp_settings, timeout=2)
        with pytest.raises(PermanentFailure, match="To: not a single valid e-mail address"):
            sender.send(an_email(mail_to=address))


def test_extra_headers_are_added():
    message = build_mime(an_email(headers=(("X-Incident-Id", "inc-42"),)))
    assert message["X-Incident-Id"] == "inc-42"


def test_the_password_never_appears_in_failure_messages():
    with SmtpTestServer(username="care", password="the-right-one") as server:
        sender = sender_for(server, password=SECRET)
        with pytest.raises(TemporaryFailure) as failure:
            sender.send(an_email())
        assert "refused the login of 'care': 535" in str(failure.value)
        assert SECRET not in str(failure.value) and SECRET not in repr(failure.value)
        assert failure.value.__cause__ is None and failure.value.__suppress_context__
        server.stop()
        with pytest.raises(TemporaryFailure) as failure:
            sender.send(an_email())
        assert SECRET not in str(failure.value)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_a_server_echoing_the_login_back_has_the_password_redacted_and_the_address_masked_in_logs(mechanism):
    login = "care.team@shop.example"
    with SmtpTestServer(
        username=login, password="the-right-one", auth_mechanisms=(mechanism,), echo_refused_login=True
    ) as server:
        with pytest.raises(TemporaryFailure) as failure:
            sender_for(server, password=SECRET).send(an_email())
    text = str(failure.value)
    assert f"535 5.7.8 Refused: {mechanism} *** login={login} password=***" in text, "the echo arrived, redacted"
    plain = base64.b64encode(f"\0{login}\0{SECRET}".encode()).decode()
    for secret in (SECRET, base64.b64encode(SECRET.encode()).decode(), plain):
        assert secret not in text and secret not in repr(failure.value)
    record = logging.makeLogRecord({"msg": f"e-mail deferred: {text}", "error": text})
    line = JsonFormatter().format(record)
    assert SECRET not in line and login not in line and "c***@shop.example" in line


def test_login_with_the_right_password_delivers():
    with SmtpTestServer(username="care", password=SECRET) as server:
        sender_for(server).send(an_email())
        assert len(server.messages) == 1


@pytest.mark.parametrize("tls", ["starttls", "implicit"])
def test_tls_with_login_delivers(tls):
    with SmtpTestServer(username="care", password=SECRET, tls=tls) as server:
        sender_for(server).send(an_email())
        assert len(server.messages) == 1


def test_starttls_to_an_untrusted_certificate_is_a_temporary_failure():
    with SmtpTestServer(tls="starttls") as server:
        sender = SmtpSender(server.smtp_settings, timeout=5, local_hostname="app.test")  # system trust store
        with pytest.raises(TemporaryFailure, match="CERTIFICATE_VERIFY_FAILED"):
            sender.send(an_email())
        assert server.messages == []


def test_a_server_stopped_and_restarted_on_the_same_port_takes_the_next_send(smtp_server):
    sender = sender_for(smtp_server)
    port = smtp_server.port
    smtp_server.stop()
    with pytest.raises(TemporaryFailure):
        sender.send(an_email())
    smtp_server.start()
    assert smtp_server.port == port
    sender.send(an_email())
    assert len(smtp_server.messages) == 1


def test_a_hang_up_after_the_message_was_accepted_still_counts_as_sent(smtp_server):
    smtp_server.hang_up_on("QUIT")
    sender_for(smtp_server).send(an_email())
    assert len(smtp_server.wait_for_messages(1)) == 1


def test_a_hang_up_before_the_server_confirmed_the_message_may_have_delivered_it(smtp_server):
    smtp_server.hang_up_on("DATA")
    with pytest.raises(TemporaryFailure) as failure:
        sender_for(smtp_server).send(an_email())
    assert failure.value.maybe_delivered
    assert len(smtp_server.messages) == 1  # it did arrive: the caller must not blindly send again


def test_a_non_ascii_address_goes_out_with_smtputf8(smtp_server):
    sender_for(smtp_server).send(an_email(mail_to="Jürgen <jürgen@bäckerei.de>"))
    [received] = smtp_server.messages
    assert received.rcpt_tos == ("jürgen@bäckerei.de",)
    assert received.message["To"] == "Jürgen <jürgen@bäckerei.de>"


def test_a_non_ascii_address_is_a_permanent_failure_without_smtputf8():
    with SmtpTestServer(smtputf8=False) as server:
        with pytest.raises(PermanentFailure, match="SMTPUTF8"):
            sender_for(server).send(an_email(mail_to="jürgen@bäckerei.de"))


def test_message_ids_are_unique_and_well_formed():
    first, second = make_message_id("shop.example"), make_message_id("kauppa-ä.fi")
    assert first != make_message_id("shop.example")
    assert first.startswith("<") and first.endswith("@shop.example>")
    assert second.endswith(".fi>") and "@xn--" in second
    with pytest.raises(ValueError):
        make_message_id("bad domain>\r\n")


def test_the_date_header_is_the_time_the_app_gives_never_the_machines_clock():
    sent_at = datetime(2027, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=1)))
    message = build_mime(an_email(date=sent_at))
    assert parsedate_to_datetime(message["Date"]) == sent_at
    with pytest.raises(ValueError, match="timezone-aware"):
        build_mime(an_email(date=datetime(2027, 12, 31, 23, 30)))

