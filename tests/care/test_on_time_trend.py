"""The on-time trend: a rate per month and group from the minimum sample on, the chart's largest groups."""

from saleor_cs_app.care.on_time_trend import MIN_SAMPLE, chart_series, trend

MONTHS = ["2026-01", "2026-02", "2026-03"]


def parcels(month, group, delivered, late):
    return [(month, group, i >= late) for i in range(delivered)]


def test_a_month_below_the_minimum_shows_its_count_and_no_rate():
    points = trend(MONTHS, parcels("2026-01", "DHL", MIN_SAMPLE, 2) + parcels("2026-02", "DHL", MIN_SAMPLE - 1, 0))
    january, february = points
    assert (january.delivered, january.on_time, january.rate, january.too_few) == (MIN_SAMPLE, MIN_SAMPLE - 2, 0.8, False)
    assert (february.delivered, february.on_time, february.rate, february.too_few) == (MIN_SAMPLE - 1, MIN_SAMPLE - 1, None, True)


def test_a_month_without_parcels_has_no_point_and_leaves_a_gap_in_the_chart():
    points = trend(MONTHS, parcels("2026-01", "DHL", 20, 0) + parcels("2026-03", "DHL", 20, 5))
    assert [p.month for p in points] == ["2026-01", "2026-03"]
    assert chart_series(MONTHS, points) == [("DHL", [1.0, None, 0.75])]


def test_the_chart_draws_the_groups_with_most_parcels_and_ties_by_name():
    rows = []
    for group, count in (("A", 10), ("B", 40), ("C", 30), ("D", 10), ("E", 20)):
        rows += parcels("2026-01", group, count, 0)
    assert [name for name, _ in chart_series(MONTHS, trend(MONTHS, rows), limit=4)] == ["B", "C", "E", "A"]
