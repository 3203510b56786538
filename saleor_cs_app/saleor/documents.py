"""GraphQL documents are files; shared fragments live in `fragments.graphql`
and are appended to a document that spreads them (transitively), because
Saleor validates every document on its own and rejects unused fragments.
"""

from __future__ import annotations

import re
from pathlib import Path

FRAGMENTS = Path(__file__).parent / "fragments.graphql"
_FRAGMENT = re.compile(r"^fragment\s+(\w+)\s+on\s+\w+\s*\{", re.M)


def _split_fragments(text: str) -> dict[str, str]:
    starts = [(m.start(), m.group(1)) for m in _FRAGMENT.finditer(text)]
    ends = [s for s, _ in starts[1:]] + [len(text)]
    return {name: text[start:end].strip() for (start, name), end in zip(starts, ends, strict=True)}


def with_fragments(document: str) -> str:
    available = _split_fragments(FRAGMENTS.read_text())
    used: list[str] = []
    pending = [document]
    while pending:
        text = pending.pop()
        for name, body in available.items():
            if name not in used and re.search(rf"\.\.\.\s*{name}\b", text):
                used.append(name)
                pending.append(body)
    return document.rstrip() + "".join("\n\n" + available[name] for name in used) + "\n"
