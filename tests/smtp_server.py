"""A real SMTP server for tests: aiosmtpd on 127.0.0.1, with failures on demand.

    with SmtpTestServer() as server:
        server.reject_recipient("gone@example.com")   # next RCPT for it: 550 5.1.1
        server.fail_data()                            # next DATA: 451
        SmtpSender(server.smtp_settings).send(...)
        server.messages[0].message["Subject"]

`stop()` then `start()` brings it back on the same port, so a test can take the
mail server down mid-flow. Import the `smtp_server` fixture to get one per test.
"""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import ssl
import tempfile
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from saleor_cs_app.settings import SmtpSettings

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes


class _Controller(Controller):
    """aiosmtpd's Controller on port 0: the kernel picks a free port; the one it got is read back before
    the Controller's own first connection (which goes to `self.port`)."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpTestServer:
    """`tls`: None (plain), "starttls" or "implicit", with a self-signed certificate for 127.0.0.1
    that `client_ssl_context` trusts. `username`/`password` turn on AUTH (allowed without TLS);
    `auth_mechanisms` narrows what is offered ("PLAIN", "LOGIN"); `echo_refused_login` answers a refused
    login with what the client sent (login, password as typed and as the mechanism carried it), as a
    careless server might."""

    def __init__(
        self,
        *,
        port: int | None = None,
        username: str | None = None,
        password: str | None = None,
        tls: str | None = None,
        smtputf8: bool = True,
        auth_mechanisms: tuple[str, ...] | None = None,
        echo_refused_login: bool = False,
    ):
        self.port = port  # None: a free one, chosen at the first start and kept for restarts
        self.username, self.password, self.tls = username, password, tls
        self.smtputf8 = smtputf8
        self.auth_mechanisms, self.echo_refused_login = auth_mechanisms, echo_refused_login
        self.messages: list[Received] = []
        self._lock = threading.Lock()
        # (event, detail) -> [times left, reply]; read and written on the server's thread too.
        self._scripted: dict[tuple[str, str], list] = {}
        self._controller: Controller | None = None
        self.client_ssl_context: ssl.SSLContext | None = None
        self._server_ssl_context: ssl.SSLContext | None = None
        if tls:
            self._make_certificate()

    # -- running -------------------------------------------------------------
    def start(self) -> "SmtpTestServer":
        assert self._controller is None, "already running"
        params: dict = {"enable_SMTPUTF8": self.smtputf8}
        if self.tls == "starttls":
            params["tls_context"] = self._server_ssl_context
        if self.username is not None:
            params.update(authenticator=self._authenticate, auth_require_tls=False)
            if self.auth_mechanisms is not None:
                params["auth_exclude_mechanism"] = {"PLAIN", "LOGIN"} - set(self.auth_mechanisms)
        # A fresh Controller each time: a stopped one has closed its event loop.
        self._controller = _Controller(
            _Handler(self),
            hostname=HOST,
            port=self.port or 0,
            server_hostname="mx.test",
            ssl_context=self._server_ssl_context if self.tls == "implicit" else None,
            **params,
        )
        self._controller.start()
        self.port = self._controller.port
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> "SmtpTestServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def wait_for_messages(self, count: int = 1, timeout: float = 5.0) -> list[Received]:
        """For flows that send from a worker thread: wait until `count` messages have arrived."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} message(s) within {timeout}s, got {len(self.messages)}")
            time.sleep(0.01)
        return self.messages

    @property
    def smtp_settings(self) -> SmtpSettings:
        return SmtpSettings(
            host=HOST,
            port=self.port,
            username=self.username,
            password=self.password,
            use_tls=self.tls == "implicit",
            starttls=self.tls == "starttls",
        )

    # -- failures on demand ----------------------------------------------------
    def reject_recipient(self, address: str, times: int = 1, reply: str = "550 5.1.1 No such user") -> None:
        """The next `times` RCPT TO for `address` get `reply`."""
        self._script(("RCPT", address.lower()), times, reply)

    def fail_data(self, times: int = 1, reply: str = "451 4.3.0 Temporary failure, try again later") -> None:
        """The next `times` messages get `reply` after their body instead of 250."""
        self._script(("DATA", ""), times, reply)

    def hang_up_on(self, command: str, times: int = 1) -> None:
        """Drop the connection without a reply: "QUIT" (after a 250 for the message), or "DATA"
        (after the whole body arrived and was kept, before the reply: the unknowable case)."""
        self._script(("HANG UP", command.upper()), times, "")

    # -- internals -------------------------------------------------------------
    def _script(self, key: tuple[str, str], times: int, reply: str) -> None:
        with self._lock:
            self._scripted[key] = [times, reply]

    def _next(self, *key: str) -> str | None:
        """The scripted reply for this event, if any is left ("" for a hang-up)."""
        with self._lock:
            entry = self._scripted.get(key)
            if not entry or entry[0] <= 0:
                return None
            entry[0] -= 1
            return entry[1]

    def _authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        login, password = auth_data.login, auth_data.password
        ok = (login.decode(), password.decode()) == (self.username, self.password or "")
        if ok or not self.echo_refused_login:
            return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself
        carried = base64.b64encode(b"\0" + login + b"\0" + password if mechanism == "PLAIN" else password)
        echo = f"{mechanism} {carried.decode()} login={login.decode()} password={password.decode()}"
        return AuthResult(success=False, handled=False, message=f"535 5.7.8 Refused: {echo}")

    def _make_certificate(self) -> None:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID

        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
        now = dt.datetime.now(dt.timezone.utc)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        cert_pem = cert.public_bytes(serialization.Encoding.PEM)
        self._server_ssl_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        with tempfile.TemporaryDirectory() as tmp:  # load_cert_chain reads only from files
            cert_file, key_file = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
            cert_file.write_bytes(cert_pem)
            key_file.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
            self._server_ssl_context.load_cert_chain(cert_file, key_file)
        self.client_ssl_context = ssl.create_default_context(cadata=cert_pem.decode())


class _Handler:
    def __init__(self, server: SmtpTestServer):
        self.server = server

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        reply = self.server._next("RCPT", address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        reply = self.server._next("DATA", "")
        if reply is not None:
            return reply
        raw = envelope.original_content or envelope.content
        # As a mailbox would store it: LF line ends, so get_content() gives back what was sent.
        message = BytesParser(policy=default_policy).parsebytes(raw.replace(b"\r\n", b"\n"))
        self.server.messages.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), message, raw))
        if self.server._next("HANG UP", "DATA") is not None:
            smtp.transport.abort()
        return "250 2.0.0 Queued"

    async def handle_QUIT(self, smtp, session, envelope):
        if self.server._next("HANG UP", "QUIT") is not None:
            smtp.transport.abort()
        return "221 Bye"


@pytest.fixture
def smtp_server():
    with SmtpTestServer() as server:
        yield server
