"""Which of the shipped languages a message is written in.

Saleor gives the order's `languageCode` as a LanguageCodeEnum value ("FI", "FI_FI", "EN_US", "NB", ...).
A channel has no language of its own, only a default country ("SE", "AT", ...), so the channel
fallback also accepts a country code.
"""

from __future__ import annotations

from saleor_cs_app.notify.context import SHIPPED_LANGUAGES

FALLBACK_LANGUAGE = "en"

# Countries whose customers we write to in one of the shipped languages (channel fallback only:
# as an order language "SE" means Northern Sami, not Swedish).
_COUNTRY_LANGUAGE = {
    "FI": "fi",
    "PL": "pl",
    "LT": "lt",
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "LI": "de",
    "SE": "sv",
    "AX": "sv",
    "FR": "fr",
    "LU": "fr",
    "MC": "fr",
    "ES": "es",
    "IT": "it",
    "SM": "it",
    "NL": "nl",
    "EE": "et",
    "LV": "lv",
    "GB": "en",
    "IE": "en",
    "US": "en",
    "CA": "en",
    "AU": "en",
    "NZ": "en",
}


def _shipped_base_language(code: str | None) -> str | None:
    """ "FI_FI", "fi-FI", "fi" → "fi"; anything not shipped → None."""
    if not code:
        return None
    base = code.strip().replace("-", "_").split("_", 1)[0].lower()
    return base if base in SHIPPED_LANGUAGES else None


def pick_language(order_language_enum: str | None, channel_default: str | None) -> str:
    """The order's language if we ship it, else the channel's (language or country code), else English."""
    from_order = _shipped_base_language(order_language_enum)
    if from_order:
        return from_order
    from_channel = _shipped_base_language(channel_default)
    if from_channel:
        return from_channel
    if channel_default and channel_default.strip().upper() in _COUNTRY_LANGUAGE:
        return _COUNTRY_LANGUAGE[channel_default.strip().upper()]
    return FALLBACK_LANGUAGE


def language_fallback(order_language_enum: str | None, channel_default: str | None, chosen: str) -> str | None:
    """Why `chosen` is not the order's own language, for the incident's timeline; None when it is."""
    if not order_language_enum or _shipped_base_language(order_language_enum) == chosen:
        return None
    via = f"the channel's ({channel_default})" if chosen != FALLBACK_LANGUAGE else "English"
    return f"No messages in the order's language {order_language_enum}: written in {chosen}, {via}"
