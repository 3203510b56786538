"""How long a task queued to an idle embedded consumer waits before a worker thread takes it (issue 23).

The embedded queue (jobs/queue.py: Huey on SQLite, two worker threads as `serve` runs them) is left
idle for each of the given seconds, then one task is queued; the wait until it starts is printed.
Huey's consumer polls a non-blocking storage with a backoff that grows to 10 s while idle; a
storage that is woken by its enqueues starts the task at once. Wall clock; not run by .ci/run.

  python bench/idle_pickup.py 0.5 5 15 90
  PYTHONPATH=DIR python bench/idle_pickup.py 90    # the saleor_cs_app in DIR (e.g. an older commit)
"""

from __future__ import annotations

import sys
import tempfile
import time

from huey.api import Huey

from saleor_cs_app.jobs.queue import _SqliteQueueStorage


def main() -> None:
    idles = [float(x) for x in sys.argv[1:]] or [0.5, 5, 15, 90]
    with tempfile.TemporaryDirectory() as tmp:
        huey = Huey("idle-pickup", storage_class=_SqliteQueueStorage, filename=f"{tmp}/queue.db", utc=True)
        started: dict[float, float] = {}

        @huey.task()
        def stamp(key: float, queued_at: float) -> None:
            started[key] = time.monotonic() - queued_at

        consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False)
        consumer.start()
        try:
            for idle in idles:
                time.sleep(idle)
                stamp(idle, time.monotonic())
                while idle not in started:
                    time.sleep(0.005)
                print(f"idle {idle:5.1f} s, then queued: started after {started[idle] * 1000:6.0f} ms", flush=True)
        finally:
            consumer.stop(graceful=True)


if __name__ == "__main__":
    main()
