"""Every language's wrong-item message names the items the way the shop does."""

from dataclasses import replace

import pytest

from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, sample_context
from saleor_cs_app.notify.render import render_message


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_the_wrong_item_message_names_what_was_ordered_and_received(language):
    ctx = replace(
        sample_context("wrong_item", "reship", language),
        expected_items=("Dark Polygon Tee M",),
        sent_items=("Dark Polygon Tee S",),
    )
    message = render_message(ctx, None)
    for body in (message.text, message.html):
        assert "Dark Polygon Tee M" in body and "Dark Polygon Tee S" in body
