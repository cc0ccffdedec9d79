"""The main window's commands, one module per area (library, audition, picks and projects, taste).

Library, audition and projects are mixins of :class:`~musicmatch_gui.main_window.MainWindow`:
they hold behaviour only and work on the window's widgets, jobs and session. The taste
commands (:mod:`musicmatch_gui.actions.taste`) are a collaborator instead, handed what they
use in their constructor. The text they show goes through
``translate("MainWindow", ...)``, not ``self.tr()``: at run time ``tr()`` looks strings up
under the window's class, while Qt Linguist would file a mixin's ``tr()`` strings under the
mixin's name, so they would never be shown translated.
"""

from PySide6.QtCore import QCoreApplication

__all__ = ["translate"]

translate = QCoreApplication.translate
"""``translate("MainWindow", text)``: the commands' strings, looked up under the window's context.

Write the context literally: Qt Linguist reads these calls from the source, and a
``{name}`` in the text is filled in afterwards with ``str.format``.
"""
