"""axe-core, the accessibility checker, for the browser tests: installed from the pinned package-lock.json
with `npm ci` into tests/browser_tools/node_modules (git-ignored) when missing, then injected into a page.

Getting it can fail (no npm, no registry): then the tests that need it fail with npm's own words. An
accessibility check that silently did not run must never pass.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2 A and AA: the level the issue asks for.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


class AxeUnavailable(RuntimeError):
    pass


def axe_source() -> str:
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise AxeUnavailable("npm is not installed: cannot install axe-core for the accessibility checks")
        done = subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"], cwd=HERE, capture_output=True, text=True,
            timeout=300,
        )  # fmt: skip
        if done.returncode != 0 or not AXE_JS.exists():
            raise AxeUnavailable(f"npm ci failed in {HERE}: {done.stderr.strip()[-2000:]}")
    return AXE_JS.read_text()


def violations(page, source: str) -> list[dict]:
    """axe's violations on the page as it is now, each as {id, impact, help, targets}."""
    page.evaluate(source)  # through DevTools, so the page's strict CSP (no inline scripts) does not stop it
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
