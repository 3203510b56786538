"""The domain stays pure: care/ knows nothing of Flask, SQL, GraphQL clients or HTTP."""

import ast
import subprocess
import sys
from pathlib import Path

import grimp

CARE = Path(__file__).parent.parent / "saleor_cs_app" / "care"
FORBIDDEN = ("flask", "sqlalchemy", "gql", "requests", "huey", "saleor_cs_app.store", "saleor_cs_app.saleor")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            # `from saleor_cs_app import support` imports the package saleor_cs_app.support
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_care_imports_no_framework_database_or_network_code():
    offenders = {
        f"{path.name}: {name}"
        for path in CARE.glob("*.py")
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert offenders == set()


def test_care_rules_take_time_as_an_argument():
    for path in CARE.glob("*.py"):
        assert "datetime.now(" not in path.read_text() and "date.today(" not in path.read_text(), path.name


# Arrows point inward (STYLE.md): the layers that webhooks/, tracking/, ui/, support/, jobs/ and cli.py
# call into never import those callers back (e.g. notify/ makes the support link with saleor_cs_app/links.py,
# never through support/). watch/ is left out: it sits beside tracking/ and problems/ in the domain layer, and
# the import contracts below hold its direction.
APP = CARE.parent
INNER = ("care", "goodwill", "notify", "saleor", "store")
OUTER = ("webhooks", "tracking", "ui", "support", "jobs", "problems", "cli")


def test_inner_layers_never_import_the_layers_that_call_them():
    offenders = {
        f"{path.relative_to(APP)}: {name}"
        for inner in INNER
        for path in (APP / inner).rglob("*.py")
        for name in imported_modules(path)
        if any(name == f"saleor_cs_app.{o}" or name.startswith(f"saleor_cs_app.{o}.") for o in OUTER)
    }
    assert offenders == set()



# The layers, care/ free of frameworks, and no import cycle: the contracts are in pyproject.toml
# ([tool.importlinter]); a broken one fails here with the chain of imports that broke it.
def test_the_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([lint_imports, "--no-cache"], cwd=APP.parent, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nothing_imports_the_composition_root_back():
    graph = grimp.build_graph("saleor_cs_app")
    importers = graph.find_modules_that_directly_import("saleor_cs_app")
    assert importers <= {"saleor_cs_app.wsgi", "saleor_cs_app.cli"}
