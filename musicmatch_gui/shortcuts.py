"""Application shortcuts that work wherever the focus is, and typing that stays typing.

Qt gives a focused text field the first say over a key press (``ShortcutOverride``): a
line edit claims Ctrl+E, Ctrl+A, Ctrl+K... for its own editing, so File > Export did
nothing while the note field had focus. The other way round, single-key shortcuts of the
Playback menu (Enter, Space, P, J/K/L, the arrows) are not claimed by a spin box, so Enter
in the "Starts at" field started an audition. :class:`ShortcutPolicy` settles both:

* a key with Ctrl or Alt that is one of the window's menu shortcuts goes to the menu;
* any other key, while a text field, spin box or editable combo box has focus, goes to
  that field (so Enter finishes the edit, P types a "p").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

__all__ = ["ShortcutPolicy", "is_text_entry", "menu_action"]

_COMMAND_MODIFIERS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | \
    Qt.KeyboardModifier.MetaModifier


def is_text_entry(widget: QWidget | None) -> bool:
    """Whether keys typed into ``widget`` are text (or numbers) being edited."""
    if widget is None:
        return False
    if isinstance(widget, QComboBox):
        return widget.isEditable()
    if isinstance(widget, QLineEdit):  # includes the line edit inside a spin box or combo box
        return not widget.isReadOnly()
    return isinstance(widget, (QAbstractSpinBox, QTextEdit, QPlainTextEdit))


class ShortcutPolicy(QObject):
    """An application-wide event filter deciding ``ShortcutOverride`` for the window ``owner``."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self._owner = owner

    def _menu_shortcuts(self) -> set[str]:
        from PySide6.QtGui import QAction

        return {action.shortcut().toString() for action in self._owner.findChildren(QAction)
                if not action.shortcut().isEmpty() and action.isEnabled()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._owner or not is_text_entry(QApplication.focusWidget()):
            return False
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers & _COMMAND_MODIFIERS:
            combo = QKeySequence(event.keyCombination()).toString()
            if combo in self._menu_shortcuts():
                event.ignore()  # not the field's: the shortcut map gets it
                return True
            return False
        if event.key() in (Qt.Key.Key_Escape,):
            return False  # Escape still stops playback from anywhere
        event.accept()  # a plain key in a field is typing
        return True


def menu_action(menu, owner, text: str, slot, shortcut: str | None = None):
    """Add an entry ``text`` to ``menu`` (a QAction owned by ``owner``) that calls ``slot()``.

    The slot is called with no arguments: Qt would pass ``checked`` (False) into a slot's
    first optional parameter (Rename Profile once renamed the profile to "False").
    """
    act = QAction(text, owner)
    if shortcut:
        act.setShortcut(QKeySequence(shortcut))
    act.triggered.connect(lambda _checked=False, call=slot: call())
    menu.addAction(act)
    return act
