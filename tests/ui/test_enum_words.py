"""Every value of every enum the dashboard API returns has words in every dashboard language.

The schema is introspected, so an enum or a value added later is checked without anyone listing it here; an
enum the API returns without a strings prefix below fails, so it cannot reach a screen as a raw key
(seen in the dashboard: an install-backlog incident showing "state.backlog").
"""

from __future__ import annotations

import pytest
from graphql import GraphQLEnumType, GraphQLList, GraphQLNonNull, GraphQLObjectType

from saleor_cs_app.ui.schema import schema
from tests.ui.test_strings import LANGUAGES, entries

# Which strings each enum's values are worded by (ui/static/explain.js, incidents.js, widget.js, proposal.js).
WORDED_BY = {
    "IncidentKind": "kind.",
    "IncidentState": "state.",
    "IncidentSource": "source.",
    "OfferType": "offer.",
    "MailState": "mail.",
    "DeliveryState": "delivery.",
    "ReportProblem": "proposal.problem.",
    "ReportFix": "proposal.fix.",
    "ShipDue": "due.",  # due_to_ship.js
    "WarehouseAssignment": "warehouse.",
}


def _named(type_):
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def returned_enums() -> dict[str, GraphQLEnumType]:
    graphql_schema = schema._schema
    return {
        _named(field.type).name: _named(field.type)
        for name, type_ in graphql_schema.type_map.items()
        if isinstance(type_, GraphQLObjectType) and not name.startswith("__")
        for field in type_.fields.values()
        if isinstance(_named(field.type), GraphQLEnumType)
    }


def stored(value) -> str:
    """The value as the page sees it: upper-case enum names are read as their lower-case value."""
    return str(getattr(value.value, "value", value.value)).lower()


def test_the_api_returns_the_states_the_page_words_as_enums():
    assert {"IncidentKind", "IncidentState", "MailState", "DeliveryState"} <= set(returned_enums())
    assert "backlog" in {stored(v) for v in returned_enums()["IncidentState"].values.values()}


def test_every_enum_the_api_returns_names_its_words():
    assert set(returned_enums()) <= set(WORDED_BY), "say in WORDED_BY which strings word the new enum"


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_every_value_of_every_returned_enum_has_words(language):
    words = entries(language)
    missing = [
        f"{WORDED_BY[name]}{stored(value)}"
        for name, enum_type in returned_enums().items()
        for value in enum_type.values.values()
        if not words.get(f"{WORDED_BY[name]}{stored(value)}", "").strip()
    ]
    assert not missing, f"{language} has no words for {missing}"
