"""The shop's brand on the customer's page and e-mails: the checks, pure.

The accent colour carries white text (buttons, the page's header) and is the colour of links on white, so
it must reach WCAG AA contrast with white: 4.5:1 (SC 1.4.3). A colour below that is refused with its ratio.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AA_CONTRAST = 4.5
MAX_NAME = 80
_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")
_EMAIL = re.compile(r"^[^@\s<>\"]{1,64}@[^@\s<>\"]{1,255}\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{4,30}$")


@dataclass(frozen=True)
class Contacts:
    email: str | None = None
    phone: str | None = None
    url: str | None = None  # the shop's help page


def normal_hex(value: str) -> str | None:
    """"#0B57D0" for "0b57d0", "#0b5" → "#00bb55"; None when it is not a hex colour."""
    found = _HEX.match(value.strip())
    if not found:
        return None
    digits = found.group(1).lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return f"#{digits}"


def contrast(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two "#rrggbb" colours, 1 to 21."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def accent_refusal(value: str) -> str | None:
    """Why this accent colour cannot be used, or None when it can."""
    colour = normal_hex(value)
    if colour is None:
        return f"“{value[:20]}” is not a colour: write it as #rrggbb, for example #0b57d0."
    ratio = contrast(colour, "#ffffff")
    if ratio < AA_CONTRAST:
        return (
            f"{colour} against white has a contrast of {ratio:.1f}:1; white text on it and links in it need at "
            f"least {AA_CONTRAST}:1 (WCAG AA). Choose a darker shade."
        )
    return None


def contact_refusals(contacts: Contacts) -> dict[str, str]:
    """field → why it is refused."""
    refused = {}
    if contacts.email and not _EMAIL.match(contacts.email):
        refused["email"] = "Not an e-mail address."
    if contacts.phone and not _PHONE.match(contacts.phone):
        refused["phone"] = "Not a phone number: digits, spaces and + ( ) - only."
    if contacts.url and (not contacts.url.startswith("https://") or len(contacts.url) > 500 or " " in contacts.url):
        refused["url"] = "A help page's address starts with https:// (up to 500 characters)."
    return refused


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
