"""The main window's commands, one module per area (library, audition, picks and projects, learning).

The library and project commands are collaborators of
:class:`~musicmatch_gui.main_window.MainWindow` (``LibraryCommands``, ``ProjectCommands``):
each receives in its constructor what it works with and reaches for nothing else. The text
they show goes through ``translate("MainWindow", ...)``, not ``tr()``: they are not QObjects,
and filing their strings under the window's context keeps one context for the window's words.
"""

from PySide6.QtCore import QCoreApplication

__all__ = ["translate"]

translate = QCoreApplication.translate
"""``translate("MainWindow", text)``: the commands' strings, looked up under the window's context.

Write the context literally: Qt Linguist reads these calls from the source, and a
``{name}`` in the text is filled in afterwards with ``str.format``.
"""
