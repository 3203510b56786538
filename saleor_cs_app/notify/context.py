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
    heads_up_on: date | None = None  # a late delivery: the day we told the customer it might be late
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
    carrier_location: str | None = None  # where the carrier last scanned the parcel, in its words
    carrier_expected_date: date | None = None
    reply_to: str | None = None  # the address a reply reaches
    support_url: str | None = None  # the order's support page; None → "reply to this email"
    shipped_now: bool = False  # the follow-up "your late order has shipped now" message
    first_message_on: date | None = None  # the follow-up: the day the first e-mail (with its code) went out
    brand_accent: str | None = None  # the shop's brand (store/brands.py): heads the HTML e-mail
    brand_logo_url: str | None = None

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
        "place": "Birmingham",  # where the carrier last scanned a parcel (stalled)
        "tracking": "RM123456785GB",
        "status": "We've got it and it's on its way",
        "statuses": {
            "attempt_fail": "Sorry, we missed you. We'll try again next working day",
            "available_for_pickup": "Ready to collect from the Post Office, 12 High Street, Leeds",
            "exception": "Held at customs awaiting clearance",
            "lost": "We're sorry, your item has been lost",
            "returned": "Returned to sender",
            "expired": "We've got it and it's on its way",
        },
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
        "place": "Vantaa",  # where the carrier last scanned a parcel (stalled)
        "tracking": "JJFI64012345678901234",
        "status": "Lähetys on kuljetuksessa",
        "statuses": {
            "attempt_fail": "Jakelu ei onnistunut, vastaanottaja ei tavoitettu",
            "available_for_pickup": "Noudettavissa: Posti, Kauppakatu 4, Tampere",
            "exception": "Lähetys on tullin tarkastettavana",
            "lost": "Lähetys on kadonnut",
            "returned": "Lähetys palautetaan lähettäjälle",
            "expired": "Lähetys on kuljetuksessa",
        },
        "note": "Paitaa valmistettiin vain rajoitettu erä, eikä korvaavia ole enää jäljellä.",
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
        "place": "Łódź",  # where the carrier last scanned a parcel (stalled)
        "tracking": "620543210987654321012345",
        "status": "Przesyłka w drodze",
        "statuses": {
            "attempt_fail": "Nieudana próba doręczenia – adresat nieobecny",
            "available_for_pickup": "Gotowa do odbioru w Paczkomacie WAW22A, ul. Prosta 5, Warszawa",
            "exception": "Przesyłka zatrzymana w urzędzie celnym",
            "lost": "Przesyłka zaginęła",
            "returned": "Zwrot do nadawcy",
            "expired": "Przesyłka w drodze",
        },
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
        "place": "Vilnius",  # where the carrier last scanned a parcel (stalled)
        "tracking": "CC123456785LT",
        "status": "Siunta pakeliui",
        "statuses": {
            "attempt_fail": "Nepavyko įteikti – gavėjo nebuvo namuose",
            "available_for_pickup": "Siunta laukia paštomate: Gedimino pr. 7, Vilnius",
            "exception": "Siunta sulaikyta muitinėje",
            "lost": "Siunta pamesta",
            "returned": "Siunta grąžinama siuntėjui",
            "expired": "Siunta pakeliui",
        },
        "note": "Šie marškiniai buvo ribotos serijos, todėl naujų nebeturime.",
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
        "place": "Leipzig",  # where the carrier last scanned a parcel (stalled)
        "tracking": "00340434161234567890",
        "status": "Die Sendung wurde im Start-Paketzentrum bearbeitet.",
        "statuses": {
            "attempt_fail": "Der Empfänger wurde nicht angetroffen. Die Sendung wird erneut zugestellt.",
            "available_for_pickup": "Die Sendung liegt in der Filiale Hauptstraße 12, 10115 Berlin zur Abholung bereit.",
            "exception": "Die Sendung wird vom Zoll geprüft.",
            "lost": "Die Sendung konnte nicht zugestellt werden und gilt als verloren.",
            "returned": "Die Sendung wird an den Absender zurückgeschickt.",
            "expired": "Die Sendung wurde im Start-Paketzentrum bearbeitet.",
        },
        "note": "Das Hemd gab es nur in limitierter Auflage – leider haben wir keines mehr als Ersatz.",
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
        "place": "Jönköping",  # where the carrier last scanned a parcel (stalled)
        "tracking": "00373500493012345678",
        "status": "Försändelsen är under transport",
        "statuses": {
            "attempt_fail": "Utdelningsförsök misslyckades, mottagaren var inte hemma",
            "available_for_pickup": "Kan hämtas hos ICA Nära Söder, Götgatan 10, Stockholm",
            "exception": "Försändelsen är stoppad i tullen",
            "lost": "Försändelsen har kommit bort",
            "returned": "Försändelsen returneras till avsändaren",
            "expired": "Försändelsen är under transport",
        },
        "note": "Skjortan fanns bara i en begränsad upplaga, så vi har inga kvar att skicka som ersättning.",
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
        "place": "Lyon",  # where the carrier last scanned a parcel (stalled)
        "tracking": "6A12345678901",
        "status": "Votre colis est en cours d'acheminement",
        "statuses": {
            "attempt_fail": "Votre colis n'a pas pu être livré : destinataire absent",
            "available_for_pickup": "Votre colis est disponible au bureau de poste, 3 rue de la Paix, Lyon",
            "exception": "Votre colis est retenu en douane",
            "lost": "Votre colis a été perdu",
            "returned": "Votre colis est retourné à l'expéditeur",
            "expired": "Votre colis est en cours d'acheminement",
        },
        "note": "Cette chemise faisait partie d'une série limitée, et nous n'en avons plus en stock.",
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
        "place": "Zaragoza",  # where the carrier last scanned a parcel (stalled)
        "tracking": "PQ4F6P0703123450108013Q",
        "status": "En tránsito",
        "statuses": {
            "attempt_fail": "Entrega fallida: destinatario ausente",
            "available_for_pickup": "Disponible para recoger en la oficina de Correos, Calle Mayor 8, Madrid",
            "exception": "Retenido en aduana",
            "lost": "Envío extraviado",
            "returned": "Devuelto al remitente",
            "expired": "En tránsito",
        },
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
        "place": "Bologna",  # where the carrier last scanned a parcel (stalled)
        "tracking": "084123456789012",
        "status": "Spedizione in transito",
        "statuses": {
            "attempt_fail": "Consegna non riuscita: destinatario assente",
            "available_for_pickup": "Disponibile per il ritiro presso BRT Fermopoint, Via Roma 15, Milano",
            "exception": "Spedizione in giacenza doganale",
            "lost": "Spedizione smarrita",
            "returned": "Spedizione in restituzione al mittente",
            "expired": "Spedizione in transito",
        },
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
        "place": "Utrecht",  # where the carrier last scanned a parcel (stalled)
        "tracking": "3SABCD1234567",
        "status": "Zending is onderweg",
        "statuses": {
            "attempt_fail": "Bezorging niet gelukt, ontvanger niet thuis",
            "available_for_pickup": "Ligt klaar bij PostNL-punt Albert Heijn, Kerkstraat 3, Utrecht",
            "exception": "Zending wordt gecontroleerd door de douane",
            "lost": "Zending is zoekgeraakt",
            "returned": "Zending wordt teruggestuurd naar de afzender",
            "expired": "Zending is onderweg",
        },
        "note": "Dit overhemd kwam uit een beperkte oplage en is niet meer op voorraad.",
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
        "place": "Tallinn",  # where the carrier last scanned a parcel (stalled)
        "tracking": "CE123456785EE",
        "status": "Saadetis on teel",
        "statuses": {
            "attempt_fail": "Kättetoimetamine ebaõnnestus, adressaat ei olnud kodus",
            "available_for_pickup": "Saadetis ootab pakiautomaadis: Tartu mnt 10, Tallinn",
            "exception": "Saadetis on tollis kontrollimisel",
            "lost": "Saadetis on kadunud",
            "returned": "Saadetis tagastatakse saatjale",
            "expired": "Saadetis on teel",
        },
        "note": "Seda särki valmistati piiratud koguses, seega asendustooteid meil enam ei ole.",
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
        "place": "Rīga",  # where the carrier last scanned a parcel (stalled)
        "tracking": "05212345678901",
        "status": "Sūtījums ir ceļā",
        "statuses": {
            "attempt_fail": "Piegāde neizdevās – saņēmējs nebija sastopams",
            "available_for_pickup": "Sūtījums gaida pakomātā: Brīvības iela 20, Rīga",
            "exception": "Sūtījums aizturēts muitā",
            "lost": "Sūtījums ir pazudis",
            "returned": "Sūtījums tiek atgriezts sūtītājam",
            "expired": "Sūtījums ir ceļā",
        },
        "note": "Šis krekls tika izgatavots ierobežotā daudzumā, tāpēc aizstāt to vairs nevaram.",
        "expected": ("Lina krekls, zils, M",),
        "sent": ("Lina krekls, zaļš, M",),
        "product": "Kokvilnas soma",
    },
}


def sample_values(language: str) -> dict:
    """The market's sample values (currency, names, carrier, tracking number) for previews and reviews."""
    return _SAMPLES.get(language, _SAMPLES["en"])


SAMPLE_SUPPORT_URL = "https://shop.example/support/o/sample"

# The carrier's state in a sample of each situation; the carrier's own words for it are in _SAMPLES.
_SAMPLE_STATE = {
    IncidentKind.LATE_DELIVERY: "in_transit",
    IncidentKind.ATTEMPT_FAILED: "attempt_fail",
    IncidentKind.PICKUP_WAITING: "available_for_pickup",
    IncidentKind.HELD: "exception",
    IncidentKind.STALLED: "in_transit",
    IncidentKind.AT_RISK: "in_transit",
    IncidentKind.LOST: "lost",
    IncidentKind.RETURNED: "returned",
}


def sample_context(
    kind: IncidentKind | str,
    offer_type: OfferType | str,
    language: str,
    *,
    shipped_now: bool = False,
    today: date = _SAMPLE_TODAY,
    carrier_facts: bool = True,
    delivery_state: str | None = None,
    keep_item_discount_percent: int | None = 50,
    support_url: str | None = SAMPLE_SUPPORT_URL,
    heads_up: bool = False,
) -> MessageContext:
    """A believable context for previews; dates are relative to `today` so previews look current.

    `delivery_state` overrides the carrier's state the kind implies (e.g. "expired" for a late
    delivery the carrier went silent on). `heads_up`: a late delivery the customer was warned about."""
    kind = IncidentKind(kind)
    offer_type = OfferType(offer_type)
    s = sample_values(language)
    late_by = 0 if kind is IncidentKind.AT_RISK else 3
    # At risk: the promise still stands (tomorrow), and the estimate lies beyond it.
    promised = today + timedelta(days=1) if kind is IncidentKind.AT_RISK else today - timedelta(days=late_by)
    has_code = offer_type in (OfferType.GIFT_CARD, OfferType.FREE_SHIPPING_VOUCHER)
    state = delivery_state or _SAMPLE_STATE.get(kind)
    tracking = state is not None or shipped_now
    carrier_says = tracking and carrier_facts
    words = (s.get("statuses") or {}).get(state or "in_transit") or (s["status"] if state in (None, "in_transit") else None)
    expects = carrier_says and state in (None, "in_transit")
    return MessageContext(
        shop_name="Northwind Goods",
        customer_first_name=s["name"],
        order_number="1042",
        kind=kind,
        offer_type=offer_type,
        language=language,
        promised_date=None if shipped_now else promised,
        new_expectation=today + timedelta(days=3) if kind is IncidentKind.AT_RISK else None,
        heads_up_on=today - timedelta(days=5) if heads_up and kind is IncidentKind.LATE_DELIVERY else None,
        days_late=late_by,
        currency=s["currency"],
        offer_amount=Decimal(s["gift"]) if offer_type is OfferType.GIFT_CARD else None,
        offer_code={OfferType.GIFT_CARD: "GC-7Q4M-2XKD", OfferType.FREE_SHIPPING_VOUCHER: "SHIP-4F9K2"}.get(offer_type),
        offer_expires_on=today + timedelta(days=365) if has_code else None,
        offer_product_name=s["product"] if offer_type is OfferType.GIFT_PRODUCT else None,
        keep_item_discount_percent=keep_item_discount_percent if offer_type is OfferType.RESHIP else None,
        refund_amount=Decimal(s["refund"]) if offer_type is OfferType.PARTIAL_REFUND else None,
        expected_items=s["expected"] if kind is IncidentKind.WRONG_ITEM else (),
        sent_items=s["sent"] if kind is IncidentKind.WRONG_ITEM else (),
        tracking_number=s["tracking"] if tracking else None,
        tracking_url=f"https://tracking.example/{s['tracking']}" if tracking else None,
        carrier=s["carrier"] if tracking else None,
        delivery_state=state if carrier_says or shipped_now else None,
        carrier_status=words if carrier_says else None,
        carrier_status_at=(
            # A stalled parcel's last scan is days old: that silence is the news.
            datetime.combine(today - timedelta(days=4 if kind is IncidentKind.STALLED else 1), datetime.min.time(), UTC)
            .replace(hour=9)
            if carrier_says and words
            else None
        ),
        carrier_location=s.get("place") if carrier_says and kind is IncidentKind.STALLED else None,
        carrier_expected_date=(
            today + timedelta(days=4) if expects and kind not in (IncidentKind.STALLED, IncidentKind.AT_RISK) else None
        ),
        reply_to="care@northwind.example",
        support_url=support_url,
        shipped_now=shipped_now,
        first_message_on=today - timedelta(days=2) if shipped_now else None,
    )
