"""The e-mails and the page's stories tell the customer which button to press and which box to fill in by the
page's own labels ("choose ‘Report a problem’ below, then ‘I got the wrong item’ …"): each label they quote
is the page's label in that language, word for word, so a change on either side cannot leave the other behind."""

from __future__ import annotations

import re

import pytest

from saleor_cs_app.notify.builtin import page_blocks
from saleor_cs_app.notify.context import SHIPPED_LANGUAGES, sample_context
from saleor_cs_app.notify.review import incident_samples, situation_samples
from saleor_cs_app.notify.variables import template_variables
from saleor_cs_app.support.i18n import strings
from tests.notify.test_message_plans import EVERY_PLAN

# Every language's quotation marks: ‘…’ “…” „…“ „…” «…» »…« ”…”.
QUOTED = re.compile(r"‘([^’]+)’|„([^“”]+)[“”]|«\s*([^»]+?)\s*»|»([^«]+)«|“([^”]+)”|”([^”]+)”")

# The page's controls every language's words name: the button, the problem to pick, the box to write in.
NAMED_EVERYWHERE = ("report_button", "problem_wrong_item", "note")
# A wrongly sent item the shop has not sent yet: the words send the customer to the form's own question and its two
# answers, so the report arrives as a replacement or a refund the shop can decide, not as 'Let us decide'.
NAMED_ALSO = {language: ("fix", "fix_replacement", "fix_refund") for language in SHIPPED_LANGUAGES}


def quoted(text: str) -> set[str]:
    return {next(group for group in found.groups() if group) for found in QUOTED.finditer(text)}


def as_quoted(label: str) -> str:
    """A label as words quote it: without the form's "(optional)", the apostrophe in one style."""
    return re.sub(r"\s*\([^)]*\)$", "", label).replace("'", "’")


def words_of_every_message(language: str) -> str:
    texts = [sample.message.text for sample in incident_samples(language) + situation_samples(language)]
    for kind, offer, changes in EVERY_PLAN:
        if changes.get("support_url", "") is None or changes.get("shipped_now"):
            continue  # the page always has its own address; the shipped follow-up is not shown there
        blocks = page_blocks(template_variables(sample_context(kind, offer, language, **changes)))
        texts += [re.sub(r"<[^>]+>", "", str(block["html"])).replace("&#39;", "'") for block in blocks]
    return "\n".join(texts)


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_page_label_the_words_name_is_the_pages_own(language):
    said = {as_quoted(span) for span in quoted(words_of_every_message(language))}
    page = strings(language)
    for key in NAMED_EVERYWHERE + NAMED_ALSO.get(language, ()):
        assert as_quoted(page[key]) in said, f"{language}: the page's {key} {page[key]!r} is not what the words quote"
