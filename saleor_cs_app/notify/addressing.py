"""Who a customer e-mail is from, given the server that carries it.

Through the operator's server (SMTP_URL) a message is only ever from the operator's MAIL_FROM address —
the envelope sender and the From header — so no shop can send as `Your Bank <security@bank.example>`
under the operator's reputation. The shop's name may be the display name, and the shop's own address
goes in Reply-To, so answers still reach the shop. A From address of the shop's own needs the shop's
own mail server (set on the Messages tab).
"""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.policy import default as default_policy


@dataclass(frozen=True)
class Addressing:
    mail_from: str  # the From header; its address is also the envelope sender (MAIL FROM)
    reply_to: str | None


def addressing(shop_from: str, operator_from: str, *, own_server: bool) -> Addressing:
    """`shop_from`: the sender the shop chose (its policy's, else MAIL_FROM), "Name <address>"."""
    if own_server:
        return Addressing(shop_from, None)
    shop, operator = _parsed(shop_from), _parsed(operator_from)
    if shop.addr_spec.lower() == operator.addr_spec.lower() and shop.display_name == operator.display_name:
        return Addressing(operator_from, None)
    # A display name that holds an address would show as that address in many mail clients.
    name = shop.display_name if shop.display_name and "@" not in shop.display_name else operator.display_name
    reply_to = None if shop.addr_spec.lower() == operator.addr_spec.lower() else shop.addr_spec
    return Addressing(str(Address(display_name=name, addr_spec=operator.addr_spec)), reply_to)


def sender_notice(sender_email: str | None, operator_from: str, *, own_server: bool) -> str | None:
    """What a merchant who names a sender address should know when it cannot be the From address."""
    if sender_email is None or own_server:
        return None
    operator = _parsed(operator_from).addr_spec
    if sender_email.lower() == operator.lower():
        return None
    return (
        f"Without your own mail server, e-mails are sent from {operator} with your shop's name, and "
        f"{sender_email} is used as Reply-To. To send from {sender_email}, set your mail server on the Messages tab."
    )


def _parsed(value: str) -> Address:
    (address,) = default_policy.header_factory("From", value).addresses
    return address
