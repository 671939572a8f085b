"""PySide6 reads the source of every module imported after it: one cheap look instead.

Importing PySide6 puts a hook on `import` for its optional `from __feature__ import snake_case`
syntax. After each import the hook calls `shibokensupport.feature._mod_uses_pyside`, which reads and
tokenizes the new module's whole source file (`inspect.getsource`) to look for the word "PySide6".
netjournal's start-up imports ~300 modules after PySide6 (SQLAlchemy, the features): about 170 ms of
CPU, 30 ms of it on the GUI thread while Today was being filled (bench/bench_startup.py).

netjournal selects no feature, so the answer only decides whether a module would take part in
switching one; asking the module's namespace whether it holds anything from PySide6 gives it without
touching the disk. If PySide6 moves or renames the hook this does nothing.
"""

from __future__ import annotations

import sys
from types import ModuleType


def _uses_pyside(module: ModuleType) -> bool:
    for value in list(vars(module).values()):
        name = getattr(value, "__module__", None) if not isinstance(value, ModuleType) else value.__name__
        if isinstance(name, str) and name.startswith(("PySide6", "shiboken6")):
            return True
    return False


def skip_source_scan() -> bool:
    """Install the cheap look (after PySide6 is imported); False when PySide6 has no such hook."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _uses_pyside  # type: ignore[attr-defined]
    return True
