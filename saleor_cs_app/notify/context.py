"""What a customer message may talk about: the documented template variables as one frozen value.

`MessageContext` is filled by whoever sends a message (from the order, the incident and the
decision); `sample_context` fills it with believable values for the live preview in the UI.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from saleor_cs_app.care.model import IncidentKind, OfferType

SHIPPED_LANGUAGES = ("en", "fi", "pl", "lt", "de", "sv", "fr", "es", "it", "nl", "et", "lv")


@dataclass(frozen=True, kw_only=True)
class MessageContext:
    shop_name: str
    order_number: str
    kind: IncidentKind
    offer_type: OfferType
    language: str  # one of SHIPPED_LANGUAGES; see language.pick_language
    currency: str
    customer_first_name: str | None = None  # None → a friendly generic greeting
    promised_date: date | None = None  # what we promised (ship-by or deliver-by)
    new_expectation: date | None = None  # our honest new estimate, if any
    days_late: int = 0
    offer_amount: Decimal | None = None  # gift card value (or shipping value of a voucher)
    offer_code: str | None = None  # gift card or voucher code
    offer_expires_on: date | None = None
    offer_product_name: str | None = None  # gift_product
    keep_item_discount_percent: int | None = None  # reship of a wrong item: keep it at this discount
    refund_amount: Decimal | None = None  # partial_refund
    expected_items: tuple[str, ...] = ()  # wrong_item: names of what was ordered
    sent_items: tuple[str, ...] = ()  # wrong_item: names of what was packed
    tracking_number: str | None = None
    tracking_url: str | None = None
    carrier: str | None = None
    # What the carrier itself reports (tracking facts of the incident); each is stated only when present.
    delivery_state: str | None = None  # tracking's enum: in_transit, attempt_fail, exception, ...
    carrier_status: str | None = None  # the carrier's own words for its latest checkpoint
    carrier_status_at: datetime | None = None
    carrier_expected_date: date | None = None
    reply_to: str | None = None  # the address a reply reaches
    support_url: str | None = None  # the order's support page; None → "reply to this email"
    shipped_now: bool = False  # the follow-up "your late order has shipped now" message

    def __post_init__(self) -> None:
        # Accept plain strings and lists from callers (JSON, the UI) but keep the value canonical.
        object.__setattr__(self, "kind", IncidentKind(self.kind))
        object.__setattr__(self, "offer_type", OfferType(self.offer_type))
        object.__setattr__(self, "expected_items", tuple(self.expected_items))
        object.__setattr__(self, "sent_items", tuple(self.sent_items))


MESSAGE_CONTEXT_FIELDS = tuple(f.name for f in fields(MessageContext))

_SAMPLE_TODAY = date(2025, 3, 10)

# Per language: what a customer of a shop in that country would plausibly see — its currency,
# amounts of a size that shop would give, a carrier there and a tracking number in that carrier's format.
_SAMPLES: dict[str, dict] = {
    "en": {
        "name": "Alex",
        "currency": "GBP",
        "gift": "15",
        "refund": "10",
        "carrier": "Royal Mail",
        "tracking": "RM123456785GB",
        "status": "We've got it and it's on its way",
        "note": "This shirt was a limited run, so we have no replacement left.",
        "expected": ("Linen shirt, blue, M",),
        "sent": ("Linen shirt, green, M",),
        "product": "Cotton tote bag",
    },
    "fi": {
        "name": "Aino",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "Posti",
        "tracking": "JJFI64012345678901234",
        "status": "Lähetys on kuljetuksessa",
        "note": "Paita oli rajoitettu erä, joten korvaavia ei ole enää jäljellä.",
        "expected": ("Pellavapaita, sininen, M",),
        "sent": ("Pellavapaita, vihreä, M",),
        "product": "Puuvillakassi",
    },
    "pl": {
        "name": "Ola",
        "currency": "PLN",
        "gift": "60",
        "refund": "40",
        "carrier": "InPost",
        "tracking": "620543210987654321012345",
        "status": "Przesyłka w drodze",
        "note": "Ta koszula była z limitowanej serii, więc nie mamy już egzemplarzy na wymianę.",
        "expected": ("Lniana koszula, niebieska, M",),
        "sent": ("Lniana koszula, zielona, M",),
        "product": "Bawełniana torba",
    },
    "lt": {
        "name": "Ieva",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "Omniva",
        "tracking": "CC123456785LT",
        "status": "Siunta pakeliui",
        "note": "Šie marškiniai buvo ribotos serijos, todėl pakaitinių nebeturime.",
        "expected": ("Lininiai marškiniai, mėlyni, M",),
        "sent": ("Lininiai marškiniai, žali, M",),
        "product": "Medvilninis krepšys",
    },
    "de": {
        "name": "Anna",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "DHL",
        "tracking": "00340434161234567890",
        "status": "Die Sendung wurde im Start-Paketzentrum bearbeitet.",
        "note": "Das Hemd war eine limitierte Auflage, wir haben leider keinen Ersatz mehr.",
        "expected": ("Leinenhemd, blau, M",),
        "sent": ("Leinenhemd, grün, M",),
        "product": "Baumwolltasche",
    },
    "sv": {
        "name": "Elsa",
        "currency": "SEK",
        "gift": "150",
        "refund": "100",
        "carrier": "PostNord",
        "tracking": "00373500493012345678",
        "status": "Försändelsen är under transport",
        "note": "Skjortan var en begränsad upplaga, så vi har ingen ersättare kvar.",
        "expected": ("Linneskjorta, blå, M",),
        "sent": ("Linneskjorta, grön, M",),
        "product": "Tygkasse i bomull",
    },
    "fr": {
        "name": "Camille",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "Colissimo",
        "tracking": "6A12345678901",
        "status": "Votre colis est en cours d'acheminement",
        "note": "Cette chemise était une série limitée\xa0: nous n'en avons plus en stock.",
        "expected": ("Chemise en lin, bleue, M",),
        "sent": ("Chemise en lin, verte, M",),
        "product": "Tote bag en coton",
    },
    "es": {
        "name": "Lucía",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "Correos",
        "tracking": "PQ4F6P0703123450108013Q",
        "status": "En tránsito",
        "note": "Esta camisa era una edición limitada y ya no nos quedan unidades.",
        "expected": ("Camisa de lino, azul, M",),
        "sent": ("Camisa de lino, verde, M",),
        "product": "Bolsa de algodón",
    },
    "it": {
        "name": "Giulia",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "BRT",
        "tracking": "084123456789012",
        "status": "Spedizione in transito",
        "note": "La camicia era un'edizione limitata e non ne abbiamo più a magazzino.",
        "expected": ("Camicia di lino, blu, M",),
        "sent": ("Camicia di lino, verde, M",),
        "product": "Borsa in cotone",
    },
    "nl": {
        "name": "Sanne",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "PostNL",
        "tracking": "3SABCD1234567",
        "status": "Zending is onderweg",
        "note": "Dit overhemd was een beperkte oplage, dus we hebben er geen meer op voorraad.",
        "expected": ("Linnen overhemd, blauw, M",),
        "sent": ("Linnen overhemd, groen, M",),
        "product": "Katoenen tas",
    },
    "et": {
        "name": "Kadri",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "Omniva",
        "tracking": "CE123456785EE",
        "status": "Saadetis on teel",
        "note": "See särk oli piiratud kogus ja asendustooteid meil enam ei ole.",
        "expected": ("Linane särk, sinine, M",),
        "sent": ("Linane särk, roheline, M",),
        "product": "Puuvillane kott",
    },
    "lv": {
        "name": "Līga",
        "currency": "EUR",
        "gift": "15",
        "refund": "10",
        "carrier": "DPD",
        "tracking": "05212345678901",
        "status": "Sūtījums ir ceļā",
        "note": "Šis krekls bija ierobežotā sērijā, tāpēc aizvietojošu vairs nav.",
        "expected": ("Lina krekls, zils, M",),
        "sent": ("Lina krekls, zaļš, M",),
        "product": "Kokvilnas soma",
    },
}


def sample_values(language: str) -> dict:
    """The market's sample values (currency, names, carrier, tracking number) for previews and reviews."""
    return _SAMPLES.get(language, _SAMPLES["en"])


def sample_context(
    kind: IncidentKind | str,
    offer_type: OfferType | str,
    language: str,
    *,
    shipped_now: bool = False,
    today: date = _SAMPLE_TODAY,
    carrier_facts: bool = True,
) -> MessageContext:
    """A believable context for previews; dates are relative to `today` so previews look current."""
    kind = IncidentKind(kind)
    offer_type = OfferType(offer_type)
    s = sample_values(language)
    late_by = 3
    promised = today - timedelta(days=late_by)
    has_code = offer_type in (OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)
    tracking = kind is IncidentKind.LATE_DELIVERY or shipped_now
    carrier_says = tracking and carrier_facts
    return MessageContext(
        shop_name="Northwind Goods",
        customer_first_name=s["name"],
        order_number="1042",
        kind=kind,
        offer_type=offer_type,
        language=language,
        promised_date=promised,
        new_expectation=today + timedelta(days=3),
        days_late=late_by,
        currency=s["currency"],
        offer_amount=Decimal(s["gift"]) if offer_type is OfferType.GIFT_CARD else None,
        offer_code={OfferType.GIFT_CARD: "GC-7Q4M-2XKD", OfferType.FREE_SHIPPING_VOUCHER: "SHIP-4F9K2"}.get(offer_type),
        offer_expires_on=today + timedelta(days=365) if has_code else None,
        offer_product_name=s["product"] if offer_type is OfferType.GIFT_PRODUCT else None,
        keep_item_discount_percent=50 if offer_type is OfferType.RESHIP else None,
        refund_amount=Decimal(s["refund"]) if offer_type is OfferType.PARTIAL_REFUND else None,
        expected_items=s["expected"] if kind is IncidentKind.WRONG_ITEM else (),
        sent_items=s["sent"] if kind is IncidentKind.WRONG_ITEM else (),
        tracking_number=s["tracking"] if tracking else None,
        tracking_url=f"https://tracking.example/{s['tracking']}" if tracking else None,
        carrier=s["carrier"] if tracking else None,
        delivery_state="in_transit" if carrier_says else None,
        carrier_status=s["status"] if carrier_says else None,
        carrier_status_at=(
            datetime.combine(today - timedelta(days=1), datetime.min.time(), UTC).replace(hour=9)
            if carrier_says
            else None
        ),
        carrier_expected_date=today + timedelta(days=4) if carrier_says else None,
        reply_to="care@northwind.example",
        support_url=None,
        shipped_now=shipped_now,
    )
