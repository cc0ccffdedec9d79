"""Make the screenshots in docs/ by driving the app on the generated demo, in a real window.

Run under a virtual screen with a sound server, so the video widget draws and audition plays:

    pulseaudio -D --exit-idle-time=-1
    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python docs/make_screenshots.py

It writes docs/screenshots/1_empty.png .. 5_chinese.png, track_view_window_en.png and
track_view_window_zh.png (a clip open, a track selected, its section and the clip's cuts in
the track view, its beats under the clip on the timeline) and docs/screenshot.png (the
README's picture, the same as 2_analysed.png); the Chinese ones only where a CJK font is
installed. Each picture is grabbed from the screen (``QScreen.grabWindow``), so it shows
what an editor sees, video frame included.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

DOCS = Path(__file__).resolve().parent
SHOTS = DOCS / "screenshots"


def main() -> int:
    from PySide6.QtWidgets import QApplication

    from core.demo import make_demo
    from core.recommend.model import load_recommender
    from musicmatch_gui.app import STYLE, dark_palette, install_translation
    from musicmatch_gui.main_window import MainWindow

    app = QApplication(["MusicMatch"])
    if app.platformName() not in ("xcb", "wayland"):
        sys.stderr.write(f"make_screenshots: error: needs a real screen (xvfb-run), not '{app.platformName()}'\n")
        return 2
    app.setStyle("Fusion")
    app.setPalette(dark_palette())
    app.setStyleSheet(STYLE)
    work = Path(tempfile.mkdtemp(prefix="musicmatch-shots-"))
    # The run's own settings and data folder: the user's recent files, geometry and library stay untouched.
    import os

    from PySide6.QtCore import QSettings

    os.environ["XDG_DATA_HOME"] = str(work / "data")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(work / "settings"))
    try:
        demo = make_demo(work / "demo")
        window = MainWindow(load_recommender(), device="cpu")
        window.setGeometry(0, 0, 1440, 900)
        window.show()

        def wait(seconds: float, until=lambda: False) -> None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not until():
                app.processEvents()
                time.sleep(0.01)

        def shoot(name: str) -> None:
            wait(0.3)
            picture = window.screen().grabWindow(window.winId())
            picture.save(str(SHOTS / name))
            print(f"{SHOTS / name}: {picture.width()}x{picture.height()}")

        SHOTS.mkdir(exist_ok=True)
        window.library_cmds.open_library(str(demo.library), demo=True)
        wait(60, lambda: window.library is not None)
        shoot("1_empty.png")

        ready = []
        window.analysis_ready.connect(lambda: ready.append(True))
        window.open_video(str(demo.clips[1]))  # the fast-cut clip: shots and curves worth seeing
        wait(300, lambda: bool(ready))
        wait(60, lambda: not window.timing_cmds.pending)  # the list's best sections
        window.video_player.play()
        wait(2.2)
        window.video_player.pause()
        window.table.selectRow(0)
        shoot("2_analysed.png")
        shutil.copy(SHOTS / "2_analysed.png", DOCS / "screenshot.png")
        show_track_view(window, wait)
        shoot("track_view_window_en.png")

        window.table.selectRow(2)
        window.project_cmds.toggle_pick()
        window.audition_cmds.play_with_picture()
        wait(20, lambda: window.audition.playing)
        wait(1.5)
        shoot("3_auditioning.png")
        window.stop_all()

        more = work / "more music"  # a folder the library has not seen: a real scan, with its progress
        more.mkdir()
        for source in sorted((demo.folder / "music").iterdir())[:8]:
            shutil.copy(source, more / f"copy of {source.name}")
        window.library_cmds.scan_library([str(more)])
        wait(60, lambda: window.job_bar.isVisible() and window.job_bar.progress.value() > 0)
        shoot("4_library_scan.png")
        for job in window.jobs.running():
            job.cancel()
        wait(30, lambda: not window.jobs.running())
        window.undo_stack.setClean()  # the pick above was for the picture: nothing to save
        window.close()

        # The same clip in the Chinese interface (needs a CJK font on this machine, e.g. fonts-wqy-microhei).
        from PySide6.QtGui import QFontDatabase

        if not QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
            print("no Chinese font here: 5_chinese.png not made")
            return 0
        install_translation(app, "zh")
        window = MainWindow(load_recommender(), device="cpu", language="zh")
        window.setGeometry(0, 0, 1440, 900)
        window.show()
        window.library_cmds.open_library(str(demo.library), demo=True)
        wait(60, lambda: window.library is not None)
        ready.clear()
        window.analysis_ready.connect(lambda: ready.append(True))
        window.open_video(str(demo.clips[1]))
        wait(300, lambda: bool(ready))
        wait(60, lambda: not window.timing_cmds.pending)
        window.video_player.play()
        wait(2.2)
        window.video_player.pause()
        window.table.selectRow(1)
        window.project_cmds.toggle_pick()
        shoot("5_chinese.png")
        show_track_view(window, wait)
        shoot("track_view_window_zh.png")
        window.undo_stack.setClean()
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def show_track_view(window, wait) -> None:
    """Select the best-ranked track with a beat grid and give the track view room (its section is the
    one the ranking found; the clip's cuts are drawn inside it)."""
    window.list_splitter.setSizes([330, 150])
    for row in range(window.proxy.rowCount()):
        window.table.selectRow(row)
        timing = window.track_view.timing
        if timing is not None and timing.has_beat and window.track_view.section_length > 0:
            break
    window.track_view.setFocus()
    wait(0.2)


if __name__ == "__main__":
    raise SystemExit(main())
