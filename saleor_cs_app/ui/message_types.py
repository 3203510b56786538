"""The GraphQL types of customer messages: the picker's catalogue and previews."""

from __future__ import annotations

import strawberry


@strawberry.type
class MessagePreview:
    subject: str
    text: str
    html: str
    language: str
    override_error: str | None = strawberry.field(description="Why the override was not used; null when it was.")


@strawberry.type
class TemplateVariable:
    name: str
    description: str


@strawberry.type
class MessageCatalog:
    kinds: list[str]
    languages: list[str]
    offers: list[str]
    variables: list[TemplateVariable]
    shop_name: str | None = strawberry.field(description="The shop's name in Saleor; previews use it.")
    currencies: list[str] = strawberry.field(description="The currencies of the shop's channels.")
    sample_order: str | None = strawberry.field(description="The number of the order previews borrow from.")
    sample_currency: str | None = strawberry.field(description="That order's currency: the preview's default.")


@strawberry.type
class BuiltinMessage:
    subject: str
    text: str
