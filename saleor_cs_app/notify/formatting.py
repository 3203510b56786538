"""Dates, money, percentages and lists as a customer in each language expects to read them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_percent

# British English: day-month-year dates ("3 March 2025") read naturally to European customers.
LOCALES = {
    "en": "en_GB",
    "fi": "fi_FI",
    "pl": "pl_PL",
    "lt": "lt_LT",
    "de": "de_DE",
    "sv": "sv_SE",
    "fr": "fr_FR",
    "es": "es_ES",
    "it": "it_IT",
    "nl": "nl_NL",
    "et": "et_EE",
    "lv": "lv_LV",
}
# CLDR's long dates in Estonian and Latvian are nominative ("14. märts 2025", "2025. gada 14. marts"),
# which no sentence can take after "by"; shops there write the numeric date, which fits every case.
# Finnish shops write "7.3.2025" in transactional mail; Polish business letters add "r." after the year.
# Lithuanian keeps a date on one line (no-break spaces), as Polish keeps "r." with its year; German keeps
# the day with its month ("22. September", never "22." at a line's end).
_DATE_FORMATS = {
    "de": "d.\u00a0MMMM y",
    "et": "dd.MM.yyyy",
    "lv": "dd.MM.yyyy",
    "fi": "d.M.yyyy",
    "pl": "d MMMM y\u00a0'r.'",
    "lt": "y'\u00a0m.\u00a0'MMMM'\u00a0'd'\u00a0d.'",
    "fr": "d\u00a0MMMM\u00a0y",  # on one line at phone width too ("13 mars 2025"), as Lithuanian
}
# French and Italian write the first of the month as an ordinal.
_FIRST_OF_MONTH = {"fr": "d'er'\u00a0MMMM\u00a0y", "it": "d'º' MMMM y"}
# Languages that write a whole amount without its cents ("150 kr"): e-mails and the order page alike.
WHOLE_AMOUNT_FORMATS = {"sv": "#,##0\u00a0¤"}


def locale_for(language: str) -> str:
    return LOCALES[language]


def day(value: date | None, language: str) -> str | None:
    """A form that fits inside a sentence in the language ("bis zum 3. März 2025",
    "viimeistään 3. maaliskuuta 2025", "iki 2025 m. kovo 3 d.", "hiljemalt 03.03.2025")."""
    if value is None:
        return None
    if value.day == 1 and language in _FIRST_OF_MONTH:  # "1er mars 2025", "1º marzo 2025"
        return format_date(value, format=_FIRST_OF_MONTH[language], locale=locale_for(language))
    return format_date(value, format=_DATE_FORMATS.get(language, "long"), locale=locale_for(language))


# CLDR's currencySpacing: a currency code's letters and the digits get a no-break space between them
# ("PLN 15.00", as Intl.NumberFormat writes it); Babel leaves it out ("PLN15.00").
_CODE_AGAINST_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def money(amount: Decimal | None, currency: str, language: str) -> str | None:
    if amount is None:
        return None
    whole = WHOLE_AMOUNT_FORMATS.get(language)
    if whole and amount == amount.to_integral_value():
        written = format_currency(amount, currency, format=whole, locale=locale_for(language), currency_digits=False)
    else:
        written = format_currency(amount, currency, locale=locale_for(language))
    return _CODE_AGAINST_DIGIT.sub("\u00a0", written)


def percent(value: int | Decimal | None, language: str) -> str | None:
    return None if value is None else format_percent(Decimal(value) / 100, locale=locale_for(language))


def items(names: tuple[str, ...], language: str) -> str:
    """ "A, B and C" with the language's own conjunction."""
    return format_list(list(names), locale=locale_for(language)) if names else ""


# A full stop after a word that already ends with its abbreviation's dot ("5 marca 2025 r.", "2025 m.
# kovo 5 d."): the sentence ends on that dot. Three dots (an ellipsis) stay.
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def single_full_stops(text: str) -> str:
    """The text without a second full stop where a date (or any abbreviation) already ends with one."""
    return _DOUBLE_STOP.sub(".", text)
