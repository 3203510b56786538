from saleor_cs_app.care.promise_advice import days_kept, max_delivery_days


def test_the_advice_covers_95_percent_of_the_sample():
    advice = days_kept({1: 50, 2: 30, 3: 15, 6: 5})
    assert (advice.days, advice.sample) == (3, 100)
    assert advice.low <= 3 <= advice.high


def test_a_large_sample_is_sure_and_a_small_one_is_not():
    big = days_kept({2: 9000, 3: 500, 4: 400, 9: 100})
    assert big.days == 3 and big.sure
    small = days_kept({2: 5, 4: 1})
    assert small.days == 4 and small.sample == 6 and not small.sure
    assert days_kept({}).days is None and not days_kept({}).sure


def test_the_maximum_delivery_days_leave_room_for_the_grace_days():
    advice = max_delivery_days({2: 90, 4: 10}, grace_days=1)
    assert advice.days == 3  # 95 % take at most 4 business days = 3 promised + 1 of grace
    assert max_delivery_days({0: 10}, grace_days=2).days == 0
