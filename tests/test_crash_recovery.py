"""A process that dies loses nothing (#21): a burst of late orders, the process carrying them out SIGKILLed
several times mid-burst (as an out-of-memory kill or a lost node would do it), and every customer still gets
exactly one e-mail and one voucher, continued by the sweep once the dead process's leases run out.

These run real processes on the machine's clock by design (as test_two_worker_processes_share_the_queue), so
the test clock is set to it; .ci/run's faketime step leaves them out. The scale-out ones need PostgreSQL and
Redis (.ci/run step 2); `serve` is SQLite whatever the suite runs on, so it runs in step 1 only.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest
import requests

from saleor_cs_app.notify import send
from saleor_cs_app.runtime import Runtime
from saleor_cs_app.settings import Settings
from saleor_cs_app.store.models import Incident
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL, serve_on_a_free_port
from tests.flows import incidents, outbox, use_policy
from tests.smtp_server import SmtpTestServer

BURST = 60
KILLS = 3
SALEOR_LATENCY = 0.1  # seconds per Saleor call, a real Saleor's round trip: the burst lasts as it would
# After the last kill: the dead process's lease (20 s), the sweep at the next minute, then the work itself.
RECOVERY_WITHIN = 150
VOUCHERS = {
    "version": 1,
    "limits": {"per_customer": {"max": 1000, "days": 90}},
    "rules": [{"name": "Late", "when": {"kinds": ["late_shipment"]}, "offer": {"free_shipping_voucher": {}}}],
}

scale_out = pytest.mark.skipif(
    not (TEST_DATABASE_URL and TEST_REDIS_URL),
    reason="the scale-out configuration (PostgreSQL + Redis): runs in .ci/run step 2",
)


class Process:
    """One app process the test kills and starts again; its output goes to a file, read on failure."""

    def __init__(self, name: str, argv: list[str], env: dict, workdir, *, group: bool = False):
        self.name, self._argv, self._env, self._workdir, self._group = name, argv, env, workdir, group
        self._log = workdir / f"{name}.log"
        self.popen: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        with open(self._log, "a") as log:
            self.popen = subprocess.Popen(
                self._argv, env=self._env, cwd=self._workdir, stdout=log, stderr=log, start_new_session=self._group
            )

    def kill(self) -> None:
        """SIGKILL: nothing runs after it, not even a finally (gunicorn: the master and its workers)."""
        if self._group:
            os.killpg(self.popen.pid, signal.SIGKILL)
        else:
            self.popen.kill()
        self.popen.wait(timeout=30)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.kill()

    def output(self) -> str:
        return self._log.read_text()[-4000:]


def place_late_orders(saleor, clock) -> list[dict]:
    created = clock.now - timedelta(days=10)
    return [saleor.add_order(created=created, userEmail=f"customer{n}@example.com") for n in range(BURST)]


class Deliveries(threading.Thread):
    """Saleor delivering ORDER_CREATED for each order, and again after a refused or failed attempt."""

    def __init__(self, saleor, orders):
        super().__init__(daemon=True)
        self._saleor, self._orders = saleor, orders
        self.acknowledged = 0

    def run(self) -> None:
        for order in self._orders:
            while not self._acknowledged(order):
                time.sleep(0.2)
            self.acknowledged += 1

    def _acknowledged(self, order) -> bool:
        try:
            sent = self._saleor.send_webhook("ORDER_CREATED", order_id=order["id"], issuedAt=order["created"])
            return sent.status_code == 200
        except requests.RequestException:  # the web process is dead: Saleor retries later
            return False


def holding_a_lease(runtime, pid: int) -> bool:
    """The process is carrying out an incident right now (a lease names it)."""
    return bool(incidents(runtime, Incident.lease_holder.endswith(f":{pid}")))


class Drill:
    """Kill `victim` KILLS times, each while it carries out an incident, and time the recovery."""

    def __init__(self, runtime, mail, victim: Process, *, up=lambda: None):
        self.runtime, self.mail, self.victim, self._up = runtime, mail, victim, up
        self.told_at_first_kill: int | None = None
        self.last_kill: float | None = None

    def kill_mid_burst(self) -> None:
        for kill in range(KILLS):
            deadline = time.monotonic() + 90
            while not holding_a_lease(self.runtime, self.victim.popen.pid):
                assert len(self.mail.messages) < BURST, f"the burst was over before kill {kill + 1}"
                states = Counter(i.state for i in incidents(self.runtime))
                assert time.monotonic() < deadline, f"{self.victim.name} never took an incident ({states})"
                time.sleep(0.02)
            self.victim.kill()
            self.last_kill = time.monotonic()
            if self.told_at_first_kill is None:
                self.told_at_first_kill = len(self.mail.messages)
            self.victim.start()
            self._up()

    def wait_for_every_customer(self) -> float:
        """Seconds from the last kill until the last customer's e-mail arrived."""
        deadline = self.last_kill + RECOVERY_WITHIN
        while len(self.mail.messages) < BURST and time.monotonic() < deadline:
            time.sleep(0.1)
        waited = time.monotonic() - self.last_kill
        while not self._settled() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(2)  # a second copy of some e-mail would arrive now
        return waited

    def _settled(self) -> bool:
        """Every e-mail's outcome recorded, or left `sending` by a sender killed after its final dot."""
        return all(m.state in ("sent", "sending") for m in outbox(self.runtime)) and len(outbox(self.runtime)) == BURST

    def assert_every_customer_told_once(self, saleor, orders) -> None:
        assert self.told_at_first_kill is not None and self.told_at_first_kill < BURST, "the first kill came mid-burst"
        received = Counter(r for m in self.mail.messages for r in m.rcpt_tos)
        assert received == Counter({o["userEmail"]: 1 for o in orders}), "every customer, one e-mail each"
        # Killed between the final dot and recording the server's 250, a sender leaves its message `sending`:
        # delivered (the server has it, checked above), but the app cannot know, so the sweep shows it to
        # the merchant as maybe delivered, never re-sent. The sweep, SENDING_TIMEOUT later:
        self.runtime.clock.now = datetime.now(timezone.utc) + send.SENDING_TIMEOUT + timedelta(seconds=1)
        send.mark_uncertain_sends(self.runtime)
        found = incidents(self.runtime)
        maybe = [m.incident_id for m in outbox(self.runtime) if m.state == "uncertain"]
        assert len(found) == BURST and all(i.state == "notified" for i in found if i.id not in maybe)
        assert all(i.state == "failed" and i.error == send.STOPPED_MID_CONVERSATION for i in found if i.id in maybe)
        if maybe:
            print(f"\n{len(maybe)} e-mail(s) delivered by a sender killed before recording the 250: uncertain")
        assert len(saleor.vouchers) == BURST, "one voucher per customer"
        codes = {c["code"] for v in saleor.vouchers.values() for c in v["_codes"]}
        assert codes == {i.goodwill_code for i in found}
        for message in self.mail.messages:
            incident = next(i for i in found if i.customer_email == message.rcpt_tos[0])
            assert incident.goodwill_code in message.message.get_body(("plain",)).get_content()
        assert all(len(saleor.notes[o["id"]]) == 1 for o in orders), "one order note each"


def app_env(settings, mail, **more) -> dict:
    env = {
        **os.environ,
        "APP_URL": settings.app_url,
        "DATABASE_URL": settings.database_url,
        "SECRET_KEY": settings.secret_key,
        "SMTP_URL": f"smtp://{mail.smtp_settings.host}:{mail.smtp_settings.port}",
        "LOG_LEVEL": "INFO",
        **more,
    }
    env.pop("ALLOWED_SALEOR_URLS", None)
    return env


def start_workers(env, workdir) -> list[Process]:
    argv = [sys.executable, "-m", "saleor_cs_app", "worker", "--workers", "4"]
    return [Process(f"worker-{n}", argv, env, workdir) for n in range(2)]


def run_scale_out(saleor, runtime, clock, settings, tmp_path, app_server, *, kill_web: bool) -> float:
    # The worker processes run on the machine's clock, so the app is installed and the orders are placed
    # by it. Installed before the orders were due: the install's reconciliation, wherever it runs, would
    # put an order whose promise broke before the install into the backlog instead.
    clock.now = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=20)
    installed = saleor
    assert installed.install(f"{app_server.url}/api/manifest").status_code == 200
    runtime.jobs.drain()
    clock.now += timedelta(days=20)
    installed.latency = SALEOR_LATENCY
    use_policy(runtime, installed, VOUCHERS)
    orders = place_late_orders(installed, clock)
    with SmtpTestServer() as mail:
        env = app_env(settings, mail, REDIS_URL=settings.redis_url)
        processes = start_workers(env, tmp_path)
        web = None
        if kill_web:  # gunicorn takes over the app's port from the test's own server
            app_server.close()
            gunicorn = ["-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4"]
            gunicorn += ["-b", f"127.0.0.1:{app_server.port}"]
            web = Process("gunicorn", [sys.executable, *gunicorn, "saleor_cs_app.wsgi:app"], env, tmp_path, group=True)
            processes.append(web)
            wait_until_up(f"{settings.app_url}/healthz", web)
        try:
            deliveries = Deliveries(installed, orders)
            deliveries.start()
            if kill_web:
                while deliveries.acknowledged < BURST // 3:
                    time.sleep(0.01)
                web.kill()
                web.start()
                wait_until_up(f"{settings.app_url}/healthz", web)
            drill = Drill(runtime, mail, processes[0])
            drill.kill_mid_burst()
            deliveries.join(timeout=120)
            waited = drill.wait_for_every_customer()
            drill.assert_every_customer_told_once(installed, orders)
        except AssertionError:
            print("\n".join(f"--- {p.name}\n{p.output()}" for p in processes))
            raise
        finally:
            for process in processes:
                process.stop()
    return waited


def wait_until_up(url: str, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        assert process.popen.poll() is None, process.output()
        time.sleep(0.1)
    raise AssertionError(f"{process.name} did not answer {url}:\n{process.output()}")


@scale_out
def test_a_worker_killed_three_times_mid_burst_loses_no_customer(
    saleor, runtime, clock, settings, tmp_path, app_server
):
    waited = run_scale_out(saleor, runtime, clock, settings, tmp_path, app_server, kill_web=False)
    print(f"\nscale-out, a worker killed {KILLS}×: the last customer was told {waited:.1f} s after the last kill")


@scale_out
def test_the_web_and_a_worker_killed_mid_burst_lose_no_customer(
    saleor, runtime, clock, settings, tmp_path, app_server
):
    waited = run_scale_out(saleor, runtime, clock, settings, tmp_path, app_server, kill_web=True)
    print(f"\nscale-out, gunicorn killed once and a worker {KILLS}×: the last customer was told {waited:.1f} s after")


@pytest.mark.skipif(TEST_DATABASE_URL is not None, reason="serve runs on its own SQLite: it ran in .ci/run step 1")
def test_serve_killed_three_times_mid_burst_loses_no_customer(saleor, clock, tmp_path):
    clock.now = datetime.now(timezone.utc).replace(microsecond=0)
    saleor.latency = SALEOR_LATENCY
    with SmtpTestServer() as mail:
        secret = "test-secret-key-0123456789abcdef"

        def env_for(port: int) -> dict:
            database = f"sqlite:///{tmp_path / str(port) / 'app.db'}"
            settings = Settings(app_url=f"http://127.0.0.1:{port}", database_url=database, secret_key=secret)
            env = app_env(settings, mail)
            env.pop("REDIS_URL", None)
            return env

        first, port = serve_on_a_free_port(tmp_path, env_for, path="/healthz")
        first.kill()  # started again below as a Process, whose output goes to a file
        first.communicate()
        env = env_for(port)
        argv = [sys.executable, "-m", "saleor_cs_app", "serve", "--port", str(port)]
        serve = Process("serve", argv, env, tmp_path / str(port))
        url = f"http://127.0.0.1:{port}"
        runtime = Runtime.build(Settings(app_url=url, database_url=env["DATABASE_URL"], secret_key=secret), clock=clock)
        try:
            wait_until_up(f"{url}/healthz", serve)
            assert saleor.install(f"{url}/api/manifest").status_code == 200
            # The install's reconciliation first: an order it saw already late would wait in the install backlog.
            while not any(b"OpenOrders" in r["body"] for r in list(saleor.requests)):
                time.sleep(0.1)
            time.sleep(1)
            use_policy(runtime, saleor, VOUCHERS)
            orders = place_late_orders(saleor, clock)
            deliveries = Deliveries(saleor, orders)
            deliveries.start()
            drill = Drill(runtime, mail, serve, up=lambda: wait_until_up(f"{url}/healthz", serve))
            drill.kill_mid_burst()
            deliveries.join(timeout=120)
            waited = drill.wait_for_every_customer()
            drill.assert_every_customer_told_once(saleor, orders)
        except AssertionError:
            print(serve.output())
            raise
        finally:
            serve.stop()
            runtime.db.dispose()
    print(f"\nserve killed {KILLS}×: the last customer was told {waited:.1f} s after the last kill")
