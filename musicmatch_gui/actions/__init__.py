"""The main window's commands, one module per area (library, audition, picks and projects, taste).

Every area is a collaborator of :class:`~musicmatch_gui.main_window.MainWindow`, not a
mixin: the window makes each with everything it uses, and each reaches for nothing else
(``LibraryCommands``, ``ProjectCommands``, ``AuditionCommands``, ``TimingCommands`` and
``TasteCommands``, held as ``library_cmds``, ``project_cmds``, ``audition_cmds``, ``timing_cmds``
and ``taste``). The text they show goes through ``translate("MainWindow", ...)``, not ``tr()``:
they are not QObjects, and filing their strings under the window's context keeps one context
for the window's words.
"""

from PySide6.QtCore import QCoreApplication

__all__ = ["translate"]

translate = QCoreApplication.translate
"""``translate("MainWindow", text)``: the commands' strings, looked up under the window's context.

Write the context literally: Qt Linguist reads these calls from the source, and a
``{name}`` in the text is filled in afterwards with ``str.format``.
"""
