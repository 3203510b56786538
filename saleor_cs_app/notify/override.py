"""Merchant-written templates, rendered so that they cannot reach anything but the documented variables.

Three fences, each enough on its own for the classic payloads (`''.__class__.__mro__`, `cycler.__init__`,
`self._TemplateReference__context`):

1. Before anything runs, the parsed template is checked against a small allow-list of constructs: no
   attribute access, no function or macro calls, no includes, no `*`/`**`/`%` (which can build huge
   values), loops only over the documented item lists and never nested. Together with the size limits
   this also bounds CPU and memory: `{% for x in range(10**9) %}` never starts.
2. It renders in Jinja's `ImmutableSandboxedEnvironment` with no globals (no `range`, `cycler`, `lipsum`,
   `namespace`), a short list of filters, every attribute refused, and `StrictUndefined`.
3. Values are plain strings, numbers, booleans and tuples (notify/variables.py).

Any failure raises OverrideError with a message meant for the merchant; the caller then sends the
built-in message instead — never a half-rendered override.
"""

from __future__ import annotations

import re

import jinja2
from jinja2 import nodes, pass_eval_context
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.filters import do_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from saleor_cs_app.notify.builtin import render_layout, text_to_blocks
from saleor_cs_app.notify.variables import TEMPLATE_VARIABLES

MAX_TEMPLATE_CHARS = 20_000
MAX_OUTPUT_CHARS = 100_000
MAX_SUBJECT_CHARS = 250
PARTS = ("subject", "text", "html")

# Loops are allowed over these (bounded by the order's lines), and only these.
SEQUENCE_VARIABLES = frozenset({"expected_items", "sent_items"})

# Filters whose output is at most a small multiple of their input. Not here on purpose: attr, map,
# select*, sort, sum (attribute lookups); format, center, indent, wordwrap (size arguments); safe.
ALLOWED_FILTERS = frozenset(
    {
        "upper",
        "lower",
        "title",
        "capitalize",
        "trim",
        "striptags",
        "truncate",
        "wordcount",
        "default",
        "d",
        "join",
        "length",
        "count",
        "first",
        "last",
        "escape",
        "e",
        "string",
        "abs",
        "round",
        "urlencode",
    }
)

_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.Const,
    nodes.Tuple,
    nodes.List,
    nodes.If,
    nodes.CondExpr,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.Neg,
    nodes.Pos,
    nodes.Add,
    nodes.Sub,
    nodes.Concat,
    nodes.Filter,
    nodes.Test,
    nodes.Keyword,
    nodes.Getitem,
    nodes.Slice,
    nodes.For,
    nodes.Assign,
    nodes.AssignBlock,
    nodes.With,
    nodes.FilterBlock,
)

_WHY_NOT = {
    nodes.Getattr: "attribute access (something.name) is not allowed; use the documented variables",
    nodes.Call: "calling functions is not allowed",
    nodes.Macro: "macros are not allowed",
    nodes.CallBlock: "macros are not allowed",
    nodes.Include: "including other templates is not allowed",
    nodes.Import: "importing templates is not allowed",
    nodes.FromImport: "importing templates is not allowed",
    nodes.Extends: "extending templates is not allowed",
    nodes.Block: "blocks are not allowed",
    nodes.Mul: "only + and - are allowed in calculations",
    nodes.Pow: "only + and - are allowed in calculations",
    nodes.Mod: "only + and - are allowed in calculations",
    nodes.Div: "only + and - are allowed in calculations",
    nodes.FloorDiv: "only + and - are allowed in calculations",
    nodes.EvalContextModifier: "{% autoescape %} is not allowed",
    nodes.ScopedEvalContextModifier: "{% autoescape %} is not allowed",
}

_SCRIPT = re.compile(r"<\s*script", re.IGNORECASE)
_WHOLE_DOCUMENT = re.compile(r"<html[\s>]", re.IGNORECASE)
_RUNS_OF_SPACE = re.compile(r"\s+")


class OverrideError(Exception):
    """The merchant's template cannot be used; the message says why, for the merchant."""


class _MerchantSandbox(ImmutableSandboxedEnvironment):
    # Even if a * or ** slipped past the check, it is refused at run time (10**10**10 never computes).
    intercepted_binops = frozenset({"*", "**", "%", "/", "//"})

    def is_safe_attribute(self, obj, attr, value) -> bool:
        return False

    def is_safe_callable(self, obj) -> bool:
        return False

    def call_binop(self, context, operator, left, right):
        raise SecurityError(f"the operator {operator} is not allowed")


@pass_eval_context
def _bounded_join(eval_ctx, value, d="", attribute=None):
    """join, but "<10,000 chars>"|join("<10,000 chars>") is refused before it takes 100 MB."""
    if attribute is not None:
        raise SecurityError("join(attribute=...) is not allowed")
    items = list(value)
    size = sum(len(str(item)) for item in items) + len(str(d)) * max(len(items) - 1, 0)
    if size > MAX_OUTPUT_CHARS:
        raise OverrideError(f"the message is longer than {MAX_OUTPUT_CHARS} characters")
    return do_join(eval_ctx, items, d)


def _sandbox(*, html: bool) -> _MerchantSandbox:
    env = _MerchantSandbox(autoescape=html, undefined=jinja2.StrictUndefined)
    env.globals.clear()
    env.filters = {name: f for name, f in env.filters.items() if name in ALLOWED_FILTERS}
    env.filters["join"] = _bounded_join
    return env


_TEXT_SANDBOX = _sandbox(html=False)
_HTML_SANDBOX = _sandbox(html=True)


def _check_names(tree: nodes.Template) -> None:
    """Only documented variables and the template's own (set, for, with) names: not Jinja's `self`,
    `loop`, `super` or `caller`, which are objects with internals."""
    own = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in TEMPLATE_VARIABLES and name.name not in own:
            raise OverrideError(f"'{name.name}' is not a documented variable")


def _check(tree: nodes.Node, in_loop: bool = False) -> None:
    for node in tree.iter_child_nodes():
        kind = type(node)
        if not isinstance(node, _ALLOWED_NODES):
            raise OverrideError(_WHY_NOT.get(kind, f"'{kind.__name__}' is not allowed in a template"))
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            raise OverrideError(f"the filter '{node.name}' is not allowed")
        if isinstance(node, nodes.Name) and node.ctx in ("store", "param") and node.name in TEMPLATE_VARIABLES:
            raise OverrideError(f"'{node.name}' is a documented variable and cannot be changed")
        if isinstance(node, nodes.For):
            if in_loop:
                raise OverrideError("loops inside loops are not allowed")
            if node.recursive:
                raise OverrideError("recursive loops are not allowed")
            if not (isinstance(node.iter, nodes.Name) and node.iter.name in SEQUENCE_VARIABLES):
                raise OverrideError("loops may only go over " + " or ".join(sorted(SEQUENCE_VARIABLES)))
            _check(node, in_loop=True)
            continue
        _check(node, in_loop)


def _render_part(env: _MerchantSandbox, part: str, source: str, variables: dict) -> str:
    if len(source) > MAX_TEMPLATE_CHARS:
        raise OverrideError(f"{part}: the template is longer than {MAX_TEMPLATE_CHARS} characters")
    try:
        tree = env.parse(source)
        _check(tree)
        _check_names(tree)
        template = env.from_string(source)
        chunks, size = [], 0
        for chunk in template.generate(variables):
            size += len(chunk)
            if size > MAX_OUTPUT_CHARS:
                raise OverrideError(f"the message is longer than {MAX_OUTPUT_CHARS} characters")
            chunks.append(chunk)
        return "".join(chunks)
    except OverrideError as e:
        raise OverrideError(f"{part}: {e}") from None
    except TemplateSyntaxError as e:
        raise OverrideError(f"{part}: line {e.lineno}: {e.message}") from None
    except (UndefinedError, SecurityError) as e:
        raise OverrideError(f"{part}: {e.message}") from None
    except Exception as e:  # anything at all: the built-in message goes out instead
        raise OverrideError(f"{part}: {type(e).__name__}: {e}") from None


def _validated(override: object) -> dict[str, str]:
    if not isinstance(override, dict):
        raise OverrideError("the override must be a mapping with subject, text and optionally html")
    unknown = sorted(set(override) - set(PARTS))
    if unknown:
        raise OverrideError(f"unknown part(s): {', '.join(map(str, unknown))} (use subject, text, html)")
    for part in ("subject", "text"):
        if not isinstance(override.get(part), str) or not override[part].strip():
            raise OverrideError(f"{part}: missing or empty")
    if override.get("html") is not None and not isinstance(override["html"], str):
        raise OverrideError("html: must be text")
    return override


def render_override(override: object, variables: dict) -> tuple[str, str, str]:
    """(subject, text, html) from the merchant's templates, or OverrideError."""
    override = _validated(override)
    subject = _RUNS_OF_SPACE.sub(" ", _render_part(_TEXT_SANDBOX, "subject", override["subject"], variables))
    subject = subject.strip()  # one line: a newline in a subject would be a header injection
    if not subject:
        raise OverrideError("subject: renders empty")
    if len(subject) > MAX_SUBJECT_CHARS:
        raise OverrideError(f"subject: longer than {MAX_SUBJECT_CHARS} characters")
    text = _render_part(_TEXT_SANDBOX, "text", override["text"], variables).strip()
    if not text:
        raise OverrideError("text: renders empty")

    if override.get("html") and override["html"].strip():
        body = _render_part(_HTML_SANDBOX, "html", override["html"], variables)
        if _SCRIPT.search(body):
            raise OverrideError("html: <script> is not allowed in e-mail")
        if _WHOLE_DOCUMENT.search(body):
            html = body
        else:
            html = render_layout(variables, subject=subject, blocks=[{"kind": "raw", "html": Markup(body)}])
    else:
        html = render_layout(variables, subject=subject, blocks=text_to_blocks(text))
    return subject, text + "\n", html
