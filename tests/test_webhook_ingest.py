"""SPEC §9 scenario 5 and the ingest contract: verify, store once, enqueue, answer fast."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from saleor_cs_app.store import deliveries
from saleor_cs_app.store.models import Tenant, TrackedOrder, WebhookDelivery
from tests.conftest import refused_port

PAYLOAD = {"issuedAt": "2026-11-27T10:00:00+00:00", "version": "3.23.28", "issuingPrincipal": None, "order": None}


def delivery_count(runtime) -> int:
    with runtime.db.read() as session:
        return session.scalar(select(func.count(WebhookDelivery.id)))


def body_of(payload=PAYLOAD) -> bytes:
    return json.dumps(payload).encode()


def poll(condition, seconds: float = 5.0) -> bool:
    """Wait (machine time, not business time) for a background thread's effect."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def delivery_states(runtime) -> list[str]:
    with runtime.db.read() as session:
        return list(session.scalars(select(WebhookDelivery.state).order_by(WebhookDelivery.id)))


def test_a_signed_delivery_is_stored_handed_to_the_workers_and_processed(installed, runtime):
    response = installed.send_webhook("ORDER_CREATED", body_of())
    assert response.status_code == 200 and response.json()["outcome"] == "queued"
    assert delivery_states(runtime) == ["received"]
    jobs = runtime.jobs
    # The row is the queue, embedded or scale-out: nothing else was written for it.
    with runtime.db.read() as session:
        assert len(deliveries.unstarted(session.connection(), limit=10)) == 1
    assert jobs.huey.pending_count() == 0
    assert jobs.drain() == 1
    assert delivery_states(runtime) == ["done"]


def test_a_replayed_delivery_is_acknowledged_without_a_second_row(installed, runtime):
    body = body_of()
    assert installed.send_webhook("ORDER_CREATED", body).status_code == 200
    runtime.jobs.drain()
    replay = installed.send_webhook("ORDER_CREATED", body)
    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"
    assert delivery_count(runtime) == 1


def test_five_identical_concurrent_deliveries_store_one_row(installed, runtime):
    body = body_of({**PAYLOAD, "issuedAt": "2026-11-27T11:00:00+00:00"})
    with ThreadPoolExecutor(5) as pool:
        statuses = list(pool.map(lambda _: installed.send_webhook("ORDER_CREATED", body).status_code, range(5)))
    assert statuses == [200] * 5
    assert delivery_count(runtime) == 1


@pytest.mark.parametrize(
    "case",
    ["forged", "missing", "garbage", "foreign_key", "stale_key", "other_body"],
)
def test_bad_signatures_are_401_and_store_nothing(installed, runtime, clock, case):
    from tests.saleor_stand_in import SaleorStandIn

    body = body_of()
    if case == "forged":
        header, _, sig = installed.sign(body).partition("..")
        signature = f"{header}..{sig[::-1]}"
    elif case == "missing":
        signature = None
    elif case == "garbage":
        signature = "not-a-jws"
    elif case == "foreign_key":
        # Past the refetch rate limit: the JWKS fetched for this request proves the key foreign.
        clock.advance(minutes=5)
        with SaleorStandIn() as other:
            signature = other.sign(body)
    elif case == "stale_key":
        # Saleor rotated its key (say, after a leak) and no longer serves the old one:
        # once our copy of the JWKS is old enough to be refreshed, the old key stops working.
        old = installed.sign(body)
        installed.rotate_key(keep_old=False)
        clock.advance(hours=2)
        signature = old
    else:
        signature = installed.sign(b'{"different": true}')
    headers = {"Saleor-Signature": None} if case == "missing" else None
    response = installed.send_webhook("ORDER_CREATED", body, signature=signature, headers=headers)
    assert response.status_code == 401, response.text
    assert response.json()["success"] is False and response.json()["error"]["message"]
    assert delivery_count(runtime) == 0


def test_key_rotation_is_followed_by_one_jwks_refetch(installed, runtime, clock):
    installed.rotate_key()
    clock.advance(minutes=5)  # past the refetch rate limit
    fetched_before = installed.jwks_requests
    assert installed.send_webhook("ORDER_CREATED", body_of()).status_code == 200
    assert installed.jwks_requests == fetched_before + 1
    with runtime.db.read() as session:
        assert json.loads(session.scalar(select(Tenant.jwks))) == installed.jwks


def test_unknown_keys_do_not_make_the_app_hammer_saleor_for_jwks(installed, runtime, clock):
    from tests.saleor_stand_in import SaleorStandIn

    clock.advance(minutes=5)
    with SaleorStandIn() as other:
        fetched_before = installed.jwks_requests
        statuses = []
        for i in range(5):
            body = body_of({**PAYLOAD, "n": i})
            statuses.append(installed.send_webhook("ORDER_CREATED", body, signature=other.sign(body)).status_code)
    assert installed.jwks_requests - fetched_before == 1, "refetch is rate-limited per tenant"
    # The refetch made for the first one proves its key foreign; the others could be a
    # rotation newer than that refetch, so they are asked to come back, never refused.
    assert statuses == [401, 503, 503, 503, 503]
    assert delivery_count(runtime) == 0


def deliver_like_saleor(saleor, clock, body: bytes) -> list[int]:
    """Saleor's retry schedule (PROTOCOL.md): 5xx is retried after 10, 20, 40, 80, 160 s; 4xx never."""
    statuses = []
    for retry in range(6):
        statuses.append(saleor.send_webhook("ORDER_CREATED", body).status_code)
        if statuses[-1] < 500:
            break
        clock.advance(seconds=10 * 2**retry)
    return statuses


def test_a_key_rotated_right_after_install_loses_no_delivery(installed, runtime, clock):
    """SPEC §9 scenario 10: 503 at worst, never 4xx, and the delivery is processed exactly once."""
    order = installed.add_order()
    installed.rotate_key()
    body = json.dumps(installed.webhook_payload("ORDER_CREATED", order_id=order["id"])).encode()
    statuses = deliver_like_saleor(installed, clock, body)
    assert statuses[-1] == 200 and set(statuses[:-1]) <= {503}, statuses
    assert len(statuses) > 1, "the install's fetch moments ago holds back the refetch"
    runtime.jobs.drain()
    assert installed.send_webhook("ORDER_CREATED", body).json()["outcome"] == "duplicate"
    with runtime.db.read() as session:
        assert session.execute(select(WebhookDelivery.state, WebhookDelivery.attempts)).all() == [("done", 0)]
        assert session.scalars(select(TrackedOrder.order_id)).all() == [order["id"]]


def test_a_forged_signature_with_a_known_key_id_is_401_without_asking_saleor(installed, runtime, clock):
    clock.advance(minutes=5)  # a refetch would be allowed: it must not be needed
    body = body_of()
    header, _, sig = installed.sign(body).partition("..")
    fetched_before = installed.jwks_requests
    response = installed.send_webhook("ORDER_CREATED", body, signature=f"{header}..{sig[::-1]}")
    assert response.status_code == 401
    assert installed.jwks_requests == fetched_before
    assert delivery_count(runtime) == 0


def test_an_unknown_key_while_saleor_serves_no_jwks_is_503_and_the_retry_is_processed(installed, runtime, clock):
    clock.advance(minutes=5)
    installed.rotate_key()
    installed.fail_next("jwks", status=502)
    body = body_of()
    first = installed.send_webhook("ORDER_CREATED", body)
    assert first.status_code == 503 and first.json()["error"]["code"] == "KEY_NOT_YET_KNOWN"
    assert delivery_count(runtime) == 0
    assert deliver_like_saleor(installed, clock, body)[-1] == 200
    assert delivery_count(runtime) == 1


def test_malformed_json_with_a_valid_signature_is_400(installed, runtime):
    body = b'{"order": '
    response = installed.send_webhook("ORDER_CREATED", body)
    assert response.status_code == 400 and response.json()["error"]["code"] == "INVALID_JSON"
    assert delivery_count(runtime) == 0


def test_oversized_bodies_are_413(installed, runtime):
    body = body_of({**PAYLOAD, "padding": "x" * 1_100_000})
    response = installed.send_webhook("ORDER_CREATED", body)
    assert response.status_code == 413
    assert delivery_count(runtime) == 0


def test_a_delivery_for_the_wrong_endpoint_is_refused(installed, app_server, runtime):
    response = installed.send_webhook(
        "ORDER_CREATED", body_of(), target_url=f"{app_server.url}/api/webhooks/order-cancelled"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "WRONG_EVENT"
    assert delivery_count(runtime) == 0


def test_an_unknown_tenant_is_401(installed, runtime):
    response = installed.send_webhook(
        "ORDER_CREATED", body_of(), headers={"Saleor-Api-Url": "https://other.example/graphql/"}
    )
    assert response.status_code == 401 and response.json()["error"]["code"] == "NOT_REGISTERED"
    assert delivery_count(runtime) == 0


def test_missing_headers_are_refused(installed, runtime):
    for header in ("Saleor-Api-Url", "Saleor-Event"):
        response = installed.send_webhook("ORDER_CREATED", body_of(), headers={header: None})
        assert response.status_code == 400, header
    assert delivery_count(runtime) == 0


def test_unknown_webhook_names_are_404(app_server):
    response = requests.post(f"{app_server.url}/api/webhooks/nope", data=b"{}", timeout=5)
    assert response.status_code == 404 and response.json()["success"] is False


def test_events_the_app_itself_caused_are_acknowledged_and_ignored(installed, runtime):
    payload = {**PAYLOAD, "issuingPrincipal": {"__typename": "App", "id": installed.app_id}}
    response = installed.send_webhook("ORDER_UPDATED", body_of(payload))
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    assert delivery_count(runtime) == 0


def test_events_from_another_app_are_not_ignored(installed, runtime):
    payload = {**PAYLOAD, "issuingPrincipal": {"__typename": "App", "id": "QXBwOjk5OQ=="}}
    assert installed.send_webhook("ORDER_UPDATED", body_of(payload)).json()["outcome"] == "queued"


def test_two_tenants_are_isolated(installed, app_server, runtime, clock):
    from tests.saleor_stand_in import SaleorStandIn

    with SaleorStandIn(clock=clock) as second:
        assert second.install(f"{app_server.url}/api/manifest").status_code == 200
        body = body_of({**PAYLOAD, "tenant": 2})
        clock.advance(minutes=5)  # past the refetch rate limit, so the first Saleor's JWKS is asked
        # Signed by the second Saleor but claiming to come from the first: refused.
        spoofed = second.send_webhook("ORDER_CREATED", body, headers={"Saleor-Api-Url": installed.api_url})
        assert spoofed.status_code == 401
        assert second.send_webhook("ORDER_CREATED", body).status_code == 200
    with runtime.db.read() as session:
        rows = session.execute(select(Tenant.saleor_api_url, WebhookDelivery.id).join(Tenant)).all()
    assert [url for url, _ in rows] == [second.api_url]


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok", "queue": "ok"}


def unreachable_queue_storage(huey, tmp_path, closed_port: int):
    """The queue's real storage client, pointed at a closed Redis port or a file that cannot be opened."""
    from huey.storage import RedisStorage

    from saleor_cs_app.jobs.queue import _SqliteQueueStorage
    from tests.conftest import TEST_REDIS_URL

    if TEST_REDIS_URL:
        return RedisStorage(huey.name, url=f"redis://127.0.0.1:{closed_port}/0")
    return _SqliteQueueStorage(huey.name, filename=str(tmp_path / "no-such-dir" / "queue.db"), create_tables=False)


def test_a_queue_outage_does_not_refuse_a_delivery_and_it_is_processed_once_the_queue_is_back(
    installed, runtime, monkeypatch, tmp_path
):
    """The 2xx promises the stored row, not the queue: Saleor gets 200 and the delivery waits, once."""
    body = body_of({**PAYLOAD, "issuedAt": "2026-11-27T12:00:00+00:00"})
    huey = runtime.jobs.huey
    with refused_port() as closed:
        monkeypatch.setattr(huey, "storage", unreachable_queue_storage(huey, tmp_path, closed))
        first = installed.send_webhook("ORDER_CREATED", body)
        assert first.status_code == 200 and first.json()["outcome"] == "queued"
    monkeypatch.undo()  # the queue is back
    assert runtime.jobs.drain() == 1
    assert delivery_states(runtime) == ["done"]
    assert installed.send_webhook("ORDER_CREATED", body).json()["outcome"] == "duplicate"
    assert runtime.jobs.drain() == 0


def refuse_writes_on_open_connections(runtime) -> None:
    """The database stops taking the ack path's writes: PostgreSQL drops the connections
    (a restart, a failover); SQLite turns read-only (a full or read-only disk)."""
    from sqlalchemy import text

    if runtime.db.is_sqlite:
        for conn in runtime.db.rows._idle:
            conn.execute("PRAGMA query_only=1")
        return
    with runtime.db.engine.connect() as conn:
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                 " AND pid <> pg_backend_pid() AND application_name = ''")
        )


def test_a_database_that_refuses_the_write_is_503_and_saleors_retry_is_stored_once(installed, runtime):
    body = body_of({**PAYLOAD, "issuedAt": "2026-11-27T13:00:00+00:00"})
    warm = installed.send_webhook("ORDER_CREATED", body_of({**PAYLOAD, "issuedAt": "2026-11-27T13:00:01+00:00"}))
    assert warm.status_code == 200  # the ack path's connection is open now
    refuse_writes_on_open_connections(runtime)
    refused = installed.send_webhook("ORDER_CREATED", body)
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "DATABASE_UNAVAILABLE"
    assert delivery_count(runtime) == 1
    # The broken connection is not reused: Saleor's retry gets a new one.
    retry = installed.send_webhook("ORDER_CREATED", body)
    assert retry.status_code == 200 and retry.json()["outcome"] == "queued"
    assert runtime.jobs.drain() == 2
    assert delivery_states(runtime) == ["done", "done"]
