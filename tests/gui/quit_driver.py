"""Run the app as ``musicmatch gui`` would, and quit it the way an editor does (tests/gui/test_quit.py).

``early``: Ctrl+Q 1.5 s after start, while the recommender is still loading (torch
importing in a job thread) - the moment that crashed the app on quit. ``after``: open
the clip, audition a track, play the picture, switch tracks, then Ctrl+Q.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication


def main() -> int:
    mode, video, db = sys.argv[1:4]
    app = QApplication(["MusicMatch"])

    def window():
        from musicmatch_gui.main_window import MainWindow

        return next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))

    def quit_now() -> None:
        # File > Quit, the command Ctrl+Q triggers (found by its shortcut, as the editor would press it)
        quit_action = next(a for a in window().findChildren(QAction) if a.shortcut() == QKeySequence("Ctrl+Q"))
        quit_action.trigger()

    def start() -> None:
        if mode == "early":
            QTimer.singleShot(1500, quit_now)
            return
        win = window()

        def ready() -> None:
            win.table.selectRow(0)
            win.audition_cmds.audition_selected()
            win.video_player.play()
            QTimer.singleShot(800, lambda: (win.table.selectRow(1), QTimer.singleShot(400, quit_now)))

        win.analysis_ready.connect(ready)

    QTimer.singleShot(0, start)
    from musicmatch_gui.app import main as gui_main

    return gui_main(["--video", video, "--db", db, "--device", "cpu"])


if __name__ == "__main__":
    raise SystemExit(main())
