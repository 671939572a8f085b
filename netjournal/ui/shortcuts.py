"""Help > Keyboard shortcuts: every shortcut the window really has, grouped by where it works."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QTreeWidget, QTreeWidgetItem, QWidget

from netjournal.ui.form_parts import Buttons, column, dialog_buttons


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("What"), self.tr("Keys")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        groups: dict[str, QTreeWidgetItem] = {}
        for where, what, keys in rows:
            group = groups.get(where)
            if group is None:
                group = groups[where] = QTreeWidgetItem(self.tree, [where])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
            QTreeWidgetItem(group, [what, keys])
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, max(self.tree.columnWidth(0) + 24, 260))
        column(self, self.tree, dialog_buttons(self, Buttons.Close))
        self.resize(520, 560)

    def rows(self) -> list[tuple[str, str, str]]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None
            for j in range(group.childCount()):
                child = group.child(j)
                assert child is not None
                out.append((group.text(0), child.text(0), child.text(1)))
        return out
