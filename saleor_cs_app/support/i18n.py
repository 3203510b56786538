"""The page strings: one module per language under strings/, chosen from the order's language."""

from __future__ import annotations

import importlib
from functools import cache

from saleor_cs_app.notify.formatting import single_full_stops

LANGUAGES = ("en", "fi", "pl", "lt", "de", "sv", "fr", "es", "it", "nl", "et", "lv")
FALLBACK = "en"

# Channel countries whose customers read one of these languages (when the order names none).
_COUNTRY_LANGUAGE = {
    "FI": "fi", "PL": "pl", "LT": "lt", "DE": "de", "AT": "de", "CH": "de", "SE": "sv", "FR": "fr", "BE": "fr",
    "ES": "es", "IT": "it", "NL": "nl", "EE": "et", "LV": "lv", "GB": "en", "IE": "en", "US": "en",
}  # fmt: skip


@cache
def strings(language: str) -> dict[str, str]:
    table = importlib.import_module(f"saleor_cs_app.support.strings.{language}").STRINGS
    if language == FALLBACK:
        return table
    return {**strings(FALLBACK), **table}


def page_language(order_language_enum: str | None, channel_country: str | None) -> str:
    """Saleor's LanguageCodeEnum ("FI", "FR_BE", "EN_US") or the channel's country; else English."""
    base = (order_language_enum or "").replace("-", "_").split("_", 1)[0].lower()
    if base in LANGUAGES:
        return base
    return _COUNTRY_LANGUAGE.get((channel_country or "").upper(), FALLBACK)


class Translator:
    def __init__(self, language: str):
        self.language = language if language in LANGUAGES else FALLBACK
        self._strings = strings(self.language)

    def __call__(self, key: str, **values) -> str:
        text = self._strings[key]
        # A date that ends with its abbreviation's dot, before the string's own full stop: one dot.
        return single_full_stops(text.format(**values)) if values else text
