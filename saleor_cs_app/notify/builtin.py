"""The built-in messages: words from templates/lang/<language>.j2, laid out as text and as HTML.

One language file holds every sentence as a macro (one paragraph each). This module decides which
paragraphs a message has and in what order — the same for every language — and renders them twice:
once without escaping for the plain-text part, once with autoescape for the HTML part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from saleor_cs_app.notify.formatting import single_full_stops
from saleor_cs_app.notify.plan import Block, plan_for

TEMPLATES_DIR = Path(__file__).parent / "templates"

# br() in a language file: survives the re-flow of a paragraph, then becomes "\n" or "<br>".
_LINE_BREAK = "\ue000"
# Only ASCII whitespace: babel puts no-break spaces inside "15,00 €" and "50 %", and they must stay.
_RUNS_OF_SPACE = re.compile(r"[ \t\r\n]+")
_CODE_STYLE = (
    "font-family:Menlo,Consolas,'Courier New',monospace;font-size:17px;font-weight:bold;"
    "letter-spacing:1px;background-color:#eef2f7;color:#111827;padding:2px 6px;border-radius:4px;"
)


def _lines(paragraph: str) -> list[str]:
    """A paragraph from a macro, re-flowed: its lines as br() asked, empty ones dropped.

    Markup (HTML) stays Markup, so it is not escaped twice."""
    wrap = Markup if isinstance(paragraph, Markup) else str
    text = single_full_stops(str(paragraph))  # "5 marca 2025 r." at the end of a sentence: one dot
    lines = (_RUNS_OF_SPACE.sub(" ", piece).strip() for piece in text.split(_LINE_BREAK))
    return [wrap(line) for line in lines if line]


def _environment(*, html: bool, page: bool = False) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["br"] = lambda: _LINE_BREAK
    if page:  # the customer's order page: its stylesheet styles these (a strict CSP forbids inline styles)
        env.globals["code"] = lambda value: Markup('<strong class="code">{}</strong>').format(value)
        env.globals["link"] = lambda url: Markup('<a href="{0}">{0}</a>').format(url)
    elif html:
        env.globals["code"] = lambda value: Markup('<strong style="{}">{}</strong>').format(_CODE_STYLE, value)
        env.globals["link"] = lambda url: Markup('<a href="{0}" style="color:#1d4ed8;">{0}</a>').format(url)
    else:
        env.globals["code"] = lambda value: str(value)
        env.globals["link"] = lambda url: str(url)
    return env


_TEXT_ENV = _environment(html=False)
_HTML_ENV = _environment(html=True)
_PAGE_ENV = _environment(html=True, page=True)


def _situation_plan(variables: dict) -> tuple[str, list[Block]]:
    """(subject macro, blocks) of a support-conversation message."""
    situation = variables["situation"]
    steps = [
        Block("greeting"),
        Block(f"opening_{situation}"),
        Block(f"details_{situation}", "box"),
        Block(f"after_{situation}"),
    ]
    if variables["support_url"]:
        steps += [Block("situation_next_link"), Block("situation_button", "button", variables["support_url"])]
    else:
        steps.append(Block("situation_next_reply"))
    return f"subject_{situation}", [*steps, Block("sign_off")]


def _incident_plan(variables: dict) -> tuple[str, list[Block]]:
    plan = plan_for(variables)
    return plan.subject, list(plan.blocks)


def _module(env: jinja2.Environment, variables: dict):
    return env.get_template(f"lang/{variables['language']}.j2").make_module(variables)


def render_builtin(variables: dict) -> tuple[str, str, str]:
    """(subject, text, html) of the built-in message for these template variables."""
    plan = _situation_plan if variables.get("situation") else _incident_plan
    subject_macro, steps = plan(variables)
    text_words = _module(_TEXT_ENV, variables)
    html_words = _module(_HTML_ENV, variables)
    subject = " ".join(_lines(getattr(text_words, subject_macro)()))

    text_parts: list[str] = []
    blocks: list[dict] = []
    for step in steps:
        if step.kind == "button":
            text_parts[-1] += "\n" + step.href
            label = " ".join(_lines(getattr(html_words, step.macro)()))
            blocks.append({"kind": "button", "href": step.href, "label": Markup(label)})
            continue
        text_lines = _lines(getattr(text_words, step.macro)())
        html_lines = _lines(getattr(html_words, step.macro)())
        if not text_lines:
            continue
        text_parts.append("\n".join(text_lines))
        blocks.append({"kind": step.kind, "html": Markup("<br>\n").join(html_lines)})

    text = "\n\n".join(text_parts) + "\n"
    html = render_layout(variables, subject=subject, blocks=blocks)
    return subject, text, html


def page_blocks(variables: dict, *, choice_made: bool = False, codes_only: bool = False) -> list[dict]:
    """The e-mail's own words about the situation, what the shop does and the next step, for the order page.

    The same plan and the same macros as the e-mail; left out are what only a letter has (greeting, sign-off)
    and the button that leads to the page the customer is on. A button to the carrier stays, as a link.
    `codes_only`: the story is over (the order left, the parcel moves again or arrived): of its words only the
    box with the code the customer was given, which stays theirs to use.
    """
    _, steps = _incident_plan(variables)
    words = _module(_PAGE_ENV, variables)
    blocks: list[dict] = []
    for step in steps:
        if codes_only and step.macro not in _CODE_BOXES:
            continue
        if step.macro in ("greeting", "sign_off", "next_ask_page") or (
            step.kind == "button" and step.href == variables["support_url"]
        ):
            continue  # "See your order here": the customer is on it, its "Report a problem" button below
        if step.macro == "goods_owed" or (choice_made and step.macro == "next_choose_page"):
            # "A new parcel or a refund – it's your choice": the card above the story offers the choice while it
            # is open and says what was chosen after; said again here it would offer what is no longer open.
            continue
        lines = _lines(getattr(words, _ON_THE_PAGE.get(step.macro, step.macro))())
        if step.kind == "button":
            blocks.append({"kind": "link", "href": step.href, "html": Markup(" ").join(lines)})
        elif lines:
            blocks.append({"kind": step.kind, "html": Markup("<br>\n").join(lines)})
    if blocks and blocks[0]["kind"] != "link":
        # In the e-mail the first paragraph follows the greeting ("Dzień dobry, niestety …"); here it opens.
        blocks[0]["html"] = _capitalised(blocks[0]["html"])
    return blocks


# The goodwill boxes that hold a code: what the customer comes back to the page for.
_CODE_BOXES = frozenset({"offer_gift_card", "offer_free_shipping_voucher"})

# The next steps that lead to the order page, worded for the page itself: what to choose there, no colon
# before a button that is not there.
_ON_THE_PAGE = {
    "next_wait_page": "page_next_wait",
    "next_choose_page": "page_next_choose",
    "next_rearrange_page": "page_next_rearrange",
    "next_collect_page": "page_next_collect",
}


def _capitalised(html: Markup) -> Markup:
    """The first letter of the text upper-cased (markup before it left as it is)."""
    text = str(html)
    match = re.search(r"(?:^|>)([^<\w]*)(\w)", text)
    if match is None or not match.group(2).islower():
        return html
    at = match.start(2)
    return Markup(text[:at] + match.group(2).upper() + text[at + 1 :])


def render_layout(variables: dict, *, subject: str, blocks: list[dict]) -> str:
    return _HTML_ENV.get_template("layout.html.j2").render(
        language=variables["language"],
        subject=subject,
        shop_name=variables["shop_name"],
        brand_accent=variables.get("brand_accent"),
        brand_logo_url=variables.get("brand_logo_url"),
        reply_to=variables["reply_to"],
        blocks=blocks,
    )


def text_to_blocks(text: str) -> list[dict]:
    """A merchant's plain-text message as HTML paragraphs: escaped, blank lines split paragraphs."""
    blocks = []
    for paragraph in re.split(r"\n[ \t]*\n", text.strip()):
        if paragraph.strip():
            lines = [_linkify(escape(line.strip())) for line in paragraph.strip().splitlines()]
            blocks.append({"kind": "p", "html": Markup("<br>\n").join(lines)})
    return blocks


_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")


def _linkify(escaped: Markup) -> Markup:
    # Runs on already-escaped text, so the URL is safe to put in an attribute as it stands.
    return Markup(_URL.sub(lambda m: f'<a href="{m.group(0)}" style="color:#1d4ed8;">{m.group(0)}</a>', escaped))
