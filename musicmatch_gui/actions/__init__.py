"""The main window's commands, one module per area (library, audition, picks and projects, learning).

Each is a mixin of :class:`~musicmatch_gui.main_window.MainWindow`: it holds behaviour
only and works on the window's widgets, jobs and session. The text they show goes through
``translate("MainWindow", ...)``, not ``self.tr()``: at run time ``tr()`` looks strings up
under the window's class, while Qt Linguist would file a mixin's ``tr()`` strings under the
mixin's name, so they would never be shown translated. Audition and timing
(:class:`~musicmatch_gui.actions.audition.AuditionCommands`,
:class:`~musicmatch_gui.actions.timing.TimingCommands`) are not mixins but collaborators:
the window makes them with everything they use and holds them as ``audition_cmds`` and
``timing_cmds``.
"""

from PySide6.QtCore import QCoreApplication

__all__ = ["translate"]

translate = QCoreApplication.translate
"""``translate("MainWindow", text)``: the commands' strings, looked up under the window's context.

Write the context literally: Qt Linguist reads these calls from the source, and a
``{name}`` in the text is filled in afterwards with ``str.format``.
"""
