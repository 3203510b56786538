"""The app's own GraphQL API (SPEC §6b), as the dashboard pages call it."""

from __future__ import annotations

import logging

import strawberry

from saleor_cs_app.ui.errors import ApiError
from saleor_cs_app.ui.resolvers import advice as advice_resolvers
from saleor_cs_app.ui.resolvers import brand as brand_resolvers
from saleor_cs_app.ui.resolvers import due_to_ship as due_to_ship_resolvers
from saleor_cs_app.ui.resolvers import incidents as incident_resolvers
from saleor_cs_app.ui.resolvers import insights as insight_resolvers
from saleor_cs_app.ui.resolvers import mail_server as mail_server_resolvers
from saleor_cs_app.ui.resolvers import messages as message_resolvers
from saleor_cs_app.ui import order_page as order_page_resolvers
from saleor_cs_app.ui.resolvers import policy as policy_resolvers
from saleor_cs_app.ui.resolvers import problems as problem_resolvers
from saleor_cs_app.ui.resolvers import tracking as tracking_resolvers
from saleor_cs_app.ui.resolvers import proposals as proposal_resolvers
from saleor_cs_app.ui.resolvers import returns as returns_resolvers

log = logging.getLogger(__name__)


@strawberry.type
class Query:
    incidents = strawberry.field(resolver=incident_resolvers.incidents, description="Newest first.")
    incident = strawberry.field(resolver=incident_resolvers.incident)
    due_to_ship = strawberry.field(
        resolver=due_to_ship_resolvers.due_to_ship,
        description="Per warehouse: unshipped orders due today or tomorrow, and those already late.",
    )
    tracked_order = strawberry.field(resolver=incident_resolvers.tracked_order, description="An order the app watches.")
    catalogue_search = strawberry.field(
        resolver=order_page_resolvers.catalogue_search, description="Variants in the order's channel by name or SKU."
    )
    policy = strawberry.field(
        resolver=policy_resolvers.live_policy, description="The live policy document and its history."
    )
    policy_schema = strawberry.field(
        resolver=policy_resolvers.policy_schema, description="JSON Schema of the document."
    )
    validate_policy = strawberry.field(resolver=policy_resolvers.validate_policy)
    message_catalog = strawberry.field(resolver=message_resolvers.message_catalog)
    builtin_message = strawberry.field(resolver=message_resolvers.builtin_message)
    insights = strawberry.field(
        resolver=insight_resolvers.month_insights, description="month: YYYY-MM, default this month."
    )
    app_problems = strawberry.field(
        resolver=problem_resolvers.app_problems, description="What the merchant must act on, reviewed now."
    )
    mail_server = strawberry.field(resolver=mail_server_resolvers.mail_server, description="Never shows the password.")
    brand = strawberry.field(resolver=brand_resolvers.brand_settings, description="What heads the page and e-mails.")
    tracking = strawberry.field(resolver=tracking_resolvers.tracking_overview, description="Never shows the keys.")
    delivery_performance = strawberry.field(resolver=tracking_resolvers.delivery_performance)
    # What the goodwill buys (Insights): read from the daily count (jobs/returns_count.py).
    goodwill_returns = strawberry.field(resolver=returns_resolvers.goodwill_returns)
    goodwill_returns_csv = strawberry.field(resolver=returns_resolvers.goodwill_returns_csv)
    goodwill_returns_chart = strawberry.field(resolver=returns_resolvers.goodwill_returns_chart)
    goodwill_redemptions = strawberry.field(
        resolver=returns_resolvers.goodwill_redemptions, description="The incident's codes spent on orders."
    )
    promise_advice = strawberry.field(resolver=tracking_resolvers.promise_advice)
    shipping_access = strawberry.field(
        resolver=advice_resolvers.shipping_access, description="The shop's shipping methods, where the app may read them."
    )
    delivery_trend = strawberry.field(resolver=advice_resolvers.delivery_trend)
    delivery_trend_csv = strawberry.field(resolver=advice_resolvers.delivery_trend_csv)
    delivery_trend_chart = strawberry.field(resolver=advice_resolvers.delivery_trend_chart)


@strawberry.type
class Mutation:
    update_policy = strawberry.mutation(resolver=policy_resolvers.update_policy)
    simulate_policy = strawberry.mutation(
        resolver=policy_resolvers.simulate_policy,
        description="What a policy would have given over the last `days` days.",
    )
    approve_incident = strawberry.mutation(resolver=incident_resolvers.approve_incident)
    decline_incident = strawberry.mutation(resolver=incident_resolvers.decline_incident)
    report_incident = strawberry.mutation(resolver=incident_resolvers.report_incident)
    preview_message = strawberry.mutation(resolver=message_resolvers.preview_message)
    update_mail_server = strawberry.mutation(resolver=mail_server_resolvers.update_mail_server)
    update_brand = strawberry.mutation(resolver=brand_resolvers.update_brand)
    set_brand_logo = strawberry.mutation(resolver=brand_resolvers.set_brand_logo)
    connect_aftership = strawberry.mutation(resolver=tracking_resolvers.connect_aftership)
    connect_dhl = strawberry.mutation(resolver=tracking_resolvers.connect_dhl)
    test_tracking_connection = strawberry.mutation(resolver=tracking_resolvers.test_tracking_connection)
    disconnect_tracking = strawberry.mutation(resolver=tracking_resolvers.disconnect_tracking)
    release_backlog = strawberry.mutation(resolver=tracking_resolvers.release_backlog)
    dismiss_incident = strawberry.mutation(resolver=tracking_resolvers.dismiss_incident)
    apply_maximum_delivery_days = strawberry.mutation(
        resolver=advice_resolvers.apply_maximum_delivery_days, description="Needs MANAGE_SHIPPING (app and user)."
    )
    accept_proposal = strawberry.mutation(resolver=proposal_resolvers.accept_proposal)
    counter_proposal = strawberry.mutation(
        resolver=proposal_resolvers.counter_proposal, description="Offer money off instead: amount or percent."
    )
    decline_proposal = strawberry.mutation(resolver=proposal_resolvers.decline_proposal)


class AppSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        # Refusals the merchant caused are expected; only the unexpected deserve a traceback.
        for error in errors:
            if error.original_error is None:
                # The query itself is invalid (a client mistake): worth a line, not a traceback.
                log.info("graphql request refused", extra={"error": error.message})
            elif not isinstance(error.original_error, ApiError):
                log.error("graphql error", exc_info=error.original_error)


schema = AppSchema(query=Query, mutation=Mutation)
