"""The page's strings files: every language has every English key, with the same {placeholders}; the page's
scripts look every visible word up there (none is left as an English literal in the code)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from saleor_cs_app.care.model import IncidentKind
from saleor_cs_app.care.situations import CARRIER_KINDS
from saleor_cs_app.notify.variables import TEMPLATE_VARIABLES

STATIC = Path(__file__).resolve().parents[2] / "saleor_cs_app" / "ui" / "static"
STRINGS = STATIC / "strings"
SCRIPTS = sorted(STATIC.glob("*.js"))  # strings/ is a subfolder, so not among them
LANGUAGES = ("fi", "pl", "lt", "de", "sv")
ENTRY = re.compile(r'^\s*"([a-z_.A-Z0-9]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$', re.M)
PLURAL_FORMS = (".one", ".few", ".many", ".other")
PLACEHOLDER = re.compile(r"\{(\w+)\}")

# English a merchant can see that stays in code, each with why.
ALLOWED_ENGLISH = {
    # Shown in place of "Connecting…" when the dashboard never answers; by then no locale has arrived either,
    # and bridge.js sits below i18n.js (i18n imports it), so it cannot look words up.
    ("bridge.js", "The Saleor dashboard did not sign you in. Reload the page."),
}


def entries(language: str) -> dict[str, str]:
    return dict(ENTRY.findall((STRINGS / f"{language}.js").read_text()))


def singular(keys) -> set[str]:
    return {next((k[: -len(f)] for f in PLURAL_FORMS if k.endswith(f)), k) for k in keys}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_language_has_every_english_string_with_the_same_placeholders(language):
    english, translated = entries("en"), entries(language)
    assert len(english) > 400
    assert singular(translated) == singular(english), "a key is missing or extra"
    for key, text in translated.items():
        if key in english and not key.endswith(PLURAL_FORMS):
            assert placeholders(text) == placeholders(english[key]), (language, key)
        else:  # a plural form: the English .other names every placeholder; "one" may spell the count out
            base = singular([key]).pop()
            source = english.get(f"{base}.other") or english[key]
            assert placeholders(text) - {"count"} == placeholders(source) - {"count"}, (language, key)
    same = [k for k, text in translated.items() if text == english.get(k)]
    assert len(same) < len(translated) / 10, f"{language} still reads English: {same}"


def test_polish_and_lithuanian_counts_have_their_few_and_many_forms():
    for language in ("pl", "lt"):
        keys = entries(language)
        for counted in ("incidents.count", "sim.changes", "tracking.released", "policy.history"):
            assert {f"{counted}.one", f"{counted}.few", f"{counted}.many", f"{counted}.other"} <= set(keys), (language, counted)


# -- the scripts ------------------------------------------------------------------------------------
REGEX_MAY_FOLLOW = set("(,=:[!&|?{};+-*%<>~^") | {""}


def literals(source: str) -> list[str]:
    """Every string literal in a script, and the text parts of template literals (their ${…} scanned as code).

    Comments and regular-expression literals are skipped, so a quote inside /["x"]/ or a comment is not text.
    """
    found: list[str] = []

    def code(i: int, inside_template: bool) -> int:
        previous, depth = "", 0
        while i < len(source):
            c = source[i]
            if source.startswith("//", i):
                end = source.find("\n", i)
                i = len(source) if end < 0 else end
            elif source.startswith("/*", i):
                i = source.index("*/", i) + 2
            elif c in "\"'":
                end = i + 1
                while source[end] != c:
                    end += 2 if source[end] == "\\" else 1
                found.append(source[i + 1 : end])
                i, previous = end + 1, "a"
            elif c == "`":
                i, previous = template(i + 1), "a"
            elif c == "/" and previous in REGEX_MAY_FOLLOW:
                i, in_class = i + 1, False
                while in_class or source[i] != "/":
                    in_class = (in_class or source[i] == "[") and source[i] != "]"
                    i += 2 if source[i] == "\\" else 1
                i, previous = i + 1, "a"
            elif inside_template and c == "}" and depth == 0:
                return i + 1
            else:
                depth += {"{": 1, "}": -1}.get(c, 0)
                if not c.isspace():
                    word = re.match(r"[\w$]+", source[i:])
                    if word:
                        previous = "" if word.group() in ("return", "typeof", "case") else "a"
                        i += len(word.group())
                        continue
                    previous = c
                i += 1
        return i

    def template(i: int) -> int:
        text = ""
        while source[i] != "`":
            if source.startswith("${", i):
                found.append(text)
                text, i = "", code(i + 2, inside_template=True)
            else:
                step = 2 if source[i] == "\\" else 1
                text, i = text + source[i : i + step], i + step
        found.append(text)
        return i + 1

    code(0, inside_template=False)
    return found


def test_the_literal_scanner_finds_text_and_skips_code():
    source = 'const a = /\\["([^"]*)"\\]/g; // "not text"\nh("p", {}, `Hello ${name("x")} there`, \'It\\\'s\');'
    assert literals(source) == ["p", "Hello ", "x", " there", "It\\'s"]


CAPITALISED_WORD = re.compile(r"(?<![\w-])[A-Z](?:[a-z]{2,}|-[a-z]{2,})(?![\w-])")  # "Remove", "E-mail"
ENGLISH_FUNCTION_WORD = re.compile(r"(?<![\w-])(the|of|to|and|or|in|for|with|from|your|is|are|not|no|by|at|on|this)(?![\w-])")


def looks_english(text: str) -> bool:
    """Capitalised prose ("Remove", "Add rule") or a lower-case phrase with an English function word."""
    if re.match(r"^\s*(query|mutation)\b", text) or "{ " in text:  # a GraphQL document or its field list
        return False
    selector = re.search(r"[\[\]=;]|:\S", text)  # CSS and selectors: "[data-move]:not([disabled])"
    prose = not selector and len(re.findall(r"[A-Za-z]+", text)) >= 3 and ENGLISH_FUNCTION_WORD.search(text)
    return bool(CAPITALISED_WORD.search(text) or prose)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_no_script_shows_an_english_literal(script):
    hard_coded = [
        text for text in literals(script.read_text())
        if looks_english(text) and (script.name, text) not in ALLOWED_ENGLISH
    ]
    assert not hard_coded, f"{script.name} shows English without strings/en.js: {hard_coded}"


def test_no_script_repeats_an_english_sentence_from_the_strings():
    """A moved string left behind in the code (or pasted back in) is found even when it is lower-case."""
    fragments = {
        part.strip() for text in entries("en").values() for part in PLACEHOLDER.split(text)[::2]
        if len(re.findall(r"[A-Za-z]{2,}", part)) >= 2
    }
    for script in SCRIPTS:
        texts = literals(script.read_text())
        left = sorted(f for f in fragments if any(f in text for text in texts))
        assert not left, f"{script.name} still spells out: {left}"


def test_the_english_checks_fail_on_a_hard_coded_label():
    assert looks_english("Remove") and looks_english("Add rule") and looks_english("changed by the staff")
    assert looks_english("E-mail preview (HTML)")
    assert not looks_english("ghost danger small") and not looks_english("gap:20px;margin-bottom:12px")
    assert not looks_english(" [data-move]:not([disabled])")
    assert not looks_english("query Policy { policy { document version } }") and not looks_english("pf.add_rule")


def test_every_key_the_scripts_name_is_in_english():
    english = singular(entries("en"))
    users = [script for script in SCRIPTS if script.name != "i18n.js"]  # i18n.js defines t(), with an example key
    named = {key for script in users for key in re.findall(r"\btn?\(\"([\w.]+)\"", script.read_text())}
    assert len(named) > 200
    assert named <= english, sorted(named - english)


def test_every_template_variable_is_described_in_the_strings():
    """The Messages tab words each {{ variable }} from strings/; a variable added to notify/ needs its words too."""
    described = {key.removeprefix("var.") for key in entries("en") if key.startswith("var.")}
    assert set(TEMPLATE_VARIABLES) == described


# -- incident kinds -----------------------------------------------------------------------------------
def listed(script: str, name: str) -> list[str]:
    found = re.search(rf"const {name} = \[([^\]]*)\]", (STATIC / script).read_text())
    return re.findall(r'"(\w+)"', found.group(1))


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_every_incident_kind_has_a_name_in_every_language(language):
    table = entries(language)
    for kind in IncidentKind:
        assert table.get(f"kind.{kind.value}", "").strip(), (language, kind)
    carrier_words = {table[f"kind.{k.value}"] for k in CARRIER_KINDS}
    assert len(carrier_words) == len(CARRIER_KINDS), f"{language}: two carrier situations share a name"


def test_the_rule_editor_and_the_kind_filter_offer_every_kind():
    named = [k.value for k in IncidentKind if k is not IncidentKind.CUSTOMER_REPORT]
    assert listed("policy_form.js", "KINDS") == named, "a customer's report has rules of its own (max_proposal_value)"
    assert listed("incidents.js", "KINDS") == [k.name for k in IncidentKind]
