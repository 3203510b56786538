"""Every language the e-mails ship in has every page string, with the same placeholders as English."""

from __future__ import annotations

import importlib
import re
import string
from pathlib import Path

import pytest

from saleor_cs_app.care.model import IncidentKind
from saleor_cs_app.care.situations import CARRIER_KINDS
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


# A customer's report is told by its own heading (report_problem_label); every other kind by event_detected_<kind>.
TOLD_BY_DETECTION = [k for k in IncidentKind if k is not IncidentKind.CUSTOMER_REPORT]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_incident_kind_has_its_heading_in_every_language(language):
    own = importlib.import_module(f"saleor_cs_app.support.strings.{language}").STRINGS
    for kind in TOLD_BY_DETECTION:
        assert own.get(f"event_detected_{kind.value}", "").strip(), (language, kind)
    headings = {own[f"event_detected_{k.value}"] for k in TOLD_BY_DETECTION}
    assert len(headings) == len(TOLD_BY_DETECTION), f"{language}: two situations share one sentence"


def test_only_a_late_parcel_is_called_late_in_english():
    english = strings("en")
    for kind in CARRIER_KINDS:
        said = english[f"event_detected_{kind.value}"].lower()
        # "may arrive later than we promised" (at risk) is a possibility, not a parcel called late.
        called_late = re.search(r"\blate\b|delay", said) is not None
        assert called_late == (kind is IncidentKind.LATE_DELIVERY), (kind, said)
