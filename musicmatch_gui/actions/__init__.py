"""The main window's commands, one module per area (library, audition, picks and projects, learning).

Each is a mixin of :class:`~musicmatch_gui.main_window.MainWindow`: it holds behaviour
only and works on the window's widgets, jobs and session. Strings shown through
``self.tr()`` stay in the window's own module, where Qt Linguist finds them under the
``MainWindow`` context the running app looks them up in.
"""
