"""The GraphQL types of the app's own API that every part shares: the enums and money.

Money is a string (the Decimal as written) so that no amount goes through a float. The types of each part
are beside it: incident_types, policy_types, message_types, insight_types, proposal_types.
"""

from __future__ import annotations

import enum
from decimal import Decimal

import strawberry

from saleor_cs_app.care.model import DeliveryState as _DeliveryState
from saleor_cs_app.care.model import IncidentKind as _IncidentKind
from saleor_cs_app.care.model import IncidentSource as _IncidentSource
from saleor_cs_app.care.model import OfferType as _OfferType
from saleor_cs_app.care.proposals import Problem as _Problem
from saleor_cs_app.care.proposals import Resolution as _Resolution

IncidentKind = strawberry.enum(_IncidentKind, name="IncidentKind", description="What went wrong.")
OfferType = strawberry.enum(_OfferType, name="OfferType", description="What the shop gives.")


def _stored_values(name: str, values, description: str):
    """A GraphQL enum whose values are named as stored ("pending_approval"), not upper-cased.

    The page reads these strings as they always were; as enums they are listed by introspection, so a test
    can check that every value the API may return has words in every dashboard language (tests/ui/
    test_enum_words.py). Members equal their strings (StrEnum), so resolvers may keep returning the column.
    """
    values = [getattr(v, "value", v) for v in values]
    return strawberry.enum(enum.StrEnum(name, [(v, v) for v in values]), name=name, description=description)


# Every state an incident row can be in (store/models.py Incident.state), where it is set in brackets.
INCIDENT_STATES = (
    "backlog",  # watch/opening.py: broken before the app was installed
    "dismissed",  # jobs/backlog.py
    "detected",
    "pending_approval",
    "deciding",
    "acting",
    "waiting_customer",  # jobs/proposals_flow.py: a counter-offer is with the customer
    "notifying",
    "notified",
    "handled",
    "declined",
    "failed",
)
IncidentState = _stored_values("IncidentState", INCIDENT_STATES, "Where an incident is.")
IncidentSource = _stored_values("IncidentSource", _IncidentSource, "Who or what noticed it.")
# notify/: outbox.py (waiting, pending), send.py (handing_over → sending → sent | failed | uncertain), dry run.
MailState = _stored_values(
    "MailState", ("waiting", "pending", "handing_over", "sending", "sent", "failed", "uncertain", "dry_run"),
    "Where an e-mail to the customer is.",
)
DeliveryState = _stored_values("DeliveryState", _DeliveryState, "The carrier's state of a parcel.")
ReportProblem = _stored_values("ReportProblem", _Problem, "What the customer reported.")
ReportFix = _stored_values("ReportFix", _Resolution, "The fix the customer asked for.")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
