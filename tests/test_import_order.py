"""Imports run down the year: an app imports only from the apps before it (docs/architecture.md).

The order is `directory → accounts → schemes → needs → {allocation → reporting, gatherings} →
notifications`: `gatherings` comes after needs, beside allocation and reporting (it may use directory,
accounts, schemes and needs; of the apps after needs only notifications may use it, and it uses
neither allocation nor reporting). The project's shared modules (`templatetags`, `paging`, `production`,
`settings`, `middleware`) sit below every app; the top (`urls`, `views`, `public`, `wsgi`, `demo`,
`testing`) may use every app, and no app uses the top. Tests may import anything.

Every import is read, also those inside functions, and so is `apps.get_model("<app>", …)`: a model
looked up by name is as much an upward dependency as one imported.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lokalkomp"

ORDER = ["directory", "accounts", "schemes", "needs", "allocation", "reporting", "notifications"]
BASE = {"templatetags", "paging", "production", "settings", "middleware", "locale", "static", "templates"}
TOP = {"urls", "views", "public", "wsgi", "demo", "testing"}


def allowed(source: str, target: str) -> bool:
    """May a module of `source` (an app, or a shared module's name) import from `target`?"""
    if source == target or target in BASE or source in TOP:
        return True
    if target in TOP:
        return False
    if source in BASE:
        return False
    if "gatherings" in (source, target):
        if source == "gatherings":
            return ORDER.index(target) <= ORDER.index("needs")
        return source == "notifications"
    return ORDER.index(target) < ORDER.index(source)


@dataclass(frozen=True)
class Import:
    path: str
    line: int
    source: str
    target: str


def part_of(path: Path) -> str:
    """The app (or shared module) a file of the package belongs to."""
    first = path.relative_to(PACKAGE).parts[0]
    return first.removesuffix(".py")


def targets(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, app) for every `lokalkomp.<app>` the code imports or looks a model up in."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "lokalkomp" else [f"lokalkomp.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get_model"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            names = [f"lokalkomp.{node.args[0].value.split('.')[0]}"]
        else:
            continue
        found += [(node.lineno, name.split(".")[1]) for name in names if name.startswith("lokalkomp.") and "." in name]
    return found


def wrong_imports(files: list[Path]) -> list[Import]:
    wrong = []
    for path in files:
        source = part_of(path)
        for line, target in targets(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if not allowed(source, target):
                wrong.append(Import(str(path.relative_to(PACKAGE.parent)), line, source, target))
    return wrong


def project_files() -> list[Path]:
    """The package's code, without its tests and migrations (a migration names the models of its time)."""
    return [
        p
        for p in sorted(PACKAGE.rglob("*.py"))
        if "tests" not in p.relative_to(PACKAGE).parts and "migrations" not in p.relative_to(PACKAGE).parts
    ]


def wrong_import_lines() -> list[str]:
    files = project_files()
    assert len(files) > 100  # the whole package is read
    return [f"{w.path}:{w.line} ({w.source} → {w.target})" for w in wrong_imports(files)]


def test_every_import_runs_down_the_year():
    # Read in a process of its own: CPython 3.11's ast.parse shares its recursion counter between threads
    # (python/cpython#106905): late in the whole suite, with the test servers' threads alive, it failed
    # once with «AST constructor recursion depth mismatch». This file needs only the standard library.
    done = subprocess.run(  # noqa: S603 (this file, run by this interpreter)
        [sys.executable, __file__], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_a_deliberate_wrong_import_is_caught(tmp_path, monkeypatch):
    fake = tmp_path / "lokalkomp"
    for app, code in {
        "directory": "from lokalkomp.needs.models import NeedsReport\n",
        "schemes": "def f():\n    from lokalkomp.accounts.rules import holds_any_role\n",
        "accounts": "from django.apps import apps\nM = apps.get_model('needs', 'Measure')\n",
        "needs": "from lokalkomp import notifications\nimport lokalkomp.testing\n",
        "notifications": "from lokalkomp.needs import records\n",
        "gatherings": "from lokalkomp.needs.models import Measure\nfrom lokalkomp.allocation import models\n",
        "reporting": "from lokalkomp.gatherings.models import PlanArea\n",
    }.items():
        (fake / app).mkdir(parents=True)
        (fake / app / "mod.py").write_text(code, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", fake)
    found = {(w.source, w.target) for w in wrong_imports(sorted(fake.rglob("*.py")))}
    assert found == {
        ("directory", "needs"),
        ("accounts", "needs"),
        ("needs", "notifications"),
        ("needs", "testing"),
        ("gatherings", "allocation"),
        ("reporting", "gatherings"),
    }  # schemes → accounts, notifications → needs and gatherings → needs run down the year


def test_the_order_of_the_year():
    assert allowed("needs", "schemes") and not allowed("schemes", "needs")
    assert allowed("notifications", "needs") and not allowed("needs", "notifications")
    assert allowed("gatherings", "accounts") and allowed("gatherings", "needs")
    assert allowed("notifications", "gatherings") and not allowed("needs", "gatherings")
    assert not allowed("gatherings", "allocation") and not allowed("allocation", "gatherings")
    assert not allowed("gatherings", "reporting") and not allowed("reporting", "gatherings")
    assert allowed("accounts", "templatetags") and not allowed("templatetags", "accounts")
    assert allowed("demo", "needs") and not allowed("needs", "demo")


if __name__ == "__main__":
    print(json.dumps(wrong_import_lines(), ensure_ascii=False))
