"""The promise calendar: when an order must ship and a parcel must arrive.

Pure functions. Time comes in as arguments; every datetime in and out is
timezone-aware, and every deadline comes back in UTC.

Deadline convention: deadlines are **exclusive**. A promise "ships within the
2nd business day" yields the instant the *following* local calendar day starts
(local midnight, converted to UTC). An order is late when ``now >= deadline``.
This avoids 23:59:59.999999 arithmetic and makes "same local day" comparisons
exact; :func:`promised_local_date` turns a deadline back into the date a
customer should be told.

Business days are Monday to Friday minus the public holidays of
``rules.country`` (``holidays`` library, default category), counted in
``rules.timezone``. Days are counted on local calendar dates via zoneinfo,
never by adding 24-hour timedeltas, so DST transitions never shift a day.
"""

from __future__ import annotations

import dataclasses
import functools
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays

from saleor_cs_app.care.model import PromiseRules

__all__ = [
    "add_business_days",
    "business_days_between",
    "business_days_late",
    "deliver_by",
    "is_business_day",
    "promised_local_date",
    "rules_for_channel",
    "ship_by",
    "timezone_for_country",
    "zone_of",
]

_ONE_DAY = timedelta(days=1)

# One sensible zone per country for channels whose merchant set none. Countries
# spanning several zones get the zone of their capital or largest market.
# fmt: off
_COUNTRY_TIMEZONES: dict[str, str] = {
    # Nordics and Baltics
    "FI": "Europe/Helsinki", "SE": "Europe/Stockholm", "NO": "Europe/Oslo",
    "DK": "Europe/Copenhagen", "IS": "Atlantic/Reykjavik", "AX": "Europe/Mariehamn",
    "EE": "Europe/Tallinn", "LV": "Europe/Riga", "LT": "Europe/Vilnius",
    # Rest of the EU / EEA and neighbours
    "AT": "Europe/Vienna", "BE": "Europe/Brussels", "BG": "Europe/Sofia",
    "HR": "Europe/Zagreb", "CY": "Asia/Nicosia", "CZ": "Europe/Prague",
    "FR": "Europe/Paris", "DE": "Europe/Berlin", "GR": "Europe/Athens",
    "HU": "Europe/Budapest", "IE": "Europe/Dublin", "IT": "Europe/Rome",
    "LU": "Europe/Luxembourg", "MT": "Europe/Malta", "NL": "Europe/Amsterdam",
    "PL": "Europe/Warsaw", "PT": "Europe/Lisbon", "RO": "Europe/Bucharest",
    "SK": "Europe/Bratislava", "SI": "Europe/Ljubljana", "ES": "Europe/Madrid",
    "LI": "Europe/Vaduz", "CH": "Europe/Zurich", "GB": "Europe/London",
    "UA": "Europe/Kyiv", "RS": "Europe/Belgrade", "TR": "Europe/Istanbul",
    # Elsewhere
    "US": "America/New_York", "CA": "America/Toronto", "MX": "America/Mexico_City",
    "BR": "America/Sao_Paulo", "AR": "America/Argentina/Buenos_Aires",
    "AU": "Australia/Sydney", "NZ": "Pacific/Auckland", "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul", "CN": "Asia/Shanghai", "IN": "Asia/Kolkata",
    "SG": "Asia/Singapore", "AE": "Asia/Dubai", "IL": "Asia/Jerusalem",
    "ZA": "Africa/Johannesburg",
}
# fmt: on


# --- business days -------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _holidays(country: str | None, year: int) -> frozenset[date]:
    """Public holidays of one country and year; empty for no or an unsupported country.

    A frozenset, not the library's HolidayBase: that object grows itself when asked
    about other years, which a shared cached value must not do.
    """
    if not country:
        return frozenset()
    try:
        return frozenset(holidays.country_holidays(country.upper(), years=year))
    except NotImplementedError:
        # Saleor's defaultCountry can be any ISO code; the library covers most but not
        # all of them. Weekends still count, which beats refusing to make a promise.
        return frozenset()


def is_business_day(day: date, country: str | None) -> bool:
    return day.weekday() < 5 and day not in _holidays(country, day.year)


def _next_business_day(day: date, country: str | None) -> date:
    """The first business day strictly after ``day``."""
    day += _ONE_DAY
    while not is_business_day(day, country):
        day += _ONE_DAY
    return day


def _add_business_days(day: date, days: int, country: str | None) -> date:
    """The ``days``-th business day after ``day``; for 0, ``day`` itself if a business day, else the next."""
    if days < 0:
        raise ValueError(f"business days must be >= 0, got {days}")
    if days == 0:
        return day if is_business_day(day, country) else _next_business_day(day, country)
    for _ in range(days):
        day = _next_business_day(day, country)
    return day


def add_business_days(day: date, days: int, country: str | None) -> date:
    """The ``days``-th business day after ``day`` (0: ``day`` itself, or the next business day)."""
    return _add_business_days(day, days, country)


def business_days_between(start: date, end: date, country: str | None) -> int:
    """Business days after ``start`` up to and including ``end``: 0 on the same day, never negative.

    The inverse of :func:`add_business_days` for a business day ``end``: a parcel shipped on
    Friday and delivered on Monday took 1 business day."""
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        if is_business_day(day, country):
            count += 1
    return count


# --- local time ------------------------------------------------------------------------


def _zone(rules: PromiseRules) -> ZoneInfo:
    return ZoneInfo(rules.timezone or timezone_for_country(rules.country))


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")


def _start_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local day, in UTC.

    If a DST jump skips midnight (e.g. America/Santiago), fold=0 resolves 00:00 with the
    old offset, which is exactly the instant of the jump: still the day's first instant.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


def _end_of_local_day(day: date, zone: ZoneInfo) -> datetime:
    """The exclusive end of a local day: the instant the next local day starts, in UTC."""
    return _start_of_local_day(day + _ONE_DAY, zone)


# --- the promises ----------------------------------------------------------------------


def ship_by(order_time: datetime, rules: PromiseRules) -> datetime:
    """Exclusive ship-by deadline (UTC) for an order paid or created at ``order_time``.

    The handling clock starts on the order's local day, or on the next business day if
    the order came at/after ``cutoff_hour`` local time or on a non-business day. The
    order must ship within the ``handling_days``-th business day after that start day
    (0 = the start day itself); the deadline is the start of the following local day.
    A ``cutoff_hour`` of 24 or more means no cut-off.
    """
    _require_aware("order_time", order_time)
    if rules.handling_days < 0:
        raise ValueError(f"handling_days must be >= 0, got {rules.handling_days}")
    zone = _zone(rules)
    local = order_time.astimezone(zone)
    start = local.date()
    if local.hour >= rules.cutoff_hour or not is_business_day(start, rules.country):
        start = _next_business_day(start, rules.country)
    last_day = _add_business_days(start, rules.handling_days, rules.country)
    return _end_of_local_day(last_day, zone)


def deliver_by(fulfilled_at: datetime, max_delivery_days: int | None, rules: PromiseRules) -> datetime:
    """Exclusive deliver-by deadline (UTC) for a fulfilment created at ``fulfilled_at``.

    Transit days are the shipping method's ``maximumDeliveryDays``, or
    ``rules.default_delivery_days`` when Saleor has none (``None``; an explicit 0 is kept
    as same-day delivery). Transit plus ``delivery_grace_days`` business days are counted
    after the fulfilment's local day, with no cut-off; a total of 0 means the end of the
    fulfilment day (or of the next business day, if fulfilled on a day off).
    """
    _require_aware("fulfilled_at", fulfilled_at)
    transit = rules.default_delivery_days if max_delivery_days is None else max_delivery_days
    if transit < 0 or rules.delivery_grace_days < 0:
        raise ValueError(f"delivery days must be >= 0, got {transit} + grace {rules.delivery_grace_days}")
    zone = _zone(rules)
    day = fulfilled_at.astimezone(zone).date()
    last_day = _add_business_days(day, transit + rules.delivery_grace_days, rules.country)
    return _end_of_local_day(last_day, zone)


def customer_delivery_date(fulfilled_at: datetime, max_delivery_days: int | None, rules: PromiseRules) -> date:
    """The delivery date the customer was promised: the shipping method's days, without the
    ``delivery_grace_days`` the app allows itself before it calls a parcel late.

    The one promised date the customer reads, in every e-mail and on the order page; the grace days only
    decide when the app writes.
    """
    strict = dataclasses.replace(rules, delivery_grace_days=0)
    return promised_local_date(deliver_by(fulfilled_at, max_delivery_days, strict), rules)


def business_days_late(deadline: datetime, now: datetime, rules: PromiseRules) -> int:
    """How many business days a promise is overdue at ``now``.

    0 while ``now < deadline``. Otherwise the number of business days whose local date
    lies from the deadline's local date up to and including ``now``'s local date, but at
    least 1: a promise missed on Friday night is 1 day late all weekend, 1 on Monday
    and 2 on Tuesday. So ``> 0`` always means late, and the count never decreases.
    """
    _require_aware("deadline", deadline)
    _require_aware("now", now)
    if now < deadline:
        return 0
    zone = _zone(rules)
    day = deadline.astimezone(zone).date()
    today = now.astimezone(zone).date()
    count = 0
    while day <= today:
        if is_business_day(day, rules.country):
            count += 1
        day += _ONE_DAY
    return max(count, 1)


def promised_local_date(deadline: datetime, rules: PromiseRules) -> date:
    """The local date the customer was promised: the last business day before ``deadline``.

    For a deadline made here this is the business day whose end the deadline marks.
    """
    _require_aware("deadline", deadline)
    zone = _zone(rules)
    day = deadline.astimezone(zone).date()
    if deadline <= _start_of_local_day(day, zone):
        # Exclusive: nothing of this day was promised.
        day -= _ONE_DAY
    while not is_business_day(day, rules.country):
        day -= _ONE_DAY
    return day


# --- filling the gaps of a channel's rules ----------------------------------------------


def timezone_for_country(country: str | None) -> str:
    """A sensible IANA zone for an ISO 3166-1 alpha-2 country code; "UTC" when unknown."""
    if not country:
        return "UTC"
    return _COUNTRY_TIMEZONES.get(country.strip().upper(), "UTC")


def rules_for_channel(base: PromiseRules, *, country: str | None, timezone: str | None) -> PromiseRules:
    """Complete a channel's rules with what Saleor knows about the channel.

    ``country`` is the channel's ``defaultCountry``; it is used only when the policy
    set none. ``timezone`` is an explicit zone for the channel and wins when given;
    then the policy's zone; with neither, the country's zone.
    """
    resolved_country = (base.country or country or "").strip().upper() or None
    zone = timezone or base.timezone or timezone_for_country(resolved_country)
    ZoneInfo(zone)  # fail here, with the zone's name, rather than deep in a sweep
    return dataclasses.replace(base, country=resolved_country, timezone=zone)


def zone_of(rules: PromiseRules) -> ZoneInfo:
    """The time zone the shop's promises are kept in."""
    return _zone(rules)
