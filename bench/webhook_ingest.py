"""Signed-webhook ingest under real servers, next to a bare 200-OK Flask endpoint under the same server.

Load comes from wrk (C, not the Python client that capped the old baseline): a Lua
script cycles through pre-generated, unique, correctly signed ORDER_CREATED bodies
rendered from the app's own subscription by the Saleor stand-in. Two configurations:

  serve     `saleor-cs-app serve` (waitress, SQLite, embedded worker)  vs  bare under waitress --threads=8
  gunicorn  gunicorn -w 2 --threads 4, PostgreSQL + Redis              vs  bare under the same gunicorn

Each run measures the bare endpoint, three floors and the app back to back (same load on
this shared machine); runs repeat and the spread is printed. The floors are the least any
ingest must do, under the same server: `verify` (PyJWT RS256 detached verify, nothing
stored), `insert` (verify + one INSERT and commit per request, the configuration's
database, durable as the app is) and `insert, no flush` (the same with the commit not
waiting for the disk: not durable, an upper bound for any design that writes each
delivery to that database). Then, after the acknowledgement: one
worker process's deliveries per second, and the time from a burst of deliveries to the
last one processed. Every run also checks that each acknowledged delivery was stored and
processed exactly once. Not run by .ci/run.

  python bench/webhook_ingest.py [--runs 3] [--duration 10] [--configs serve,gunicorn]
      [--postgres URL --redis URL]   (the gunicorn configuration needs both; it empties them)
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
CONNECTIONS, WRK_THREADS = 8, 2
WAITRESS = ["-m", "waitress", "--threads=8"]
GUNICORN = ["-m", "gunicorn", "-w", "2", "-k", "gthread", "--threads", "4", "--log-level", "warning"]
PATH = "/api/webhooks/order-created"

LUA = r"""
-- Thread i of n sends lines i, i+n, i+2n ... of the bodies file ("signature<TAB>body"), once each;
-- with a limit it stops after its share (a burst), otherwise it wraps (counted in `wrapped`).
local threads, counter = {}, 0
function setup(thread)
  thread:set("id", counter)
  threads[#threads + 1] = thread
  counter = counter + 1
end
function init(args)
  requests_, sent, non2xx, wrapped, queued = {}, 0, 0, 0, 0
  local n, limit, i = tonumber(args[2]), tonumber(args[3]), 0
  for line in io.lines(args[1]) do
    if i % n == id then
      local tab = line:find("\t", 1, true)
      local headers = {
        ["Content-Type"] = "application/json",
        ["Saleor-Event"] = "order_created",
        ["Saleor-Api-Url"] = args[4],
        ["Saleor-Domain"] = args[5],
        ["Saleor-Signature"] = line:sub(1, tab - 1),
      }
      requests_[#requests_ + 1] = wrk.format("POST", args[6], headers, line:sub(tab + 1))
    end
    i = i + 1
  end
  share = limit > 0 and math.floor(limit / n) + ((limit % n) > id and 1 or 0) or 0
end
function delay()
  -- a burst: after its share a thread goes quiet; the bench stops wrk once nothing new is stored.
  -- delay() of several connections can run before their requests are built, so a thread may send
  -- one past its share (wrapping to its first body: a duplicate, not counted as queued)
  if share > 0 and sent >= share then return 3600000 end
  return 0
end
function request()
  sent = sent + 1
  if sent > #requests_ then wrapped = wrapped + 1 end
  return requests_[(sent - 1) % #requests_ + 1]
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  -- new deliveries (not "duplicate"): a burst can send a thread's first body twice, see delay()
  if body:find('"queued"', 1, true) then queued = queued + 1 end
end
function done(summary, latency, requests)
  local bad, wrap, new = 0, 0, 0
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx"); wrap = wrap + t:get("wrapped"); new = new + t:get("queued")
  end
  io.write(string.format("RESULT %d %d %d %d %d %.3f %.3f\n", summary.requests, summary.duration, bad, wrap, new,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""

BARE_APP = textwrap.dedent(
    """
    from flask import Flask, jsonify, request
    app = Flask(__name__)
    @app.post("/api/webhooks/<name>")
    def ok(name):
        request.get_data()
        return jsonify(success=True)
    @app.get("/healthz")
    def health():
        return "ok"
    """
)


FLOOR_APP = textwrap.dedent(
    """
    import hashlib, json, os, sqlite3, threading
    import jwt, psycopg
    from flask import Flask, jsonify, request
    from jwt.algorithms import RSAAlgorithm

    KEYS = {k["kid"]: RSAAlgorithm.from_jwk(json.dumps(k)) for k in json.load(open("jwks.json"))["keys"]}
    DB, FLUSH = os.environ.get("FLOOR_DB", ""), os.environ.get("FLOOR_FLUSH") == "1"
    local = threading.local()
    app = Flask(__name__)

    def connection():
        conn = getattr(local, "conn", None)
        if conn is None and DB.startswith("postgresql"):
            conn = local.conn = psycopg.connect(DB, autocommit=True)
            conn.execute("SET synchronous_commit = " + ("on" if FLUSH else "off"))
        elif conn is None:
            conn = local.conn = sqlite3.connect(DB, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA synchronous=" + ("NORMAL" if FLUSH else "OFF"))
        return conn

    @app.post("/api/webhooks/<name>")
    def ingest(name):
        body, signature = request.get_data(), request.headers["Saleor-Signature"]
        key = KEYS[jwt.get_unverified_header(signature)["kid"]]
        jwt.api_jws.decode_complete(signature, key, algorithms=["RS256"], detached_payload=body)
        if DB:
            sql = "INSERT INTO floor_deliveries (body_hash, event, body) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING"
            connection().execute(sql if DB.startswith("postgresql") else sql.replace("%s", "?"),
                                 (hashlib.sha256(body).digest(), name, body))
        return jsonify(status="queued")

    @app.get("/healthz")
    def health():
        return "ok"
    """
)
FLOORS = {"verify": None, "insert": True, "insert, no flush": False}  # name: flush (None: no database)


@dataclass
class Load:
    requests: int
    seconds: float
    non2xx: int
    wrapped: int
    queued: int  # answered "queued": new deliveries, not duplicates
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


# ------------------------------------------------------------------------------- the bodies


def _sign_chunk(args) -> list[str]:
    private_pem, kid, bodies = args
    import jwt
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    key = load_pem_private_key(private_pem, None)
    return [
        jwt.api_jws.encode(b, key, algorithm="RS256", headers={"kid": kid, "crit": ["b64"]}, is_payload_detached=True)
        for b in bodies
    ]


def make_saleor():
    """The stand-in with the app installed (no HTTP): its key signs, its JWKS is the tenant's."""
    from saleor_cs_app.manifest import build_manifest
    from saleor_cs_app.settings import Settings
    from saleor_cs_app.webhooks import by_event
    from tests.saleor_stand_in import SaleorStandIn

    saleor = SaleorStandIn().start()
    settings = Settings(app_url="http://127.0.0.1:1", database_url="sqlite://", secret_key="x" * 32)
    saleor.create_app(build_manifest(settings))
    assert by_event("ORDER_CREATED") is not None
    return saleor


def write_bodies(saleor, path: Path, count: int, first: int) -> None:
    """`count` unique signed ORDER_CREATED deliveries, rendered from the app's subscription."""
    from cryptography.hazmat.primitives import serialization

    templates = []
    for _ in range(20):
        order = saleor.add_order()
        templates.append(json.dumps(saleor.webhook_payload("ORDER_CREATED", order_id=order["id"])))
    bodies = []
    for i in range(first, first + count):
        template = templates[i % len(templates)]
        order_id = json.loads(template)["order"]["id"]
        unique_id = base64.b64encode(f"Order:{uuid.UUID(int=i)}".encode()).decode()
        bodies.append(template.replace(order_id, unique_id).encode())
    key = saleor._keys[0]
    pem = key.private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    chunks = [bodies[i : i + 2000] for i in range(0, len(bodies), 2000)]
    with ProcessPoolExecutor(2) as pool:
        signatures = [s for chunk in pool.map(_sign_chunk, [(pem, key.kid, c) for c in chunks]) for s in chunk]
    with path.open("w") as out:
        for signature, body in zip(signatures, bodies):
            out.write(f"{signature}\t{body.decode()}\n")


def wrk(url: str, script: Path, bodies: Path, saleor, *, duration: float, until=None, limit: int = 0) -> Load:
    """Load for `duration` seconds; with `limit`, a burst of that many, ended once `until()` is true."""
    args = ["wrk", f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{round(duration)}s", "--timeout", "10s", "-s", str(script)]
    args += [url, "--", str(bodies), str(WRK_THREADS), str(limit), saleor.api_url, saleor.domain, PATH]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if until is not None:
        while proc.poll() is None and not until():
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)  # wrk stops and reports
    out = proc.communicate()[0]
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    n, micros, bad, wrapped, queued, p50, p99 = match.groups()
    return Load(int(n), int(micros) / 1e6, int(bad), int(wrapped), int(queued), float(p50), float(p99))


# ------------------------------------------------------------------------------- the servers


class Config:
    """One configuration: how to start the app, the bare endpoint and a worker, and its database."""

    def __init__(self, name: str, workdir: Path, saleor, postgres: str | None = None, redis: str | None = None):
        self.name, self.workdir, self.saleor = name, workdir, saleor
        self.postgres, self.redis = postgres, redis
        self._engine = None
        self.env = {
            **os.environ,
            "SECRET_KEY": "bench-secret-key-0123456789",
            "APP_URL": "http://127.0.0.1:1",
            "ALLOWED_SALEOR_URLS": "*",
            "PYTHONPATH": f"{workdir}:{ROOT}",
        }
        self.env.pop("REDIS_URL", None)
        if postgres:
            self.env.update(DATABASE_URL=postgres, REDIS_URL=redis)
        else:
            self.env["DATABASE_URL"] = f"sqlite:///{workdir}/{name}.db"

    def server(self, module: str, port: int) -> list[str]:
        """The app, or `bare:app` / `floor:app` under the server the app runs on in this configuration."""
        if self.name == "serve":
            if module == "app":
                return [PY, "-m", "saleor_cs_app", "serve", "--port", str(port), "--threads", "8"]
            return [PY, *WAITRESS, f"--listen=127.0.0.1:{port}", module]
        return [PY, *GUNICORN, "-b", f"127.0.0.1:{port}", "saleor_cs_app.wsgi:app" if module == "app" else module]

    def floor_env(self, flush: bool | None) -> dict:
        """The floor's database, emptied, in the environment its server starts with."""
        if flush is None:
            return {"FLOOR_DB": ""}
        table = (
            "CREATE TABLE floor_deliveries (id {serial} PRIMARY KEY, body_hash BYTEA UNIQUE NOT NULL,"
            " event TEXT NOT NULL, body BYTEA NOT NULL)"
        )
        if self.postgres:
            import psycopg

            url = self.postgres.replace("+psycopg", "")
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("DROP TABLE IF EXISTS floor_deliveries")
                conn.execute(table.format(serial="BIGSERIAL"))
            self._checkpoint()
        else:
            import sqlite3

            url = str(self.workdir / "floor.db")
            for suffix in ("", "-wal", "-shm"):
                Path(url + suffix).unlink(missing_ok=True)
            conn = sqlite3.connect(url)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(table.format(serial="INTEGER"))
            conn.close()
        return {"FLOOR_DB": url, "FLOOR_FLUSH": "1" if flush else "0"}

    def reset(self) -> None:
        """An empty, migrated database with the stand-in installed; an empty queue."""
        self.dispose()
        if self.postgres:
            from sqlalchemy import create_engine, text

            engine = create_engine(self.postgres)
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            engine.dispose()
            import redis

            redis.Redis.from_url(self.redis).flushdb()
        else:
            for suffix in ("db", "db-wal", "db-shm", "queue.db", "queue.db-wal", "queue.db-shm"):
                (self.workdir / f"{self.name}.{suffix}").unlink(missing_ok=True)
        self.run_python(
            f"""
            from saleor_cs_app.runtime import Runtime
            from saleor_cs_app.settings import load_settings
            from saleor_cs_app.store import tenants
            from saleor_cs_app.store.migrate import upgrade
            rt = Runtime.build(load_settings(dotenv=False))
            upgrade(rt.db)
            with rt.db.transaction() as s:
                tenants.save_installation(s, saleor_api_url={self.saleor.api_url!r}, app_id={self.saleor.app_id!r},
                    token_ciphertext=rt.cipher.encrypt("t" * 30), jwks={json.dumps(self.saleor.jwks)!r},
                    now=rt.clock())
            """
        )
        if self.postgres:
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Start from a checkpoint, as a database that has been running does.

        A run writes WAL at about 10 MB/s. Right after the schema is dropped and made
        again, every WAL segment since the last checkpoint is still needed, so each new
        16 MB segment is created and zero-filled: every inserting backend stalls 40-60 ms
        at once, every ~3 s, and the p99 measures that instead of the app. After a
        checkpoint PostgreSQL recycles old segments, as it does in steady state.
        (Needs a superuser or pg_checkpoint; without it the run says so and goes on.)
        """
        from sqlalchemy import create_engine, text
        from sqlalchemy.exc import DBAPIError

        engine = create_engine(self.postgres, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text("CHECKPOINT"))
        except DBAPIError as exc:
            print(f"  (no CHECKPOINT before the run: {exc.orig}; the p99 may include WAL segment creation)")
        finally:
            engine.dispose()

    def run_python(self, code: str) -> str:
        return subprocess.run(
            [PY, "-c", textwrap.dedent(code)], env=self.env, cwd=self.workdir, check=True, capture_output=True, text=True
        ).stdout

    def start(self, command: list[str], port: int | None = None, env: dict | None = None) -> subprocess.Popen:
        log = (self.workdir / f"{self.name}.log").open("a")
        proc = subprocess.Popen(command, env={**self.env, **(env or {})}, cwd=self.workdir, stdout=log, stderr=log)
        if port is None:
            return proc
        for _ in range(300):
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                return proc
            except requests.RequestException:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        proc.kill()
        raise RuntimeError(f"{' '.join(command)} did not start; see {self.workdir}/{self.name}.log")

    def counts(self) -> dict:
        from sqlalchemy import create_engine, text

        if self._engine is None:
            self._engine = create_engine(self.env["DATABASE_URL"])
        with self._engine.connect() as conn:
            states = dict(conn.execute(text("SELECT state, count(*) FROM webhook_deliveries GROUP BY state")).all())
            orders = conn.execute(text("SELECT count(*) FROM tracked_orders")).scalar()
            first, last = conn.execute(text("SELECT min(processed_at), max(processed_at) FROM webhook_deliveries")).one()
        first, last = (_epoch(t) for t in (first, last))
        return {"states": states, "orders": orders, "span": last - first if last else None, "last": last}

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def _epoch(value) -> float | None:
    """A processed_at as stored (SQLite: text; PostgreSQL: timestamptz) as a Unix time."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=value.tzinfo or timezone.utc).timestamp()


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_processed(config: Config, expected: int, timeout: float = 600) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        counts = config.counts()
        if counts["states"].get("received", 0) == 0 and sum(counts["states"].values()) >= expected:
            return counts
        if time.monotonic() > deadline:
            raise RuntimeError(f"{config.name}: not processed in {timeout} s: {counts}")
        time.sleep(0.5)


def check_stored(config: Config, acknowledged: int, loads: int = 1) -> dict:
    """Every acknowledged delivery is stored (wrk does not count the requests in flight when it stops)."""
    counts = config.counts()
    stored = sum(counts["states"].values())
    assert acknowledged <= stored <= acknowledged + loads * CONNECTIONS, (acknowledged, counts)
    return counts


def check_exactly_once(config: Config, acknowledged: int) -> dict:
    """Every acknowledged delivery stored and processed once: one tracked order per delivery."""
    counts = wait_processed(config, acknowledged)
    stored = sum(counts["states"].values())
    assert acknowledged <= stored <= acknowledged + CONNECTIONS, (acknowledged, counts)
    assert counts["states"] == {"done": stored}, counts
    assert counts["orders"] == stored, f"{stored} deliveries made {counts['orders']} tracked orders"
    return counts


def _load(config: Config, module: str, script: Path, bodies: Path, warmup: Path, duration: float, env=None):
    port = free_port()
    server = config.start(config.server(module, port), port, env)
    try:
        warm = wrk(f"http://127.0.0.1:{port}", script, warmup, config.saleor, duration=1)
        return warm, wrk(f"http://127.0.0.1:{port}", script, bodies, config.saleor, duration=duration)
    finally:
        stop(server)


def measure_ingest(config: Config, script: Path, bodies: Path, warmup: Path, duration: float) -> dict[str, Load]:
    """Loads of the bare endpoint, each floor and the app, in that order, under the same server."""
    loads = {"bare": _load(config, "bare:app", script, bodies, warmup, duration)[1]}
    for name, flush in FLOORS.items():
        loads[name] = _load(config, "floor:app", script, bodies, warmup, duration, config.floor_env(flush))[1]
    config.reset()
    warm, loads["app"] = _load(config, "app", script, bodies, warmup, duration)
    # Processing exactly once is checked after the burst (measure_after_ack), not here:
    # draining tens of thousands of deliveries per run would take minutes.
    check_stored(config, warm.queued + loads["app"].queued, loads=2)
    return loads


def measure_after_ack(config: Config, script: Path, burst: Path, size: int) -> tuple[float, float, float]:
    """(seconds to acknowledge the burst, seconds from its start to the last processed, worker deliveries/s)."""
    config.reset()
    port = free_port()
    app = config.start(config.server("app", port), port)
    worker = config.start([PY, "-m", "saleor_cs_app", "worker"]) if config.name != "serve" else None
    try:
        time.sleep(2)  # the worker is up
        started, started_monotonic = time.time(), time.monotonic()
        progress = {"count": 0, "at": started_monotonic}

        def stored() -> bool:
            # All stored, or nothing new for 3 s (a thread of wrk may stop one short of its share).
            count = sum(config.counts()["states"].values())
            if count != progress["count"]:
                progress.update(count=count, at=time.monotonic())
            return count >= size or (count and time.monotonic() - progress["at"] > 3)

        load = wrk(f"http://127.0.0.1:{port}", script, burst, config.saleor, duration=600, until=stored, limit=size)
        acked = progress["at"] - started_monotonic  # when the last new delivery was seen stored
        assert load.non2xx == 0 and load.queued >= size - CONNECTIONS, load
        counts = check_exactly_once(config, load.queued)
        last = counts["last"] - started  # the worker's own timestamps, not the poll's
    finally:
        stop(app)
        if worker is not None:
            stop(worker)
    return acked, last, sum(counts["states"].values()) / counts["span"]


# ------------------------------------------------------------------------------- the report


def spread(values: list[float], fmt: str) -> str:
    med = statistics.median(values)
    return f"{format(med, fmt)} [{format(min(values), fmt)}–{format(max(values), fmt)}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per measurement")
    parser.add_argument("--bodies", type=int, default=40000, help="unique signed deliveries to pre-generate")
    parser.add_argument("--burst", type=int, default=5000)
    parser.add_argument("--configs", default="serve,gunicorn")
    parser.add_argument("--postgres", help="PostgreSQL URL for the gunicorn configuration (it is emptied)")
    parser.add_argument("--redis", help="Redis URL for the gunicorn configuration (it is flushed)")
    parser.add_argument("--app-path", help="measure the saleor_cs_app found in this directory (e.g. an older commit)")
    parser.add_argument("--skip-after", action="store_true", help="measure the acknowledgement only")
    args = parser.parse_args()
    names = args.configs.split(",")
    if "gunicorn" in names and not (args.postgres and args.redis):
        parser.error("the gunicorn configuration needs --postgres and --redis")

    print(f"load average at start: {os.getloadavg()}")
    saleor = make_saleor()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        (workdir / "bare.py").write_text(BARE_APP)
        (workdir / "floor.py").write_text(FLOOR_APP)
        (workdir / "jwks.json").write_text(json.dumps(saleor.jwks))
        script = workdir / "deliveries.lua"
        script.write_text(LUA)
        bodies, warmup, burst = workdir / "bodies.txt", workdir / "warmup.txt", workdir / "burst.txt"
        write_bodies(saleor, bodies, args.bodies, 0)
        write_bodies(saleor, warmup, 3000, 10**8)
        write_bodies(saleor, burst, args.burst, 2 * 10**8)
        configs = {
            "serve": Config("serve", workdir, saleor),
            "gunicorn": Config("gunicorn", workdir, saleor, args.postgres, args.redis),
        }
        for config in configs.values():
            if args.app_path:
                config.env["PYTHONPATH"] = f"{args.app_path}:{config.env['PYTHONPATH']}"
        results: dict[str, list[dict[str, Load]]] = {name: [] for name in names}
        for run in range(args.runs):
            for name in names:
                loads = measure_ingest(configs[name], script, bodies, warmup, args.duration)
                results[name].append(loads)
                bare, app = loads["bare"], loads["app"]
                floors = " | ".join(f"{f} {loads[f].rate / bare.rate:.2f}" for f in FLOORS)
                print(
                    f"run {run + 1} {name:<8} bare {bare.rate:7.0f}/s p99 {bare.p99_ms:5.1f} ms | {floors}"
                    f" | app {app.rate:7.0f}/s p50 {app.p50_ms:5.1f} p99 {app.p99_ms:5.1f} ms non-2xx {app.non2xx} | ratio"
                    f" {app.rate / bare.rate:.2f}  load {os.getloadavg()[0]:.2f}"
                    + (f"  (bodies wrapped {app.wrapped}: raise --bodies)" if app.wrapped else ""),
                    flush=True,
                )
        after = {} if args.skip_after else {n: measure_after_ack(configs[n], script, burst, args.burst) for n in names}
    saleor.stop()

    print(f"\n{CONNECTIONS} connections, wrk {WRK_THREADS} threads, {args.duration:g} s per measurement, {args.runs} runs;")
    print("median [min–max]; ratio = app/bare in the same run\n")
    print("| configuration | bare req/s | app req/s | ratio | app p50 ms | app p99 ms | app non-2xx |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        runs = results[name]
        print(
            f"| {name} | {spread([r['bare'].rate for r in runs], '.0f')} | {spread([r['app'].rate for r in runs], '.0f')}"
            f" | {spread([r['app'].rate / r['bare'].rate for r in runs], '.2f')}"
            f" | {spread([r['app'].p50_ms for r in runs], '.1f')} | {spread([r['app'].p99_ms for r in runs], '.1f')}"
            f" | {sum(r['app'].non2xx for r in runs)} |"
        )
    print("\nthe floors: the least an ingest must do, under the same server, as a ratio to bare in the same run\n")
    print("| configuration | " + " | ".join(FLOORS) + " | app |")
    print("|---|" + "---|" * (len(FLOORS) + 1))
    for name in names:
        runs = results[name]
        ratios = [spread([r[f].rate / r["bare"].rate for r in runs], ".2f") for f in (*FLOORS, "app")]
        print(f"| {name} | " + " | ".join(ratios) + " |")
    print(f"\nafter the acknowledgement ({args.burst}-delivery burst, one worker process):\n")
    print("| configuration | burst acknowledged in | last one processed after | worker deliveries/s |")
    print("|---|---|---|---|")
    for name, (acked, last, rate) in after.items():
        print(f"| {name} | {acked:.1f} s | {last:.1f} s | {rate:.0f} |")
    print(f"\nload average at end: {os.getloadavg()}")
    print("goal: ratio >= 0.5, p99 < 25 ms, zero non-2xx, in both configurations")


if __name__ == "__main__":
    main()
