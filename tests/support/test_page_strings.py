"""Every language the e-mails ship in has every page string, with the same placeholders as English."""

from __future__ import annotations

import importlib
import re
import string
from pathlib import Path

import pytest

from saleor_cs_app.support.i18n import LANGUAGES, strings

TEMPLATES = Path(__file__).parents[2] / "saleor_cs_app" / "support" / "templates" / "support"


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_language_has_every_string_with_the_same_placeholders(language):
    own = importlib.import_module(f"saleor_cs_app.support.strings.{language}").STRINGS
    english = strings("en")
    assert set(own) == set(english)
    assert {k: fields(v) for k, v in own.items()} == {k: fields(english[k]) for k in own}
    if language != "en":
        same = [k for k in own if own[k] == english[k] and len(english[k]) > 12]
        assert same == [], f"left in English: {same}"


def test_every_string_a_template_names_exists():
    named = set()
    for template in TEMPLATES.glob("*.html"):
        named |= set(re.findall(r"\bt\(\"([a-z_]*[a-z])\"", template.read_text()))
    assert named and named <= set(strings("en"))
