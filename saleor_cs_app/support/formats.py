"""Dates, times and money as the customer's own locale writes them (Babel, CLDR).

The locale is the page's language with the customer's region when Saleor gives one (the order's
languageCode "EN_GB", "FR_BE"), else the channel's country when that is a region of the language, else the
language's own default region — British for English, the English of the page's words.
"""

from __future__ import annotations

import re

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time, get_timezone_location
from babel.numbers import format_currency, format_percent

from saleor_cs_app.notify.formatting import WHOLE_AMOUNT_FORMATS

_DEFAULT_REGION = {"en": "GB"}


def page_locale(language: str, order_language_enum: str | None, channel_country: str | None) -> Locale:
    parts = (order_language_enum or "").replace("-", "_").split("_")
    regions = [parts[1] if len(parts) > 1 and parts[0].lower() == language else None, channel_country]
    for region in [*regions, _DEFAULT_REGION.get(language)]:
        if not region:
            continue
        try:
            locale = Locale.parse(f"{language}_{region.upper()}")
        except (UnknownLocaleError, ValueError):
            continue
        if locale.territory == region.upper():
            return locale
    return Locale.parse(language)


# Polish writes "r." after a year, as the e-mails do (notify/formatting.py): the page's dates sit beside theirs.
_AFTER_YEAR = {"pl": "\u00a0'r.'"}


def day(value: date | str, locale: Locale) -> str:
    """15 September 2027 / 15. syyskuuta 2027 / 15 września 2027 r."""
    value = _date(value)
    pattern = _day_with_month(str(locale.date_formats["long"].pattern), locale) + _AFTER_YEAR.get(locale.language, "")
    return format_date(value, _first_of_month(pattern, value, locale), locale=locale)


def big_day(value: date | str, locale: Locale) -> str:
    """With the weekday in full, for the expected date: Wednesday 15 September, środa, 22 września.

    The locale's own order for a day with its weekday (CLDR's MMMMEd), with the weekday spelled out: a date
    in large type on its own is written in full, not as a form field's "śr., 22 września"."""
    value = _date(value)
    skeleton = locale.datetime_skeletons.get("MMMMEd")
    if skeleton is None:
        return format_skeleton("MMMMEEEEd", value, locale=locale)
    pattern = _day_with_month(_SHORT_WEEKDAY.sub(lambda m: m.group(1)[0] * 4, str(skeleton.pattern)), locale)
    return format_date(value, _first_of_month(pattern, value, locale), locale=locale)


# French and Italian write the first of the month as an ordinal ("1er octobre", "1º ottobre"), as the
# e-mails do (notify/formatting.py).
_ORDINAL_FIRST = {"fr": "d'er'", "it": "d'º'"}
_DAY_FIELD = re.compile(r"(?<![d'])d(?![d'])")


def _first_of_month(pattern: str, value: date, locale: Locale) -> str:
    ordinal = _ORDINAL_FIRST.get(locale.language)
    return _DAY_FIELD.sub(ordinal, pattern) if ordinal and value.day == 1 else pattern


_DAY_BEFORE_MONTH = {"de": ("d. M", "d.\u00a0M"), "fi": ("d. MMMM", "d.\u00a0MMMM")}


def _day_with_month(pattern: str, locale: Locale) -> str:
    """German and Finnish keep the day with its month, as their e-mails do: "22.\u00a0September",
    "22.\u00a0syyskuuta"; a line never ends on a lone "22."."""
    if locale.language not in _DAY_BEFORE_MONTH:
        return pattern
    return pattern.replace(*_DAY_BEFORE_MONTH[locale.language])


# A weekday field of 1-3 letters (E, EEE, ccc) outside quotes: its full form has four.
_SHORT_WEEKDAY = re.compile(r"(?<![Ec'])(E{1,3}|c{1,3})(?![Ec])")


# Finnish joins a date and a time with "klo" (20.9.2027 klo 10.00); Babel's CLDR data has no such form.
_DATE_AT_TIME = {"fi": "{1} klo {0}"}


def moment(value: datetime, zone: ZoneInfo, locale: Locale) -> str:
    """A scan's time in the given zone, the locale's date and short time joined its way: 15 Sept 2027, 14:05."""
    local = value.astimezone(zone)
    pattern = _DATE_AT_TIME.get(locale.language) or str(locale.datetime_formats["medium"])
    on = format_date(local, _first_of_month(str(locale.date_formats["medium"].pattern), local, locale), locale=locale)
    return pattern.replace("{1}", on).replace("{0}", format_time(local, "short", locale=locale))


def zone_name(zone: ZoneInfo, locale: Locale) -> str:
    return get_timezone_location(zone, locale=locale, return_city=True)


def money(value, currency: str, locale: Locale) -> str:
    amount = Decimal(str(value))
    whole = WHOLE_AMOUNT_FORMATS.get(locale.language)  # as the e-mails write it: "199 kr", not "199,00 kr"
    if whole and amount == amount.to_integral_value():
        return format_currency(amount, currency, format=whole, locale=locale, currency_digits=False)
    return format_currency(amount, currency, locale=locale)


def percent(value, locale: Locale) -> str:
    return format_percent(Decimal(str(value)) / 100, locale=locale)


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])

