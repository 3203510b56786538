"""The GraphQL types of the app's own API that every part shares: the enums and money.

Money is a string (the Decimal as written) so that no amount goes through a float. The types of each part
are beside it: incident_types, policy_types, message_types, insight_types, proposal_types.
"""

from __future__ import annotations

from decimal import Decimal

import strawberry

from saleor_cs_app.care.model import IncidentKind as _IncidentKind
from saleor_cs_app.care.model import OfferType as _OfferType

IncidentKind = strawberry.enum(_IncidentKind, name="IncidentKind", description="What went wrong.")
OfferType = strawberry.enum(_OfferType, name="OfferType", description="What the shop gives.")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
