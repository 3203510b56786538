"""Hands one e-mail to the SMTP server and says whether a failure is worth retrying.

TemporaryFailure: later may work — no connection, timeouts, a dropped conversation, 4xx replies, and trouble
at EHLO/STARTTLS/AUTH (even 5xx there: that is our configuration, not this message, and may be fixed).
PermanentFailure: this message cannot go — 5xx to MAIL, RCPT or DATA, or an address or header refused here.

Once the server answers 250 to the end of DATA the message is the server's: a failing QUIT is ignored, so
the outbox never sends a second copy. A connection lost between the final dot and that reply leaves the
outcome unknown (https://www.rfc-editor.org/rfc/rfc1047); that TemporaryFailure has `maybe_delivered=True`.
"""

from __future__ import annotations

import base64
import re
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP, SMTPUTF8
from email.policy import default as default_policy

# Headers are folded only past RFC 5322's hard limit: Python 3.11's folder can drop the space between two
# encoded words when it folds a non-ASCII subject at 78 ("var pienākt" arrived as "varpienākt").
_LONGEST_LINE = 998
from email.utils import format_datetime

from saleor_cs_app.settings import SmtpSettings


class SendFailure(Exception):
    """What `SmtpSender.send` raises; the text is safe to store and show (never the password)."""


class TemporaryFailure(SendFailure):
    def __init__(self, message: str, *, maybe_delivered: bool = False):
        super().__init__(message)
        self.maybe_delivered = maybe_delivered


class PermanentFailure(SendFailure):
    pass


@dataclass(frozen=True)
class Email:
    mail_from: str  # "Shop care <care@shop.example>" or a bare address
    mail_to: str
    subject: str
    text: str
    html: str
    message_id: str  # "<id@domain>", see make_message_id
    date: datetime  # the Date header: when it is handed to the server, by the app's clock
    reply_to: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


# Everything a mail parser might take for the end of a header line (str.splitlines' set, and NUL).
_LINE_BREAK = re.compile(r"[\r\n\x00\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ATOM = r'[^\s@<>()\[\],;:"\\.]+'
_ADDR_SPEC = re.compile(rf"[^\s@<>()\[\],;:\"\\]+@{_ATOM}(?:\.{_ATOM})*")
_MESSAGE_ID = re.compile(r"<[^<>@\s]+@[^<>@\s]+>")
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # RFC 5322 ftext
_OWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "cc",
        "bcc",
        "subject",
        "date",
        "message-id",
        "reply-to",
        "sender",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "return-path",
    }
)


def make_message_id(domain: str) -> str:
    try:
        ascii_domain = domain.strip().encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = ""
    if not re.fullmatch(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*", ascii_domain):
        raise ValueError(f"{domain!r} cannot be a Message-ID domain")
    return f"<{uuid.uuid4().hex}@{ascii_domain}>"


def build_mime(email: Email) -> EmailMessage:
    """multipart/alternative (text, then HTML), UTF-8; ValueError for anything that could inject headers."""
    for field, address in (("From", email.mail_from), ("To", email.mail_to), ("Reply-To", email.reply_to)):
        if address is not None:
            _address(field, address)
    _one_line("Subject", email.subject)
    if not _MESSAGE_ID.fullmatch(email.message_id):
        raise ValueError("Message-ID: expected <id@domain>")
    for name, value in email.headers:
        if not _HEADER_NAME.fullmatch(name) or name.lower() in _OWN_HEADERS:
            raise ValueError(f"{name!r} cannot be added as a header")
        _one_line(name, value)
    msg = EmailMessage(policy=default_policy)
    if email.date.tzinfo is None:
        raise ValueError("Date: expected a timezone-aware time")
    date = format_datetime(email.date)
    for name, value in (
        ("Subject", email.subject),
        ("From", email.mail_from),
        ("To", email.mail_to),
        ("Reply-To", email.reply_to),
        ("Date", date),
        ("Message-ID", email.message_id),
        *email.headers,
    ):
        if value is not None:
            msg[name] = value
    # quoted-printable keeps the body 7-bit, so no server needs 8BITMIME for å, ą or ė.
    msg.set_content(email.text, cte="quoted-printable")
    msg.add_alternative(email.html, subtype="html", cte="quoted-printable")
    return msg


class SmtpSender:
    def __init__(
        self,
        settings: SmtpSettings,
        *,
        timeout: float = 30.0,
        local_hostname: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ):
        self._settings = settings
        self._timeout = timeout
        self._local_hostname = local_hostname
        self._ssl_context = ssl_context  # None: the system's trust store

    def send(self, email: Email, *, before_final_dot: Callable[[], None] = lambda: None) -> None:
        """Returns once the server has accepted the message; raises TemporaryFailure or PermanentFailure.

        `before_final_dot` runs when the whole body went out but its final dot not yet: until then a
        dropped connection delivers nothing. If it raises, the connection is dropped without the dot."""
        try:
            self._send(email, before_final_dot)
        except SendFailure as exc:
            exc.args = (self._redact(str(exc)),)
            raise

    def _send(self, email: Email, before_final_dot: Callable[[], None]) -> None:
        try:
            payload = build_mime(email)
            sender, recipient = _address("From", email.mail_from), _address("To", email.mail_to)
        except ValueError as exc:
            raise PermanentFailure(f"The message cannot be sent: {exc}") from None
        utf8 = not (sender + recipient).isascii()
        data = payload.as_bytes(policy=(SMTPUTF8 if utf8 else SMTP).clone(max_line_length=_LONGEST_LINE))
        smtp = self._connect()
        try:
            self._hand_over(smtp, sender, recipient, data, utf8, before_final_dot)
        except (smtplib.SMTPException, OSError) as exc:
            smtp.close()
            s = self._settings
            raise TemporaryFailure(f"The SMTP conversation with {s.host}:{s.port} failed: {_describe(exc)}") from None
        finally:
            _goodbye(smtp)  # after a refusal, or after 250: then a failing QUIT changes nothing

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        try:
            if s.use_tls:
                return smtplib.SMTP_SSL(
                    s.host, s.port, local_hostname=self._local_hostname, timeout=self._timeout, context=self._context()
                )
            return smtplib.SMTP(s.host, s.port, local_hostname=self._local_hostname, timeout=self._timeout)
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"Cannot reach the mail server {s.host}:{s.port}: {_describe(exc)}") from None

    def _hand_over(
        self, smtp: smtplib.SMTP, sender: str, recipient: str, data: bytes, utf8: bool, before_final_dot
    ) -> None:
        s = self._settings
        smtp.ehlo_or_helo_if_needed()
        if s.starttls and not s.use_tls:
            smtp.starttls(context=self._context())  # never falls back to plain text
            smtp.ehlo()
        if s.username:
            try:
                smtp.login(s.username, s.password or "")
            except smtplib.SMTPAuthenticationError as exc:
                refusal = f"The mail server refused the login of {s.username!r}: {_describe(exc)}"
                raise TemporaryFailure(refusal) from None
        if utf8 and not smtp.has_extn("smtputf8"):
            raise PermanentFailure("The address needs SMTPUTF8, which the mail server does not offer")
        _expect("MAIL FROM", smtp.mail(sender, ["SMTPUTF8"] if utf8 else []), 250)
        _expect("RCPT TO", smtp.rcpt(recipient), 250, 251)
        # DATA by hand rather than smtp.data(): a lost connection *after* the body went out must be told
        # apart from one before it (then nothing can have been delivered).
        _expect("DATA", smtp.docmd("DATA"), 354)
        body = _dot_stuffed(data)
        smtp.send(body[: -len(_FINAL_DOT)])
        try:
            before_final_dot()
        except BaseException:
            smtp.close()  # without its final dot the server drops the message (a QUIT would be a line of it)
            raise
        smtp.send(_FINAL_DOT)
        try:
            reply = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(
                "The connection was lost after the message was sent, before the server "
                f"confirmed it; it may have been delivered ({_describe(exc)})",
                maybe_delivered=True,
            ) from None
        _expect("the message", reply, 250)

    def _context(self) -> ssl.SSLContext:
        return self._ssl_context or ssl.create_default_context()

    def _redact(self, text: str) -> str:
        password, username = self._settings.password, self._settings.username or ""
        if not password:
            return text
        # The password as typed, and as AUTH PLAIN / AUTH LOGIN carry it, in case a server echoes it back.
        for secret in (f"\0{username}\0{password}", password):
            text = text.replace(base64.b64encode(secret.encode()).decode(), "***")
        return text.replace(password, "***")


def _address(field: str, value: str) -> str:
    """The bare address of a one-address header value ("Name <a@b>" or "a@b")."""
    _one_line(field, value)
    try:
        addresses = default_policy.header_factory(field, value).addresses
    except Exception:  # the stdlib header parser has raised IndexError on input such as "a@"
        addresses = ()
    if len(addresses) != 1 or not _ADDR_SPEC.fullmatch(addresses[0].addr_spec):
        raise ValueError(f"{field}: not a single valid e-mail address")
    return addresses[0].addr_spec


def _one_line(field: str, value: str) -> None:
    if _LINE_BREAK.search(value):
        raise ValueError(f"{field}: line breaks are not allowed in a header")


def _expect(stage: str, reply: tuple[int, bytes], *ok: int) -> None:
    code, text = reply
    if code in ok:
        return
    detail = f"The mail server answered {code} {_text(text)} to {stage}"
    raise PermanentFailure(detail) if 500 <= code < 600 else TemporaryFailure(detail)


def _dot_stuffed(data: bytes) -> bytes:
    data = re.sub(rb"\r\n|\r|\n", b"\r\n", data)
    data = re.sub(rb"(?m)^\.", b"..", data)
    return data + (b"" if data.endswith(b"\r\n") else b"\r\n") + _FINAL_DOT


_FINAL_DOT = b".\r\n"


def _goodbye(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()  # raises at once when the connection is already closed
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())
