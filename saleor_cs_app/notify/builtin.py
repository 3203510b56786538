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

from saleor_cs_app.care.model import IncidentKind

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
    lines = (_RUNS_OF_SPACE.sub(" ", piece).strip() for piece in str(paragraph).split(_LINE_BREAK))
    return [wrap(line) for line in lines if line]


def _environment(*, html: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=html,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["br"] = lambda: _LINE_BREAK
    if html:
        env.globals["code"] = lambda value: Markup('<strong style="{}">{}</strong>').format(_CODE_STYLE, value)
    else:
        env.globals["code"] = lambda value: str(value)
    return env


_TEXT_ENV = _environment(html=False)
_HTML_ENV = _environment(html=True)


@dataclass(frozen=True)
class _Plan:
    """Which macros make up one message, in order."""

    subject: str
    paragraphs: tuple[str, ...]  # macro names before the offer: greeting, opening, facts
    offer: str | None
    next_step: str  # "link" | "track" | "reply"
    next_step_href: str | None


def _plan(variables: dict) -> _Plan:
    kind = variables["kind"]
    offer_type = variables["offer_type"]
    shipped_now = variables["shipped_now"]
    if variables["next_step_url"]:
        next_step, href = "link", variables["next_step_url"]
    elif variables["tracking_url"] and (shipped_now or kind == IncidentKind.LATE_DELIVERY):
        next_step, href = "track", variables["tracking_url"]
    else:
        next_step, href = "reply", None
    story = "shipped_now" if shipped_now else kind
    if shipped_now:
        offer = "reminder" if variables["offer_code"] else None
    else:
        offer = f"offer_{offer_type}"
    return _Plan(
        subject=f"subject_{story}",
        paragraphs=("greeting", f"opening_{story}", f"facts_{story}"),
        offer=offer,
        next_step=next_step,
        next_step_href=href,
    )


def _module(env: jinja2.Environment, variables: dict):
    return env.get_template(f"lang/{variables['language']}.j2").make_module(variables)


def render_builtin(variables: dict) -> tuple[str, str, str]:
    """(subject, text, html) of the built-in message for these template variables."""
    plan = _plan(variables)
    text_words = _module(_TEXT_ENV, variables)
    html_words = _module(_HTML_ENV, variables)
    subject = " ".join(_lines(getattr(text_words, plan.subject)()))

    text_parts: list[str] = []
    blocks: list[dict] = []

    def add(macro: str, *, box: bool = False) -> None:
        text_lines = _lines(getattr(text_words, macro)())
        html_lines = _lines(getattr(html_words, macro)())
        if not text_lines:
            return
        text_parts.append("\n".join(text_lines))
        blocks.append({"kind": "box" if box else "p", "html": Markup("<br>\n").join(html_lines)})

    for macro in plan.paragraphs:
        add(macro)
    if plan.offer:
        add(plan.offer, box=True)
    add(f"next_step_{plan.next_step}")
    if plan.next_step_href:
        text_parts[-1] += "\n" + plan.next_step_href
        label = " ".join(_lines(getattr(html_words, f"button_{plan.next_step}")()))
        blocks.append({"kind": "button", "href": plan.next_step_href, "label": Markup(label)})
    add("sign_off")

    text = "\n\n".join(text_parts) + "\n"
    html = render_layout(variables, subject=subject, blocks=blocks)
    return subject, text, html


def render_layout(variables: dict, *, subject: str, blocks: list[dict]) -> str:
    return _HTML_ENV.get_template("layout.html.j2").render(
        language=variables["language"],
        subject=subject,
        shop_name=variables["shop_name"],
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
