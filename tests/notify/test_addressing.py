"""The From rule as a pure function: through the operator's server, only MAIL_FROM's address."""

from email.utils import parseaddr

from saleor_cs_app.notify.addressing import addressing, sender_notice

OPERATOR = "Operator care <care@operator.example>"


def test_through_the_operators_server_the_shop_name_is_shown_and_its_address_is_reply_to():
    who = addressing("Your Bank <security@bank.example>", OPERATOR, own_server=False)
    assert parseaddr(who.mail_from) == ("Your Bank", "care@operator.example")
    assert who.reply_to == "security@bank.example"


def test_with_its_own_server_the_shop_sends_from_its_own_address():
    who = addressing("Northwind <care@northwind.example>", OPERATOR, own_server=True)
    assert (who.mail_from, who.reply_to) == ("Northwind <care@northwind.example>", None)


def test_mail_from_itself_is_used_unchanged():
    assert addressing(OPERATOR, OPERATOR, own_server=False) == addressing(OPERATOR, OPERATOR, own_server=True)
    assert addressing(OPERATOR, OPERATOR, own_server=False).mail_from == OPERATOR
    assert addressing(OPERATOR, OPERATOR, own_server=False).reply_to is None


def test_the_operators_address_under_the_shops_name_needs_no_reply_to():
    who = addressing("Northwind <CARE@operator.example>", OPERATOR, own_server=False)
    assert parseaddr(who.mail_from) == ("Northwind", "care@operator.example") and who.reply_to is None


def test_a_display_name_that_looks_like_an_address_is_not_shown():
    who = addressing('"security@bank.example" <x@phish.example>', OPERATOR, own_server=False)
    assert parseaddr(who.mail_from) == ("Operator care", "care@operator.example")
    assert who.reply_to == "x@phish.example"


def test_an_encoded_display_name_is_decoded_before_it_is_checked():
    # What formataddr writes for a non-ASCII name: the "@" is only visible once decoded.
    encoded = "=?utf-8?b?c2VjdXJpdHlAYmFuay5leGFtcGxlIOKckw==?= <x@phish.example>"  # "security@bank.example ✓"
    assert parseaddr(addressing(encoded, OPERATOR, own_server=False).mail_from)[0] == "Operator care"
    who = addressing("=?utf-8?q?Sklep_=C5=BC=C3=B3=C5=82w?= <care@shop.example>", OPERATOR, own_server=False)
    assert who.mail_from == "Sklep żółw <care@operator.example>"


def test_the_merchant_is_told_their_address_becomes_reply_to_until_they_set_a_mail_server():
    notice = sender_notice("care@northwind.example", OPERATOR, own_server=False)
    assert "care@operator.example" in notice and "care@northwind.example is used as Reply-To" in notice
    assert sender_notice("care@northwind.example", OPERATOR, own_server=True) is None
    assert sender_notice(None, OPERATOR, own_server=False) is None
    assert sender_notice("care@operator.example", OPERATOR, own_server=False) is None
