"""Start-up imports: PySide6's import hook no longer reads every module's source from disk."""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest

from netjournal.ui.pyside_feature import skip_source_scan


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_an_import_after_pyside_reads_no_source_and_still_tells_qt_modules_apart(modules: Path) -> None:
    import PySide6.QtCore  # noqa: F401  (the hook is PySide's)

    feature = sys.modules["shibokensupport.feature"]
    assert skip_source_scan()
    (modules / "nj_plain_mod.py").write_text("import json\nVALUE = json.dumps([1])\n")
    (modules / "nj_qt_mod.py").write_text("from PySide6.QtCore import QObject\n\nclass Thing(QObject):\n    pass\n")
    for name in ("nj_plain_mod", "nj_qt_mod"):
        exec(f"import {name}", {})  # an import statement: the hook is on `import`, not importlib
        assert str(modules / f"{name}.py") not in linecache.cache  # inspect.getsource would have put it there
    assert feature.pyside_feature_dict["nj_qt_mod"] == 0  # takes part in feature switching
    assert feature.pyside_feature_dict["nj_plain_mod"] == -1  # ignored, as PySide's own check would say
