"""What the e-mail said about an incident, said again on the customer's order page in the same words.

The message context is built as for the e-mail (notify/outbox.py), from what the incident holds now, and
worded by the same plan and language file (notify/builtin.py page_blocks).
"""

from __future__ import annotations

from saleor_cs_app.notify.builtin import page_blocks
from saleor_cs_app.notify.outbox import message_context, recorded_goodwill, shop_day
from saleor_cs_app.notify.render import check_complete
from saleor_cs_app.notify.variables import template_variables


# Once the shop has carried the decision out: before, an offer may still be declined or change, and the
# page would claim what was not given.
_SAID = ("notifying", "notified", "handled")


def incident_words(
    incident, tracked, policy, settings, language: str, page_url: str, now, *, choice_made: bool = False
) -> list[dict] | None:
    """The blocks ({kind: p | box | link, html, href}), or None while the e-mail cannot say it yet (the
    decision is not carried out, or waits for approval): the page then names the situation only.
    `choice_made`: the customer has answered the goods owed for a lost or returned parcel."""
    if incident.state not in _SAID:
        return None
    ctx = message_context(
        incident, tracked, policy, settings, language, goodwill=recorded_goodwill(incident), support_url=page_url,
        today=shop_day(policy, tracked, now),
    )
    try:
        check_complete(ctx)
    except ValueError:
        return None
    return page_blocks(template_variables(ctx), choice_made=choice_made)
