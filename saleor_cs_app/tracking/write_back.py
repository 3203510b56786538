"""Writing a parcel's delivery state back to its fulfilment in Saleor, so staff see what the app knows.

Idempotent: the state last written is kept, and a retry writes the same keys again.
State from the metadata source is not written back: it came from Saleor.
"""

from __future__ import annotations

import logging

from saleor_cs_app.runtime import Runtime
from saleor_cs_app.saleor.client import SaleorError, SaleorUnavailable
from saleor_cs_app.store import tenants
from saleor_cs_app.store.tracking_models import FulfillmentDelivery
from saleor_cs_app.tracking import metadata

log = logging.getLogger(__name__)

PREFIX = "saleor-cs-app.delivery"


def needs_write(row: FulfillmentDelivery) -> bool:
    return row.state is not None and row.source != metadata.NAME and row.written_state != row.state


def metadata_items(row: FulfillmentDelivery) -> list[dict]:
    values = {
        f"{PREFIX}.state": row.state,
        f"{PREFIX}.source": row.source,
        f"{PREFIX}.carrier_status": row.carrier_status,
        f"{PREFIX}.carrier_status_at": row.carrier_status_at.isoformat() if row.carrier_status_at else None,
        f"{PREFIX}.expected_date": row.carrier_expected_date.isoformat() if row.carrier_expected_date else None,
    }
    return [{"key": k, "value": v} for k, v in values.items() if v is not None]


def write(runtime: Runtime, delivery_id: int) -> bool:
    """Returns True when Saleor should be asked again later (it was unavailable)."""
    with runtime.db.read() as session:
        row = session.get(FulfillmentDelivery, delivery_id)
        if row is None or not needs_write(row):
            return False
        tenant = tenants.get(session, row.tenant_id)
        if not tenant.is_active:
            return False
        state, items, fulfillment_id = row.state, metadata_items(row), row.fulfillment_id
        session.expunge(tenant)
    try:
        runtime.saleor_client(tenant).execute("UpdateFulfillmentDeliveryState", {"id": fulfillment_id, "input": items})
    except SaleorUnavailable:
        return True
    except SaleorError as exc:
        log.warning("delivery state not written to Saleor", extra={"fulfillment": fulfillment_id, "error": str(exc)})
        return False
    with runtime.db.transaction() as session:
        row = session.get(FulfillmentDelivery, delivery_id, with_for_update=True)
        if row is not None and row.state == state:
            row.written_state = state
    return False
