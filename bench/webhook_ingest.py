"""Signed-webhook ingest under a production WSGI server, next to a bare 200-OK Flask endpoint.

Both run under the same waitress configuration in the same run; 8 concurrent
clients send unique, correctly signed ORDER_CREATED bodies (the realistic
TrackedOrder payload size). Prints throughput, p50 and p99 for each and the
ratio. Usage: python bench/webhook_ingest.py [--requests 4000]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
# The embedded default runs one process (SQLite allows one writer; `saleor-cs-app serve`
# is one waitress process), so both apps get the same single-process server.
SERVER = ["-m", "waitress", "--threads=8"]
API_URL = "https://shop.example/graphql/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    kid = "bench-key"
    jwk.update(kid=kid, use="sig", alg="RS256")
    return key, kid, json.dumps({"keys": [jwk]})


def order_payload(i: int) -> dict:
    line = {
        "id": f"T3JkZXJMaW5lOj{i}",
        "productName": "Linen shirt",
        "variantName": "M",
        "productSku": f"SKU-{i % 50}",
        "quantity": 1,
        "quantityFulfilled": 0,
        "unitPrice": {"gross": {"amount": 49.0}},
        "variant": {"id": "UHJvZHVjdFZhcmlhbnQ6MQ=="},
    }
    return {
        "issuedAt": datetime.now(timezone.utc).isoformat(),
        "version": "3.23.28",
        "issuingPrincipal": None,
        "order": {
            "id": f"T3JkZXI6{i:08d}",
            "number": str(1000 + i),
            "created": "2026-11-20T10:00:00+00:00",
            "status": "UNFULFILLED",
            "original": None,
            "isPaid": True,
            "userEmail": f"c{i}@example.com",
            "user": None,
            "billingAddress": {"firstName": "Aino"},
            "languageCodeEnum": "FI_FI",
            "channel": {
                "id": "Q2hhbm5lbDox",
                "slug": "default",
                "currencyCode": "EUR",
                "defaultCountry": {"code": "FI"},
            },
            "deliveryMethod": {
                "__typename": "ShippingMethod",
                "id": "U2hpcHBpbmdNZXRob2Q6MQ==",
                "name": "Posti",
                "maximumDeliveryDays": 3,
            },
            "shippingMethodName": "Posti",
            "total": {"gross": {"amount": 98.0, "currency": "EUR"}},
            "shippingPrice": {"gross": {"amount": 5.9}},
            "lines": [line, {**line, "id": f"x{i}"}],
            "fulfillments": [],
            "privateMetadata": [],
        },
    }


def prepare_app_database(workdir: Path, jwks: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir}/bench.db",
        "SECRET_KEY": "bench-secret-key-0123456789",
        "LOG_LEVEL": "WARNING",
        "APP_URL": "http://127.0.0.1:1",
    }
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "saleor_cs_app", "migrate"], env=env, check=True, capture_output=True)
    script = textwrap.dedent(
        f"""
        from saleor_cs_app.runtime import Runtime
        from saleor_cs_app.settings import load_settings
        from saleor_cs_app.store import tenants
        rt = Runtime.build(load_settings(dotenv=False))
        with rt.db.transaction() as s:
            tenants.save_installation(s, saleor_api_url={API_URL!r}, app_id="QXBwOjE=",
                token_ciphertext=rt.cipher.encrypt("t" * 30), jwks={jwks!r}, now=rt.clock())
        """
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True)
    return env


BARE_APP = textwrap.dedent(
    """
    from flask import Flask, jsonify, request
    app = Flask(__name__)
    @app.post("/api/webhooks/<name>")
    def ok(name):
        request.get_data()
        return jsonify(success=True)
    """
)


def serve(app_spec: str, env: dict, cwd: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, *SERVER, f"--listen=127.0.0.1:{port}", app_spec],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/healthz", timeout=2)
            return proc, url
        except requests.RequestException:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"{app_spec} did not start")


def load(url: str, bodies: list[tuple[bytes, str]]) -> tuple[float, list[float]]:
    sessions = [requests.Session() for _ in range(CLIENTS)]

    def send(i: int) -> float:
        body, signature = bodies[i]
        started = time.perf_counter()
        r = sessions[i % CLIENTS].post(
            f"{url}/api/webhooks/order-created",
            data=body,
            headers={
                "Content-Type": "application/json",
                "Saleor-Event": "order_created",
                "Saleor-Api-Url": API_URL,
                "Saleor-Domain": "shop.example",
                "Saleor-Signature": signature,
            },
            timeout=10,
        )
        elapsed = time.perf_counter() - started
        assert r.status_code == 200, r.text
        return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        latencies = list(pool.map(send, range(len(bodies))))
    return time.perf_counter() - started, latencies


def report(name: str, wall: float, latencies: list[float]) -> float:
    latencies = sorted(latencies)
    rate = len(latencies) / wall
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    print(f"{name:<18} {rate:8.0f} req/s   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")
    return rate, p99


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    args = parser.parse_args()
    key, kid, jwks = make_key()
    bodies = []
    for i in range(args.requests + 200):
        body = json.dumps(order_payload(i)).encode()
        signature = jwt.api_jws.encode(
            body, key, algorithm="RS256", headers={"kid": kid, "crit": ["b64"]}, is_payload_detached=True
        )
        bodies.append((body, signature))
    warmup, measured = bodies[:200], bodies[200:]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        env = prepare_app_database(workdir, jwks)
        (workdir / "bare.py").write_text(BARE_APP)
        results = {}
        for name, spec in (("bare 200-OK Flask", "bare:app"), ("saleor-cs-app", "saleor_cs_app.wsgi:app")):
            proc, url = serve(spec, {**env, "PYTHONPATH": f"{workdir}:{ROOT}"}, workdir)
            try:
                load(url, warmup)
                results[name] = report(name, *load(url, measured))
            finally:
                proc.terminate()
                proc.wait()
    (bare_rate, _), (app_rate, app_p99) = results["bare 200-OK Flask"], results["saleor-cs-app"]
    print(
        f"ratio app/bare throughput: {app_rate / bare_rate:.2f}  (goal >= 0.5)   app p99 {app_p99:.2f} ms (goal < 25)"
    )
    print(f"{CLIENTS} concurrent clients, {len(measured)} signed deliveries each, server: python {' '.join(SERVER)}")


if __name__ == "__main__":
    main()
