"""The policy simulation's expected returns come from the last daily count's rates per offer type."""

from decimal import Decimal

from saleor_cs_app.care.simulate import CurrencyOutcome, Simulation
from saleor_cs_app.jobs import returns_count
from saleor_cs_app.jobs.simulation import expected_returns
from tests.flows import tenant_id
from tests.returns_seed import a_shop_half_a_year_on


def test_swapping_a_gift_card_for_a_voucher_expects_the_returns_each_offer_brought(installed, runtime, clock):
    tenant = tenant_id(runtime, installed)
    assert expected_returns(runtime, tenant, Simulation(0, ())) == {}, "not counted yet: nothing to expect"
    with runtime.db.transaction() as session:
        a_shop_half_a_year_on(session, tenant, clock.now)
    returns_count.count_tenant(runtime, tenant)
    outcome = CurrencyOutcome(
        "USD", incidents=40, would_give=40, would_cost=Decimal(240), gave=40, gave_cost=Decimal(600),
        would_give_by_offer={"free_shipping_voucher": 40}, gave_by_offer={"gift_card": 40},
    )
    live, candidate = expected_returns(runtime, tenant, Simulation(40, (outcome,)))["USD"]
    assert live.incidents == candidate.incidents == 40 and live.unknown == candidate.unknown == 0
    assert live.low < live.returning < live.high and candidate.low < candidate.returning < candidate.high
    assert candidate.returning < live.returning, "the seeded vouchers bring fewer customers back than gift cards"
