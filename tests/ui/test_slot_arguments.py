"""No signal hands its arguments to a slot parameter that means something else.

PySide6 passes a signal's arguments to as many positional parameters as the slot has, defaults
included: `button.clicked.connect(self.save)` with `def save(self, then=None)` calls `save(False)`, and
the Prepare plan's Save button crashed on `then(new_id)`. This check reads the source of the GUI
(netjournal/ui, app.py, scheduler.py) and finds every `<signal>.connect(<slot>)` (and `signal=slot`
keyword in a constructor) whose slot has an optional parameter that the signal's arguments would fill,
unless that parameter is annotated with the signal's type or its name starts with `_` (taken and
ignored on purpose).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "netjournal"
SOURCES = [
    *sorted((ROOT / "ui").glob("*.py")),
    *(ROOT / name for name in ("app.py", "startup.py", "boot.py", "instance.py", "unlock_flow.py", "scheduler.py")),
]

# The arguments of the Qt signals the GUI connects to, by name. Where classes share a name, the longest
# list counts (QShortcut.activated has none, QComboBox.activated has an int): the check stays strict.
QT_SIGNALS: dict[str, tuple[str, ...]] = {
    "clicked": ("bool",),
    "toggled": ("bool",),
    "triggered": ("bool",),  # QAction.triggered(bool); QMenu.triggered(QAction)
    "pressed": (),
    "released": (),
    "textChanged": ("str",),
    "textEdited": ("str",),
    "currentTextChanged": ("str",),
    "currentIndexChanged": ("int",),
    "currentRowChanged": ("int",),
    "currentChanged": ("QModelIndex", "QModelIndex"),  # also currentChanged(int) of tabs and stacks
    "currentItemChanged": ("QListWidgetItem", "QListWidgetItem"),
    "itemActivated": ("QListWidgetItem", "int"),  # QTreeWidget adds the column
    "itemClicked": ("QListWidgetItem", "int"),
    "itemDoubleClicked": ("QListWidgetItem", "int"),
    "itemChanged": ("QListWidgetItem", "int"),
    "itemSelectionChanged": (),
    "selectionChanged": ("QItemSelection", "QItemSelection"),
    "activated": ("int",),  # QComboBox(int), QSystemTrayIcon(reason), item views (index); QShortcut: none
    "valueChanged": ("int",),
    "dateChanged": ("QDate",),
    "dateTimeChanged": ("QDateTime",),
    "stateChanged": ("int",),
    "checkStateChanged": ("Qt.CheckState",),
    "finished": ("int",),
    "accepted": (),
    "rejected": (),
    "editingFinished": (),
    "returnPressed": (),
    "timeout": (),
    "aboutToShow": (),
    "aboutToHide": (),
    "newConnection": (),
    "readyRead": (),
    "customContextMenuRequested": ("QPoint",),
    "destroyed": ("QObject",),
    "linkActivated": ("str",),
    "contentsChanged": (),
    "cursorPositionChanged": (),
    "messageClicked": (),
}


# Constructors whose keyword signals differ from the name's entry above.
KEYWORD_SIGNALS: dict[str, dict[str, tuple[str, ...]]] = {"QShortcut": {"activated": (), "activatedAmbiguously": ()}}


@dataclass(frozen=True)
class Params:
    """A slot's positional parameters after self: (name, has a default, annotation text)."""

    items: tuple[tuple[str, bool, str], ...]
    varargs: bool


def _params(args: ast.arguments, *, method: bool) -> Params:
    positional = list(args.posonlyargs) + list(args.args)
    if method and positional:
        positional = positional[1:]
    first_default = len(positional) - len(args.defaults)
    items = tuple(
        (a.arg, i >= first_default, ast.unparse(a.annotation) if a.annotation is not None else "")
        for i, a in enumerate(positional)
    )
    return Params(items, args.vararg is not None)


def _custom_signals(trees: dict[Path, ast.Module]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, ast.Name)
                and node.value.func.id == "Signal"
            ):
                types = tuple(ast.unparse(a) for a in node.value.args)
                for target in node.targets:
                    if isinstance(target, ast.Name) and len(types) >= len(found.get(target.id, ())):
                        found[target.id] = types
    return found


def _methods(trees: dict[Path, ast.Module]) -> dict[str, list[tuple[str, Params]]]:
    """Every method in the GUI by name: (class, params)."""
    out: dict[str, list[tuple[str, Params]]] = {}
    for tree in trees.values():
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for fn in cls.body:
                if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)
                    out.setdefault(fn.name, []).append((cls.name, _params(fn.args, method=not static)))
    return out


def _compatible(annotation: str, signal_type: str) -> bool:
    if annotation in ("object", "Any"):
        return True
    names = {part.strip().strip("'\"").rsplit(".", 1)[-1] for part in annotation.replace("|", ",").split(",")}
    return signal_type.rsplit(".", 1)[-1] in names


def _misfits(params: Params, args: tuple[str, ...]) -> list[str]:
    """The optional parameters the signal's arguments would land in, unless they are meant for them."""
    bad = []
    required = [name for name, has_default, _ in params.items if not has_default]
    if len(required) > len(args):
        bad.append(f"needs {', '.join(required)} but the signal sends {len(args)} argument(s)")
    for (name, has_default, annotation), signal_type in zip(params.items, args, strict=False):
        if has_default and not name.startswith("_") and not _compatible(annotation, signal_type):
            bad.append(f"{name}: {annotation or '?'} = … would receive the signal's {signal_type}")
    return bad


class _Finder(ast.NodeVisitor):
    def __init__(self, where: str, signals: dict[str, tuple[str, ...]], methods: dict) -> None:  # type: ignore[type-arg]
        self.where, self.signals, self.methods = where, signals, methods
        self.classes: list[ast.ClassDef] = []
        self.local_functions: list[dict[str, Params]] = [{}]
        self.problems: list[str] = []
        self.checked = 0

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.classes.append(node)
        self.generic_visit(node)
        self.classes.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.local_functions[-1][node.name] = _params(node.args, method=False)
        self.local_functions.append({})
        self.generic_visit(node)
        self.local_functions.pop()

    def _own_method(self, name: str) -> Params | None:
        if not self.classes:
            return None
        for fn in self.classes[-1].body:
            if isinstance(fn, ast.FunctionDef) and fn.name == name:
                return _params(fn.args, method=True)
        return None

    def _slot_params(self, slot: ast.expr) -> list[tuple[str, Params]]:
        if isinstance(slot, ast.Lambda):
            return [("lambda", _params(slot.args, method=False))]
        if isinstance(slot, ast.Name):
            for scope in reversed(self.local_functions):
                if slot.id in scope:
                    return [(slot.id, scope[slot.id])]
            return []
        if isinstance(slot, ast.Attribute):
            if isinstance(slot.value, ast.Name) and slot.value.id == "self":
                own = self._own_method(slot.attr)
                if own is not None:
                    return [(f"self.{slot.attr}", own)]
            # Another object's method: every method of that name in the GUI (Qt's own are not listed).
            return [(f"{cls}.{slot.attr}", p) for cls, p in self.methods.get(slot.attr, [])]
        return []

    def _check(self, signal: str, slot: ast.expr, line: int, args: tuple[str, ...] | None = None) -> None:
        args = self.signals.get(signal) if args is None else args
        if args is None:
            return
        self.checked += 1
        for where, params in self._slot_params(slot):
            for bad in _misfits(params, args):
                self.problems.append(f"{self.where}:{line}: {signal} -> {where}: {bad}")

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "connect"
            and isinstance(func.value, ast.Attribute)
            and node.args
        ):
            self._check(func.value.attr, node.args[0], node.lineno)
        special = KEYWORD_SIGNALS.get(func.id, {}) if isinstance(func, ast.Name) else {}
        for kw in node.keywords:  # QAction(..., triggered=slot), QShortcut(..., activated=slot)
            if kw.arg is not None and (kw.arg in self.signals or kw.arg in special):
                self._check(kw.arg, kw.value, node.lineno, special.get(kw.arg))
        self.generic_visit(node)


def find_misfits(paths: list[Path]) -> tuple[list[str], int]:
    trees = {p: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in paths}
    signals = {**QT_SIGNALS, **_custom_signals(trees)}
    methods = _methods(trees)
    problems, checked = [], 0
    for path, tree in trees.items():
        finder = _Finder(path.name if path.parent == ROOT else f"{path.parent.name}/{path.name}", signals, methods)
        finder.visit(tree)
        problems += finder.problems
        checked += finder.checked
    return problems, checked


def test_no_slot_receives_a_signal_argument_it_does_not_expect() -> None:
    problems, checked = find_misfits(SOURCES)
    assert checked > 100, "the check saw the GUI's connections"
    assert not problems, "slots that would receive arguments meant for something else:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("class V:\n def save(self, then=None): ...\n def f(self): self.b.clicked.connect(self.save)\n", True),
        (
            "class V:\n def save(self, then=None): ...\n def f(self): self.b.clicked.connect(lambda: self.save())\n",
            False,
        ),
        ("class V:\n def go(self, *_a): ...\n def f(self): self.b.clicked.connect(self.go)\n", False),
        ("class V:\n def go(self, _checked=False): ...\n def f(self): self.b.toggled.connect(self.go)\n", False),
        ("class V:\n def go(self, on: bool = False): ...\n def f(self): self.b.toggled.connect(self.go)\n", False),
        (
            "class V:\n def go(self, select_id: int | None = None): ...\n"
            " def f(self): self.c.textChanged.connect(self.go)\n",
            True,
        ),
        ("def f(b, x): b.clicked.connect(lambda c=x: c.run())\n", True),
        ("class V:\n def go(self, k=1): ...\n def f(self): self.t.timeout.connect(self.go)\n", False),
        (
            "class V:\n sig = Signal(int)\n def go(self, person_id: int | None = None): ...\n"
            " def f(self): self.sig.connect(self.go)\n",
            False,
        ),
        ("class V:\n def go(self, then=None): ...\ndef f(v): QAction('x', triggered=v.go)\n", True),
        ("def f(w, k): QShortcut(k, w, activated=lambda c=k: c.run())\n", False),
        ("class V:\n def go(self, person_id): ...\n def f(self): self.t.timeout.connect(self.go)\n", True),
    ],
)
def test_the_check_catches_the_bug_class(tmp_path: Path, source: str, caught: bool) -> None:
    example = tmp_path / "example.py"
    example.write_text(source)
    problems, _ = find_misfits([example])
    assert bool(problems) is caught, problems
