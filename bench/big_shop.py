"""A big shop installs (issue 23): the first reconciliation's duration and peak memory, and the
acknowledgement of new webhooks while it runs.

The Saleor stand-in of tests/ (in this process, over HTTP) holds --orders open and recent orders
(paid, unfulfilled, two lines, placed over the last --days days), made one at a time when the app's
`OpenOrders` pages onto them (tests/saleor_stand_in/generated.py): this process never holds the shop
either. The app runs in its own processes and installs through the real handshake; its register
queues the reconciliation. While it runs, wrk sends signed ORDER_CREATED deliveries of other orders
at a steady --rate per second (each connection waits between requests) and reports p50 / p99 of the
acknowledgement. Peak memory is the app process's VmHWM (the kernel's high-water mark of its RSS)
and its RSS sampled every 0.2 s, beside its RSS before the install.

Configurations: serve (SQLite, the embedded worker reconciles, waitress acknowledges in the same
process) and scale-out (gunicorn -w 2 acknowledges, one `saleor-cs-app worker` reconciles,
PostgreSQL + Redis, both emptied).

The reconciliation ends at the last generated order's `updated_at` (the app's own stamp); it
starts when the stand-in sends the install. Prints the machine's facts beside the figures. Not run
by .ci/run.

  python bench/big_shop.py [--orders 100000] [--rate 20] [--configs serve,scale-out]
      [--app-path DIR] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/bench_latency --redis redis://127.0.0.1:6379/13]
"""

from __future__ import annotations

import argparse
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from latency import Config, machine_facts  # noqa: E402
from webhook_ingest import PATH, free_port, write_bodies  # noqa: E402

GOAL_SECONDS, GOAL_MB = 300, 300
CONNECTIONS = 2

# Each connection sends its share of the bodies ("signature<TAB>body"), waiting `delay` ms after each
# answer: a steady rate, not a flood, so the latency is the acknowledgement's, not wrk's queue.
PACED_LUA = r"""
local threads, counter = {}, 0
function setup(thread)
  thread:set("id", counter)
  threads[#threads + 1] = thread
  counter = counter + 1
end
function init(args)
  requests_, sent, non2xx = {}, 0, 0
  local n, i = tonumber(args[2]), 0
  pause = tonumber(args[3])
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
end
function delay() return pause end
function request()
  sent = sent + 1
  return requests_[(sent - 1) % #requests_ + 1]
end
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f\n", summary.requests, summary.duration, bad,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


class Memory:
    """The app process's RSS, sampled, and its high-water mark."""

    def __init__(self, pid: int):
        self.pid, self.samples, self._stop = pid, [], threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def field(self, name: str) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith(name + ":"):
                return int(line.split()[1]) / 1024
        raise KeyError(name)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.samples.append(self.field("VmRSS"))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def wrk_paced(url: str, script: Path, bodies: Path, saleor, rate: float) -> subprocess.Popen:
    pause = max(1, round(CONNECTIONS * 1000 / rate))
    args = ["wrk", "-t1", f"-c{CONNECTIONS}", "-d3600s", "--timeout", "10s", "-s", str(script), url]
    args += ["--", str(bodies), "1", str(pause), saleor.api_url, saleor.domain, PATH]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wrk_result(proc: subprocess.Popen) -> dict:
    proc.send_signal(signal.SIGINT)
    out = proc.communicate()[0]
    match = re.search(r"RESULT (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+)", out)
    if match is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    n, micros, bad, p50, p99, top = match.groups()
    return {"sent": int(n), "rate": int(n) / (int(micros) / 1e6), "non2xx": int(bad), "p50": float(p50), "p99": float(p99), "max": float(top)}


def generated_progress(engine, first: int) -> tuple[int, datetime | None]:
    """How many generated orders the app tracks, and its last stamp on one."""
    from sqlalchemy import text

    with engine.connect() as conn:
        count, last = conn.execute(
            text("SELECT count(*), max(updated_at) FROM tracked_orders WHERE CAST(number AS INTEGER) >= :first"),
            {"first": first},
        ).one()
    if isinstance(last, str):
        last = datetime.fromisoformat(last)
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=timezone.utc)
    return count, last


def deliveries(engine) -> dict:
    from sqlalchemy import text

    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT state, count(*) FROM webhook_deliveries GROUP BY state")).all())


def run(name: str, args, workdir: Path) -> dict:
    from sqlalchemy import create_engine

    from tests.saleor_stand_in import SaleorStandIn

    postgres = (args.postgres, args.redis) if name == "scale-out" else (None, None)
    config = Config(name, workdir, *postgres, app_path=args.app_path)
    saleor = SaleorStandIn().start()
    port = free_port()
    config.reset()
    env = config.env(port, 1, "http://127.0.0.1:1", saleor.api_url)  # no mail or AfterShip is needed
    env.pop("SMTP_URL")
    bodies = workdir / f"bodies-{name}.txt"
    # The webhooks are rendered from the app's own subscriptions: a first app (no HTTP) renders them,
    # then it is deleted and the app installs for real (the stand-in's signing key stays).
    from saleor_cs_app.manifest import build_manifest
    from saleor_cs_app.settings import Settings

    saleor.create_app(build_manifest(Settings(app_url=env["APP_URL"], database_url="sqlite://", secret_key="x" * 32)))
    write_bodies(saleor, bodies, int(args.rate * 600) + 100, 10**9)  # 20 stored orders, rendered as templates
    saleor.uninstall()
    now = datetime.now(timezone.utc)
    span = timedelta(days=args.days).total_seconds()
    generated = saleor.generate_orders(
        args.orders, created=lambda number: now - timedelta(seconds=(generated.last - number) * span / args.orders)
    )
    script = workdir / "paced.lua"
    script.write_text(PACED_LUA)
    config.start(env, port)
    engine = create_engine(env["DATABASE_URL"])
    try:
        app_pid = config.procs[-1].pid  # serve, or the worker that reconciles
        time.sleep(2)
        memory = Memory(app_pid)
        before_mb = memory.field("VmRSS")
        with memory:
            started = time.time()
            response = saleor.install(f"{env['APP_URL']}/api/manifest")
            assert response is not None and response.status_code == 200, response
            load = wrk_paced(f"http://127.0.0.1:{port}", script, bodies, saleor, args.rate)
            give_up = started + args.timeout
            count = 0
            while time.time() < give_up:
                count, last = generated_progress(engine, generated.first)
                if count >= args.orders:
                    break
                time.sleep(1)
            acks = wrk_result(load)
            peak_mb = memory.field("VmHWM")
        count, last = generated_progress(engine, generated.first)
        seconds = (last.timestamp() - started) if last and count >= args.orders else None
        time.sleep(3)
        return {
            "config": name,
            "orders": count,
            "pages": len(generated.pages),
            "seconds": seconds,
            "before_mb": before_mb,
            "peak_mb": peak_mb,
            "sampled_max_mb": max(memory.samples or [0]),
            "acks": acks,
            "deliveries": deliveries(engine),
        }
    finally:
        config.stop()
        engine.dispose()
        saleor.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--days", type=float, default=7.0, help="the orders were placed over this many days")
    parser.add_argument("--rate", type=float, default=20.0, help="new webhooks per second during the reconciliation")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--configs", default="serve,scale-out")
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/bench_latency")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--app-path", help="measure the saleor_cs_app found in this directory (an older commit)")
    parser.add_argument("--workdir", help="keep the databases and the app's log here (default: a temporary directory)")
    args = parser.parse_args()

    print(machine_facts(), flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="cs-big-shop-") as tmp:
        workdir = Path(args.workdir or tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for name in args.configs.split(","):
            result = run(name, args, workdir)
            results.append(result)
            print(result, flush=True)
            print(machine_facts(), flush=True)

    print(f"\n{args.orders} orders placed over {args.days:g} days; webhooks at {args.rate:g}/s during the reconciliation\n")
    print("| configuration | reconciliation s | orders / pages | RSS before / peak MB | acks sent (non-2xx) | ack p50 / p99 / max ms |")
    print("|---|---|---|---|---|---|")
    missed = False
    for r in results:
        a = r["acks"]
        secs = f"{r['seconds']:.0f}" if r["seconds"] is not None else "not finished"
        print(
            f"| {r['config']} | {secs} | {r['orders']} / {r['pages']} | {r['before_mb']:.0f} / {r['peak_mb']:.0f} "
            f"| {a['sent']} ({a['non2xx']}) | {a['p50']:.1f} / {a['p99']:.1f} / {a['max']:.0f} |"
        )
        missed |= r["seconds"] is None or r["seconds"] > GOAL_SECONDS or r["peak_mb"] > GOAL_MB
    print(f"\ngoal: under {GOAL_SECONDS} s and {GOAL_MB} MB; the acknowledgement in milliseconds")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
