"""The layers keep to their imports: netjournal/ui reaches the database only through core functions."""

from __future__ import annotations

import ast
from pathlib import Path

UI = Path(__file__).resolve().parents[1] / "netjournal" / "ui"


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_the_ui_imports_no_sqlalchemy() -> None:
    offenders = {
        str(path.relative_to(UI)): sorted(m for m in _imported_modules(path) if m.split(".")[0] == "sqlalchemy")
        for path in sorted(UI.rglob("*.py"))
    }
    offenders = {name: mods for name, mods in offenders.items() if mods}
    assert not offenders, f"queries belong in netjournal/core (a function taking a session): {offenders}"
