"""The page's strings files: every language has every English key, with the same {placeholders}."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

STRINGS = Path(__file__).resolve().parents[2] / "saleor_cs_app" / "ui" / "static" / "strings"
LANGUAGES = ("fi", "pl", "lt", "de", "sv")
ENTRY = re.compile(r'^\s*"([a-z_.A-Z0-9]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$', re.M)
PLURAL_FORMS = (".one", ".few", ".many", ".other")


def entries(language: str) -> dict[str, str]:
    return dict(ENTRY.findall((STRINGS / f"{language}.js").read_text()))


def singular(keys) -> set[str]:
    return {next((k[: -len(f)] for f in PLURAL_FORMS if k.endswith(f)), k) for k in keys}


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_every_english_string_with_the_same_placeholders(language):
    english, translated = entries("en"), entries(language)
    assert len(english) > 150
    assert singular(translated) == singular(english), "a key is missing or extra"
    for key, text in translated.items():
        source = english.get(key) or english[next(k for k in english if singular([k]) == singular([key]))]
        assert set(re.findall(r"\{(\w+)\}", text)) == set(re.findall(r"\{(\w+)\}", source)), (language, key)
    same = [k for k, text in translated.items() if text == english.get(k)]
    assert len(same) < len(translated) / 10, f"{language} still reads English: {same}"


def test_polish_and_lithuanian_counts_have_their_few_and_many_forms():
    for language in ("pl", "lt"):
        keys = entries(language)
        assert {"incidents.count.one", "incidents.count.few", "incidents.count.many"} <= set(keys), language
