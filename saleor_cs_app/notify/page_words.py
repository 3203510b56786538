"""What the e-mail said about an incident, said again on the customer's order page in the same words.

The message context is built as for the e-mail (notify/outbox.py), from what the incident holds now, and
worded by the same plan and language file (notify/builtin.py page_blocks).
"""

from __future__ import annotations

import dataclasses

from saleor_cs_app.notify.builtin import page_blocks
from saleor_cs_app.notify.outbox import message_context, recorded_goodwill, shop_day
from saleor_cs_app.notify.render import check_complete
from saleor_cs_app.notify.variables import template_variables


# Once the shop has carried the decision out: before, an offer may still be declined or change, and the
# page would claim what was not given.
_SAID = ("notifying", "notified", "handled")


def incident_words(
    incident,
    tracked,
    policy,
    settings,
    language: str,
    page_url: str,
    now,
    *,
    choice_made: bool = False,
    carrier_spoken_since: bool = False,
    over: bool = False,
) -> list[dict] | None:
    """The blocks ({kind: p | box | link, html, href}), or None while the e-mail cannot say it yet (the
    decision is not carried out, or waits for approval): the page then names the situation only.
    `choice_made`: the customer has answered the goods owed for a lost or returned parcel.
    `carrier_spoken_since`: the carrier reported again after the word the e-mail quoted.
    `over`: the story is over (order dispatched, parcel moving again or delivered): only the code it gave."""
    if incident.state not in _SAID:
        return None
    ctx = message_context(
        incident, tracked, policy, settings, language, goodwill=recorded_goodwill(incident), support_url=page_url,
        today=shop_day(policy, tracked, now),
    )
    if carrier_spoken_since:
        # "Latest update from DHL (20 September)", "DHL now expects … 24 September", "If it hasn't arrived by
        # 24 September": no longer the carrier's latest word (the scans below are). The rest still holds.
        ctx = dataclasses.replace(ctx, carrier_status=None, carrier_status_at=None, carrier_expected_date=None)
    try:
        check_complete(ctx)
    except ValueError:
        return None
    return page_blocks(template_variables(ctx), choice_made=choice_made, codes_only=over) or None
